"""Post detail (why it was flagged, matches, similar posts, evidence, verdict form, history) and the
evidence package download."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Request, Response

from api.policy import Permission
from api.services import audit
from api.services import posts as post_service
from api.services import reviews as review_service
from api.web.coordination import post_coordination
from api.web.core import WebRoute, app_state, flash, language, redirect, render, require, viewer
from api.web.evidence import build_package
from api.web.forms import CSRF
from api.web.i18n import Translator
from api.web.routes.triage import VERDICTS, review_in
from pantau.errors import PantauError, PermissionDenied

router = APIRouter(route_class=WebRoute, include_in_schema=False)
PostId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_\-]+$")]


@router.get("/posts/{post_id}")
def post_page(request: Request, post_id: PostId) -> Response:
    user = require(request, Permission.posts_read)
    state = app_state(request)
    view = viewer(request, user)
    try:
        index = state.search_index()
    except PantauError:
        index = None
    post = post_service.detail(state.store, index, post_id, view)
    similar = []
    if index is not None:
        try:
            similar = [post_service.summary(view, h.document) for h in index.similar(post_id, 8)]
        except PantauError:
            similar = []
    trail = []
    if user.can(Permission.reviews_write):
        trail = audit.entries(state.store, limit=50, object_type="post", object_id=post_id)[:50]
    preds = {p.task: p for p in post.predictions}
    coord = None
    if user.can(Permission.coordination_read):
        coord = post_coordination(state.store, post, view)
        if coord is None and post.narrative is not None:
            coord = False  # no cluster to show, but the narrative page may be linked
    return render(
        request,
        "post.html",
        {
            "post": post,
            "similar": similar,
            "trail": trail,
            "preds": preds,
            "verdicts": VERDICTS,
            "coord": coord,
        },
    )


@router.post("/posts/{post_id}/verdict", dependencies=CSRF)
def post_verdict(
    request: Request,
    post_id: PostId,
    verdict: Annotated[str, Form(max_length=32)],
    note: Annotated[str, Form(max_length=5000)] = "",
    factcheck_url: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    user = require(request, Permission.reviews_write)
    body = review_in(verdict, note, factcheck_url)
    state = app_state(request)
    try:
        index = state.search_index()
    except PantauError:
        index = None
    review_service.record(state.store, index, post_id, body, user.principal)
    _ = Translator(language(request))
    flash(request, _("post.verdict_saved", verdict=_("verdict." + verdict)))
    return redirect(f"/posts/{post_id}#history")


@router.get("/posts/{post_id}/evidence.zip")
def evidence_package(request: Request, post_id: PostId) -> Response:
    user = require(request, Permission.posts_read)
    if not user.can(Permission.export):
        raise PermissionDenied(f"role {user.role.value!r} may not export evidence")
    state = app_state(request)
    try:
        index = state.search_index()
    except PantauError:
        index = None
    post = post_service.detail(state.store, index, post_id, viewer(request, user))
    name, data = build_package(state.store, post, actor=user.name)
    return Response(
        data, media_type="application/zip", headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )
