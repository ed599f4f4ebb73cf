"""``/v1/posts``: search, export, detail, similar posts, reviews and ClaimReview."""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Response
from fastapi.responses import JSONResponse, StreamingResponse

from api.auth import Principal
from api.deps import IndexDep, StateDep, StoreDep, require, viewer_for
from api.params import ExportParams, SearchParams
from api.policy import Permission
from api.routes.common import AUTH_ERRORS, BAD_QUERY, BODY, NOT_FOUND, UNAVAILABLE
from api.schemas import PostDetail, ReviewIn, ReviewOut, SearchPage, SimilarPage
from api.services import authors as author_service
from api.services import export as export_service
from api.services import posts as post_service
from api.services import reviews as review_service
from api.state import Viewer
from pantau.errors import PantauError

log = logging.getLogger("api")

router = APIRouter(prefix="/v1", responses=AUTH_ERRORS)

PostId = Annotated[
    str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_\-]+$", description="Post id.")
]
SearchViewer = Annotated[Viewer, Depends(viewer_for(Permission.posts_search))]
ReadViewer = Annotated[Viewer, Depends(viewer_for(Permission.posts_read))]
ReviewsViewer = Annotated[Viewer, Depends(viewer_for(Permission.reviews_read))]
Reviewer = Annotated[Principal, Depends(require(Permission.reviews_write))]


@router.get(
    "/posts/search",
    response_model=SearchPage,
    tags=["posts"],
    summary="Search posts",
    responses={**BAD_QUERY, **UNAVAILABLE},
)
def search_posts(
    params: Annotated[SearchParams, Query()], state: StateDep, index: IndexDep, viewer: SearchViewer
) -> Response:
    """Full-text search with filters and facets, one page at a time (follow `next_cursor`).

    Example: hoaxes about paslon 02 on Telegram since 1 February, riskiest first:
    `GET /v1/posts/search?q=hoaks&tag=paslon-02&platform=telegram&published_from=2029-02-01&sort=risk`

    `author=` (repeatable) keeps the posts of these accounts: handles of monitored accounts, or the
    `anon-…` pseudonyms shown for the others (fact-checkers and admins may use any handle).
    """
    authors = (
        author_service.author_filters(params.author, viewer, state.pseudonym_directory)
        if params.author
        else []
    )
    # A plain function, so FastAPI runs it in the thread pool. Running the search on the event loop
    # instead (tantivy holds the GIL either way) measured no less CPU per request, and on a busy
    # machine got the worker a smaller share of the cores (docs/api.md, Capacity).
    body = post_service.search_json(index, params.query(authors), viewer)
    return Response(body, media_type="application/json")


@router.get(
    "/posts/export",
    tags=["posts"],
    summary="Export a search (CSV or JSONL, streamed)",
    responses={
        200: {"content": {"text/csv": {}, "application/x-ndjson": {}}, "description": "The rows, streamed."},
        **BAD_QUERY,
        **UNAVAILABLE,
    },
    response_class=Response,
)
def export_posts(
    params: Annotated[ExportParams, Query()],
    state: StateDep,
    index: IndexDep,
    _user: Annotated[Principal, Depends(require(Permission.export))],
) -> Response:
    """Every post matching the search, streamed in constant memory. Authors who are not monitored
    accounts are pseudonymised in every export.

    Example — every flagged post from these accounts, as JSON Lines:
    `GET /v1/posts/export?author=relawan_nusantara&author=anon-3f9c1e0a7b2d4c55&min_risk=0.5`"""
    authors = (
        author_service.author_filters(params.author, state.viewer(_user), state.pseudonym_directory)
        if params.author
        else []
    )
    filters = params.filters(authors)
    viewer = state.viewer(_user, export=True)
    docs = export_service.documents(index, params.q, filters, params.sort, params.max_rows)
    # run the first page now: a bad query or an unavailable index answers 4xx/5xx, not a cut stream
    head = list(itertools.islice(docs, 1))
    docs = _guarded(itertools.chain(head, docs))
    if params.format == "csv":
        body: Iterator[bytes] = export_service.csv_rows(viewer, docs)
        media, ext = "text/csv; charset=utf-8", "csv"
    else:
        body = export_service.jsonl(viewer, docs)
        media, ext = "application/x-ndjson", "jsonl"
    headers = {
        "Content-Disposition": f'attachment; filename="pantau-export.{ext}"',
        "Cache-Control": "no-store",
    }
    return StreamingResponse(body, media_type=media, headers=headers)


def _guarded(docs: Iterator[Any]) -> Iterator[Any]:
    """Once streaming started an error can only end the stream: log it instead of crashing."""
    try:
        yield from docs
    except PantauError as exc:
        log.error("export stopped early: %s", exc)


@router.get(
    "/posts/{post_id}",
    response_model=PostDetail,
    tags=["posts"],
    summary="One post in detail",
    responses=NOT_FOUND,
)
def get_post(post_id: PostId, state: StateDep, store: StoreDep, viewer: ReadViewer) -> PostDetail:
    """The post with its predictions (and reasons), claim matches, coordination cluster, evidence
    metadata and review history."""
    try:
        index = state.search_index()
    except PantauError:
        index = None
    return post_service.detail(store, index, post_id, viewer)


@router.get(
    "/posts/{post_id}/similar",
    response_model=SimilarPage,
    tags=["posts"],
    summary="Similar posts",
    responses={**NOT_FOUND, **UNAVAILABLE},
)
def similar_posts(
    post_id: PostId,
    store: StoreDep,
    index: IndexDep,
    viewer: ReadViewer,
    k: Annotated[int, Query(ge=1, le=100, description="How many.")] = 10,
) -> SimilarPage:
    """Posts with similar wording (copy-paste campaigns, reposts)."""
    return SimilarPage(hits=post_service.similar(index, store, post_id, k, viewer))


@router.get(
    "/posts/{post_id}/reviews",
    response_model=list[ReviewOut],
    tags=["reviews"],
    summary="Review history of a post",
    responses=NOT_FOUND,
)
def list_reviews(post_id: PostId, store: StoreDep, viewer: ReviewsViewer) -> list[ReviewOut]:
    """Verdicts recorded on the post, newest first."""
    post_service._require_post(store, post_id)
    return review_service.history(store, post_id, viewer)


@router.post(
    "/posts/{post_id}/reviews",
    response_model=ReviewOut,
    status_code=201,
    tags=["reviews"],
    summary="Record a verdict",
    responses={**NOT_FOUND, **BODY},
)
def create_review(
    post_id: PostId, body: ReviewIn, state: StateDep, store: StoreDep, user: Reviewer
) -> ReviewOut:
    """Record a fact-checker's verdict (confirmed_hoax, misleading, not_hoax, needs_context) with a note
    and the URL of the published fact-check. The change goes to the audit log."""
    try:
        index = state.search_index()
    except PantauError:
        index = None
    return review_service.record(store, index, post_id, body, user)


@router.get(
    "/posts/{post_id}/claimreview",
    tags=["reviews"],
    summary="ClaimReview JSON-LD of a reviewed post",
    responses={
        200: {
            "content": {"application/ld+json": {"schema": {"type": "object"}}},
            "description": "schema.org ClaimReview",
        },
        **NOT_FOUND,
    },
    response_class=JSONResponse,
)
def claimreview(post_id: PostId, store: StoreDep, viewer: ReviewsViewer) -> JSONResponse:
    """The latest verdict as schema.org `ClaimReview`, ready to embed in a fact-check article."""
    data = review_service.claimreview(store, post_id, viewer)
    return JSONResponse(data, media_type="application/ld+json")
