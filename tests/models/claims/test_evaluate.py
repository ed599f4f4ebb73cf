"""Retrieval metrics of the claim matcher."""

from __future__ import annotations

from models.claims.calibrate import SEED_DIR
from models.claims.evaluate import evaluate, ranking_metrics


def test_ranking_metrics() -> None:
    result = ranking_metrics([["a", "b"], ["b", "a"], ["c"]], ["a", "a", "a"])
    assert result == {"recall_at_1": round(1 / 3, 4), "recall_at_5": round(2 / 3, 4), "mrr": 0.5, "n": 3}


def test_evaluate_seed_lexical() -> None:
    result = evaluate(
        SEED_DIR / "claims_factchecks.jsonl", SEED_DIR / "claims_queries.jsonl", embedder="none"
    )
    assert result["n"] >= 150 and result["n_without_factcheck"] >= 10
    assert result["recall_at_1"] >= 0.8  # the seed is what the shipped combiner was fitted on
    assert result["recall_at_5"] >= result["recall_at_1"]
    assert 0.0 < result["mrr"] <= 1.0
