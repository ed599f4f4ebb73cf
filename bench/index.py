"""Benchmark: ingest (store + process + index) and search latency at N synthetic posts.

    .venv/bin/python bench/index.py --posts 100000

Generates N seeded posts with realistic lengths (short Telegram/X/TikTok posts, long news articles) and
Indonesian election vocabulary, stores them (generating them is not timed), runs ``pantau process`` with
the promoted (default) models, then times a fixed mix of fact-checker searches (text + filters + facets
+ sort). For comparison it indexes the same texts into a bare tantivy index (default tokenizer, the same
fast fields) and runs equivalent queries there. Prints one JSON object.

Wall-clock numbers depend on what else runs on the machine, so the JSON also carries CPU-time figures
(``*_cpu_*``: CPU seconds of this process plus ``pantau process``'s scoring workers, ``workers``; a
search runs on the calling thread) and the load average.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import itertools
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import tantivy

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from indexes.base import Filters, Query, ScoreRange  # noqa: E402
from indexes.service import open_index  # noqa: E402
from pantau.process import INDEX_BATCH, load_scorer, run_process  # noqa: E402
from pantau.records import (  # noqa: E402
    AccountKind,
    Author,
    Engagement,
    Post,
    PostScores,
    Prediction,
    content_hash,
    post_id,
)
from pantau.settings import Settings  # noqa: E402
from pantau.store import Store  # noqa: E402

VOCAB = (  # noqa: SIM905  (a readable word list)
    "pemilu pemilihan presiden paslon calon kandidat kampanye relawan pendukung suara surat kotak tps kpu "
    "bawaslu quick count hitung cepat rekapitulasi curang kecurangan kemenangan memenangkan menang kalah "
    "hoaks fitnah berita bohong klarifikasi fakta cek video lama beredar viral warganet netizen debat "
    "visi misi program janji rakyat harga beras bbm subsidi lapangan kerja pendidikan kesehatan desa kota "
    "jakarta surabaya medan makassar bandung semarang yogyakarta papua aceh bali kalimantan sulawesi "
    "partai koalisi nusantara maju harapan rakyat perubahan sejahtera psrb pkbm pbs plb pkd pmpr "
    "raka wiratama sinta maharani hendra kusumadewa fajar alamsyah lestari anggraini bagus pranoto "
    "dukung pilih coblos nomor urut satu dua tiga menolak mendukung menyebarkan membagikan disebarkan "
    "uang politik serangan fajar sembako amplop dibayar endorse promo iklan kerja sama sponsor "
    "menurut kata ujar jelas bahwa hari minggu bulan tahun pagi malam baru lama benar salah resmi"
).split()
FUNCTION_WORDS = (  # noqa: SIM905  (the most frequent words of Indonesian posts)
    "yang dan di ke dari untuk dengan ini itu tidak sudah akan juga pada dalam bisa ada karena oleh "
    "saat setelah sebelum masih lebih banyak semua para kami kita mereka dia saya anda tersebut"
).split()
#: ``zipf`` (default): word frequencies follow Zipf's law over function words, then the election words
#: above, then ~28,000 Indonesian root words (Sastrawi's dictionary) as the long tail — how real text
#: is distributed, so a query word is in a realistic share of posts. ``uniform``: every post draws
#: evenly from the ~200 words above (the first benchmark's generator; each query word then occurs in
#: 27–51 % of posts, a worst case for search).
VOCABULARIES = ("zipf", "uniform")
vocabulary = "zipf"
PLATFORMS = [
    ("telegram", 0.35),
    ("x", 0.2),
    ("news", 0.15),
    ("tiktok", 0.1),
    ("instagram", 0.1),
    ("youtube", 0.1),
]
KINDS = [k.value for k in AccountKind]
TAGS = ["paslon-01", "paslon-02", "paslon-03", "psrb", "pkbm", "pbs", "plb", "pkd", "pmpr"]
START = datetime(2028, 11, 1, tzinfo=UTC)


class SyntheticScorer:
    """Seeded stand-in predictions (``--scorer synthetic``): measures store + index + search at scales
    where the real models would take hours. Reported as ``"scorer": "synthetic"``."""

    versions = {
        "language": "synthetic",
        "hoax": "synthetic",
        "endorsement": "synthetic",
        "claims": "synthetic",
    }

    def score(self, posts: list[Post]) -> list[PostScores]:
        return [synthetic_scores(post.id) for post in posts]


def synthetic_scores(pid: str) -> PostScores:
    """Seeded hoax and endorsement predictions of post ``pid`` (``pantau process`` adds the language and
    claims rows)."""
    rnd = random.Random(pid)
    p_hoax, p_paid = rnd.random() ** 2, rnd.random() ** 3
    return PostScores(
        post_id=pid,
        language="id",
        predictions=[
            Prediction(
                post_id=pid,
                task="hoax",
                model_version="synthetic",
                label="hoax" if p_hoax > 0.5 else "not_hoax",
                score=p_hoax,
                probabilities={"hoax": p_hoax, "not_hoax": 1 - p_hoax},
                reasons=[{"kind": "synthetic"}],
            ),
            Prediction(
                post_id=pid,
                task="endorsement",
                model_version="synthetic",
                label="undisclosed_paid_political" if p_paid > 0.5 else "organic_political",
                score=max(p_paid, 1 - p_paid),
                probabilities={"undisclosed_paid_political": p_paid},
            ),
        ],
    )


@functools.cache
def _zipf_words() -> tuple[list[str], list[float]]:
    """(words by rank, cumulative weights ∝ 1 / (rank + 2.7)): function words, election words, then
    Sastrawi's root words in a seeded order."""
    import Sastrawi

    words = FUNCTION_WORDS + [w for w in VOCAB if w not in FUNCTION_WORDS]
    seen = set(words)
    path = Path(Sastrawi.__file__).parent / "Stemmer" / "data" / "kata-dasar.txt"
    tail = sorted({w.strip() for w in path.read_text(encoding="utf-8").split() if w.strip().isalpha()} - seen)
    random.Random(7).shuffle(tail)
    words += tail
    cumulative = list(itertools.accumulate(1.0 / (rank + 2.7) for rank in range(1, len(words) + 1)))
    return words, cumulative


