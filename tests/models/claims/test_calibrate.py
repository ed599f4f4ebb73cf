"""Fitting the claim combiner on the seed files (lexical only: seconds, no embedder)."""

from __future__ import annotations

from models.claims.calibrate import SEED_DIR, fit
from models.claims.data import load_factchecks, load_queries
from models.claims.features import feature_names, load_calibration
from models.claims.matcher import ClaimMatcher


def test_lexical_fit_on_the_seed_files_ranks_and_calibrates() -> None:
    factchecks = load_factchecks(SEED_DIR / "claims_factchecks.jsonl")
    queries = load_queries(SEED_DIR / "claims_queries.jsonl")
    combiner = fit(factchecks, queries, "none", "seed (test)")
    assert combiner.features == feature_names(False)
    assert 0.0 < combiner.threshold < 1.0
    # every feature pushes towards "repeats": higher scores never lower the probability
    assert all(c > 0 for c in combiner.coef)
    matcher = ClaimMatcher.build(factchecks, embedder="none", combiner=combiner)
    matchable = [(t, g) for t, g in queries if g]
    hits = matcher.match([t for t, _ in matchable], k=1)
    right = sum(row[0].factcheck_id == g for row, (_, g) in zip(hits, matchable, strict=True))
    assert right / len(matchable) >= 0.95


def test_shipped_calibration_matches_the_code() -> None:
    for with_embeddings in (False, True):
        combiner = load_calibration(with_embeddings)
        assert combiner.features == feature_names(with_embeddings)
        assert "claims_factchecks.jsonl" in combiner.fitted_on
