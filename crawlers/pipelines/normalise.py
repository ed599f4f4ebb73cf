"""Normalise pipeline: Unicode NFC and whitespace, canonical URLs, dates to UTC, hashtags / mentions /
links from the text, candidate and party tags, the author's account kind."""

from __future__ import annotations

from crawlers.items import Item
from crawlers.pipelines.base import PantauPipeline
from crawlers.prepare import normalise


class NormalisePipeline(PantauPipeline):
    def process_item(self, item: Item) -> Item:
        self.count("items")
        for anomaly in normalise(item, self.ctx):
            self.count(f"anomaly/{anomaly}")
        return item
