"""Benchmark: concurrent search requests against ``pantau serve`` on a large synthetic index.

    .venv/bin/python bench/api.py --posts 1000000 --seconds 30 --concurrency 32

1. Builds (once) a data directory under ``--cache`` (default ``/tmp/pantau-api-bench``): N synthetic posts
   from ``bench/index.py``'s generator with its seeded stand-in scorer, written straight into the tantivy
   index (the SQL store only gets the API key; search reads the index alone). A later run with the same N
   and seed reuses it.
2. Starts ``uvicorn`` serving :func:`api.app.create_app` in a subprocess on 127.0.0.1.
   with ``--workers`` processes (2 by default: tantivy's search holds the GIL, so one process uses one
   core).
3. Runs a bounded load from this process (``--seconds`` and ``--max-requests``): ``--concurrency``
   keep-alive connections issue a fixed mix of journalist searches (text, filters, sorts), closed loop
   or, with ``--rate``, on a fixed schedule. The client is lean (pre-encoded requests on raw asyncio
   streams, no JSON parsing) because it shares the cores with the server; its CPU per request is
   reported as ``client_cpu_ms_per_request``.

No cache of search results is involved (the API has none). Prints one JSON object: requests/s,
p50/p95/p99 latency in ms, status counts, index size, the index's
own time per search (``took_ms``), and the server's CPU time per request (read from /proc), which does
not depend on what else runs on the machine: ``capacity_rps_at_cpus`` = cores × 1000 / CPU ms is what the
server could answer with every core to itself (the load generator excluded).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BATCH = 8192


def _bench_index_module() -> Any:
    spec = importlib.util.spec_from_file_location("pantau_bench_index", ROOT / "bench" / "index.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build(data_dir: Path, posts: int, seed: int, vocabulary: str = "zipf") -> dict[str, Any]:
    """Fill the index under ``data_dir`` with ``posts`` synthetic posts (skipped when already built)."""
    from indexes.base import document_from
    from indexes.service import open_index
    from indexes.tantivy_schema import SCHEMA_VERSION
    from pantau.settings import Settings

    bench_index = _bench_index_module()
    bench_index.vocabulary = vocabulary
    marker = data_dir / "bench-api.json"
    if marker.exists():
        meta = json.loads(marker.read_text())
        same = (meta.get("posts"), meta.get("seed"), meta.get("schema_version"), meta.get("vocabulary")) == (
            posts,
            seed,
            SCHEMA_VERSION,
            vocabulary,
        )
        if same:
            return dict(meta, reused=True)
    settings = Settings(data_dir=data_dir)
    settings.ensure_dirs()
    scorer = bench_index.SyntheticScorer()
    index = open_index(settings)
    started = time.perf_counter()
    try:
        index.clear()
        with index.writing():  # type: ignore[attr-defined]
            batch = []
            for post in bench_index.synthetic_posts(posts, seed):
                batch.append(post)
                if len(batch) == BATCH:
                    scores = scorer.score(batch)
                    index.upsert([document_from(p, s) for p, s in zip(batch, scores, strict=True)])
                    batch = []
                    done = index.count()
                    if done % (BATCH * 10) < BATCH:
                        print(f"indexed {done}", file=sys.stderr, flush=True)
            if batch:
                scores = scorer.score(batch)
                index.upsert([document_from(p, s) for p, s in zip(batch, scores, strict=True)])
        stats = index.stats()
    finally:
        index.close()
    meta = {
        "posts": posts,
        "seed": seed,
        "schema_version": SCHEMA_VERSION,
        "vocabulary": vocabulary,
        "documents": stats["documents"],
        "size_bytes": stats["size_bytes"],
        "build_seconds": round(time.perf_counter() - started, 1),
    }
    marker.write_text(json.dumps(meta))
    return dict(meta, reused=False)


def make_key(data_dir: Path) -> str:
    """A fresh journalist key in the bench store."""
    from api.auth import create_user_or_key
    from pantau.settings import Settings
    from pantau.store import Store

    store = Store.open(Settings(data_dir=data_dir))
    try:
        return create_user_or_key(store, "bench-journalist", "journalist", actor="bench").key
    finally:
        store.close()


REQUESTS: list[dict[str, Any]] = [
    {"q": "kecurangan pemilu"},
    {"q": "hoaks surat suara", "platform": ["telegram", "x"], "sort": "risk"},
    {"q": '"serangan fajar"', "tag": "paslon-02"},
    {"q": "video lama beredar -klarifikasi", "sort": "date"},
    {"label": "hoax:hoax", "sort": "risk"},
    {"q": "endorse OR sponsor OR dibayar", "author_kind": "influencer"},
    {"q": "kpu curang", "min_risk": "0.5", "sort": "date"},
    {"q": "memenangkan debat", "published_from": "2028-12-01", "published_to": "2028-12-31"},
    {"q": "(bbm OR beras) AND subsidi", "platform": "news"},
    {"q": "raka wiratama", "has_claim_match": "false", "sort": "risk"},
]


PATHS = {"search": "/v1/posts/search", "me": "/v1/me"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _request_bytes(host: str, key: str, target: str, limit: int) -> list[bytes]:
    """The fixed request mix as ready-to-send HTTP/1.1 requests (encoded once, not per request)."""
    from urllib.parse import urlencode

    out = []
    for params in REQUESTS if target == "search" else [{}]:
        query = urlencode(dict(params, limit=str(limit)), doseq=True) if target == "search" else ""
        path = PATHS[target] + (f"?{query}" if query else "")
        out.append(
            (
                f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {key}\r\n"
                "Accept: application/json\r\nConnection: keep-alive\r\n\r\n"
            ).encode()
        )
    return out


async def _exchange(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes
) -> tuple[int, bytes]:
    """Send one request on a keep-alive connection; ``(status, body)`` of the response."""
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
        elif name.strip().lower() == b"transfer-encoding":
            raise RuntimeError("chunked responses are not expected from the search endpoint")
    body = await reader.readexactly(length) if length else b""
    return status, body


async def _load(
    port: int,
    key: str,
    seconds: float,
    concurrency: int,
    limit: int,
    target: str = "search",
    rate: float | None = None,
    max_requests: int = 1_000_000,
) -> dict[str, Any]:
    """``concurrency`` keep-alive connections issuing the request mix for ``seconds`` (or until
    ``max_requests``). Closed loop by default (each connection sends its next request when the answer
    came); with ``rate`` an open loop: request *i* is due at ``start + i / rate`` and its latency counts
    from that moment, so a server that falls behind is charged for the queue (no coordinated omission).

    The client is deliberately lean — pre-encoded requests on raw asyncio streams, no JSON parsing — so
    that it takes little of the CPU it shares with the server; its own CPU time is reported."""
    requests = _request_bytes(f"127.0.0.1:{port}", key, target, limit)
    latencies: list[float] = []
    index_ms: list[float] = []  # the index's own time (took_ms) inside each search
    statuses: dict[str, int] = {}
    cpu0, started = time.process_time(), time.perf_counter()
    deadline = started + seconds
    issued = 0

    def next_slot() -> tuple[int, float] | None:
        nonlocal issued
        if issued >= max_requests:
            return None
        i, issued = issued, issued + 1
        due = started + i / rate if rate else time.perf_counter()
        return (i, due) if due < deadline else None

    async def worker() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while (slot := next_slot()) is not None:
                i, due = slot
                wait = due - time.perf_counter()
                if wait > 0:
                    await asyncio.sleep(wait)
                try:
                    status, body = await _exchange(reader, writer, requests[i % len(requests)])
                    code = str(status)
                    if status == 200 and target == "search":
                        at = body.find(b'"took_ms":')
                        if at >= 0:
                            index_ms.append(float(body[at + 10 : body.index(b",", at)]))
                except (OSError, asyncio.IncompleteReadError, ValueError, RuntimeError) as exc:
                    code = type(exc).__name__
                    writer.close()
                    reader, writer = await asyncio.open_connection("127.0.0.1", port)
                latencies.append((time.perf_counter() - due) * 1000)
                statuses[code] = statuses.get(code, 0) + 1
        finally:
            writer.close()

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    client_cpu = time.process_time() - cpu0
    ordered = sorted(latencies)

    def pct(p: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))], 2) if ordered else 0.0

    return {
        "requests": len(latencies),
        "requests_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": pct(50),
        "p95_ms": pct(95),
        "p99_ms": pct(99),
        "max_ms": round(ordered[-1], 2) if ordered else 0.0,
        "mean_ms": round(statistics.mean(latencies), 2) if latencies else 0.0,
        "index_took_p50_ms": round(statistics.median(index_ms), 2) if index_ms else None,
        "statuses": statuses,
        "client_cpu_ms_per_request": round(client_cpu * 1000 / max(1, len(latencies)), 3),
    }


def _tree_cpu_s(pid: int) -> float:
    """CPU seconds (user + system) used so far by ``pid`` and its descendants (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    todo = [pid]
    while todo:
        current = todo.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except (OSError, IndexError, ValueError):
            continue
        todo.extend(int(c) for c in children)
    return total


def _wait_ready(base: str, proc: subprocess.Popen[bytes], timeout: float = 120) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"uvicorn exited with {proc.returncode}")
        try:
            if httpx.get(f"{base}/v1/ready", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError("the API did not become ready in time")


SERVER = (
    "import sys, uvicorn\n"
    "uvicorn.run('api.service:full_app_from_env', factory=True, host='127.0.0.1', port=int(sys.argv[1]),\n"
    "            workers=int(sys.argv[2]), http=sys.argv[3], loop=sys.argv[4],\n"
    "            log_level='info' if sys.argv[5] == 'on' else 'warning', access_log=sys.argv[5] == 'on')\n"
)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2029)
    parser.add_argument(
        "--vocabulary",
        choices=("zipf", "uniform"),
        default="zipf",
        help="Word distribution of the synthetic posts (bench/index.py `vocabulary`).",
    )
    parser.add_argument("--cache", type=Path, default=Path("/tmp/pantau-api-bench"))
    parser.add_argument("--seconds", type=float, default=30.0, help="Length of the timed load.")
    parser.add_argument(
        "--max-requests", type=int, default=1_000_000, help="Stop the timed load after this many requests."
    )
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--concurrency", type=int, default=16, help="Keep-alive connections.")
    parser.add_argument(
        "--rate",
        type=float,
        default=None,
        help="Open loop: send this many requests/s on a fixed schedule (latency counted from each "
        "request's due time). Default: closed loop, as fast as the server answers.",
    )
    parser.add_argument("--limit", type=int, default=20, help="Results per page.")
    parser.add_argument(
        "--workers", type=int, default=2, help="uvicorn worker processes (tantivy search holds the GIL)."
    )
    parser.add_argument(
        "--http",
        choices=["auto", "h11", "httptools"],
        default="auto",
        help="uvicorn's HTTP parser (auto: httptools when installed, as `pantau serve` does).",
    )
    parser.add_argument(
        "--loop",
        choices=["auto", "asyncio", "uvloop"],
        default="auto",
        help="uvicorn's event loop (auto: uvloop when installed, as `pantau serve` does).",
    )
    parser.add_argument(
        "--access-log",
        action="store_true",
        help="Keep uvicorn's access log on (`api.access_log`, on by default in `pantau serve`); the bench "
        "turns it off, the recommended production setting (docs/api.md, Capacity). Lines go to /dev/null.",
    )
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument(
        "--target",
        choices=sorted(PATHS),
        default="search",
        help="search: the query mix; me: GET /v1/me (auth + HTTP overhead only, no search).",
    )
    args = parser.parse_args()
    data_dir = args.cache / f"n{args.posts}-s{args.seed}-{args.vocabulary}"
    built = build(data_dir, args.posts, args.seed, args.vocabulary)
    if args.build_only:
        print(json.dumps({"build": built}))
        return
    key = make_key(data_dir)
    port = _free_port()
    env = dict(
        os.environ,
        PANTAU_DATA_DIR=str(data_dir),
        PANTAU_API__RATE_LIMIT_PER_MINUTE="100000000",
        PYTHONPATH=str(ROOT),
    )
    env.pop("PANTAU_DATABASE_URL", None)
    proc = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(port), str(args.workers), args.http, args.loop]
        + ["on" if args.access_log else "off"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL if args.access_log else None,
    )
    try:
        _wait_ready(f"http://127.0.0.1:{port}", proc)
        asyncio.run(_load(port, key, args.warmup, args.concurrency, args.limit, args.target, args.rate))
        load_before = os.getloadavg()[0]
        cpu_before = _tree_cpu_s(proc.pid)
        result = asyncio.run(
            _load(
                port,
                key,
                args.seconds,
                args.concurrency,
                args.limit,
                args.target,
                args.rate,
                args.max_requests,
            )
        )
        server_cpu_ms = (_tree_cpu_s(proc.pid) - cpu_before) * 1000 / max(1, result["requests"])
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
    cpus = os.cpu_count() or 1
    both = server_cpu_ms + result["client_cpu_ms_per_request"]
    out = {
        "posts": args.posts,
        "vocabulary": args.vocabulary,
        "documents": built["documents"],
        "index_size_bytes": built["size_bytes"],
        "index_reused": built["reused"],
        "build_seconds": built["build_seconds"],
        "target": args.target,
        "concurrency": args.concurrency,
        "rate": args.rate,
        "workers": args.workers,
        "http": args.http,
        "loop": args.loop,
        "access_log": args.access_log,
        "seconds": args.seconds,
        "limit": args.limit,
        "cpus": cpus,
        "load_average_1m_before": round(load_before, 2),
        "load_average_1m": round(os.getloadavg()[0], 2),
        **result,
        # contention-independent: server CPU per request, and what that allows on N idle cores
        "server_cpu_ms_per_request": round(server_cpu_ms, 2),
        "capacity_rps_at_cpus": round(cpus * 1000 / server_cpu_ms, 1) if server_cpu_ms else None,
        # the same with this load generator sharing the cores (as in the measured run)
        "capacity_rps_with_client": round(cpus * 1000 / both, 1) if both else None,
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
