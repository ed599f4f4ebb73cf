"""Fact-checks: list (search by words, filter by rating) and detail with the posts that repeat them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from sqlalchemy import select

from api.policy import Permission
from api.services import factchecks as fc_service
from api.web.core import WebRoute, app_state, render, require
from pantau.records import RATINGS
from pantau.store.tables import PostRow

router = APIRouter(route_class=WebRoute, include_in_schema=False)


@router.get("/factchecks")
def factchecks_page(
    request: Request,
    q: Annotated[str, Query(max_length=200)] = "",
    rating: Annotated[list[str], Query(max_length=10)] = [],  # noqa: B006 - FastAPI reads the default
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    require(request, Permission.factchecks_read)
    page = fc_service.list_factchecks(
        app_state(request).store, q=q, rating=rating, publisher=None, limit=50, cursor=cursor
    )
    return render(
        request, "factchecks.html", {"page": page, "q": q, "rating": rating, "ratings": list(RATINGS)}
    )


@router.get("/factchecks/{factcheck_id}")
def factcheck_page(
    request: Request, factcheck_id: Annotated[str, Path(min_length=1, max_length=64)]
) -> Response:
    user = require(request, Permission.factchecks_read)
    store = app_state(request).store
    fc = fc_service.get_factcheck(store, factcheck_id)
    posts: list[PostRow] = []
    if user.can(Permission.posts_read) and fc.recent_post_ids:
        with store.session() as s:
            rows = {r.id: r for r in s.scalars(select(PostRow).where(PostRow.id.in_(fc.recent_post_ids)))}
        posts = [rows[i] for i in fc.recent_post_ids if i in rows]
    return render(request, "factcheck.html", {"fc": fc, "posts": posts})
