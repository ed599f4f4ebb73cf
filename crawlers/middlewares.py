"""Downloader middlewares."""

from __future__ import annotations

import asyncio
from typing import Self
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retries, each one waiting twice as long as the one before (``RETRY_BACKOFF_BASE``,
    ``RETRY_BACKOFF_MAX``) so a struggling server gets room to recover."""

    backoff_base: float = 1.0
    backoff_max: float = 60.0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        mw = super().from_crawler(crawler)
        mw.backoff_base = crawler.settings.getfloat("RETRY_BACKOFF_BASE", 1.0)
        mw.backoff_max = crawler.settings.getfloat("RETRY_BACKOFF_MAX", 60.0)
        return mw

    async def _wait(self, retry: Request) -> Request:
        attempt = int(retry.meta.get("retry_times", 1))
        delay = min(self.backoff_base * 2 ** (attempt - 1), self.backoff_max)
        if delay > 0:
            await asyncio.sleep(delay)
        return retry

    async def process_response(  # type: ignore[override]
        self, request: Request, response: Response
    ) -> Request | Response:
        result = super().process_response(request, response)
        return await self._wait(result) if isinstance(result, Request) else result

    async def process_exception(  # type: ignore[override]
        self, request: Request, exception: Exception
    ) -> Request | Response | None:
        result = super().process_exception(request, exception)
        return await self._wait(result) if isinstance(result, Request) else result


class ResolveMiddleware:
    """Send requests for some hosts to another address, like ``curl --resolve``.

    Source option ``resolve: {"demo.pantau.local": "127.0.0.1:8765"}``: requests to that host go to the
    address as to an HTTP proxy, so the request keeps its URL and its ``Host`` header. The offline demo
    uses it: stored URLs and page bodies then name ``demo.pantau.local`` whatever port the demo server got,
    and a second demo crawl finds everything already stored.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        source = getattr(self.crawler.spider, "source", None)
        mapping = source.options.get("resolve") if source is not None else None
        if not isinstance(mapping, dict) or "proxy" in request.meta:
            return
        parts = urlsplit(request.url)
        address = mapping.get(parts.netloc) or mapping.get(parts.hostname or "")
        if parts.scheme == "http" and isinstance(address, str) and address:
            request.meta["proxy"] = f"http://{address}"
