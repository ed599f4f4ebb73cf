"""The base of every pantau spider: one spider instance crawls one configured source.

A subclass sets ``name`` and ``kind``, builds its first requests in :meth:`SourceSpider.start_urls_for`
(or overrides ``start``) and parses responses into :class:`~crawlers.items.PostItem` /
:class:`~crawlers.items.FactCheckItem`. The base class supplies what every spider needs: the run context
(settings, store, checkpoints), evidence capture (:meth:`fetched`), incremental skipping
(:meth:`unknown_urls`, :meth:`known_ids`), error counting and a per-source failure message.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Iterable
from typing import Any, ClassVar, Self

import scrapy
from scrapy.crawler import Crawler
from scrapy.exceptions import DownloadCancelledError, DownloadTimeoutError, IgnoreRequest
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.defer import CancelledError
from twisted.internet.error import TCPTimedOutError, TimeoutError
from twisted.python.failure import Failure

from crawlers.context import RunContext
from crawlers.items import Fetched
from crawlers.normalize import canonical_url
from pantau.records import Source, SourceKind, utcnow

log = logging.getLogger(__name__)

#: SQLite limits the number of bound parameters; known-id look-ups go in chunks of this size
LOOKUP_CHUNK = 500


class SourceSpider(scrapy.Spider):
    """Crawls one :class:`~pantau.records.Source`; see the module docstring."""

    kind: ClassVar[SourceKind]

    def __init__(self, source: Source, ctx: RunContext, **kwargs: Any) -> None:
        super().__init__(name=self.name, **kwargs)
        self.source = source
        self.ctx = ctx
        #: why the source failed as a whole (its start URL could not be fetched), if it did
        self.failure: str | None = None
        #: state to hand to the next crawl of this source once this one completes
        self.checkpoint: dict[str, Any] = dict(ctx.checkpoints.get(source.id, {}))

    @classmethod
    def for_source(cls, source: Source) -> type[SourceSpider]:
        """This spider class with the source's own Scrapy settings (option ``download_delay_s``)."""
        delay = source.options.get("download_delay_s")
        if not isinstance(delay, int | float) or isinstance(delay, bool) or delay < 0:
            return cls
        custom = {**(cls.custom_settings or {}), "DOWNLOAD_DELAY": float(delay)}
        if delay == 0:
            custom["AUTOTHROTTLE_ENABLED"] = False
        return type(cls.__name__, (cls,), {"custom_settings": custom})

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        if "source" not in kwargs:  # `scrapy crawl <kind> -a source_id=...`
            from crawlers.service import context_for_scrapy_cli

            kwargs["source"], kwargs["ctx"] = context_for_scrapy_cli(
                str(kwargs.pop("source_id", "")), cls.kind
            )
        return super().from_crawler(crawler, *args, **kwargs)

    # -------------------------------------------------------------- requests
    def start_urls_for(self) -> list[str]:
        """The source's first URLs (default: its ``url``)."""
        return [self.source.url] if self.source.url else []

    async def start(self) -> AsyncIterator[Any]:
        for url in self.start_urls_for():
            yield self.request(url, self.parse, start=True)

    def request(
        self, url: str, callback: Callable[..., Any], *, start: bool = False, **kwargs: Any
    ) -> scrapy.Request:
        """A request whose failures are counted (and, for ``start`` requests, fail the source)."""
        meta = kwargs.pop("meta", {})
        meta["pantau_start"] = start
        return scrapy.Request(url, callback=callback, errback=self.on_error, meta=meta, **kwargs)

    def on_error(self, failure: Failure) -> None:
        request = getattr(failure, "request", None)
        url = request.url if request is not None else "?"
        exc = failure.value
        if isinstance(exc, HttpError):
            status = exc.response.status
            reason = f"HTTP {status}"
            self.count(f"errors/http_{status}")
        elif isinstance(exc, DownloadCancelledError | CancelledError) and "max size" in str(exc):
            reason = "larger than the maximum page size (crawl.max_page_bytes)"
            self.count("dropped")
            self.count("dropped/too_large")
        elif isinstance(exc, IgnoreRequest):
            reason = f"skipped ({exc})" if str(exc) else "skipped (robots.txt)"
            self.count("skipped/ignored")
        elif isinstance(exc, DownloadTimeoutError | TimeoutError | TCPTimedOutError):
            reason = "timed out"
            self.count("errors/timeout")
        else:
            reason = f"{type(exc).__name__}: {exc}"
            self.count(f"errors/{type(exc).__name__}")
        log.warning("source %s: %s %s", self.source.id, url, reason)
        if request is not None and request.meta.get("pantau_start"):
            self.failure = f"source {self.source.id!r}: {url} — {reason}; check sources.yaml"

    # --------------------------------------------------------------- helpers
    def count(self, key: str, n: int = 1) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(f"pantau/{key}", n)

    def fetched(self, response: Response, url: str | None = None) -> Fetched:
        """Evidence of ``response`` (``url`` overrides the recorded URL, e.g. to drop a key)."""
        content_type = response.headers.get(b"Content-Type")
        return Fetched(
            url=url or response.url,
            status=response.status,
            body=response.body,
            fetched_at=utcnow(),
            content_type=content_type.decode("latin-1") if content_type else None,
        )

    def unknown_urls(self, urls: Iterable[str]) -> list[str]:
        """The URLs (canonicalised) that the store does not hold yet, in order, without duplicates."""
        canon = list(dict.fromkeys(u for u in (canonical_url(url) for url in urls) if u))
        known: set[str] = set()
        for i in range(0, len(canon), LOOKUP_CHUNK):
            known |= self.ctx.store.known_urls(canon[i : i + LOOKUP_CHUNK])
        skipped = sum(1 for u in canon if u in known)
        if skipped:
            self.count("skipped/known", skipped)
        return [u for u in canon if u not in known]

    def known_ids(self, platform: str, ids: list[str]) -> set[str]:
        known: set[str] = set()
        for i in range(0, len(ids), LOOKUP_CHUNK):
            known |= self.ctx.store.known_platform_ids(platform, ids[i : i + LOOKUP_CHUNK])
        return known

    def option(self, name: str, default: Any = None) -> Any:
        return self.source.options.get(name, default)
