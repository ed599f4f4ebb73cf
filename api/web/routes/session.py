"""Log in (password or API key), log out, switch language."""

from __future__ import annotations

import zlib
from typing import Annotated

from fastapi import APIRouter, Form, Request, Response

from api.policy import Permission
from api.services import audit
from api.web.core import WebRoute, app_state, current_user, flash, redirect, render, session_of
from api.web.forms import CSRF
from api.web.i18n import Translator, pick
from api.web.passwords import check_login
from pantau.errors import AuthError

router = APIRouter(route_class=WebRoute, include_in_schema=False)


def _landing(request: Request) -> str:
    user = current_user(request)
    if user is not None and not user.can(Permission.stats_read):
        return "/factchecks"
    return "/"


def _start_session(request: Request, user_id: int, method: str, key_id: int | None) -> None:
    session = session_of(request)
    lang = session.get("lang")
    session.clear()  # a fresh session (and CSRF token) at every login: no session fixation
    session.update({"uid": user_id, "m": method, "kid": key_id})
    if lang:
        session["lang"] = lang
    session.csrf_token()
    request.scope.pop("pantau.web_user", None)


@router.get("/login")
def login_page(request: Request, next: str = "/") -> Response:
    if current_user(request) is not None:
        return redirect(next)
    return render(request, "login.html", {"next": next, "error": None, "name": ""})


@router.post("/login", dependencies=CSRF)
def login(
    request: Request,
    method: Annotated[str, Form(max_length=16)] = "password",
    name: Annotated[str, Form(max_length=128)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    api_key: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    state = app_state(request)
    _ = Translator(pick(session_of(request).get("lang")))
    who = f"key:{api_key.strip()[:12]}" if method == "key" else f"name:{name.strip().lower()}"
    request.app.state.web_login_limiter.hit(zlib.crc32(who.encode("utf-8")))
    try:
        if method == "key":
            principal = state.authenticator.authenticate(api_key.strip() or None)
            _start_session(request, principal.user_id, "key", principal.key_id)
            actor = principal.name
        else:
            user = check_login(state.store, name.strip(), password)
            _start_session(request, user.id, "password", None)
            actor = user.name
    except AuthError as exc:
        context = {"next": next, "error": _("login.failed") + f" ({exc})", "name": name, "method": method}
        return render(request, "login.html", context, status_code=401)
    with state.store.session() as s:
        audit.record(
            s,
            actor=actor,
            action="web.login",
            object_type="user",
            object_id=actor,
            details={"method": method},
        )
    return redirect(next if next.startswith("/") and next != "/login" else _landing(request))


@router.post("/logout", dependencies=CSRF)
def logout(request: Request) -> Response:
    lang = session_of(request).get("lang")
    session_of(request).clear()
    if lang:
        session_of(request)["lang"] = lang
    flash(request, Translator(pick(lang)).__call__("login.logged_out"))
    return redirect("/login")


@router.post("/lang", dependencies=CSRF)
def switch_language(
    request: Request,
    lang: Annotated[str, Form(max_length=5)] = "id",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    session_of(request)["lang"] = pick(lang)
    return redirect(next)
