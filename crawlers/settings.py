"""Scrapy settings of the pantau crawlers (``scrapy.cfg`` points here).

The defaults below are polite: robots.txt obeyed, AutoThrottle on, two requests at a time per domain, a
User-Agent naming the project and a contact URL, retries with exponential backoff, timeouts and a maximum
page size. :func:`scrapy_settings` fills them from pantau's typed settings (``PANTAU_CRAWL__*``), which is
what ``pantau crawl`` uses; the module-level values serve plain ``scrapy`` commands.
"""

from __future__ import annotations

from typing import Any

from pantau import __version__
from pantau.settings import Settings, get_settings

BOT_NAME = "pantau"
SPIDER_MODULES = ["crawlers.spiders"]
NEWSPIDER_MODULE = "crawlers.spiders"

ITEM_PIPELINES = {
    "crawlers.pipelines.normalise.NormalisePipeline": 100,
    "crawlers.pipelines.validate.ValidatePipeline": 200,
    "crawlers.pipelines.dedupe.DedupePipeline": 300,
    "crawlers.pipelines.evidence.EvidencePipeline": 400,
    "crawlers.pipelines.store.StorePipeline": 500,
}
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawlers.middlewares.BackoffRetryMiddleware": 550,
    "crawlers.middlewares.ResolveMiddleware": 740,
}
EXTENSIONS = {"scrapy.extensions.telnet.TelnetConsole": None}

ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.5
DOWNLOAD_DELAY_JITTER = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
#: first retry waits this long, then twice as long each time (capped at RETRY_BACKOFF_MAX)
RETRY_BACKOFF_BASE = 1.0
RETRY_BACKOFF_MAX = 60.0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 5 * 1024 * 1024
DOWNLOAD_WARNSIZE = 0
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"
HTTPCACHE_ENABLED = False
HTTPCACHE_DIR = "httpcache"
USER_AGENT = f"pantau/{__version__} (+https://github.com/pantau-id/pantau)"


def user_agent(cfg: Settings) -> str:
    """The User-Agent from ``settings.crawl.user_agent`` with version and contact URL filled in."""
    return cfg.crawl.user_agent.replace("{version}", __version__).replace(
        "{contact_url}", cfg.crawl.contact_url
    )


def scrapy_settings(cfg: Settings | None = None) -> dict[str, Any]:
    """Scrapy settings for a crawl under pantau's settings ``cfg``."""
    cfg = cfg or get_settings()
    crawl = cfg.crawl
    values = {k: v for k, v in globals().items() if k.isupper()}
    values.update(
        USER_AGENT=user_agent(cfg),
        ROBOTSTXT_OBEY=crawl.obey_robots_txt,
        CONCURRENT_REQUESTS_PER_DOMAIN=crawl.concurrency_per_domain,
        DOWNLOAD_DELAY=crawl.download_delay_s,
        AUTOTHROTTLE_ENABLED=crawl.autothrottle,
        AUTOTHROTTLE_START_DELAY=max(crawl.download_delay_s, 0.1),
        AUTOTHROTTLE_TARGET_CONCURRENCY=float(crawl.concurrency_per_domain) / 2,
        DOWNLOAD_TIMEOUT=crawl.timeout_s,
        RETRY_TIMES=crawl.retry_times,
        DOWNLOAD_MAXSIZE=crawl.max_page_bytes,
        HTTPCACHE_ENABLED=crawl.http_cache,
        HTTPCACHE_DIR=str((cfg.data_dir / "httpcache").resolve()),
        LOG_LEVEL="DEBUG" if cfg.log_level.upper() == "DEBUG" else "WARNING",
    )
    return values
