"""Dedupe pipeline: drops the second copy of an item inside one run (same id, platform id or
canonical URL). Copies already in the store are found by :meth:`pantau.store.Store.upsert_post`, which
refreshes engagement counts instead of adding a row — the store pipeline reports those as updated."""

from __future__ import annotations

from crawlers.items import Item, PostItem
from crawlers.pipelines.base import PantauPipeline
from pantau.records import FactCheck, Post


class DedupePipeline(PantauPipeline):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.seen: set[str] = set()

    def keys(self, item: Item) -> list[str]:
        record = item.record
        if isinstance(item, PostItem) and isinstance(record, Post):
            keys = [f"id:{record.id}"]
            if record.platform_post_id:
                keys.append(f"pid:{record.platform}:{record.platform_post_id}")
            if record.url:
                keys.append(f"url:{record.platform}:{record.url}")
            return keys
        assert isinstance(record, FactCheck)
        keys = [f"fc:{record.id}"]
        if record.url:
            keys.append(f"fcurl:{record.url}")
        return keys

    def process_item(self, item: Item) -> Item:
        keys = self.keys(item)
        if any(k in self.seen for k in keys):
            self.count("duplicate_in_run")
            raise self.drop("duplicate", keys[0])
        self.seen.update(keys)
        return item
