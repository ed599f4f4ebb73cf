"""Pair features of the claim combiner: relative forms of the score planes."""

from __future__ import annotations

import numpy as np

from models.claims.features import FEATURES, candidates, feature_names, pair_features


def _planes() -> dict[str, np.ndarray]:
    base = np.array([[3.0, 1.0, 0.0], [0.5, 2.0, 1.0]], dtype=np.float32)
    return {
        name: base * scale
        for name, scale in (
            ("bm25", 1.0),
            ("cover", 0.2),
            ("char", 0.1),
            ("win_bm25", 2.0),
            ("first_bm25", 0.5),
            ("first_cover", 0.1),
            ("emb", 0.3),
            ("emb_sym", 0.25),
        )
    }


def test_every_shipped_feature_is_defined_and_finite() -> None:
    planes = _planes()
    for name in feature_names(True):
        values = FEATURES[name](planes)
        assert values.shape == (2, 3) and np.isfinite(values).all(), name


def test_relative_forms_of_the_new_views() -> None:
    planes = _planes()
    assert np.allclose(FEATURES["win_bm25_rel"](planes)[0], [1.0, 1 / 3, 0.0])
    assert np.allclose(FEATURES["win_bm25_rr"](planes)[1], [1 / 3, 1.0, 0.5])
    assert FEATURES["first_bm25_rel"](planes)[1, 1] == 1.0
    assert np.allclose(FEATURES["e5s_gap"](planes)[0], [0.0, -0.5, -0.75])
    # an all-zero row (no word in common with any fact-check) stays zero instead of dividing by zero
    zero = {name: np.zeros((1, 3), np.float32) for name in planes}
    assert FEATURES["first_bm25_rel"](zero).tolist() == [[0.0, 0.0, 0.0]]


def test_pair_features_follow_the_candidates() -> None:
    planes = _planes()
    cands = candidates([planes["bm25"]], depth=2)
    x, qi, di = pair_features(planes, cands, feature_names(False))
    assert x.shape == (4, len(feature_names(False)))
    assert sorted(zip(qi.tolist(), di.tolist(), strict=True)) == [(0, 0), (0, 1), (1, 1), (1, 2)]
