"""Health, readiness, the caller's own identity, and the audit log (admin)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse
from sqlalchemy import text

from api.auth import Principal
from api.deps import CurrentUser, StateDep, StoreDep, require
from api.policy import Permission, permissions
from api.routes.common import AUTH_ERRORS, BAD_QUERY
from api.schemas import AuditEntry, AuditPage, Health, Me, Ready
from api.services import audit
from api.services.factchecks import decode_cursor, encode_cursor
from pantau import __version__
from pantau.errors import PantauError, QuerySyntaxError

router = APIRouter(prefix="/v1")


@router.get("/health", response_model=Health, tags=["system"], summary="Liveness")
def health() -> Health:
    """The process is up (no key needed)."""
    return Health(status="ok", version=__version__)


@router.get(
    "/ready",
    response_model=Ready,
    tags=["system"],
    summary="Readiness",
    responses={503: {"model": Ready, "description": "A dependency is not available."}},
)
def ready(state: StateDep) -> JSONResponse:
    """The store and the search index answer (no key needed); 503 otherwise."""
    checks: dict[str, str] = {}
    try:
        with state.store.session() as s:
            s.execute(text("SELECT 1"))
        checks["store"] = "ok"
    except PantauError as exc:
        checks["store"] = f"error: {exc}"
    try:
        state.search_index().count()
        checks["index"] = "ok"
    except PantauError as exc:
        checks["index"] = f"error: {exc}"
    ok = all(v == "ok" for v in checks.values())
    body = Ready(status="ready" if ok else "not_ready", checks=checks)
    return JSONResponse(body.model_dump(), status_code=200 if ok else 503)


@router.get("/me", response_model=Me, tags=["system"], summary="Who am I", responses=AUTH_ERRORS)
def me(user: CurrentUser) -> Me:
    """The caller's name, role, permissions and key."""
    return Me(
        name=user.name,
        role=user.role.value,
        permissions=permissions(user.role),
        key_prefix=user.key_prefix,
        key_expires_at=user.expires_at,
    )


@router.get(
    "/audit",
    response_model=AuditPage,
    tags=["system"],
    summary="Audit log",
    responses={**AUTH_ERRORS, **BAD_QUERY},
)
def audit_log(
    store: StoreDep,
    _user: Annotated[Principal, Depends(require(Permission.audit_read))],
    object_type: Annotated[str | None, Query(max_length=32, description="post, user or api_key")] = None,
    object_id: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: Annotated[str | None, Query(max_length=100)] = None,
) -> AuditPage:
    """Every review change and every user or key change, newest first."""
    before = None
    if cursor:
        raw = decode_cursor(cursor)
        if not raw.isdigit():
            raise QuerySyntaxError(f"cursor {cursor!r} is not valid — start again without it")
        before = int(raw)
    rows = audit.entries(store, limit=limit, before_id=before, object_type=object_type, object_id=object_id)
    page = rows[:limit]
    return AuditPage(
        items=[AuditEntry.model_validate(r, from_attributes=True) for r in page],
        next_cursor=encode_cursor(str(page[-1].id)) if len(rows) > limit and page else None,
    )