def _words(rnd: random.Random, k: int) -> list[str]:
    if vocabulary == "uniform":
        return rnd.choices(VOCAB + FUNCTION_WORDS, k=k)
    words, cumulative = _zipf_words()
    return rnd.choices(words, cum_weights=cumulative, k=k)


def synthetic_posts(n: int, seed: int) -> Iterator[Post]:
    """N seeded posts: short social posts (10–60 words) and long news articles (150–600), words drawn
    from :data:`vocabulary`."""
    rnd = random.Random(seed)
    names = [p for p, _ in PLATFORMS]
    weights = [w for _, w in PLATFORMS]
    for i in range(n):
        platform = rnd.choices(names, weights)[0]
        length = rnd.randint(150, 600) if platform == "news" else int(rnd.lognormvariate(3.2, 0.5)) + 5
        text = " ".join(_words(rnd, length))
        if rnd.random() < 0.1:
            text += " #ad #endorse"
        yield Post(
            id=post_id(platform, f"b{seed}-{i}"),
            platform=platform,
            source_id=f"{platform}_{rnd.randrange(40)}",
            platform_post_id=f"b{seed}-{i}",
            author=Author(handle=f"akun{rnd.randrange(5000)}", kind=rnd.choice(KINDS)),
            published_at=START + timedelta(seconds=rnd.randrange(180 * 86400)),
            title=" ".join(_words(rnd, 8)) if platform == "news" else None,
            text=text,
            tags=sorted(rnd.sample(TAGS, rnd.choice([0, 0, 1, 2]))),
            engagement=Engagement(views=rnd.randrange(100000), likes=rnd.randrange(5000)),
            content_hash=content_hash(text),
        )


#: posts generated (untimed) and then stored per import-sized block by :func:`store_posts`
FILE_ROWS = 50_000


