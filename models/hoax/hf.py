"""The ``hf`` hoax classifier: fine-tune any Hugging Face encoder (IndoBERT, IndoBERTweet, XLM-R, ...).

``base_model`` is a local directory (``save_pretrained`` layout: ``config.json``, weights and a
tokenizer) or, where a hub is reachable, a hub name such as ``indobenchmark/indobert-base-p1``. Nothing
is downloaded unless you name a hub model and your machine can reach the hub. The encoder sees the same
entity-masked, normalised text as the default model (names and ballot numbers never reach it); a
classification head is trained with AdamW, and P(hoax) is calibrated (Platt scaling) on a stratified
10 % validation split. Reasons are the style cues found plus the encoder's own logit (a fine-tuned
encoder has no per-n-gram weights to show).
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from models.hoax.config import HoaxConfig
from models.training.base import HOAX_LABELS, TextPrediction
from models.training.data import Dataset
from models.training.features import STYLE_CUES, prepare, style_cues
from pantau.election import Election
from pantau.errors import ConfigError, ModelError

ENCODER_DIR = "encoder"
META = "hf.json"
Progress = Callable[[str], None]


def _import_stack() -> tuple[Any, Any, Any]:
    try:
        import torch
        from transformers import AutoModelForSequenceClassification, AutoTokenizer
    except ImportError as exc:
        raise ModelError(
            "the hf model kind needs torch and transformers — `pip install 'pantau[transformers]'`"
        ) from exc
    return torch, AutoTokenizer, AutoModelForSequenceClassification


def _platt(scores: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """(a, b) such that sigmoid(a * score + b) is calibrated on (scores, y)."""
    from scipy.optimize import minimize

    def nll(params: np.ndarray) -> float:
        z = params[0] * scores + params[1]
        return float(np.mean(np.logaddexp(0.0, z) - y * z) + 1e-3 * params[1] ** 2)

    result = minimize(nll, np.array([1.0, 0.0]), method="L-BFGS-B", bounds=[(0.05, 20.0), (-10.0, 10.0)])
    return float(result.x[0]), float(result.x[1])


class HFHoaxClassifier:
    """A fine-tuned sequence-classification encoder with calibrated P(hoax)."""

    task = "hoax"
    labels = HOAX_LABELS

    def __init__(
        self, config: HoaxConfig, model: Any, tokenizer: Any, election: Election, platt: tuple[float, float]
    ) -> None:
        self.config = config
        self.model = model
        self.tokenizer = tokenizer
        self.election = election
        self.platt = platt
        self.version = ""

    @property
    def kind(self) -> str:
        return "hf"

    @classmethod
    def train(
        cls, data: Dataset, config: HoaxConfig, election: Election, progress: Progress | None = None
    ) -> HFHoaxClassifier:
        """Fine-tune ``config.base_model`` on ``data``; calibrate on a held-back 10 %."""
        if not config.base_model:
            raise ConfigError("the hf kind needs --base-model (a local model directory or a hub name)")
        torch, AutoTokenizer, AutoModel = _import_stack()
        say = progress or (lambda _msg: None)
        random.seed(config.seed)
        np.random.seed(config.seed)
        torch.manual_seed(config.seed)
        say(f"loading {config.base_model}")
        try:
            tokenizer = AutoTokenizer.from_pretrained(config.base_model)
            model = AutoModel.from_pretrained(
                config.base_model,
                num_labels=2,
                id2label=dict(enumerate(HOAX_LABELS)),
                label2id={label: i for i, label in enumerate(HOAX_LABELS)},
            )
        except (OSError, ValueError) as exc:
            raise ModelError(
                f"--base-model {config.base_model!r}: cannot load it ({exc}) — give a local directory with "
                "config.json, weights and a tokenizer, or a hub name on a machine that can reach the hub"
            ) from exc
        _, prepared = prepare(data.texts, election)
        y = np.asarray([HOAX_LABELS.index(label) for label in data.labels])
        train_idx, val_idx = _split(y, config.seed)
        clf = cls(config, model, tokenizer, election, (1.0, 0.0))
        clf._fit(torch, [prepared[i] for i in train_idx], y[train_idx], say)
        if len(val_idx) and len(np.unique(y[val_idx])) == 2:
            say("calibrating on the validation split")
            val_scores = clf._scores(torch, [prepared[i] for i in val_idx])
            clf.platt = _platt(val_scores, (y[val_idx] == 0).astype(float))  # label 0 is hoax
        return clf

    def _fit(self, torch: Any, texts: list[str], y: np.ndarray, say: Progress) -> None:
        c = self.config
        self.model.train()
        optimizer = torch.optim.AdamW(self.model.parameters(), lr=c.learning_rate, weight_decay=0.01)
        per_epoch = max(1, math.ceil(len(texts) / c.batch_size))
        total = c.max_steps or max(1, int(per_epoch * c.epochs))
        # with 0 for hoax, 1 for not_hoax (HOAX_LABELS order), weight classes by inverse frequency
        counts = np.bincount(y, minlength=2).astype(float)
        weights = torch.tensor(len(y) / (2 * np.maximum(counts, 1)), dtype=torch.float32)
        loss_fn = torch.nn.CrossEntropyLoss(weight=weights)
        rng = np.random.default_rng(c.seed)
        step = 0
        while step < total:
            order = rng.permutation(len(texts))
            for start in range(0, len(order), c.batch_size):
                batch = order[start : start + c.batch_size]
                enc = self.tokenizer(
                    [texts[i] for i in batch],
                    truncation=True,
                    max_length=c.max_length,
                    padding=True,
                    return_tensors="pt",
                )
                out = self.model(**enc)
                loss = loss_fn(out.logits, torch.tensor(y[batch], dtype=torch.long))
                optimizer.zero_grad()
                loss.backward()
                torch.nn.utils.clip_grad_norm_(self.model.parameters(), 1.0)
                optimizer.step()
                step += 1
                if step % 10 == 0 or step == total:
                    say(f"fine-tuning: step {step}/{total}, loss {float(loss.detach()):.3f}")
                if step >= total:
                    break
        self.model.eval()

    def _scores(self, torch: Any, texts: Sequence[str]) -> np.ndarray:
        """logit(hoax) − logit(not_hoax) per text."""
        self.model.eval()
        out: list[np.ndarray] = []
        with torch.no_grad():
            for start in range(0, len(texts), 32):
                enc = self.tokenizer(
                    list(texts[start : start + 32]),
                    truncation=True,
                    max_length=self.config.max_length,
                    padding=True,
                    return_tensors="pt",
                )
                logits = self.model(**enc).logits.float().numpy()
                out.append(logits[:, 0] - logits[:, 1])
        return np.concatenate(out) if out else np.zeros(0)

    def predict(self, texts: Sequence[str]) -> list[TextPrediction]:
        """Label, calibrated P(hoax), probabilities and reasons (style cues + the encoder's logit)."""
        if not texts:
            return []
        torch, _, _ = _import_stack()
        masked, prepared = prepare(list(texts), self.election)
        scores = self._scores(torch, prepared)
        a, b = self.platt
        out = []
        for text, score in zip(masked, scores, strict=True):
            p = float(1.0 / (1.0 + math.exp(-(a * float(score) + b))))
            reasons: list[dict[str, Any]] = [
                {"kind": "cue", "text": STYLE_CUES[j][1], "weight": round(v, 4)}
                for j, v in enumerate(style_cues(text))
                if v > 0
            ]
            reasons.append(
                {"kind": "model", "text": "fine-tuned encoder logit", "weight": round(float(score), 4)}
            )
            out.append(
                TextPrediction(
                    label="hoax" if p >= 0.5 else "not_hoax",
                    score=round(p, 6),
                    probabilities={"hoax": round(p, 6), "not_hoax": round(1 - p, 6)},
                    reasons=reasons,
                )
            )
        return out

    def params(self) -> dict[str, Any]:
        return {
            **self.config.model_dump(),
            "platt_a": round(self.platt[0], 4),
            "platt_b": round(self.platt[1], 4),
        }

    def save(self, directory: Path) -> list[str]:
        directory.mkdir(parents=True, exist_ok=True)
        self.model.save_pretrained(directory / ENCODER_DIR)
        self.tokenizer.save_pretrained(directory / ENCODER_DIR)
        meta = {"config": self.config.model_dump(), "platt": list(self.platt)}
        (directory / META).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
        return [ENCODER_DIR, META]

    @classmethod
    def load(cls, directory: Path, election: Election) -> HFHoaxClassifier:
        _, AutoTokenizer, AutoModel = _import_stack()
        try:
            meta = json.loads((directory / META).read_text(encoding="utf-8"))
            tokenizer = AutoTokenizer.from_pretrained(directory / ENCODER_DIR)
            model = AutoModel.from_pretrained(directory / ENCODER_DIR)
        except (OSError, ValueError, KeyError) as exc:
            raise ModelError(f"hf hoax model {directory}: cannot load it ({exc}) — retrain it") from exc
        model.eval()
        platt = (float(meta["platt"][0]), float(meta["platt"][1]))
        return cls(HoaxConfig(**meta["config"]), model, tokenizer, election, platt)


def _split(y: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Stratified 90/10 split (no validation part below 20 examples)."""
    if len(y) < 20:
        return np.arange(len(y)), np.zeros(0, dtype=int)
    rng = np.random.default_rng(seed)
    train: list[int] = []
    val: list[int] = []
    for label in np.unique(y):
        idx = rng.permutation(np.flatnonzero(y == label))
        n_val = max(1, len(idx) // 10)
        val.extend(idx[:n_val].tolist())
        train.extend(idx[n_val:].tolist())
    return np.asarray(sorted(train)), np.asarray(sorted(val))
