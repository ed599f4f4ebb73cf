"""Validate pipeline: builds the :class:`~pantau.records.Post` / :class:`~pantau.records.FactCheck`
record, dropping (and counting) items that cannot become one."""

from __future__ import annotations

from crawlers.items import Item
from crawlers.pipelines.base import PantauPipeline
from crawlers.prepare import validate
from pantau.errors import InvalidRecord


class ValidatePipeline(PantauPipeline):
    def process_item(self, item: Item) -> Item:
        try:
            validate(item)
        except InvalidRecord as exc:
            reason, _, detail = str(exc).partition(":")
            raise self.drop(reason.strip() or "invalid", detail.strip()) from None
        return item