def store_posts(store: Store, n: int, seed: int, chunk: int = 500) -> tuple[float, float]:
    """Store the posts as ``pantau import`` does (``Store.upsert_posts``, 500 per transaction: dedupe
    lookups, then one insert for the new ones). Returns the wall-clock and CPU seconds of storing them —
    generating the synthetic posts is not part of ingest and is not counted."""
    wall = cpu = 0.0
    posts = synthetic_posts(n, seed)
    # generated a file's worth at a time (untimed), then stored as `pantau import` stores one file: with
    # WAL checkpoints in a background thread, the last one as the block ends — timed, it is part of
    # storing (process_time counts that thread's CPU too)
    while generated := list(itertools.islice(posts, FILE_ROWS)):
        t, c = time.perf_counter(), time.process_time()
        with store.bulk_writes():
            for start in range(0, len(generated), chunk):
                store.upsert_posts(generated[start : start + chunk])
        wall += time.perf_counter() - t
        cpu += time.process_time() - c
    return wall, cpu


QUERIES: list[dict[str, Any]] = [
    {"text": "kecurangan pemilu", "facets": ["label", "platform", "day"]},
    {
        "text": "hoaks surat suara",
        "filters": Filters(platforms=["telegram", "x"]),
        "sort": "risk",
        "facets": ["label"],
    },
    {"text": '"serangan fajar"', "filters": Filters(tags=["paslon-02"]), "facets": ["source", "tag"]},
    {"text": "video lama beredar -klarifikasi", "sort": "date", "facets": ["platform", "day"]},
    {
        "text": "",
        "filters": Filters(labels={"hoax": ["hoax"]}),
        "sort": "risk",
        "facets": ["platform", "tag", "day"],
    },
    {
        "text": "endorse OR sponsor OR dibayar",
        "filters": Filters(author_kinds=["influencer"]),
        "facets": ["label"],
    },
    {
        "text": "kpu curang",
        "filters": Filters(scores=[ScoreRange(field="risk", min=0.5)]),
        "sort": "date",
        "facets": ["label", "review_status"],
    },
    {
        "text": "memenangkan debat",
        "filters": Filters(
            published_from=START + timedelta(days=30), published_to=START + timedelta(days=60)
        ),
        "facets": ["day", "platform"],
    },
    {"text": "(bbm OR beras) AND subsidi", "filters": Filters(platforms=["news"]), "facets": ["source"]},
    {
        "text": "raka wiratama",
        "filters": Filters(has_claim_match=False),
        "sort": "risk",
        "facets": ["label", "tag"],
    },
]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return round(ordered[k], 2)


