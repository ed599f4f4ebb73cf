"""What every web page shares: the Jinja2 environment, the logged-in user, permission checks, the page
renderer and the route class that turns errors into HTML pages.

Autoescaping is on for every template, and post text only ever reaches a template as a plain string or
as :class:`api.web.textsafe.Segment` pieces — never marked safe.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from sqlalchemy import select
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.auth import Principal
from api.policy import Permission, Role, allowed
from api.state import AppState, Viewer
from api.web import textsafe
from api.web.i18n import Translator, pick
from api.web.sessions import SCOPE_KEY, WebSession
from pantau import __version__
from pantau.errors import AuthError, PantauError, PermissionDenied
from pantau.records import utcnow
from pantau.store.tables import ApiKeyRow, UserRow

log = logging.getLogger("api.web")

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"
WIB = timezone(timedelta(hours=7), "WIB")


def _fmt_time(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    if value is None:
        return "—"
    return value.astimezone(WIB).strftime(fmt) + (" WIB" if "%H" in fmt else "")


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * float(value):.0f}%"


def build_env() -> Environment:
    """The template environment: autoescape everywhere, undefined names are errors."""
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(time=_fmt_time, pct=_pct, clean=textsafe.clean, shorten=textsafe.shorten)
    env.globals.update(
        segments=textsafe.segments,
        highlighted=textsafe.highlighted,
        hidden_count=textsafe.hidden_count,
        safe_url=textsafe.safe_url,
        version=__version__,
    )
    return env


ENV = build_env()


class LoginRequired(Exception):
    """The page needs a logged-in user; answered with a redirect to the login page."""


@dataclass(frozen=True)
class WebUser:
    """The logged-in user of one request."""

    principal: Principal
    method: str  # password | key

    @property
    def name(self) -> str:
        return self.principal.name

    @property
    def role(self) -> Role:
        return self.principal.role

    def can(self, permission: Permission | str) -> bool:
        return allowed(self.role, Permission(permission))

    @property
    def is_admin(self) -> bool:
        return self.role == Role.admin


def app_state(request: Request) -> AppState:
    state: AppState = request.app.state.pantau
    return state


def session_of(request: Request) -> WebSession:
    session = request.scope.get(SCOPE_KEY)
    if not isinstance(session, WebSession):  # pragma: no cover - the middleware always sets it
        session = WebSession()
        request.scope[SCOPE_KEY] = session
    return session


def current_user(request: Request) -> WebUser | None:
    """The user of this session, re-checked against the store on every request (a disabled user, a
    revoked or expired key, or a deleted user ends the session)."""
    cached = request.scope.get("pantau.web_user")
    if isinstance(cached, WebUser):
        return cached
    session = session_of(request)
    uid, method, kid = session.get("uid"), session.get("m"), session.get("kid")
    if not isinstance(uid, int):
        return None
    state = app_state(request)
    with state.store.session() as s:
        user = s.get(UserRow, uid)
        key = s.get(ApiKeyRow, kid) if isinstance(kid, int) else None
    now = utcnow()
    ok = user is not None and not user.disabled and user.role in {r.value for r in Role}
    if method == "key":
        ok = ok and key is not None and key.user_id == uid and key.revoked_at is None
        ok = ok and (key is None or key.expires_at is None or key.expires_at > now)
    elif method != "password":
        ok = False
    if not ok or user is None:
        for name in ("uid", "m", "kid"):
            session.pop(name, None)
        session.modified = True
        return None
    principal = Principal(
        user.id,
        user.name,
        Role(user.role),
        key.id if key else 0,
        key.prefix if key else "password",
        key.expires_at if key else None,
    )
    web_user = WebUser(principal, str(method))
    request.scope["pantau.web_user"] = web_user
    return web_user


def require(request: Request, permission: Permission | None = None, *, admin: bool = False) -> WebUser:
    """The logged-in user, when they may see this page (:class:`LoginRequired` /
    :class:`PermissionDenied` otherwise)."""
    user = current_user(request)
    if user is None:
        raise LoginRequired()
    if admin and not user.is_admin:
        raise PermissionDenied(f"role {user.role.value!r} may not open the admin pages")
    if permission is not None and not user.can(permission):
        raise PermissionDenied(
            f"role {user.role.value!r} may not open this page (needs {permission.value!r})"
        )
    return user


def viewer(request: Request, user: WebUser, *, export: bool = False) -> Viewer:
    """The privacy view of ``user`` (non-monitored authors pseudonymised for roles without
    ``authors:identify`` and in every export)."""
    return app_state(request).viewer(user.principal, export=export)


def language(request: Request) -> str:
    return pick(session_of(request).get("lang"))


def url_with(request: Request, **changes: Any) -> str:
    """The current URL with some query parameters replaced (None removes one)."""
    items = [(k, v) for k, v in request.query_params.multi_items() if k not in changes]
    for key, value in changes.items():
        if value is None:
            continue
        if isinstance(value, list):
            items.extend((key, str(v)) for v in value)
        else:
            items.append((key, str(value)))
    query = urlencode(items)
    return request.url.path + (f"?{query}" if query else "")


def render(request: Request, template: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    """Render ``template`` with the shared context (user, language, CSRF token, translator)."""
    session = session_of(request)
    user = current_user(request)
    lang = language(request)
    base = {
        "request": request,
        "user": user,
        "lang": lang,
        "_": Translator(lang),
        "csrf_token": session.csrf_token(),
        "path": request.url.path,
        "url_with": lambda **kw: url_with(request, **kw),
        "next_here": quote(
            request.url.path + (f"?{request.url.query}" if request.url.query else ""), safe=""
        ),
        "flash": session.pop("flash", None),
        "unread": _unread(request, user),
    }
    html = ENV.get_template(template).render({**base, **context})
    return HTMLResponse(html, status_code=status_code)


def _unread(request: Request, user: WebUser | None) -> int:
    if user is None or not user.can(Permission.posts_search):
        return 0
    from api.web.saved import unread_count

    return unread_count(app_state(request).store, user.principal.user_id)


def flash(request: Request, message: str) -> None:
    """A one-line notice shown on the next page."""
    session_of(request)["flash"] = message


def redirect(url: str) -> RedirectResponse:
    """303 See Other to a local path (never to another site)."""
    if not url.startswith("/") or url.startswith("//") or "\\" in url:
        url = "/"
    return RedirectResponse(url, status_code=303)


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    return render(request, "error.html", {"status": status, "message": message}, status_code=status)


Handler = Callable[[Request], Coroutine[Any, Any, Response]]


class WebRoute(APIRoute):
    """A route whose errors become HTML pages: a missing login redirects to ``/login``; domain errors,
    bad parameters and HTTP errors show the error page with their status."""

    def get_route_handler(self) -> Handler:
        original = super().get_route_handler()

        async def handler(request: Request) -> Response:
            try:
                return await original(request)
            except LoginRequired:
                target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
                return redirect("/login?" + urlencode({"next": target}))
            except AuthError as exc:
                session_of(request).clear()
                return error_page(request, 401, str(exc))
            except PantauError as exc:
                if exc.status_code >= 500:
                    log.error("%s %s: %s", request.method, request.url.path, exc)
                return error_page(request, exc.status_code, str(exc))
            except RequestValidationError as exc:
                first = exc.errors()[0] if exc.errors() else {}
                field = ".".join(str(p) for p in first.get("loc", ())) or "request"
                return error_page(request, 422, f"{field}: {first.get('msg', 'invalid value')}")
            except StarletteHTTPException as exc:
                return error_page(request, exc.status_code, str(exc.detail))

        return handler


def user_row(request: Request, user_id: int) -> UserRow | None:
    with app_state(request).store.session() as s:
        return s.scalars(select(UserRow).where(UserRow.id == user_id)).first()
