"""The hoax classifier: calibrated P(hoax) with reasons, for the ``sklearn`` and ``e5`` kinds.

Example::

    clf = HoaxClassifier.train(load_seed("hoax").where(heldout=False), HoaxConfig(), election)
    [p] = clf.predict(["SEBARKAN!!! Surat suara sudah dicoblos sebelum hari H"])
    p.label, p.score, p.reasons[0]   # 'hoax', 0.93, {'kind': 'ngram', 'text': 'sudah dicoblos', ...}

Candidate and party names are masked before the model sees a text, and ballot numbers are normalised
away, so naming one candidate instead of another cannot change a score.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import scipy.sparse as sp

from models.hoax.config import HoaxConfig
from models.training.base import HOAX_LABELS, TextPrediction
from models.training.data import Dataset
from models.training.embed import embed
from models.training.features import Batch, LexicalFeaturizer, top_contributions
from models.training.linear import CalibratedLinear
from pantau.election import Election
from pantau.errors import ModelError

ARTIFACT = "model.joblib"
_CHUNK = 4096
Progress = Callable[[str], None]


class HoaxClassifier:
    """Hashed n-grams (+ optional e5 embeddings) → calibrated logistic regression."""

    task = "hoax"
    labels = HOAX_LABELS

    def __init__(
        self, config: HoaxConfig, featurizer: LexicalFeaturizer, linear: CalibratedLinear, election: Election
    ) -> None:
        self.config = config
        self.featurizer = featurizer
        self.linear = linear
        self.election = election
        self.version = ""

    @property
    def kind(self) -> str:
        return self.config.kind

    @classmethod
    def train(
        cls, data: Dataset, config: HoaxConfig, election: Election, progress: Progress | None = None
    ) -> HoaxClassifier:
        """Fit on ``data`` (every example in it: filter held-out rows before calling)."""
        if config.kind not in ("sklearn", "e5"):
            raise ModelError(f"HoaxClassifier trains kinds sklearn and e5, not {config.kind!r}")
        if len(data.examples) < 4:
            raise ModelError(f"hoax training needs at least 4 examples, got {len(data.examples)}")
        say = progress or (lambda _msg: None)
        featurizer = LexicalFeaturizer(config.features())
        linear = CalibratedLinear(
            HOAX_LABELS,
            C=config.C,
            class_weight=config.class_weight,
            folds=config.calibration_folds,
            seed=config.seed,
        )
        model = cls(config, featurizer, linear, election)
        say("normalising and masking texts")
        batch = Batch(data.texts, election)
        featurizer.fit(batch.prepared)
        say("building features")
        X = model._matrix(batch)
        say("fitting and calibrating the classifier")
        model.linear.fit(X, data.labels)
        featurizer.prune(model.linear.weighted_columns())
        return model

    def _matrix(self, batch: Batch) -> sp.csr_matrix:
        blocks: list[Any] = []
        if self.kind == "sklearn" or self.config.use_lexical:
            blocks.append(self.featurizer.transform(batch))
        if self.kind == "e5":
            name = self.config.embedder
            vectors = batch.memo(("embed", name), lambda: embed(batch.masked, name))
            blocks.append(sp.csr_matrix(vectors.astype(np.float64) * self.config.embedding_weight))
        return sp.hstack(blocks, format="csr") if len(blocks) > 1 else blocks[0].tocsr()

    def predict(self, texts: Sequence[str], batch: Batch | None = None) -> list[TextPrediction]:
        """One :class:`TextPrediction` per text: label, calibrated P(hoax), both probabilities, reasons.

        ``batch``: the same texts already prepared (the scorer shares one :class:`Batch` between models).
        """
        if batch is not None:
            return self._predict_batch(batch)
        out: list[TextPrediction] = []
        for start in range(0, len(texts), _CHUNK):
            out.extend(self._predict_batch(Batch(texts[start : start + _CHUNK], self.election)))
        return out

    def _predict_batch(self, batch: Batch) -> list[TextPrediction]:
        if not len(batch):
            return []
        texts, prepared = batch.texts, batch.prepared
        X = self._matrix(batch)
        proba = self.linear.predict_proba(X)
        hoax = HOAX_LABELS.index("hoax")
        k = self.config.reasons
        tops = (
            top_contributions(X, self.linear.contribution_weights("hoax"), 4 * k) if k else [[]] * len(texts)
        )
        lexical_cols = self.featurizer.n_columns if (self.kind == "sklearn" or self.config.use_lexical) else 0
        out = []
        for i, (text_prepared, p_hoax) in enumerate(zip(prepared, proba[:, hoax].tolist(), strict=True)):
            label = "hoax" if p_hoax >= 0.5 else "not_hoax"
            reasons = self._reasons(tops[i], text_prepared, lexical_cols, k)
            out.append(
                TextPrediction(
                    label=label,
                    score=round(p_hoax, 6),
                    probabilities={"hoax": round(p_hoax, 6), "not_hoax": round(1.0 - p_hoax, 6)},
                    reasons=reasons,
                )
            )
        return out

    def _reasons(
        self, top: list[tuple[int, float]], prepared: str, lexical_cols: int, k: int
    ) -> list[dict[str, Any]]:
        """Readable reasons; ``weight`` > 0 pushes towards hoax, < 0 towards not_hoax."""
        merged: dict[tuple[str, str], float] = {}
        embedding = sum(weight for col, weight in top if col >= lexical_cols)
        lexical = [(col, weight) for col, weight in top if col < lexical_cols]
        described = self.featurizer.describe_many([col for col, _ in lexical], prepared)
        for found, (_, weight) in zip(described, lexical, strict=True):
            if found is not None:
                merged[found] = merged.get(found, 0.0) + weight
        if embedding:
            merged[("embedding", "sentence meaning (multilingual-e5)")] = embedding
        ranked = sorted(merged.items(), key=lambda kv: -abs(kv[1]))[:k]
        return [{"kind": kind, "text": text, "weight": round(w, 4)} for (kind, text), w in ranked]

    def params(self) -> dict[str, Any]:
        return {**self.config.model_dump(), **self.linear.params()}

    def save(self, directory: Path) -> list[str]:
        """Write the model's files into ``directory``; returns their names."""
        directory.mkdir(parents=True, exist_ok=True)
        joblib.dump(
            {"config": self.config.model_dump(), "featurizer": self.featurizer, "linear": self.linear},
            directory / ARTIFACT,
            compress=3,
        )
        return [ARTIFACT]

    @classmethod
    def load(cls, directory: Path, election: Election) -> HoaxClassifier:
        """Load a model saved by :meth:`save` (only load models you trained: the file is a pickle)."""
        try:
            state = joblib.load(directory / ARTIFACT)
        except (OSError, EOFError, ValueError, KeyError, ImportError, AttributeError) as exc:
            raise ModelError(f"hoax model {directory}: cannot load {ARTIFACT} ({exc}) — retrain it") from exc
        return cls(HoaxConfig(**state["config"]), state["featurizer"], state["linear"], election)
