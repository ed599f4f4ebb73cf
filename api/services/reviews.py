"""Fact-checkers' verdicts on posts. Every change is written to the audit log in the same transaction,
and the post's ``review_status`` in the search index follows the latest verdict."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update

from api.auth import Principal
from api.policy import Role
from api.schemas import ReviewIn, ReviewOut
from api.services import audit
from indexes.base import SearchIndex
from pantau.errors import NotFound, PantauError, PermissionDenied
from pantau.records import utcnow
from pantau.store import Store
from pantau.store.tables import PostRow, ReviewRow, UserRow

if TYPE_CHECKING:
    from api.state import Viewer

log = logging.getLogger("api")

#: how ClaimReview (schema.org) rates each verdict: (ratingValue 1–5, alternateName in Indonesian)
CLAIMREVIEW_RATINGS = {
    "confirmed_hoax": (1, "Salah / Hoaks"),
    "misleading": (2, "Menyesatkan"),
    "needs_context": (3, "Butuh Konteks"),
    "not_hoax": (5, "Benar"),
}


def history(store: Store, post_id: str, viewer: Viewer) -> list[ReviewOut]:
    """Reviews of a post, newest first (reviewer names only for roles that review)."""
    with store.session() as s:
        rows = s.execute(
            select(ReviewRow, UserRow.name)
            .outerjoin(UserRow, UserRow.id == ReviewRow.reviewer_id)
            .where(ReviewRow.post_id == post_id)
            .order_by(ReviewRow.created_at.desc(), ReviewRow.id.desc())
        ).all()
    return [_out(r, name if viewer.sees_reviewers else None) for r, name in rows]


def _out(row: ReviewRow, reviewer: str | None) -> ReviewOut:
    return ReviewOut(
        id=row.id,
        post_id=row.post_id,
        verdict=row.verdict,
        note=row.note,
        factcheck_url=row.factcheck_url,
        reviewer=reviewer,
        created_at=row.created_at,
    )


def record(
    store: Store, index: SearchIndex | None, post_id: str, body: ReviewIn, user: Principal
) -> ReviewOut:
    """Record a verdict on ``post_id`` (404 when the post does not exist)."""
    with store.session() as s:
        post = s.get(PostRow, post_id)
        if post is None:
            raise NotFound(f"post {post_id!r} does not exist")
        previous = s.scalars(
            select(ReviewRow.verdict)
            .where(ReviewRow.post_id == post_id)
            .order_by(ReviewRow.created_at.desc(), ReviewRow.id.desc())
            .limit(1)
        ).first()
        row = ReviewRow(
            post_id=post_id,
            verdict=body.verdict,
            note=body.note,
            factcheck_url=body.factcheck_url,
            reviewer_id=user.user_id,
            created_at=utcnow(),
        )
        s.add(row)
        s.flush()
        audit.record(
            s,
            actor=user.name,
            action="review.create",
            object_type="post",
            object_id=post_id,
            details={
                "review_id": row.id,
                "verdict": body.verdict,
                "previous": previous or "unreviewed",
                "note": body.note,
                "factcheck_url": body.factcheck_url,
            },
        )
        out = _out(row, user.name)
    sync_index(store, index, post_id, body.verdict)
    return out


def delete(store: Store, index: SearchIndex | None, review_id: int, user: Principal) -> None:
    """Remove a review (its author or an admin); the audit log keeps what it said."""
    with store.session() as s:
        row = s.get(ReviewRow, review_id)
        if row is None:
            raise NotFound(f"review {review_id} does not exist")
        if row.reviewer_id != user.user_id and user.role != Role.admin:
            raise PermissionDenied(
                f"review {review_id} was written by someone else; only they or an admin may remove it"
            )
        details: dict[str, Any] = {
            "review_id": row.id,
            "verdict": row.verdict,
            "note": row.note,
            "factcheck_url": row.factcheck_url,
            "reviewer_id": row.reviewer_id,
        }
        post_id = row.post_id
        s.delete(row)
        s.flush()
        latest = s.scalars(
            select(ReviewRow.verdict)
            .where(ReviewRow.post_id == post_id)
            .order_by(ReviewRow.created_at.desc(), ReviewRow.id.desc())
            .limit(1)
        ).first()
        details["now"] = latest or "unreviewed"
        audit.record(
            s, actor=user.name, action="review.delete", object_type="post", object_id=post_id, details=details
        )
    sync_index(store, index, post_id, latest or "unreviewed")


def sync_index(store: Store, index: SearchIndex | None, post_id: str, status: str) -> None:
    """Set the post's review status in the index; when that fails the post is marked un-indexed, so the
    next ``pantau process`` re-indexes it (a review is never lost to a busy index)."""
    try:
        if index is None:
            raise PantauError("no search index")
        doc = index.get(post_id)
        if doc is not None:
            index.upsert([doc.model_copy(update={"review_status": status})])
        return
    except PantauError as exc:
        log.warning(
            "post %s: review status not written to the index (%s); marked for re-indexing", post_id, exc
        )
    with store.session() as s:
        s.execute(update(PostRow).where(PostRow.id == post_id).values(indexed_at=None))


def latest(store: Store, post_id: str) -> ReviewRow | None:
    """The current verdict row of a post."""
    with store.session() as s:
        return s.scalars(
            select(ReviewRow)
            .where(ReviewRow.post_id == post_id)
            .order_by(ReviewRow.created_at.desc(), ReviewRow.id.desc())
            .limit(1)
        ).first()


def claimreview(store: Store, post_id: str, viewer: Viewer, publisher: str = "pantau") -> dict[str, Any]:
    """The schema.org ``ClaimReview`` (JSON-LD) of a reviewed post (404 when it has no review)."""
    with store.session() as s:
        post = s.get(PostRow, post_id)
        if post is None:
            raise NotFound(f"post {post_id!r} does not exist")
        review = s.scalars(
            select(ReviewRow)
            .where(ReviewRow.post_id == post_id)
            .order_by(ReviewRow.created_at.desc(), ReviewRow.id.desc())
            .limit(1)
        ).first()
        if review is None:
            raise NotFound(f"post {post_id!r} has no review yet — record a verdict first")
    value, name = CLAIMREVIEW_RATINGS.get(review.verdict, (3, review.verdict))
    author = viewer.author(post.platform, post.author_handle, post.author_name, post.author_kind)
    claim = post.title or post.text
    item: dict[str, Any] = {
        "@type": "Claim",
        "author": {
            "@type": "Organization" if post.author_kind in ("media", "official_campaign") else "Person",
            "name": author.display_name or author.handle or "unknown",
        },
    }
    if post.published_at is not None:
        item["datePublished"] = post.published_at.isoformat()
    if post.url and not viewer.hides(post.author_kind):
        item["appearance"] = [{"@type": "CreativeWork", "url": post.url}]
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "datePublished": review.created_at.date().isoformat(),
        "claimReviewed": claim[:1000],
        "author": {"@type": "Organization", "name": publisher},
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": value,
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": name,
        },
        "itemReviewed": item,
    }
    if review.factcheck_url:
        data["url"] = review.factcheck_url
    return data
