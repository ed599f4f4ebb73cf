"""Store pipeline: writes each record in its own transaction (``Store.upsert_post`` /
``Store.upsert_factcheck``), so a crawl killed at any moment keeps everything written before."""

from __future__ import annotations

import logging

from crawlers.items import Item
from crawlers.pipelines.base import PantauPipeline
from pantau.errors import StoreError
from pantau.records import Post

log = logging.getLogger(__name__)


class StorePipeline(PantauPipeline):
    def process_item(self, item: Item) -> Item:
        record = item.record
        store = self.ctx.store
        try:
            if isinstance(record, Post):
                result = store.upsert_post(record)
            elif record is not None:
                result = store.upsert_factcheck(record)
            else:
                raise self.drop("not_validated")
        except StoreError as exc:
            log.error("record %s not stored: %s", getattr(record, "id", "?"), exc)
            self.count("errors/store")
            raise self.drop("store_error", str(exc)) from None
        kind = "posts" if isinstance(record, Post) else "factchecks"
        self.count(result.result.value)
        self.count(f"{kind}/{result.result.value}")
        return item
