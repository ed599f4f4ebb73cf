"""Streaming export of a search as CSV or JSONL, in constant memory.

The search is walked page by page with the index's own cursor (search_after on date or risk), and every
page is written out and dropped before the next is read, so a million rows cost what one page costs.
Authors who are not monitored accounts are always pseudonymised here, whatever the caller's role.

CSV cells that start with ``=``, ``+``, ``-``, ``@``, tab or carriage return get a leading ``'`` so a
spreadsheet never runs a post's text as a formula (post text is hostile).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from api.services.posts import summary
from api.state import Viewer
from indexes.base import Filters, IndexDocument, Query, SearchIndex

PAGE = 500
COLUMNS = (
    "id",
    "platform",
    "source_id",
    "url",
    "author_handle",
    "author_name",
    "author_kind",
    "author_pseudonymised",
    "published_at",
    "fetched_at",
    "title",
    "text",
    "language",
    "tags",
    "hashtags",
    "hoax_label",
    "hoax_score",
    "endorsement_label",
    "endorsement_score",
    "risk",
    "factcheck_ids",
    "claim_similarity",
    "review_status",
    "views",
    "likes",
    "shares",
    "comments",
)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def documents(
    index: SearchIndex, text: str, filters: Filters, sort: str, max_rows: int | None, page_size: int = PAGE
) -> Iterator[IndexDocument]:
    """Every document of the search, page by page."""
    cursor: str | None = None
    sent = 0
    while True:
        limit = page_size if max_rows is None else min(page_size, max_rows - sent)
        if limit <= 0:
            return
        query = Query.build(
            text=text, filters=filters, sort=sort, limit=limit, cursor=cursor, highlight=False
        )
        result = index.search(query)
        for hit in result.hits:
            yield hit.document
        sent += len(result.hits)
        cursor = result.next_cursor
        if not cursor or not result.hits:
            return


def row(viewer: Viewer, doc: IndexDocument) -> dict[str, Any]:
    """One export row (flat; lists joined by '|' in CSV)."""
    post = summary(viewer, doc)
    return {
        "id": post.id,
        "platform": post.platform,
        "source_id": post.source_id,
        "url": post.url,
        "author_handle": post.author.handle,
        "author_name": post.author.display_name,
        "author_kind": post.author.kind,
        "author_pseudonymised": post.author.pseudonymised,
        "published_at": post.published_at.isoformat() if post.published_at else None,
        "fetched_at": post.fetched_at.isoformat() if post.fetched_at else None,
        "title": post.title,
        "text": post.text,
        "language": post.language,
        "tags": post.tags,
        "hashtags": post.hashtags,
        "hoax_label": post.labels.get("hoax"),
        "hoax_score": post.scores.get("hoax"),
        "endorsement_label": post.labels.get("endorsement"),
        "endorsement_score": post.scores.get("endorsement"),
        "risk": post.risk,
        "factcheck_ids": post.factcheck_ids,
        "claim_similarity": post.claim_similarity,
        "review_status": post.review_status,
        "views": post.engagement.get("views"),
        "likes": post.engagement.get("likes"),
        "shares": post.engagement.get("shares"),
        "comments": post.engagement.get("comments"),
    }


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = "|".join(str(v) for v in value)
    text = str(value)
    if text.startswith(FORMULA_START):
        return "'" + text
    return text


def jsonl(viewer: Viewer, docs: Iterator[IndexDocument], chunk_rows: int = 200) -> Iterator[bytes]:
    """JSON Lines, a chunk of rows at a time."""
    buf: list[str] = []
    for doc in docs:
        buf.append(json.dumps(row(viewer, doc), ensure_ascii=False))
        if len(buf) >= chunk_rows:
            yield ("\n".join(buf) + "\n").encode("utf-8")
            buf = []
    if buf:
        yield ("\n".join(buf) + "\n").encode("utf-8")


def csv_rows(viewer: Viewer, docs: Iterator[IndexDocument], chunk_rows: int = 200) -> Iterator[bytes]:
    """CSV with a header row (UTF-8 with BOM, so spreadsheets read Indonesian text right)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    first = True
    for n, doc in enumerate(docs, start=1):
        data = row(viewer, doc)
        writer.writerow([_cell(data[c]) for c in COLUMNS])
        if n % chunk_rows == 0:
            yield (("\ufeff" if first else "") + out.getvalue()).encode("utf-8")
            first = False
            out.seek(0)
            out.truncate()
    yield (("\ufeff" if first else "") + out.getvalue()).encode("utf-8")
