"""Which posts ``pantau process`` touches, and loading them fast (see :mod:`pantau.process`).

A post is *pending* when, for any task of the promoted models, it has no prediction from the current
model version, or when it is not in the search index yet (``indexed_at`` null); a post whose predictions
are older than its last edit is re-scored too. Batches come in id order (keyset pagination), so a
resumed run starts cheaply where the last one stopped.

Loading is on the hot path (every scored post is loaded once): rows are read as plain columns and turned
into :class:`~pantau.records.Post` records without re-validating them — the store validated every post
on the way in.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, cast

from sqlalchemy import Table, and_, exists, func, or_, select
from sqlalchemy.sql.elements import ColumnElement

from pantau.records import AccountKind, Author, Engagement, Post, as_utc, record
from pantau.store import Store
from pantau.store.tables import PostRow, PredictionRow, ReviewRow


def needs_scoring(versions: dict[str, str]) -> ColumnElement[bool]:
    """SQL condition: the post lacks a current prediction for some task, or was edited after scoring."""
    missing = [
        ~exists().where(
            PredictionRow.post_id == PostRow.id,
            PredictionRow.task == task,
            PredictionRow.model_version == version,
        )
        for task, version in sorted(versions.items())
    ]
    edited = and_(
        PostRow.indexed_at.is_(None),
        exists().where(PredictionRow.post_id == PostRow.id, PredictionRow.created_at < PostRow.updated_at),
    )
    return or_(*missing, edited)


def count_pending(store: Store, versions: dict[str, str]) -> int:
    """How many posts ``pantau process`` would touch."""
    needs = needs_scoring(versions)
    with store.session() as s:
        return int(
            s.scalar(
                select(func.count()).select_from(PostRow).where(or_(PostRow.indexed_at.is_(None), needs))
            )
            or 0
        )


def count_to_score(store: Store, versions: dict[str, str], cap: int) -> int:
    """How many posts need scoring, counted up to ``cap`` (cheap when many do: the scan stops early)."""
    with store.session() as s:
        sub = select(PostRow.id).where(needs_scoring(versions)).limit(cap).subquery()
        return int(s.scalar(select(func.count()).select_from(sub)) or 0)


def pending_batches(
    store: Store, versions: dict[str, str], batch_size: int
) -> Iterator[list[tuple[str, bool]]]:
    """Batches of ``(post id, needs scoring)`` in id order (keyset pagination, so it resumes cheaply)."""
    needs = needs_scoring(versions)
    last = ""
    while True:
        with store.session() as s:
            rows = s.execute(
                select(PostRow.id, needs)
                .where(PostRow.id > last, or_(PostRow.indexed_at.is_(None), needs))
                .order_by(PostRow.id)
                .limit(batch_size)
            ).all()
        if not rows:
            return
        last = rows[-1][0]
        yield [(r[0], bool(r[1])) for r in rows]


_POSTS = cast(Table, PostRow.__table__)
_COLUMN_NAMES = (
    "id platform source_id url platform_post_id author_handle author_name author_kind published_at "
    "fetched_at title text language hashtags mentions links media_urls forwarded_from views likes "
    "shares comments tags content_hash evidence_sha256"
)
_COLUMNS = [_POSTS.c[name] for name in _COLUMN_NAMES.split()]


def _post_from(r: Any) -> Post:
    # the store validated this post when it was written: build the record without validating again
    published = r.published_at
    fetched = r.fetched_at
    return record(
        Post,
        {
            "id": r.id,
            "platform": r.platform,
            "source_id": r.source_id,
            "url": r.url,
            "platform_post_id": r.platform_post_id,
            "author": record(
                Author,
                {
                    "handle": r.author_handle,
                    "display_name": r.author_name,
                    "kind": AccountKind(r.author_kind),
                    "platform_id": None,
                },
            ),
            "published_at": as_utc(published) if published is not None else None,
            "fetched_at": as_utc(fetched),
            "title": r.title,
            "text": r.text,
            "language": r.language,
            "hashtags": list(r.hashtags or []),
            "mentions": list(r.mentions or []),
            "links": list(r.links or []),
            "media_urls": list(r.media_urls or []),
            "forwarded_from": r.forwarded_from,
            "engagement": record(
                Engagement, {"views": r.views, "likes": r.likes, "shares": r.shares, "comments": r.comments}
            ),
            "tags": list(r.tags or []),
            "content_hash": r.content_hash,
            "evidence_sha256": r.evidence_sha256,
        },
    )


def load_posts(store: Store, ids: Sequence[str]) -> list[Post]:
    """Stored posts by id (in the given order; missing ids are skipped)."""
    if not ids:
        return []
    with store.session() as s:
        rows = {r.id: r for r in s.execute(select(*_COLUMNS).where(_POSTS.c.id.in_(list(ids))))}
    return [_post_from(rows[i]) for i in ids if i in rows]


def load_reviews(store: Store, ids: Sequence[str]) -> dict[str, str]:
    """The latest review verdict of each reviewed post among ``ids``."""
    reviews: dict[str, str] = {}
    if not ids:
        return reviews
    with store.session() as s:
        for pid, verdict in s.execute(
            select(ReviewRow.post_id, ReviewRow.verdict)
            .where(ReviewRow.post_id.in_(ids))
            .order_by(ReviewRow.created_at, ReviewRow.id)
        ):
            reviews[pid] = verdict
    return reviews
