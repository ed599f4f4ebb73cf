"""``POST /v1/classify``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from api.auth import Principal
from api.deps import StateDep, StoreDep, require
from api.policy import Permission
from api.routes.common import AUTH_ERRORS, BODY
from api.schemas import ClassifyIn, ClassifyOut
from api.services.classify import classify as classify_text

router = APIRouter(prefix="/v1", responses=AUTH_ERRORS, tags=["classify"])


@router.post("/classify", response_model=ClassifyOut, summary="Classify any text", responses=BODY)
def classify(
    body: ClassifyIn,
    state: StateDep,
    store: StoreDep,
    _user: Annotated[Principal, Depends(require(Permission.classify))],
) -> ClassifyOut:
    """Hoax probability, endorsement class and matching fact-checks, each with the reasons behind it.
    The text is not stored."""
    return classify_text(store, state.scorer(), body)
