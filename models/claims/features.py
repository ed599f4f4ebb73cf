"""Pair features for re-ranking (post, fact-check) candidates, and the calibrated combiner.

Every score is also turned into per-query relative forms (z-score against all fact-checks, gap to the
query's best, reciprocal rank): e5 cosines are compressed (≈0.83 for unrelated Indonesian text) and BM25
grows with query length, so absolute values alone neither rank nor calibrate across post lengths.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from pantau.errors import ModelError

FloatArray = NDArray[np.float32]
IntArray = NDArray[np.int64]

CALIBRATION_PATH = Path(__file__).resolve().parents[1] / "resources" / "claims_calibration.json"

#: (queries × fact-checks) score planes: "bm25", "cover", "char" (whole post), "win_bm25" (best sentence
#: window), "first_bm25", "first_cover" (the post's first words) and, with an embedder, "emb" (post as
#: query vs. fact-check as passage) and "emb_sym" (both as queries: e5's symmetric-similarity role)
Planes = dict[str, FloatArray]

#: feature name → function of the score planes
FEATURES: dict[str, Callable[[Planes], FloatArray]] = {
    "bm25_rel": lambda p: _rel(p["bm25"]),
    "bm25_z": lambda p: _z(p["bm25"]),
    "bm25_rr": lambda p: _rr(p["bm25"]),
    "cover": lambda p: p["cover"],
    "cover_gap": lambda p: p["cover"] - p["cover"].max(axis=1, keepdims=True),
    "char_cos": lambda p: p["char"],
    "char_z": lambda p: _z(p["char"]),
    "char_gap": lambda p: p["char"] - p["char"].max(axis=1, keepdims=True),
    "char_rr": lambda p: _rr(p["char"]),
    "win_bm25_rel": lambda p: _rel(p["win_bm25"]),
    "win_bm25_rr": lambda p: _rr(p["win_bm25"]),
    "first_bm25_rel": lambda p: _rel(p["first_bm25"]),
    "first_cover": lambda p: p["first_cover"],
    "e5_cos": lambda p: p["emb"],
    "e5_z": lambda p: _z(p["emb"]),
    "e5_gap": lambda p: p["emb"] - p["emb"].max(axis=1, keepdims=True),
    "e5_rr": lambda p: _rr(p["emb"]),
    "e5s_cos": lambda p: p["emb_sym"],
    "e5s_gap": lambda p: p["emb_sym"] - p["emb_sym"].max(axis=1, keepdims=True),
    "e5s_rr": lambda p: _rr(p["emb_sym"]),
}

LEX_FEATURES = (
    "bm25_rel",
    "bm25_rr",
    "cover",
    "cover_gap",
    "char_cos",
    "char_gap",
    "char_rr",
    "win_bm25_rel",
    "win_bm25_rr",
    "first_bm25_rel",
    "first_cover",
)
EMB_FEATURES = ("e5_cos", "e5_gap", "e5_rr", "e5s_cos", "e5s_gap", "e5s_rr")


def feature_names(with_embeddings: bool) -> tuple[str, ...]:
    """The combiner's features for lexical-only or lexical + embedding matching."""
    return LEX_FEATURES + EMB_FEATURES if with_embeddings else LEX_FEATURES


def _rel(scores: FloatArray) -> FloatArray:
    return np.asarray(scores / np.maximum(scores.max(axis=1, keepdims=True), 1e-6), dtype=np.float32)


def _z(scores: FloatArray) -> FloatArray:
    mean = scores.mean(axis=1, keepdims=True)
    std = scores.std(axis=1, keepdims=True)
    return np.asarray((scores - mean) / np.maximum(std, 1e-6), dtype=np.float32)


def _rr(scores: FloatArray) -> FloatArray:
    order = np.argsort(-scores, axis=1, kind="stable")
    ranks = np.empty_like(order)
    rows = np.arange(scores.shape[0])[:, None]
    ranks[rows, order] = np.arange(scores.shape[1])[None, :]
    return np.asarray(1.0 / (1.0 + ranks), dtype=np.float32)


def candidates(score_sets: list[FloatArray], depth: int) -> list[IntArray]:
    """Per query, the union of the top ``depth`` fact-checks of each score set."""
    n_docs = score_sets[0].shape[1]
    depth = min(depth, n_docs)
    tops = [np.argpartition(-s, depth - 1, axis=1)[:, :depth] for s in score_sets]
    return [np.unique(np.concatenate([t[i] for t in tops])) for i in range(score_sets[0].shape[0])]


def pair_features(
    planes: Planes, cands: list[IntArray], names: Sequence[str]
) -> tuple[FloatArray, IntArray, IntArray]:
    """Feature rows ``names`` for every (query, candidate) pair, with its query and fact-check index."""
    empty = np.zeros(0, np.int64)
    qi = np.concatenate([np.full(len(c), i, dtype=np.int64) for i, c in enumerate(cands)] or [empty])
    di = np.concatenate(cands or [empty]).astype(np.int64)
    columns = [np.asarray(FEATURES[name](planes), dtype=np.float32)[qi, di] for name in names]
    x = np.stack(columns, axis=1) if columns else np.zeros((len(qi), 0), np.float32)
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
    def from_json(cls, data: dict[str, Any]) -> Combiner:
        try:
            features = tuple(str(f) for f in data["features"])
            coef = tuple(float(c) for c in data["coef"])
            intercept, threshold = float(data["intercept"]), float(data["threshold"])
            combiner = cls(features, coef, intercept, threshold, str(data.get("fitted_on", "")))
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
