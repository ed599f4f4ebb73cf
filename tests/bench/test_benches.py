"""The ingest benchmarks run end to end at a tiny size and print the JSON their docs promise (the figures
themselves are measured by hand, never asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def _run(script: str, *args: str, tmp_path: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *args],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert isinstance(out, dict)
    return out


def test_the_index_bench_stores_processes_indexes_and_searches(tmp_path: Path) -> None:
    out = _run(
        "index.py", "--posts", "300", "--scorer", "synthetic", "--workers", "0", "--rounds", "1",
        tmp_path=tmp_path,
    )  # fmt: skip
    assert out["posts"] == 300 and out["scorer"] == "synthetic"
    for key in ("ingest_posts_per_s", "store_posts_per_s", "raw_index_posts_per_s", "search_p95_ms"):
        assert isinstance(out[key], float) and out[key] > 0, key
    stages = out["process_stage_seconds"]
    assert isinstance(stages, dict) and {"write", "index", "index_wait", "mark"} <= set(stages)


def test_the_store_bench_reports_cpu_per_post(tmp_path: Path) -> None:
    out = _run("store.py", "--posts", "400", tmp_path=tmp_path)
    assert out["posts"] == 400
    for key in ("store_cpu_us_per_post", "process_write_cpu_us_per_post"):
        assert isinstance(out[key], float) and out[key] > 0, key
