"""``/v1/factchecks``: list and search, detail, match a text."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query

from api.auth import Principal
from api.deps import StateDep, StoreDep, require
from api.policy import Permission
from api.routes.common import AUTH_ERRORS, BAD_QUERY, BODY, NOT_FOUND
from api.schemas import FactCheckDetail, FactCheckPage, MatchOut, TextIn
from api.services import factchecks as service

router = APIRouter(prefix="/v1", responses=AUTH_ERRORS, tags=["factchecks"])
Reader = Annotated[Principal, Depends(require(Permission.factchecks_read))]
Rating = Literal["false", "misleading", "mixed", "true", "unproven", "satire", "other"]


@router.get(
    "/factchecks", response_model=FactCheckPage, summary="List and search fact-checks", responses=BAD_QUERY
)
def list_factchecks(
    store: StoreDep,
    _user: Reader,
    q: Annotated[
        str, Query(max_length=500, description="Words that must all appear (claim, summary, publisher).")
    ] = "",
    rating: Annotated[list[Rating], Query(max_length=7, description="Normalised ratings.")] = [],  # noqa: B006
    publisher: Annotated[str | None, Query(max_length=256)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> FactCheckPage:
    """Fact-checks in the store, filtered by words, rating and publisher; follow `next_cursor`."""
    return service.list_factchecks(
        store, q=q, rating=list(rating), publisher=publisher, limit=limit, cursor=cursor
    )


@router.get(
    "/factchecks/{factcheck_id}",
    response_model=FactCheckDetail,
    summary="One fact-check",
    responses=NOT_FOUND,
)
def get_factcheck(
    factcheck_id: Annotated[str, Path(min_length=1, max_length=64)], store: StoreDep, _user: Reader
) -> FactCheckDetail:
    """The fact-check and the posts that repeat its claim."""
    return service.get_factcheck(store, factcheck_id)


@router.post(
    "/factchecks/match", response_model=MatchOut, summary="Match a text against fact-checks", responses=BODY
)
def match(body: TextIn, state: StateDep, store: StoreDep, _user: Reader) -> MatchOut:
    """Which published fact-checks does this text repeat? Best first, with a calibrated similarity."""
    return service.match_text(store, state.scorer(), body.text, body.k)
