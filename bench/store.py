"""Benchmark: what the store costs per post on the ingest path, in CPU time.

    .venv/bin/python bench/store.py --posts 300000

Stores N synthetic posts (``bench/index.py``'s generator) with :meth:`Store.upsert_posts` in chunks, then
writes four predictions per post (:func:`~pantau.process_write.write_scores` with seeded stand-in
scores) and marks them indexed (:func:`~pantau.process_write.mark_indexed`), chunk by chunk — the store
writes of ``pantau process`` without the models and the search index. Generating posts and scores is not
timed. Prints one JSON object: CPU µs per post of each phase (this thread; SQLite runs in it), wall-clock
seconds and the load average, since the machine may be shared.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from index import SyntheticScorer, synthetic_posts, synthetic_scores  # noqa: E402

from pantau.process_write import mark_indexed, write_scores  # noqa: E402
from pantau.records import utcnow  # noqa: E402
from pantau.store import Store  # noqa: E402


def run(store: Store, n: int, chunk: int, seed: int) -> dict[str, Any]:
    ids: list[str] = []
    store_cpu = store_wall = 0.0
    posts = synthetic_posts(n, seed)
    while buffer := list(itertools.islice(posts, chunk)):
        t, c = time.perf_counter(), time.thread_time()
        store.upsert_posts(buffer)
        store_cpu += time.thread_time() - c
        store_wall += time.perf_counter() - t
        ids.extend(p.id for p in buffer)
    versions = SyntheticScorer.versions
    process_cpu = process_wall = 0.0
    for start in range(0, len(ids), chunk):
        batch = ids[start : start + chunk]
        results = [synthetic_scores(pid) for pid in batch]
        t, c = time.perf_counter(), time.thread_time()
        write_scores(store, results, versions)
        mark_indexed(store, batch, utcnow(), {r.post_id: r.language for r in results if r.language})
        process_cpu += time.thread_time() - c
        process_wall += time.perf_counter() - t
    return {
        "posts": len(ids),
        "chunk": chunk,
        "store_cpu_us_per_post": round(store_cpu / len(ids) * 1e6, 1),
        "store_wall_s": round(store_wall, 1),
        "process_write_cpu_us_per_post": round(process_cpu / len(ids) * 1e6, 1),
        "process_write_wall_s": round(process_wall, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=300_000)
    parser.add_argument("--chunk", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pantau-bench-store-") as tmp:
        store = Store(f"sqlite:///{tmp}/pantau.db", Path(tmp) / "evidence")
        try:
            result = run(store, args.posts, args.chunk, args.seed)
            result["db_mib"] = round(sum(f.stat().st_size for f in Path(tmp).glob("pantau.db*")) / 2**20, 1)
        finally:
            store.close()
    result["loadavg"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(result))


if __name__ == "__main__":
    main()
