"""The endorsement detector: five-way label with calibrated probabilities and reasons.

Example::

    train = load_seed("endorsement").where(heldout=False)
    det = EndorsementDetector.train(train, EndorsementConfig(), election)
    [p] = det.predict(["Yuk dukung Raka Wiratama! Link di bio"], account_kinds=["influencer"])
    p.label   # 'undisclosed_paid_political'

How a label comes about:

1. A calibrated logistic regression reads the entity-masked text (hashed word and character n-grams)
   plus context features: disclosure markers and denials (:mod:`models.endorse.disclosure`),
   promotional cues, and whether candidates or parties are named (:mod:`models.text.entities`).
2. Rules split the paid-political probability by the disclosure detector: with a disclosure marker at
   least ``disclosed_share_with_marker`` of it is *disclosed*; without one at most
   ``disclosed_share_without_marker`` is (a denial is not a disclosure).
3. Account context: an official campaign account is exempt (its undisclosed mass becomes disclosed);
   a configured influencer multiplies the odds of the paid labels by ``influencer_prior``.
4. Coordination (issue 8, ``coordination=`` per post, from
   :meth:`models.coordination.coordinator.Coordinator.context`): a post in a coordinated cluster with at
   least ``coordination_min_influencers`` influencer accounts — many influencers posting one script at
   once — multiplies the odds of ``undisclosed_paid_political`` by ``coordination_prior``, but only for
   political promotion (a candidate, party or political call to action named, political probability at
   least ``coordination_min_political``) with no disclosure marker and not by an official campaign
   account. A configured rule, not a trained weight: it never depends on which candidate is named.

Probabilities are renormalised after every rule, so they always sum to 1.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import scipy.sparse as sp

from models.endorse.accounts import account_context
from models.endorse.config import EndorsementConfig
from models.endorse.disclosure import Cue, Marker, find_disclosures, promo_cues
from models.endorse.rules import DISCLOSED as DISCLOSED
from models.endorse.rules import UNDISCLOSED as UNDISCLOSED
from models.endorse.rules import Context, coordination_rule
from models.text.entities import EntityMention
from models.training.base import ENDORSEMENT_LABELS, TextPrediction
from models.training.data import Dataset
from models.training.embed import embed
from models.training.features import Batch, LexicalFeaturizer, top_contributions
from models.training.linear import CalibratedLinear
from pantau.election import Election
from pantau.errors import ModelError

ARTIFACT = "model.joblib"
PAID = (UNDISCLOSED, DISCLOSED, "commercial_endorsement")
CUE_KINDS = ("call_to_action", "link", "giveaway", "campaign_hashtag", "commercial")
#: cue kinds that make a post political promotion even when it names nobody ("coblos nomor 2")
POLITICAL_CUES = ("call_to_action", "campaign_hashtag")
#: context feature names, in column order (after the n-gram block)
CONTEXT = (
    "disclosure_hashtag",
    "disclosure_phrase",
    "disclosure_label",
    "denial",
    *(f"cue_{k}" for k in CUE_KINDS),
    "mentions_candidate",
    "mentions_party",
    "mentions_several",
)
_CHUNK = 4096
Progress = Callable[[str], None]


class Signals:
    """What the rule-based detectors found in one text (kept for the reasons)."""

    __slots__ = ("markers", "cues", "mentions")

    def __init__(self, markers: list[Marker], cues: list[Cue], found: list[EntityMention]) -> None:
        self.markers = markers
        self.cues = cues
        self.mentions = found

    @property
    def disclosed(self) -> bool:
        return any(m.is_disclosure for m in self.markers)

    @property
    def promotes_politics(self) -> bool:
        """Names a candidate or party, or carries a political call to action or campaign hashtag."""
        return bool(self.mentions) or any(c.kind in POLITICAL_CUES for c in self.cues)

    def vector(self) -> list[float]:
        kinds = {m.kind for m in self.markers}
        cue_counts = [sum(1 for c in self.cues if c.kind == k) for k in CUE_KINDS]
        entity_kinds = {m.kind for m in self.mentions}
        return [
            float("hashtag" in kinds),
            float("phrase" in kinds),
            float("label" in kinds),
            float("denial" in kinds),
            *(min(1.0, n / 2) for n in cue_counts),
            float("candidate" in entity_kinds),
            float("party" in entity_kinds),
            float(len({m.entity_id for m in self.mentions}) >= 2),
        ]


def signals(batch: Batch) -> list[Signals]:
    """Disclosures (raw text), promotional cues (masked text: names cannot matter) and mentions."""
    return [
        Signals(find_disclosures(raw), promo_cues(mask), found)
        for raw, mask, found in zip(batch.texts, batch.masked, batch.mentions, strict=True)
    ]


class EndorsementDetector:
    """Political-promotion classifier + disclosure rules + account context."""

    task = "endorsement"
    labels = ENDORSEMENT_LABELS
    #: ``predict`` takes ``coordination=`` (the scorer checks this before passing it)
    uses_coordination = True

    def __init__(
        self,
        config: EndorsementConfig,
        featurizer: LexicalFeaturizer,
        linear: CalibratedLinear,
        election: Election,
        influencers: frozenset[str] = frozenset(),
    ) -> None:
        self.config = config
        self.featurizer = featurizer
        self.linear = linear
        self.election = election
        self.influencers = influencers
        self.version = ""

    @property
    def kind(self) -> str:
        return self.config.kind

    @classmethod
    def train(
        cls, data: Dataset, config: EndorsementConfig, election: Election, progress: Progress | None = None
    ) -> EndorsementDetector:
        """Fit on every example of ``data`` (filter held-out rows before calling)."""
        if len(data.examples) < 5:
            raise ModelError(f"endorsement training needs at least 5 examples, got {len(data.examples)}")
        say = progress or (lambda _msg: None)
        linear = CalibratedLinear(
            ENDORSEMENT_LABELS,
            C=config.C,
            class_weight=config.class_weight,
            folds=config.calibration_folds,
            seed=config.seed,
        )
        model = cls(config, LexicalFeaturizer(config.features()), linear, election)
        say("normalising, masking and finding disclosures")
        batch = Batch(data.texts, election)
        model.featurizer.fit(batch.prepared)
        found = signals(batch)
        say("fitting and calibrating the classifier")
        model.linear.fit(model._matrix(batch, found), data.labels)
        model.featurizer.prune(model.linear.weighted_columns())
        return model

    def _matrix(self, batch: Batch, found: Sequence[Signals]) -> sp.csr_matrix:
        context = np.asarray([s.vector() for s in found], dtype=np.float64) * self.config.context_weight
        blocks: list[Any] = [self.featurizer.transform(batch), sp.csr_matrix(context)]
        if self.kind == "e5":
            name = self.config.embedder
            vectors = batch.memo(("embed", name), lambda: embed(batch.masked, name))
            blocks.append(sp.csr_matrix(vectors.astype(np.float64) * self.config.embedding_weight))
        return sp.hstack(blocks, format="csr")

    def predict(
        self,
        texts: Sequence[str],
        account_kinds: Sequence[str | None] | None = None,
        authors: Sequence[str | None] | None = None,
        batch: Batch | None = None,
        coordination: Sequence[Context | None] | None = None,
    ) -> list[TextPrediction]:
        """One five-way :class:`TextPrediction` per text; ``score`` is P(undisclosed_paid_political).

        ``account_kinds`` (e.g. ``"official_campaign"``, ``"influencer"``) and ``authors`` (handles) give
        account context; either may be omitted or hold ``None`` for unknown. ``batch``: the same texts
        already prepared (the scorer shares one :class:`Batch` between models). ``coordination``: per
        text, its coordination context (``Coordinator.context``) or ``None`` — see rule 4 above.
        """
        n = len(texts)
        kinds: list[str | None] = list(account_kinds) if account_kinds is not None else [None] * n
        handles: list[str | None] = list(authors) if authors is not None else [None] * n
        coords: list[Context | None] = list(coordination) if coordination is not None else [None] * n
        if len(kinds) != n or len(handles) != n or len(coords) != n:
            raise ModelError(
                f"{n} texts but {len(kinds)} account kinds, {len(handles)} authors and "
                f"{len(coords)} coordination contexts"
            )
        if batch is not None:
            return self._predict_batch(batch, kinds, handles, coords)
        out: list[TextPrediction] = []
        for start in range(0, n, _CHUNK):
            end = start + _CHUNK
            chunk = Batch(texts[start:end], self.election)
            out.extend(self._predict_batch(chunk, kinds[start:end], handles[start:end], coords[start:end]))
        return out

    def _predict_batch(
        self,
        batch: Batch,
        kinds: list[str | None],
        handles: list[str | None],
        coords: list[Context | None],
    ) -> list[TextPrediction]:
        if not len(batch):
            return []
        prepared = batch.prepared
        found = signals(batch)
        X = self._matrix(batch, found)
        proba = self.linear.predict_proba(X)
        ruled = []
        for i, row in enumerate(proba.tolist()):  # Python floats, as float() of each value gives
            p = dict(zip(ENDORSEMENT_LABELS, row, strict=True))
            exempt, influencer = account_context(kinds[i], handles[i], self.influencers)
            p, rule_reasons = self.apply_rules(
                p,
                found[i].disclosed,
                exempt,
                influencer,
                coordination=coords[i],
                promotes_politics=found[i].promotes_politics,
            )
            ruled.append((p, max(p, key=lambda k: p[k]), rule_reasons))
        model_reasons = self._model_reasons(X, [label for _, label, _ in ruled], prepared)
        out = []
        for i, (p, label, rule_reasons) in enumerate(ruled):
            reasons = self._signal_reasons(found[i]) + rule_reasons + model_reasons[i]
            out.append(
                TextPrediction(
                    label=label,
                    score=round(p[UNDISCLOSED], 6),
                    probabilities={k: round(v, 6) for k, v in p.items()},
                    reasons=reasons,
                )
            )
        return out

    def apply_rules(
        self,
        p: dict[str, float],
        disclosed: bool,
        exempt: bool,
        influencer: bool,
        *,
        coordination: Context | None = None,
        promotes_politics: bool = False,
    ) -> tuple[dict[str, float], list[dict[str, Any]]]:
        """Influencer prior, disclosure split, coordination prior and official-account exemption;
        probabilities sum to 1."""
        c = self.config
        reasons: list[dict[str, Any]] = []
        p = dict(p)
        if influencer:
            for label in PAID:
                p[label] *= c.influencer_prior
            total = sum(p.values())
            p = {k: v / total for k, v in p.items()}
            reasons.append(
                {
                    "kind": "account",
                    "text": "configured influencer: paid labels more likely",
                    "weight": round(float(np.log(c.influencer_prior)), 4),
                }
            )
        paid = p[UNDISCLOSED] + p[DISCLOSED]
        share = p[DISCLOSED] / paid if paid > 0 else 0.0
        if disclosed:
            new_share = max(share, c.disclosed_share_with_marker)
            rule = "disclosure marker found: paid political promotion counts as disclosed"
        else:
            new_share = min(share, c.disclosed_share_without_marker)
            rule = "no disclosure marker: paid political promotion would be undisclosed"
        p[DISCLOSED], p[UNDISCLOSED] = paid * new_share, paid * (1 - new_share)
        if paid >= 0.2:
            reasons.append({"kind": "rule", "text": rule, "weight": round(paid * (new_share - share), 4)})
        if coordination and not disclosed and not exempt and promotes_politics:
            p, reason = coordination_rule(p, coordination, self.config)
            if reason:
                reasons.append(reason)
        if exempt and p[UNDISCLOSED] > 0:
            moved = p[UNDISCLOSED]
            p[DISCLOSED] += moved
            p[UNDISCLOSED] = 0.0
            reasons.append(
                {
                    "kind": "account",
                    "text": "official campaign account registered with KPU: exempt "
                    "(campaign advertising is disclosed by registration)",
                    "weight": round(moved, 4),
                }
            )
        total = sum(p.values())
        return {k: v / total for k, v in p.items()}, reasons

    def _signal_reasons(self, found: Signals) -> list[dict[str, Any]]:
        reasons: list[dict[str, Any]] = []
        for m in found.markers:
            reasons.append(
                {
                    "kind": "denial" if m.kind == "denial" else "disclosure",
                    "text": m.text,
                    "marker": m.kind,
                    "name": m.name,
                    "weight": 1.0 if m.is_disclosure else 0.0,
                }
            )
        for cue in found.cues:
            reasons.append(
                {"kind": "cue", "text": cue.text, "cue": cue.kind, "name": cue.name, "weight": 1.0}
            )
        seen: set[str] = set()
        for mention in found.mentions:
            if mention.entity_id in seen:
                continue
            seen.add(mention.entity_id)
            reasons.append(
                {
                    "kind": "mention",
                    "text": mention.text,
                    "entity": mention.entity_id,
                    "entity_kind": mention.kind,
                    "weight": 1.0,
                }
            )
        return reasons

    def _model_reasons(
        self, X: sp.csr_matrix, labels: list[str], prepared: list[str]
    ) -> list[list[dict[str, Any]]]:
        """Top n-gram / feature contributions towards each row's label (rows grouped by label)."""
        out: list[list[dict[str, Any]]] = [[] for _ in labels]
        if not self.config.reasons:
            return out
        for label in set(labels):
            rows = [i for i, lab in enumerate(labels) if lab == label]
            tops = top_contributions(
                X[rows], self.linear.contribution_weights(label), 3 * self.config.reasons
            )
            for i, top in zip(rows, tops, strict=True):
                out[i] = self._describe(top, label, prepared[i])
        return out

    def _describe(self, top: list[tuple[int, float]], label: str, prepared: str) -> list[dict[str, Any]]:
        k = self.config.reasons
        n_lex = self.featurizer.n_columns
        merged: dict[tuple[str, str], float] = {}
        lexical = iter(self.featurizer.describe_many([col for col, _ in top if col < n_lex], prepared))
        for col, weight in top:
            described: tuple[str, str] | None
            if col < n_lex:
                described = next(lexical)
            elif col < n_lex + len(CONTEXT):
                described = ("feature", CONTEXT[col - n_lex])
            else:
                described = ("embedding", "sentence meaning (multilingual-e5)")
            if described is not None:
                merged[described] = merged.get(described, 0.0) + weight
        ranked = sorted(merged.items(), key=lambda kv: -abs(kv[1]))[:k]
        return [
            {"kind": kind, "text": text, "weight": round(w, 4), "label": label} for (kind, text), w in ranked
        ]

    def params(self) -> dict[str, Any]:
        return {**self.config.model_dump(), **self.linear.params(), "context_features": list(CONTEXT)}

    def save(self, directory: Path) -> list[str]:
        directory.mkdir(parents=True, exist_ok=True)
        joblib.dump(
            {"config": self.config.model_dump(), "featurizer": self.featurizer, "linear": self.linear},
            directory / ARTIFACT,
            compress=3,
        )
        return [ARTIFACT]

    @classmethod
    def load(
        cls, directory: Path, election: Election, influencers: frozenset[str] = frozenset()
    ) -> EndorsementDetector:
        """Load a detector saved by :meth:`save` (only load models you trained: the file is a pickle)."""
        try:
            state = joblib.load(directory / ARTIFACT)
        except (OSError, EOFError, ValueError, KeyError, ImportError, AttributeError) as exc:
            raise ModelError(
                f"endorsement model {directory}: cannot load {ARTIFACT} ({exc}) — retrain it"
            ) from exc
        return cls(
            EndorsementConfig(**state["config"]), state["featurizer"], state["linear"], election, influencers
        )