def time_pantau_search(settings: Settings, rounds: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU (this thread) milliseconds per query of the mix."""
    index = open_index(settings)
    queries = [Query.build(limit=20, **q) for q in QUERIES]
    for q in queries:  # warm up
        index.search(q)
    times, cpu = [], []
    for _ in range(rounds):
        for q in queries:
            t, c = time.perf_counter(), time.thread_time()
            index.search(q)
            times.append((time.perf_counter() - t) * 1000)
            cpu.append((time.thread_time() - c) * 1000)
    index.close()
    return times, cpu


def raw_tantivy(path: Path, n: int, seed: int, rounds: int) -> tuple[float, list[float], list[float]]:
    """Bare tantivy on the same texts: default tokenizer, no Python analysis, the same fast fields."""
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("text", stored=False)
    sb.add_text_field("id", stored=True, tokenizer_name="raw")
    for name in ("platform", "tag", "author_kind", "source", "day", "label"):
        sb.add_text_field(name, tokenizer_name="raw", fast=True)
    sb.add_integer_field("ts", indexed=True, fast=True)
    sb.add_float_field("risk", indexed=True, fast=True)
    schema = sb.build()
    path.mkdir(parents=True, exist_ok=True)
    index = tantivy.Index(schema, path=str(path))
    writer = index.writer(128 * 1024 * 1024, 1)
    rnd = random.Random(seed + 1)
    t = time.perf_counter()
    for i, post in enumerate(synthetic_posts(n, seed)):
        doc = tantivy.Document()
        doc.add_text("text", f"{post.title or ''} {post.text}")
        doc.add_text("id", post.id)
        doc.add_text("platform", post.platform)
        doc.add_text("author_kind", post.author.kind.value)
        doc.add_text("source", post.source_id)
        for tag in post.tags:
            doc.add_text("tag", tag)
        assert post.published_at is not None
        doc.add_text("day", post.published_at.strftime("%Y-%m-%d"))
        doc.add_text("label", "hoax:hoax" if rnd.random() < 0.2 else "hoax:not_hoax")
        doc.add_integer("ts", int(post.published_at.timestamp()))
        doc.add_float("risk", rnd.random())
        writer.add_document(doc)
        if i % INDEX_BATCH == INDEX_BATCH - 1:  # the same commit cadence as `pantau process`
            writer.commit()
    writer.commit()
    writer.wait_merging_threads()
    raw_rate = n / (time.perf_counter() - t)
    index.reload()
    Q, Oc = tantivy.Query, tantivy.Occur  # noqa: N806
    aggs = {f: {"terms": {"field": f, "size": 1000}} for f in ("label", "platform", "day")}
    raw_queries = []
    for q in QUERIES:
        text = q["text"].replace("-klarifikasi", "").strip() or "*"
        tq = index.parse_query(text, ["text"]) if text != "*" else Q.all_query()
        f: Filters | None = q.get("filters")
        clauses = [(Oc.Must, tq)]
        if f is not None and f.platforms:
            clauses.append((Oc.Must, Q.term_set_query(schema, "platform", f.platforms)))
        if f is not None and f.tags:
            clauses.append((Oc.Must, Q.term_set_query(schema, "tag", f.tags)))
        raw_queries.append((Q.boolean_query(clauses), "ts" if q.get("sort") in ("date", "risk") else None))
    searcher = index.searcher()
    times, cpu = [], []
    for _ in range(rounds + 1):
        for query, order in raw_queries:
            t, c = time.perf_counter(), time.thread_time()
            searcher = index.searcher()
            res = (
                searcher.search(query, 21, count=True, order_by_field=order)
                if order
                else searcher.search(query, 21)
            )
            for _, addr in res.hits:
                searcher.doc(addr)
            searcher.aggregate(query, aggs)
            times.append((time.perf_counter() - t) * 1000)
            cpu.append((time.thread_time() - c) * 1000)
    return raw_rate, times[len(raw_queries) :], cpu[len(raw_queries) :]


def index_only(args: argparse.Namespace) -> None:
    """``--index-only``: documents straight into the pantau tantivy index, then the same search timings."""
    from indexes.base import document_from

    root = args.data_dir or Path(tempfile.mkdtemp(prefix="pantau-bench-"))
    try:
        settings = Settings(data_dir=root / "data")
        index = open_index(settings)
        scorer = SyntheticScorer()
        t = time.perf_counter()
        batch: list[Post] = []
        writing = getattr(index, "writing", None)
        with writing() if callable(writing) else contextlib.nullcontext():  # as `pantau process` does
            for post in synthetic_posts(args.posts, args.seed):
                batch.append(post)
                if len(batch) == INDEX_BATCH:
                    index.upsert(
                        [document_from(p, s) for p, s in zip(batch, scorer.score(batch), strict=True)]
                    )
                    batch = []
            if batch:
                index.upsert([document_from(p, s) for p, s in zip(batch, scorer.score(batch), strict=True)])
        index_rate = args.posts / (time.perf_counter() - t)
        size = index.stats()["size_bytes"]
        index.close()
        times, cpu = time_pantau_search(settings, args.rounds)
        raw_rate, raw_times, raw_cpu = raw_tantivy(root / "raw", args.posts, args.seed, args.rounds)
        print(
            json.dumps(
                {
                    "posts": args.posts,
                    "vocabulary": vocabulary,
                    "mode": "index-only",
                    "scorer": "synthetic",
                    "ingest_posts_per_s": None,
                    "index_posts_per_s": round(index_rate, 1),
                    "raw_index_posts_per_s": round(raw_rate, 1),
                    "search_p50_ms": percentile(times, 50),
                    "search_p95_ms": percentile(times, 95),
                    "search_p99_ms": percentile(times, 99),
                    "search_mean_ms": round(statistics.mean(times), 2),
                    "raw_search_p50_ms": percentile(raw_times, 50),
                    "raw_search_p95_ms": percentile(raw_times, 95),
                    "search_cpu_p95_ms": percentile(cpu, 95),
                    "raw_search_cpu_p95_ms": percentile(raw_cpu, 95),
                    "load_average": round(os.getloadavg()[0], 1),
                    "queries_timed": len(times),
                    "index_size_bytes": size,
                }
            )
        )
    finally:
        if args.data_dir is None:
            shutil.rmtree(root, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2029)
    parser.add_argument("--rounds", type=int, default=20, help="Passes over the query mix.")
    parser.add_argument(
        "--vocabulary",
        choices=VOCABULARIES,
        default="zipf",
        help="Word distribution of the synthetic posts (see `vocabulary` in the source).",
    )
    parser.add_argument(
        "--data-dir", type=Path, default=None, help="Keep the data here (default: a temp dir)."
    )
    parser.add_argument("--batch-size", type=int, default=None)
    parser.add_argument(
        "--workers",
        default=None,
        help="Scoring worker processes for `pantau process` (default: the models.workers setting).",
    )
    parser.add_argument(
        "--scorer",
        choices=["default", "synthetic"],
        default="default",
        help="The promoted models, or seeded stand-ins.",
    )
    parser.add_argument(
        "--index-only",
        action="store_true",
        help="Skip the SQL store and models: index synthetic documents directly, then time searches "
        "(search latency at scales where the full pipeline takes hours; ingest fields are null).",
    )
    args = parser.parse_args()
    global vocabulary
    vocabulary = args.vocabulary
    if args.index_only:
        index_only(args)
        return
    root = args.data_dir or Path(tempfile.mkdtemp(prefix="pantau-bench-"))
    try:
        settings = Settings(data_dir=root / "data")
        store = Store.open(settings)
        t_store, cpu_store = store_posts(store, args.posts, args.seed)
        # the first load trains the default models (outside the timing); `process` loads them again
        # through the `scorer` service, in the main process and in each scoring worker (timed)
        scorer: Any = None if args.scorer == "default" else SyntheticScorer()
        if scorer is None:
            load_scorer(settings, store)
        workers = int(args.workers) if args.workers not in (None, "auto") else args.workers
        t1, c1 = time.perf_counter(), time.process_time()
        report = run_process(
            settings, store, scorer=scorer, progress=False, batch_size=args.batch_size, workers=workers
        )
        t_process = time.perf_counter() - t1
        cpu_main = time.process_time() - c1 + cpu_store  # not the first model load (training) between
        cpu_workers = float(report["cpu_seconds"].get("workers", 0.0))
        cpu_ingest = cpu_main + cpu_workers
        store.close()
        times, cpu = time_pantau_search(settings, args.rounds)
        raw_rate, raw_times, raw_cpu = raw_tantivy(root / "raw", args.posts, args.seed, args.rounds)
        index = open_index(settings)
        size = index.stats()["size_bytes"]
        index.close()
        out = {
            "posts": args.posts,
            "vocabulary": vocabulary,
            "scorer": args.scorer,
            "ingest_posts_per_s": round(args.posts / (t_store + t_process), 1),
            "store_posts_per_s": round(args.posts / t_store, 1),
            "store_cpu_s": round(cpu_store, 2),
            "process_posts_per_s": round(args.posts / t_process, 1),
            "process_stage_seconds": report["seconds"],
            "process_stage_cpu_seconds": report["cpu_seconds"],
            "model_versions": report["model_versions"],
            "raw_index_posts_per_s": round(raw_rate, 1),
            "search_p50_ms": percentile(times, 50),
            "search_p95_ms": percentile(times, 95),
            "search_p99_ms": percentile(times, 99),
            "search_mean_ms": round(statistics.mean(times), 2),
            "raw_search_p50_ms": percentile(raw_times, 50),
            "raw_search_p95_ms": percentile(raw_times, 95),
            "ingest_cpu_posts_per_s": round(args.posts / cpu_ingest, 1),
            "workers": report.get("workers", 0),
            "ingest_cpu_s": round(cpu_ingest, 2),
            "ingest_cpu_main_s": round(cpu_main, 2),
            "ingest_cpu_workers_s": round(cpu_workers, 2),
            "cpu_count": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
            "load_average_1_5_15": [round(x, 1) for x in os.getloadavg()],
            "search_cpu_p95_ms": percentile(cpu, 95),
            "raw_search_cpu_p95_ms": percentile(raw_cpu, 95),
            "load_average": round(os.getloadavg()[0], 1),
            "queries_timed": len(times),
            "index_size_bytes": size,
        }
        print(json.dumps(out))
    finally:
        if args.data_dir is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
