"""The crawl child process: ``python -m crawlers.run CONFIG.json``.

Twisted's reactor cannot be restarted inside one process, so :func:`crawlers.service.crawl` runs every
crawl in a fresh child. The config file names the settings, the store, the sources and the checkpoints;
the child runs one Scrapy crawler per source (in parallel, in one reactor) and writes one JSON report
(stats, failure message and checkpoint per source) to the ``result_file`` the config names. Every item
is committed as it is scraped, so killing the child loses only what was in flight.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from scrapy.crawler import Crawler, CrawlerProcess
from twisted.python.failure import Failure

from crawlers.context import RunContext
from crawlers.settings import scrapy_settings
from crawlers.spiders import SPIDERS
from pantau.records import Source
from pantau.settings import Settings
from pantau.store import Store


def _jsonable(value: Any) -> Any:
    if isinstance(value, int | float | str | bool) or value is None:
        return value
    return str(value)


def _remember_failure(failure: Failure, source_id: str, errors: dict[str, str]) -> None:
    errors.setdefault(source_id, str(failure.value))


def run(config: dict[str, Any]) -> dict[str, Any]:
    """Crawl the configured sources; returns the per-source report (also written to result_file)."""
    cfg = Settings(**config["settings"])
    store = Store(config["database_url"], Path(config["evidence_dir"]), auto_migrate=False)
    sources = [Source.model_validate(s) for s in config["sources"]]
    ctx = RunContext(
        settings=cfg,
        store=store,
        sources={s.id: s for s in sources},
        checkpoints=config.get("checkpoints", {}),
        commit_batch=int(config.get("commit_batch", 50)),
    )
    process = CrawlerProcess(settings=scrapy_settings(cfg) | config.get("scrapy_overrides", {}))
    crawlers: dict[str, Crawler] = {}
    startup_errors: dict[str, str] = {}
    for source in sources:
        crawler = process.create_crawler(SPIDERS[source.kind].for_source(source))
        crawlers[source.id] = crawler
        deferred = process.crawl(crawler, source=source, ctx=ctx)
        deferred.addErrback(_remember_failure, source.id, startup_errors)
    process.start()
    report: dict[str, Any] = {}
    for source_id, crawler in crawlers.items():
        stats = crawler.stats.get_stats() if crawler.stats else {}
        spider = crawler.spider
        report[source_id] = {
            "stats": {k: _jsonable(v) for k, v in stats.items()},
            "failure": startup_errors.get(source_id) or getattr(spider, "failure", None),
            "checkpoint": getattr(spider, "checkpoint", {}),
            "finish_reason": _jsonable(stats.get("finish_reason")),
        }
    ctx.writer.close()
    store.close()
    return report


def _write_atomic(path: Path, data: dict[str, Any]) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False)
    os.replace(tmp, path)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m crawlers.run CONFIG.json", file=sys.stderr)
        return 2
    config = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    report = run(config)
    _write_atomic(Path(config["result_file"]), report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
