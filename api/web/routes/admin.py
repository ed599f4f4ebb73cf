"""Admin pages: sources on/off with their last crawl, users and keys, models with metrics and promotion,
and the audit log. Admins only."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Query, Request, Response

from api import auth
from api.policy import Role
from api.services import audit
from api.web import admin as admin_service
from api.web import dashboard
from api.web.core import WebRoute, app_state, flash, language, redirect, render, require
from api.web.forms import CSRF, checkbox
from api.web.i18n import Translator
from api.web.passwords import set_password
from pantau.errors import PantauError

router = APIRouter(prefix="/admin", route_class=WebRoute, include_in_schema=False)
Name = Annotated[str, Path(min_length=1, max_length=128)]


@router.get("")
def admin_page(request: Request) -> Response:
    require(request, admin=True)
    state = app_state(request)
    try:
        models = admin_service.list_models(state.settings)
        models_error = None
    except PantauError as exc:
        models, models_error = [], str(exc)
    issued = request.scope.get("pantau.session_issued")
    return render(
        request,
        "admin.html",
        {
            "sources": dashboard.source_health(state.store),
            "users": auth.list_users(state.store),
            "roles": [r.value for r in Role],
            "models": models,
            "models_error": models_error,
            "issued": issued,
            "deliveries": admin_service.recent_deliveries(state.store),
        },
    )


@router.post("/sources/{source_id}", dependencies=CSRF)
def switch_source(
    request: Request,
    source_id: Annotated[str, Path(min_length=1, max_length=64)],
    enabled: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    user = require(request, admin=True)
    admin_service.switch_source(app_state(request).store, source_id, checkbox(enabled), actor=user.name)
    return redirect("/admin#sources")


def _show_key(request: Request, issued: auth.IssuedKey) -> Response:
    """The new key, shown once on this response (never stored in the session or the cookie)."""
    request.scope["pantau.session_issued"] = issued
    return admin_page(request)


@router.post("/users", dependencies=CSRF)
def add_user(
    request: Request,
    name: Annotated[str, Form(max_length=128)],
    role: Annotated[str, Form(max_length=32)],
    password: Annotated[str, Form(max_length=1024)] = "",
) -> Response:
    user = require(request, admin=True)
    store = app_state(request).store
    issued = auth.add_user(store, name.strip(), role, actor=user.name)
    if password:
        set_password(store, issued.name, password, actor=user.name)
    return _show_key(request, issued)


@router.post("/users/{name}/key", dependencies=CSRF)
def issue_key(request: Request, name: Name) -> Response:
    user = require(request, admin=True)
    return _show_key(request, auth.issue_key(app_state(request).store, name, actor=user.name))


@router.post("/users/{name}/password", dependencies=CSRF)
def change_password(
    request: Request, name: Name, password: Annotated[str, Form(max_length=1024)]
) -> Response:
    user = require(request, admin=True)
    set_password(app_state(request).store, name, password, actor=user.name)
    flash(request, Translator(language(request))("admin.password_set", name=name))
    return redirect("/admin#users")


@router.post("/revoke", dependencies=CSRF)
def revoke(request: Request, target: Annotated[str, Form(max_length=128)]) -> Response:
    user = require(request, admin=True)
    revoked = auth.revoke(app_state(request).store, target, actor=user.name)
    flash(request, Translator(language(request))("admin.revoked", n=len(revoked)))
    return redirect("/admin#users")


@router.post("/models/promote", dependencies=CSRF)
def promote(
    request: Request,
    version: Annotated[str, Form(max_length=200)],
    confirm: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    user = require(request, admin=True)
    _ = Translator(language(request))
    if not checkbox(confirm):
        flash(request, _("admin.promote_confirm"))
        return redirect("/admin#models")
    state = app_state(request)
    task = admin_service.promote(state.settings, state.store, version, actor=user.name)
    flash(request, _("admin.promoted", version=version, task=task))
    return redirect("/admin#models")


@router.get("/audit")
def audit_page(
    request: Request,
    before: Annotated[int | None, Query(ge=1)] = None,
    object_id: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    require(request, admin=True)
    rows = audit.entries(app_state(request).store, limit=100, before_id=before, object_id=object_id or None)
    more = len(rows) > 100
    rows = rows[:100]
    return render(
        request,
        "audit.html",
        {"rows": rows, "next_before": rows[-1].id if more and rows else None, "object_id": object_id or ""},
    )
