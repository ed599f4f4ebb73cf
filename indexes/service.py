"""The services the core reaches through entry points: ``search_index`` and ``index_status``."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import update

from indexes import registry
from indexes.base import SearchIndex
from pantau.errors import PantauError
from pantau.settings import Settings
from pantau.store import Store
from pantau.store.tables import PostRow

log = logging.getLogger(__name__)


def mark_all_unindexed(settings: Settings) -> int:
    """Set ``posts.indexed_at`` to null everywhere, so the next ``pantau process`` re-indexes all posts."""
    store = Store.open(settings)
    try:
        with store.session() as s:
            result = s.execute(update(PostRow).where(PostRow.indexed_at.is_not(None)).values(indexed_at=None))
            return int(getattr(result, "rowcount", 0) or 0)
    finally:
        store.close()


def open_index(settings: Settings) -> SearchIndex:
    """The configured search backend, opened.

    When the index was just (re)created because its schema version changed, every stored post is marked
    un-indexed: the next ``pantau process`` (or ``pantau index rebuild``) fills it again from the store.
    """
    index = registry.create(settings)
    if getattr(index, "rebuilt", False):
        n = mark_all_unindexed(settings)
        log.warning("search index schema changed: index recreated, %d posts marked for re-indexing", n)
    return index


def index_status(settings: Settings) -> dict[str, Any]:
    """``{"backend", "documents", "size_bytes", "schema_version"}`` of the configured index."""
    try:
        index = open_index(settings)
    except PantauError as exc:
        return {"backend": settings.index.backend, "documents": 0, "size_bytes": 0, "error": str(exc)}
    try:
        return index.stats()
    finally:
        index.close()
