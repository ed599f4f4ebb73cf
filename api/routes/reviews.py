"""``/v1/reviews/{id}``: remove a review (its author or an admin)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response

from api.auth import Principal
from api.deps import StateDep, StoreDep, require
from api.policy import Permission
from api.routes.common import AUTH_ERRORS, NOT_FOUND
from api.services import reviews as review_service
from pantau.errors import PantauError

router = APIRouter(prefix="/v1", responses=AUTH_ERRORS, tags=["reviews"])


@router.delete(
    "/reviews/{review_id}",
    status_code=204,
    summary="Remove a review",
    responses=NOT_FOUND,
    response_class=Response,
)
def delete_review(
    review_id: Annotated[int, Path(ge=1, le=2**62)],
    state: StateDep,
    store: StoreDep,
    user: Annotated[Principal, Depends(require(Permission.reviews_write))],
) -> Response:
    """Remove a verdict recorded by mistake. The audit log keeps what it said and who removed it."""
    try:
        index = state.search_index()
    except PantauError:
        index = None
    review_service.delete(store, index, review_id, user)
    return Response(status_code=204)
