"""Search, post detail and similar posts: the index answers searches, the store answers detail."""

from __future__ import annotations

from typing import Any

import pydantic_core
from sqlalchemy import func, select

from api.schemas import (
    ClaimMatchOut,
    ClusterOut,
    EvidenceOut,
    FactCheckOut,
    PostDetail,
    PostNarrativeOut,
    PostSummary,
    PredictionOut,
    SearchPage,
)
from api.services.reviews import history
from api.state import Viewer
from indexes.base import IndexDocument, Query, SearchHit, SearchIndex
from pantau.errors import NotFound, PantauError
from pantau.store import Store
from pantau.store.tables import (
    ClaimMatchRow,
    CoordClusterRow,
    EvidenceRow,
    FactCheckRow,
    NarrativePostRow,
    NarrativeRow,
    PostRow,
    PredictionRow,
)

CLUSTER_SAMPLE = 50


def summary(viewer: Viewer, doc: IndexDocument, hit: SearchHit | None = None) -> PostSummary:
    """One index document as this viewer may see it."""
    hidden = viewer.hides(doc.author_kind)
    # every value comes from a validated IndexDocument: build without validating again (hot path)
    return PostSummary.model_construct(
        id=doc.id,
        platform=doc.platform,
        source_id=doc.source_id,
        url=None if hidden else doc.url,
        author=viewer.author(doc.platform, doc.author_handle, doc.author_name, doc.author_kind),
        published_at=doc.published_at,
        fetched_at=doc.fetched_at,
        title=doc.title,
        text=doc.text,
        snippet=hit.snippet if hit else "",
        snippet_html=hit.snippet_html if hit else "",
        language=doc.language,
        tags=doc.tags,
        hashtags=doc.hashtags,
        labels=doc.labels,
        scores=doc.scores,
        risk=doc.risk,
        factcheck_ids=doc.factcheck_ids,
        claim_similarity=doc.claim_similarity,
        review_status=doc.review_status,
        engagement=doc.engagement,
        relevance=hit.score if hit else None,
    )


def summary_fields(viewer: Viewer, doc: IndexDocument, hit: SearchHit) -> dict[str, Any]:
    """:func:`summary` of a search hit as the plain dict of :class:`PostSummary`'s fields, in order."""
    hidden = viewer.hides(doc.author_kind)
    return {
        "id": doc.id,
        "platform": doc.platform,
        "source_id": doc.source_id,
        "url": None if hidden else doc.url,
        "author": viewer.author_fields(doc.platform, doc.author_handle, doc.author_name, doc.author_kind),
        "published_at": doc.published_at,
        "fetched_at": doc.fetched_at,
        "title": doc.title,
        "text": doc.text,
        "snippet": hit.snippet,
        "snippet_html": hit.snippet_html,
        "language": doc.language,
        "tags": doc.tags,
        "hashtags": doc.hashtags,
        "labels": doc.labels,
        "scores": doc.scores,
        "risk": doc.risk,
        "factcheck_ids": doc.factcheck_ids,
        "claim_similarity": doc.claim_similarity,
        "review_status": doc.review_status,
        "engagement": doc.engagement,
        "relevance": hit.score,
    }


def search_json(index: SearchIndex, query: Query, viewer: Viewer) -> bytes:
    """One page of search results as the JSON of :class:`SearchPage`, serialised straight from plain
    values (the API's hot path: no response models are built; ``tests/api/test_posts.py`` checks the
    bytes against :func:`search`)."""
    result = index.search(query)
    return pydantic_core.to_json(
        {
            "total": result.total,
            "next_cursor": result.next_cursor,
            "took_ms": round(result.took_ms, 2),
            "facets": result.facets,
            "hits": [summary_fields(viewer, hit.document, hit) for hit in result.hits],
        }
    )


def search(index: SearchIndex, query: Query, viewer: Viewer) -> SearchPage:
    """One page of search results."""
    result = index.search(query)
    return SearchPage(
        total=result.total,
        next_cursor=result.next_cursor,
        took_ms=round(result.took_ms, 2),
        facets=result.facets,
        hits=[summary(viewer, hit.document, hit) for hit in result.hits],
    )


def similar(index: SearchIndex, store: Store, post_id: str, k: int, viewer: Viewer) -> list[PostSummary]:
    """Posts worded like ``post_id`` (404 when the post does not exist)."""
    _require_post(store, post_id)
    return [summary(viewer, hit.document) for hit in index.similar(post_id, k)]


