"""One small spider per source kind, all over :class:`crawlers.spiders.base.SourceSpider`."""

from __future__ import annotations

from crawlers.spiders.base import SourceSpider
from crawlers.spiders.factcheck import FactCheckSpider
from crawlers.spiders.factcheck_api import FactCheckApiSpider
from crawlers.spiders.feed import FeedSpider
from crawlers.spiders.telegram import TelegramSpider
from crawlers.spiders.youtube import YouTubeSpider
from pantau.records import SourceKind

SPIDERS: dict[SourceKind, type[SourceSpider]] = {
    cls.kind: cls for cls in (FeedSpider, YouTubeSpider, TelegramSpider, FactCheckSpider, FactCheckApiSpider)
}

__all__ = ["SPIDERS", "SourceSpider"]
