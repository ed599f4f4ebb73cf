"""Crawl throughput: the full pipeline against a bare Scrapy spider over the same local site.

Generates a site of N article pages (default 5,000) plus an RSS feed listing them in a temp dir, serves
it on 127.0.0.1 with a threaded server, and crawls it twice in fresh child processes (as ``pantau crawl``
does):

- ``pipeline``: the feed spider with every item pipeline (normalise → validate → dedupe → evidence →
  store) into a temp SQLite store;
- ``bare``: the same spider and parsing (main-text extraction included) with no item pipelines.

Robots.txt, AutoThrottle and delays are off (it is our own server). Pages/s is taken from Scrapy's own
``elapsed_time_seconds``, so process start-up is excluded from both; ``pages_per_cpu_s`` divides by the
child's CPU time instead (start-up included), which stays meaningful on a busy machine. Prints one JSON
object; ``ratio`` (goal ≥ 0.8) is pipeline pages/s over bare pages/s.

    .venv/bin/python bench/crawl.py [--pages 5000] [--concurrency 8]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from crawlers.static_server import serve
from pantau.records import Source, SourceKind
from pantau.settings import Settings
from pantau.store import Store

WORDS = tuple(
    " ".join(
        (
            "pemilu kampanye calon presiden wakil daerah warga desa kota program pangan harga beras subsidi",
            "nelayan petani guru sekolah rumah sakit jalan tol debat relawan survei suara tps kpu bawaslu",
            "logistik kotak tinta saksi partai koalisi janji anggaran pajak listrik air bersih pasar",
            "pedagang ekonomi lapangan kerja pemuda perempuan lansia bantuan sosial digital internet",
            "kabupaten provinsi",
        )
    ).split(" ")
)


def paragraph(rng: random.Random) -> str:
    sentences = []
    for _ in range(rng.randint(3, 5)):
        words = [rng.choice(WORDS) for _ in range(rng.randint(10, 18))]
        sentences.append(" ".join(words).capitalize() + ".")
    return " ".join(sentences)


def build_site(root: Path, pages: int, seed: int = 7) -> None:
    """``feed.xml`` listing ``pages`` articles under ``a/<n>.html`` with typical news-site boilerplate."""
    rng = random.Random(seed)
    (root / "a").mkdir(parents=True)
    items = []
    for n in range(pages):
        title = f"Berita {n}: " + " ".join(rng.choice(WORDS) for _ in range(6))
        paras = "".join(f"<p>{paragraph(rng)}</p>" for _ in range(rng.randint(4, 6)))
        day = 1 + n % 28
        html = (
            f'<!doctype html><html lang="id"><head><meta charset="utf-8"><title>{title}</title>'
            f'<meta property="og:title" content="{title}"><meta name="author" content="Redaksi Bench"></head>'
            '<body><header><nav><a href="/">Beranda</a> <a href="/politik/">Politik</a> '
            '<a href="/ekonomi/">Ekonomi</a></nav></header><div class="ad">IKLAN</div>'
            f'<article><h1>{title}</h1><time datetime="2029-01-{day:02d}T08:00:00+07:00">{day} Jan</time>'
            f"{paras}</article><aside>Baca juga: <a href='/a/{(n + 1) % pages}.html'>berita lain</a></aside>"
            "<footer>© 2029 Bench</footer></body></html>"
        )
        (root / "a" / f"{n}.html").write_text(html, encoding="utf-8")
        items.append(
            f"<item><title>{title}</title><link>http://demo.pantau.local/a/{n}.html</link>"
            f"<pubDate>Mon, {day:02d} Jan 2029 08:00:00 +0700</pubDate>"
            f"<description>Ringkasan {n}</description></item>"
        )
    feed = (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Bench</title>'
        + "".join(items)
        + "</channel></rss>"
    )
    (root / "feed.xml").write_text(feed, encoding="utf-8")
    (root / "index.html").write_text("<html><body>bench</body></html>", encoding="utf-8")


def run_child(work: Path, base_url: str, pages: int, concurrency: int, pipelines: bool) -> dict[str, Any]:
    """One crawl in a child process; returns the Scrapy stats of the bench source."""
    data_dir = work / ("pipeline" if pipelines else "bare")
    cfg = Settings(data_dir=data_dir)
    cfg.crawl.obey_robots_txt = False
    cfg.crawl.autothrottle = False
    cfg.crawl.download_delay_s = 0
    cfg.crawl.concurrency_per_domain = concurrency
    cfg.log_level = "WARNING"
    store = Store.open(cfg)  # migrates the schema; the child opens it without migrating
    source = Source(
        id="bench",
        kind=SourceKind.feed,
        platform="news",
        url=f"{base_url}/feed.xml",
        options={"max_items": pages},
    )
    result_file = data_dir / "result.json"
    settings_payload = json.loads(cfg.model_dump_json())
    settings_payload["data_dir"] = str(data_dir.resolve())
    config = {
        "settings": settings_payload,
        "database_url": store.url,
        "evidence_dir": str(store.evidence_dir.resolve()),
        "sources": [source.model_dump(mode="json")],
        "checkpoints": {},
        "result_file": str(result_file),
        "scrapy_overrides": {"CONCURRENT_REQUESTS": concurrency * 2}
        | ({} if pipelines else {"ITEM_PIPELINES": {}}),
    }
    store.close()
    config_path = data_dir / "config.json"
    config_path.write_text(json.dumps(config), encoding="utf-8")
    started = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, "-m", "crawlers.run", str(config_path)], check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter() - started
    stats: dict[str, Any] = json.loads(result_file.read_text())["bench"]["stats"]
    stats["wall_s"] = wall
    stats["cpu_s"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return stats


def summary(stats: dict[str, Any]) -> dict[str, Any]:
    pages = int(stats.get("downloader/response_status_count/200", 0)) - 1  # minus the feed
    elapsed = float(stats.get("elapsed_time_seconds", 0) or 0)
    return {
        "pages": pages,
        "items": int(stats.get("item_scraped_count", 0)),
        "stored": int(stats.get("pantau/created", 0)),
        "elapsed_s": round(elapsed, 2),
        "wall_s_with_startup": round(float(stats["wall_s"]), 2),
        "pages_per_s": round(pages / elapsed, 1) if elapsed else None,
        "cpu_s_with_startup": round(float(stats["cpu_s"]), 2),
        "pages_per_cpu_s": round(pages / float(stats["cpu_s"]), 1) if stats["cpu_s"] else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pantau-bench-") as tmp:
        work = Path(tmp)
        site = work / "site"
        build_site(site, args.pages)
        with serve(site) as server:
            bare = summary(run_child(work, server.base_url, args.pages, args.concurrency, pipelines=False))
            full = summary(run_child(work, server.base_url, args.pages, args.concurrency, pipelines=True))
    ratio = full["pages_per_s"] / bare["pages_per_s"] if full["pages_per_s"] and bare["pages_per_s"] else None
    print(
        json.dumps(
            {
                "benchmark": "crawl",
                "pages": args.pages,
                "concurrency": args.concurrency,
                "bare": bare,
                "pipeline": full,
                "ratio": round(ratio, 3) if ratio else None,
                "ratio_cpu": round(full["pages_per_cpu_s"] / bare["pages_per_cpu_s"], 3)
                if full["pages_per_cpu_s"] and bare["pages_per_cpu_s"]
                else None,
                "goal_ratio": 0.8,
            }
        )
    )


if __name__ == "__main__":
    main()
