"""Shared base of the item pipelines."""

from __future__ import annotations

from typing import Any, Self

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector

from crawlers.context import RunContext


class PantauPipeline:
    """A pipeline that reaches the run context through the crawler's spider and counts in its stats."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    @property
    def stats(self) -> StatsCollector:
        assert self.crawler.stats is not None
        return self.crawler.stats

    @property
    def ctx(self) -> RunContext:
        ctx: Any = getattr(self.crawler.spider, "ctx", None)
        if not isinstance(ctx, RunContext):
            raise RuntimeError(
                "pantau pipelines need a spider derived from crawlers.spiders.base.SourceSpider"
            )
        return ctx

    def count(self, key: str, n: int = 1) -> None:
        self.stats.inc_value(f"pantau/{key}", n)

    def drop(self, reason: str, detail: str = "") -> DropItem:
        """Count a dropped item under its reason and return the exception to raise."""
        self.count("dropped")
        self.count(f"dropped/{reason}")
        return DropItem(f"{reason}: {detail}" if detail else reason)
