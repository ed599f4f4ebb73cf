"""Evidence pipeline: the raw body of every fetched page, gzip-compressed and content-addressed by
SHA-256, with URL, HTTP status, fetch time and crawler version (:meth:`pantau.store.Store.put_evidence`).

Items from one page share one snapshot, written once. The evidence is written before the record, so a
crash in between leaves at worst an unreferenced snapshot, never a record pointing at nothing.
"""

from __future__ import annotations

import logging

from crawlers.items import Item
from crawlers.pipelines.base import PantauPipeline
from pantau.errors import PantauError

log = logging.getLogger(__name__)


class EvidencePipeline(PantauPipeline):
    def process_item(self, item: Item) -> Item:
        fetched = item.fetched
        if fetched is None or item.record is None:
            return item
        if fetched.sha256 is None:
            try:
                evidence = self.ctx.store.put_evidence(
                    fetched.body,
                    url=fetched.url,
                    status=fetched.status,
                    fetched_at=fetched.fetched_at,
                    crawler_version=self.ctx.crawler_version,
                    content_type=fetched.content_type,
                )
            except (OSError, PantauError) as exc:
                # keep the record without a snapshot rather than lose it; the error is counted and logged
                log.error("evidence for %s not stored: %s", fetched.url, exc)
                self.count("errors/evidence")
                return item
            fetched.sha256 = evidence.sha256
            self.count("evidence")
        item.record.evidence_sha256 = fetched.sha256
        return item
