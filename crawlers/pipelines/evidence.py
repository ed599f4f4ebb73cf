"""Evidence pipeline: the raw body of every fetched page, gzip-compressed and content-addressed by
SHA-256, with URL, HTTP status, fetch time and crawler version (:meth:`pantau.store.Store.put_evidence`).

Items from one page share one snapshot, written once. The file is written first and its row joins the
record's transaction (:class:`crawlers.writer.BatchWriter`), so a record never points at nothing.
"""

from __future__ import annotations

import logging

from crawlers.items import Item
from crawlers.pipelines.base import PantauPipeline
from pantau.errors import PantauError

log = logging.getLogger(__name__)


class EvidencePipeline(PantauPipeline):
    async def process_item(self, item: Item) -> Item:
        fetched = item.fetched
        if fetched is None or item.record is None:
            return item
        if fetched.sha256 is None:
            try:
                sha = await self.ctx.writer.submit(self.ctx.writer.evidence, fetched)
            except (OSError, PantauError) as exc:
                # keep the record without a snapshot rather than lose it; the error is counted and logged
                log.error("evidence for %s not stored: %s", fetched.url, exc)
                self.count("errors/evidence")
                return item
            fetched.sha256 = sha
            self.count("evidence")
        item.record.evidence_sha256 = fetched.sha256
        return item
