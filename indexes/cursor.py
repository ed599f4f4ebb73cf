"""Opaque pagination cursors (search_after).

A cursor records where the previous page ended — the sort key and post id of its last hit (or, for
relevance, an offset and the snapshot it was counted in) — plus a fingerprint of the query, so a cursor
cannot be replayed against a different search. Pages sorted by date or risk are keyed on values of the
documents themselves, so documents indexed between two requests never shift or repeat a page.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from indexes.base import Query
from pantau.errors import QuerySyntaxError


@dataclass(frozen=True)
class Cursor:
    sort: str
    key: float | int | None = None
    id: str | None = None
    offset: int = 0
    snapshot: str | None = None
    after: tuple[Any, ...] | None = None  # Elasticsearch search_after values


def fingerprint(query: Query) -> str:
    """What must not change between the pages of one search."""
    data = json.dumps(
        [query.text, query.filters.model_dump(mode="json"), query.effective_sort], sort_keys=True, default=str
    )
    return hashlib.sha256(data.encode()).hexdigest()[:16]


def encode(query: Query, cursor: Cursor) -> str:
    """The opaque string handed to the caller as ``next_cursor``."""
    payload: dict[str, Any] = {"f": fingerprint(query), "s": cursor.sort, "o": cursor.offset}
    if cursor.key is not None:
        payload["k"] = cursor.key
    if cursor.id is not None:
        payload["i"] = cursor.id
    if cursor.snapshot is not None:
        payload["t"] = cursor.snapshot
    if cursor.after is not None:
        payload["a"] = list(cursor.after)
    raw = json.dumps(payload, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(query: Query) -> Cursor | None:
    """The cursor of ``query`` (None on a first page); :class:`QuerySyntaxError` when it is not one of
    ours or belongs to another search."""
    if not query.cursor:
        return None
    bad = QuerySyntaxError(
        f"cursor {query.cursor[:40]!r} is not valid for this search — start again without a cursor"
    )
    try:
        text = query.cursor + "=" * (-len(query.cursor) % 4)
        payload = json.loads(base64.urlsafe_b64decode(text.encode("ascii")))
    except (ValueError, binascii.Error, UnicodeError):
        raise bad from None
    if not isinstance(payload, dict) or payload.get("f") != fingerprint(query):
        raise bad
    key, post_id, offset = payload.get("k"), payload.get("i"), payload.get("o", 0)
    snapshot = payload.get("t")
    after = payload.get("a")
    if (
        payload.get("s") != query.effective_sort
        or (key is not None and (isinstance(key, bool) or not isinstance(key, int | float)))
        or (post_id is not None and not isinstance(post_id, str))
        or isinstance(offset, bool)
        or not isinstance(offset, int)
        or not 0 <= offset <= 100_000
        or (snapshot is not None and not isinstance(snapshot, str))
        or (after is not None and not _scalars(after))
    ):
        raise bad
    return Cursor(
        sort=payload["s"],
        key=key,
        id=post_id,
        offset=offset,
        snapshot=snapshot,
        after=tuple(after) if after is not None else None,
    )


def _scalars(value: Any) -> bool:
    return (
        isinstance(value, list)
        and 0 < len(value) <= 4
        and all(isinstance(v, str | int | float) and not isinstance(v, bool) for v in value)
    )
