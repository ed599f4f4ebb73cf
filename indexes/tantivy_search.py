"""search_after pagination on tantivy for the date and risk sorts.

Order is (sort key, post id): tantivy sorts by one fast field, so ties on the key are resolved here by
reading the whole tie group (almost always one document, see :func:`indexes.tantivy_schema.date_key`)
and ordering it by id. The next page asks for keys strictly beyond the cursor's key plus the rest of the
cursor's tie group, so documents added meanwhile land where they belong and never shift a page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import tantivy

from indexes.base import IndexDocument
from indexes.cursor import Cursor

if TYPE_CHECKING:
    from indexes.tantivy_index import TantivyIndex

SORT_FIELDS = {"date": ("date_key", True), "date_asc": ("date_key", False), "risk": ("risk_key", True)}
MAX_TIE_GROUP = 10_000


def _count(res: tantivy.SearchResult) -> int:
    """The hit count of a search run with ``count=True``."""
    return int(getattr(res, "count", 0) or 0)


def _and(*queries: tantivy.Query) -> tantivy.Query:
    return tantivy.Query.boolean_query([(tantivy.Occur.Must, q) for q in queries])


def _tie_group(
    idx: TantivyIndex, searcher: tantivy.Searcher, base: tantivy.Query, field: str, key: int
) -> list[tuple[int, IndexDocument]]:
    eq = tantivy.Query.range_query(idx.schema, field, tantivy.FieldType.Integer, key, key)
    res = searcher.search(_and(base, eq), MAX_TIE_GROUP, count=False)
    return [(key, idx._load(searcher, addr)) for _, addr in res.hits]


def keyed_page(
    idx: TantivyIndex,
    searcher: tantivy.Searcher,
    base: tantivy.Query,
    sort: str,
    cursor: Cursor | None,
    limit: int,
) -> tuple[list[IndexDocument], int, Cursor | None]:
    """One page sorted by ``sort``: documents, total matching ``base``, and the cursor of the next page."""
    field, desc = SORT_FIELDS[sort]
    order = tantivy.Order.Desc if desc else tantivy.Order.Asc
    rows: dict[str, tuple[int, IndexDocument]] = {}
    query = base
    if cursor is not None and isinstance(cursor.key, int) and cursor.id is not None:
        for key, doc in _tie_group(idx, searcher, base, field, cursor.key):
            if doc.id > cursor.id:
                rows[doc.id] = (key, doc)
        low, high = (None, cursor.key) if desc else (cursor.key, None)
        beyond = tantivy.Query.range_query(
            idx.schema,
            field,
            tantivy.FieldType.Integer,
            low,
            high,
            include_lower=desc or low is None,
            include_upper=not desc or high is None,
        )
        query = _and(base, beyond)
        total = _count(searcher.search(base, 1, count=True))
        res = searcher.search(query, limit + 1, count=False, order_by_field=field, order=order)
    else:
        res = searcher.search(query, limit + 1, count=True, order_by_field=field, order=order)
        total = _count(res)
    fetched = [(int(key), addr) for key, addr in res.hits]
    for key, addr in fetched:
        doc = idx._load(searcher, addr)
        rows[doc.id] = (key, doc)

    def in_order(values: list[tuple[int, IndexDocument]]) -> list[tuple[int, IndexDocument]]:
        return sorted(values, key=lambda kd: ((-kd[0] if desc else kd[0]), kd[1].id))

    ordered = in_order(list(rows.values()))
    if len(fetched) == limit + 1 and fetched[-1][0] in {key for key, _ in ordered[:limit]}:
        # the last fetched key's group reaches into the page and may continue past what was fetched
        for key, doc in _tie_group(idx, searcher, query, field, fetched[-1][0]):
            rows[doc.id] = (key, doc)
        ordered = in_order(list(rows.values()))
    page = ordered[:limit]
    more = len(ordered) > limit
    last = Cursor(sort=sort, key=page[-1][0], id=page[-1][1].id) if more and page else None
    return [doc for _, doc in page], total, last
