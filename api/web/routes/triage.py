"""The dashboard and the triage queue (unreviewed posts, riskiest first), with single and bulk verdicts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request, Response
from pydantic import ValidationError

from api.policy import Permission
from api.schemas import ReviewIn
from api.services import posts as post_service
from api.services import reviews as review_service
from api.web import dashboard
from api.web.charts import bar_chart
from api.web.coordination import panel as coordination_panel
from api.web.core import WebRoute, app_state, flash, language, redirect, render, require, viewer
from api.web.forms import CSRF, optional
from api.web.i18n import Translator
from indexes.base import Filters, ScoreRange
from indexes.base import Query as IndexQuery
from pantau.errors import ConfigError, PantauError

router = APIRouter(route_class=WebRoute, include_in_schema=False)

VERDICTS = ("confirmed_hoax", "misleading", "needs_context", "not_hoax")
QUEUE_PAGE = 50


@router.get("/")
def home(request: Request) -> Response:
    user = require(request)
    if not user.can(Permission.stats_read):
        return redirect("/factchecks")
    data = dashboard.build(app_state(request).store)
    sources = bar_chart([(s["id"], s["post_count"]) for s in data.sources])
    coord = None
    if user.can(Permission.coordination_read):
        coord = coordination_panel(app_state(request).store, data.chart_start, data.chart_end)
    return render(request, "dashboard.html", {"d": data, "sources_chart": sources, "coord": coord})


def review_in(verdict: str, note: str | None, factcheck_url: str | None) -> ReviewIn:
    """A validated verdict; :class:`ConfigError` naming the bad field."""
    try:
        return ReviewIn.model_validate(
            {"verdict": verdict, "note": optional(note), "factcheck_url": optional(factcheck_url)}
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"{field} = {str(first.get('input'))[:100]!r}: {first['msg']}") from None


@router.get("/queue")
def queue(
    request: Request,
    cursor: Annotated[str | None, Query(max_length=2000)] = None,
    min_risk: Annotated[float, Query(ge=0, le=1)] = 0.0,
) -> Response:
    user = require(request, Permission.reviews_write)
    state = app_state(request)
    scores = [ScoreRange(field="risk", min=min_risk)] if min_risk else []
    filters = Filters(review_status=["unreviewed"], scores=scores)
    query = IndexQuery.build(filters=filters, sort="risk", limit=QUEUE_PAGE, cursor=cursor, highlight=False)
    page = post_service.search(state.search_index(), query, viewer(request, user))
    return render(
        request, "queue.html", {"page": page, "verdicts": VERDICTS, "cursor": cursor, "min_risk": min_risk}
    )


@router.post("/queue/verdict", dependencies=CSRF)
def queue_verdict(
    request: Request,
    verdict: Annotated[str, Form(max_length=32)],
    post_id: Annotated[list[str], Form(max_length=500)] = [],  # noqa: B006 - FastAPI reads the default
    note: Annotated[str, Form(max_length=5000)] = "",
    back: Annotated[str, Form(max_length=2000)] = "/queue",
) -> Response:
    """Record one verdict on every selected post (bulk action; one post from the keyboard)."""
    user = require(request, Permission.reviews_write)
    _ = Translator(language(request))
    if not post_id:
        flash(request, _("queue.none_selected"))
        return redirect(back)
    body = review_in(verdict, note, None)
    state = app_state(request)
    try:
        index = state.search_index()
    except PantauError:
        index = None
    done = 0
    for pid in dict.fromkeys(post_id):
        review_service.record(state.store, index, pid, body, user.principal)
        done += 1
    flash(request, _("queue.recorded", n=done, verdict=_("verdict." + verdict)))
    return redirect(back)
