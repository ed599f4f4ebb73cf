"""Bulk writes: many rows in one statement, and many posts stored in one transaction.

:func:`insert_rows` sends rows to SQLite column by column through the column types' own bind processors
(SQLAlchemy's per-row parameter machinery is most of an ``executemany``'s cost otherwise).
:func:`upsert_posts` stores a chunk of posts with the result of :meth:`Store.upsert_post` for each —
created, updated or unchanged, never a second row for a post already stored — but finds the stored copies
with three queries per chunk and inserts the new posts with one statement: what ``pantau import`` of a
large export and ``bench/index.py`` use.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import JSON, Table, select
from sqlalchemy.orm import Session

from pantau.records import Post, content_hash, utcnow
from pantau.store.tables import PostRow

if TYPE_CHECKING:
    from pantau.store.store import Store, Stored

_POSTS = cast(Table, PostRow.__table__)


def insert_rows(s: Session, table: Table, rows: list[dict[str, Any]], same: tuple[str, ...] = ()) -> None:
    """Insert ``rows`` (dicts with the same keys) in one ``executemany``. On SQLite the parameters go
    column by column through the column types' bind processors straight to the driver; elsewhere through
    SQLAlchemy's ``insert``. ``same``: columns whose value is the same in every row (processed once)."""
    if not rows:
        return
    conn = s.connection()
    dialect = conn.dialect
    if dialect.name != "sqlite" or dialect.paramstyle != "qmark":
        s.execute(table.insert(), rows)
        return
    names = list(rows[0])
    columns: list[list[Any]] = []
    for name, values in zip(names, zip(*(row.values() for row in rows), strict=True), strict=True):
        column_type = table.c[name].type
        # the dialect's own processor (SQLite's DATETIME writes its text format), as SQLAlchemy uses it
        process = column_type.dialect_impl(dialect).bind_processor(dialect)
        if name in same:
            columns.append([process(values[0]) if process is not None else values[0]] * len(values))
        elif process is None:
            columns.append(list(values))
        elif isinstance(column_type, JSON):
            # most list columns of a post are empty: their JSON text is made once
            empty_list, empty_dict = process([]), process({})
            columns.append(
                [
                    empty_list
                    if type(v) is list and not v
                    else empty_dict
                    if type(v) is dict and not v
                    else process(v)
                    for v in values
                ]
            )
        else:
            columns.append(list(map(process, values)))
    sql = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})"
    conn.exec_driver_sql(sql, list(zip(*columns, strict=True)))


def post_values(post: Post, now: datetime) -> dict[str, Any]:
    """The ``posts`` row of a new post, as column values."""
    author, engagement = post.author, post.engagement
    return {
        "id": post.id,
        "platform": post.platform,
        "source_id": post.source_id,
        "url": post.url,
        "platform_post_id": post.platform_post_id,
        "author_handle": author.handle,
        "author_name": author.display_name,
        "author_kind": author.kind.value,
        "published_at": post.published_at,
        "fetched_at": post.fetched_at,
        "updated_at": now,
        "title": post.title,
        "text": post.text,
        "language": post.language,
        "hashtags": post.hashtags,
        "mentions": post.mentions,
        "links": post.links,
        "media_urls": post.media_urls,
        "forwarded_from": post.forwarded_from,
        "views": engagement.views,
        "likes": engagement.likes,
        "shares": engagement.shares,
        "comments": engagement.comments,
        "tags": post.tags,
        "content_hash": post.content_hash,
        "evidence_sha256": post.evidence_sha256,
    }


def _keys(post: Post) -> list[tuple[str, ...]]:
    """What identifies a stored copy of ``post`` (see :meth:`Store.find_existing_post`)."""
    keys: list[tuple[str, ...]] = [("id", post.id)]
    if post.platform_post_id:
        keys.append(("pid", post.platform, post.platform_post_id))
    if post.url:
        keys.append(("url", post.platform, post.url))
    return keys


def _stored_keys(s: Session, posts: Sequence[Post]) -> set[tuple[str, ...]]:
    """The keys of ``posts`` that some stored post has already."""
    found: set[tuple[str, ...]] = set()
    ids = [p.id for p in posts]
    found.update(("id", i) for i in s.scalars(select(PostRow.id).where(PostRow.id.in_(ids))))
    by_platform: dict[str, set[str]] = {}
    for p in posts:
        if p.platform_post_id:
            by_platform.setdefault(p.platform, set()).add(p.platform_post_id)
    for platform, pids in by_platform.items():
        # one platform per query: (platform = ? AND platform_post_id IN (...)) searches the unique index,
        # where a row-value IN over both columns would scan it
        known = s.scalars(
            select(PostRow.platform_post_id).where(
                PostRow.platform == platform, PostRow.platform_post_id.in_(sorted(pids))
            )
        )
        found.update(("pid", platform, str(pid)) for pid in known)
    urls = {p.url for p in posts if p.url}
    if urls:
        query = select(PostRow.platform, PostRow.url).where(PostRow.url.in_(sorted(urls)))
        found.update(("url", platform, str(url)) for platform, url in s.execute(query))
    return found


def upsert_posts(store: Store, posts: Sequence[Post]) -> list[Stored]:
    """Store ``posts`` in one transaction, each exactly as :meth:`Store.upsert_post` would (in order).

    Posts that no stored post (and no earlier post of the chunk) matches by id, platform id or URL are
    inserted together; the rest — and posts without a platform id, matched by content — go through
    :meth:`Store.upsert_post` one by one, after the new posts before them are inserted."""
    from pantau.store.store import Stored, UpsertResult

    posts = [
        p if p.content_hash else p.model_copy(update={"content_hash": content_hash(p.text)}) for p in posts
    ]
    now = utcnow()
    out: list[Stored] = []
    with store.session() as s:
        taken = _stored_keys(s, posts)
        fresh: list[dict[str, Any]] = []
        for post in posts:
            keys = _keys(post)
            if post.platform_post_id and not any(k in taken for k in keys):
                fresh.append(post_values(post, now))
                out.append(Stored(post.id, UpsertResult.created))
            else:
                insert_rows(s, _POSTS, fresh)
                fresh = []
                out.append(store.upsert_post(post, s))
            taken.update(keys)
        insert_rows(s, _POSTS, fresh)
    return out
