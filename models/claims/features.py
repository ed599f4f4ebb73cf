"""Pair features for re-ranking (post, fact-check) candidates, and the calibrated combiner.

Every score is also turned into per-query relative forms (z-score against all fact-checks, gap to the
query's best, reciprocal rank): e5 cosines are compressed (≈0.83 for unrelated Indonesian text) and BM25
grows with query length, so absolute values alone neither rank nor calibrate across post lengths.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from pantau.errors import ModelError

FloatArray = NDArray[np.float32]
IntArray = NDArray[np.int64]

CALIBRATION_PATH = Path(__file__).resolve().parents[1] / "resources" / "claims_calibration.json"

LEX_FEATURES = ("bm25_rel", "bm25_z", "bm25_rr", "char_cos", "char_z", "char_gap", "char_rr")
EMB_FEATURES = ("e5_cos", "e5_z", "e5_gap", "e5_rr")


def feature_names(with_embeddings: bool) -> tuple[str, ...]:
    return LEX_FEATURES + EMB_FEATURES if with_embeddings else LEX_FEATURES


def _z(scores: FloatArray) -> FloatArray:
    mean = scores.mean(axis=1, keepdims=True)
    std = scores.std(axis=1, keepdims=True)
    return np.asarray((scores - mean) / np.maximum(std, 1e-6), dtype=np.float32)


def _ranks(scores: FloatArray) -> IntArray:
    order = np.argsort(-scores, axis=1, kind="stable")
    ranks = np.empty_like(order)
    rows = np.arange(scores.shape[0])[:, None]
    ranks[rows, order] = np.arange(scores.shape[1])[None, :]
    return ranks.astype(np.int64)


def candidates(score_sets: list[FloatArray], depth: int) -> list[IntArray]:
    """Per query, the union of the top ``depth`` fact-checks of each score set."""
    n_docs = score_sets[0].shape[1]
    depth = min(depth, n_docs)
    tops = [np.argpartition(-s, depth - 1, axis=1)[:, :depth] for s in score_sets]
    return [np.unique(np.concatenate([t[i] for t in tops])) for i in range(score_sets[0].shape[0])]


def pair_features(
    bm25: FloatArray, char: FloatArray, emb: FloatArray | None, cands: list[IntArray]
) -> tuple[FloatArray, IntArray, IntArray]:
    """Feature rows for every (query, candidate) pair, with the query index and fact-check index of each."""
    bm25_max = np.maximum(bm25.max(axis=1, keepdims=True), 1e-6)
    planes: list[FloatArray] = [
        bm25 / bm25_max,
        _z(bm25),
        1.0 / (1.0 + _ranks(bm25)),
        char,
        _z(char),
        char - char.max(axis=1, keepdims=True),
        1.0 / (1.0 + _ranks(char)),
    ]
    if emb is not None:
        planes += [emb, _z(emb), emb - emb.max(axis=1, keepdims=True), 1.0 / (1.0 + _ranks(emb))]
    qi = np.concatenate(
        [np.full(len(c), i, dtype=np.int64) for i, c in enumerate(cands)] or [np.zeros(0, np.int64)]
    )
    di = np.concatenate(cands or [np.zeros(0, np.int64)]).astype(np.int64)
    x = np.stack([np.asarray(p, dtype=np.float32)[qi, di] for p in planes], axis=1)
    return x, qi, di


@dataclass(frozen=True)
class Combiner:
    """Logistic regression over pair features → probability that the post repeats the fact-checked claim."""

    features: tuple[str, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float
    fitted_on: str

    def probability(self, x: FloatArray) -> FloatArray:
        logits = x @ np.asarray(self.coef, dtype=np.float32) + np.float32(self.intercept)
        return np.asarray(1.0 / (1.0 + np.exp(-logits)), dtype=np.float32)

    def to_json(self) -> dict[str, object]:
        return {
            "features": list(self.features),
            "coef": list(self.coef),
            "intercept": self.intercept,
            "threshold": self.threshold,
            "fitted_on": self.fitted_on,
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Combiner:
        try:
            features = tuple(str(f) for f in data["features"])  # type: ignore[attr-defined]
            coef = tuple(float(c) for c in data["coef"])  # type: ignore[attr-defined]
            combiner = cls(
                features,
                coef,
                float(data["intercept"]),
                float(data["threshold"]),  # type: ignore[arg-type]
                str(data.get("fitted_on", "")),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelError(
                f"claim calibration is malformed ({exc}); rerun python -m models.claims.calibrate"
            ) from exc
        if len(features) != len(coef):
            raise ModelError(f"claim calibration has {len(features)} features but {len(coef)} coefficients")
        return combiner


def load_calibration(with_embeddings: bool, path: Path = CALIBRATION_PATH) -> Combiner:
    """The shipped combiner for lexical-only or lexical+embedding matching."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"claim calibration {path}: cannot read it ({exc})") from exc
    key = "lexical+embedding" if with_embeddings else "lexical"
    if key not in data:
        raise ModelError(f"claim calibration {path} has no {key!r} section")
    combiner = Combiner.from_json(data[key])
    if combiner.features != feature_names(with_embeddings):
        raise ModelError(f"claim calibration {path}: features {combiner.features} do not match this code")
    return combiner
