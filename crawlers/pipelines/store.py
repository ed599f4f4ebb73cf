"""Store pipeline: writes each record with ``Store.upsert_post`` / ``Store.upsert_factcheck`` through the
process's :class:`crawlers.writer.BatchWriter` (short transactions; see there why a crawl killed at any
moment loses nothing). The open transaction is committed when a spider closes."""

from __future__ import annotations

import logging

from crawlers.items import Item
from crawlers.pipelines.base import PantauPipeline
from pantau.errors import StoreError
from pantau.records import Post

log = logging.getLogger(__name__)


class StorePipeline(PantauPipeline):
    async def process_item(self, item: Item) -> Item:
        record = item.record
        if record is None:
            raise self.drop("not_validated")
        try:
            result = await self.ctx.writer.submit(self.ctx.writer.upsert, record)
        except StoreError as exc:
            log.error("record %s not stored: %s", getattr(record, "id", "?"), exc)
            self.count("errors/store")
            raise self.drop("store_error", str(exc)) from None
        kind = "posts" if isinstance(record, Post) else "factchecks"
        self.count(result.result.value)
        self.count(f"{kind}/{result.result.value}")
        return item

    async def close_spider(self) -> None:
        try:
            await self.ctx.writer.submit(self.ctx.writer.commit)
        except StoreError as exc:
            log.error("last batch not stored: %s", exc)
            self.count("errors/store")