def _require_post(store: Store, post_id: str) -> None:
    with store.session() as s:
        if s.get(PostRow, post_id) is None:
            raise NotFound(f"post {post_id!r} does not exist")


def factcheck_out(row: FactCheckRow) -> FactCheckOut:
    return FactCheckOut.model_validate(row, from_attributes=True)


def detail(store: Store, index: SearchIndex | None, post_id: str, viewer: Viewer) -> PostDetail:
    """Everything about one post: predictions with reasons, claim matches, coordination cluster,
    evidence metadata and review history — from the store; the risk from the index when indexed."""
    with store.session() as s:
        row = s.get(PostRow, post_id)
        if row is None:
            raise NotFound(f"post {post_id!r} does not exist")
        predictions = [
            PredictionOut.model_validate(p, from_attributes=True)
            for p in s.scalars(
                select(PredictionRow)
                .where(PredictionRow.post_id == post_id)
                .order_by(PredictionRow.task, PredictionRow.created_at.desc())
            )
        ]
        matches = [
            ClaimMatchOut(
                factcheck_id=m.factcheck_id,
                similarity=m.similarity,
                rank=m.rank,
                model_version=m.model_version,
                factcheck=factcheck_out(fc),
            )
            for m, fc in s.execute(
                select(ClaimMatchRow, FactCheckRow)
                .join(FactCheckRow, FactCheckRow.id == ClaimMatchRow.factcheck_id)
                .where(ClaimMatchRow.post_id == post_id)
                .order_by(ClaimMatchRow.rank, ClaimMatchRow.similarity.desc())
            )
        ]
        cluster = None
        if row.cluster_id:
            members = s.execute(
                select(PostRow.id, PostRow.author_handle)
                .where(PostRow.cluster_id == row.cluster_id)
                .order_by(PostRow.published_at, PostRow.id)
            ).all()
            info = s.get(CoordClusterRow, row.cluster_id)
            if len(members) > 1:  # a cluster of one is just a post
                cluster = ClusterOut(
                    id=row.cluster_id,
                    size=len(members),
                    post_ids=[m[0] for m in members[:CLUSTER_SAMPLE]],
                    accounts=len({m[1] for m in members}),
                    coordinated=info.coordinated if info else None,
                    score=info.score if info else None,
                    first_seen=info.first_seen if info else None,
                    last_seen=info.last_seen if info else None,
                    platforms=dict(info.platforms or {}) if info else {},
                    burst_accounts=info.burst_accounts if info else 0,
                )
        narrative = None
        member = s.get(NarrativePostRow, post_id)
        narrative_row = s.get(NarrativeRow, member.narrative_id) if member is not None else None
        if narrative_row is not None:
            narrative = PostNarrativeOut.model_validate(narrative_row, from_attributes=True)
        evidence = None
        if row.evidence_sha256:
            ev = s.get(EvidenceRow, row.evidence_sha256)
            if ev is not None:
                evidence = EvidenceOut.model_validate(ev, from_attributes=True)
        hidden = viewer.hides(row.author_kind)
        out = PostDetail(
            id=row.id,
            platform=row.platform,
            source_id=row.source_id,
            url=None if hidden else row.url,
            author=viewer.author(row.platform, row.author_handle, row.author_name, row.author_kind),
            published_at=row.published_at,
            fetched_at=row.fetched_at,
            title=row.title,
            text=row.text,
            language=row.language,
            tags=list(row.tags or []),
            hashtags=list(row.hashtags or []),
            mentions=list(row.mentions or []),
            links=list(row.links or []),
            media_urls=list(row.media_urls or []),
            forwarded_from=row.forwarded_from,
            engagement={
                "views": row.views,
                "likes": row.likes,
                "shares": row.shares,
                "comments": row.comments,
            },
            predictions=predictions,
            claim_matches=matches,
            cluster=cluster,
            narrative=narrative,
            evidence=None if (hidden and evidence is not None) else evidence,
        )
    out.reviews = history(store, post_id, viewer)
    out.review_status = out.reviews[0].verdict if out.reviews else "unreviewed"
    if index is not None:
        try:
            doc = index.get(post_id)
        except PantauError:
            doc = None
        out.risk = doc.risk if doc is not None else None
    return out


def count_posts(store: Store) -> int:
    with store.session() as s:
        return int(s.scalar(select(func.count()).select_from(PostRow)) or 0)
