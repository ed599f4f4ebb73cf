"""Dependencies of the route handlers, as ``Annotated`` aliases (``StoreDep``, ``CurrentUser``, …).

Dependencies that never block are ``async`` (FastAPI would otherwise send each through the thread pool);
the key look-up is async too: a recently seen key comes from memory, and only a database read goes
through the pool.

``require(Permission.x)`` is the one way a route states who may call it; the answer comes from
:mod:`api.policy`. Authentication runs before rate limiting, so the limit is per key.
"""

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from api.auth import Principal
from api.policy import Permission, allowed
from api.state import AppState, Viewer
from indexes.base import SearchIndex
from pantau.errors import PermissionDenied
from pantau.settings import Settings
from pantau.store import Store

bearer = HTTPBearer(
    auto_error=False, scheme_name="bearer", description="`Authorization: Bearer pnt_…` (an API key)"
)
api_key_header = APIKeyHeader(
    name="X-API-Key", auto_error=False, scheme_name="apiKey", description="`X-API-Key: pnt_…`"
)


async def get_state(request: Request) -> AppState:
    state: AppState = request.app.state.pantau
    return state


StateDep = Annotated[AppState, Depends(get_state)]


async def get_settings(state: StateDep) -> Settings:
    return state.settings


async def get_store(state: StateDep) -> Store:
    return state.store


async def get_index(state: StateDep) -> SearchIndex:
    return state.search_index()


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[Store, Depends(get_store)]
IndexDep = Annotated[SearchIndex, Depends(get_index)]


async def current_user(
    state: StateDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    x_api_key: Annotated[str | None, Depends(api_key_header)],
) -> Principal:
    """The caller, from ``Authorization: Bearer`` or ``X-API-Key``; 401 otherwise, 429 over the limit.
    A key seen moments ago is vouched for by the authenticator's cache; otherwise the database is read
    in the thread pool."""
    key = credentials.credentials if credentials is not None else x_api_key
    key = key.strip() if key else None
    principal = state.authenticator.cached(key)
    if principal is None:
        principal = await run_in_threadpool(state.authenticator.authenticate, key)
    state.limiter.hit(principal.key_id)
    return principal


CurrentUser = Annotated[Principal, Depends(current_user)]


def require(permission: Permission) -> Callable[..., Awaitable[Principal]]:
    """A dependency that lets through callers whose role has ``permission`` (403 otherwise)."""

    async def check(user: CurrentUser) -> Principal:
        if not allowed(user.role, permission):
            raise PermissionDenied(
                f"role {user.role.value!r} may not use this endpoint (needs {permission.value!r})"
            )
        return user

    check.__name__ = f"require_{permission.name}"
    return check


def viewer_for(permission: Permission) -> Callable[..., Awaitable[Viewer]]:
    """A dependency that checks ``permission`` and gives the caller's privacy view; use it as
    ``Annotated[Viewer, Depends(viewer_for(Permission.posts_read))]``."""

    async def build(state: StateDep, user: Annotated[Principal, Depends(require(permission))]) -> Viewer:
        return state.viewer(user)

    build.__name__ = f"viewer_{permission.name}"
    return build
