"""Search (query, filters, facet counts, highlighted snippets, sort, pages), saved searches and the inbox."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Form, Path, Request, Response

from api.policy import Permission
from api.services import posts as post_service
from api.web import saved as saved_service
from api.web.core import WebRoute, app_state, flash, language, redirect, render, require, viewer
from api.web.forms import CSRF, checkbox
from api.web.i18n import Translator

router = APIRouter(route_class=WebRoute, include_in_schema=False)

FACETS = ["label", "platform", "tag", "review_status", "author_kind", "source"]
#: facet name → the search parameter that filters on it
FACET_PARAM = {
    "label": "label",
    "platform": "platform",
    "tag": "tag",
    "review_status": "review_status",
    "author_kind": "author_kind",
    "source": "source",
}
PAGE = 20


def _facet_links(
    items: list[tuple[str, str]], facets: dict[str, dict[str, int]]
) -> dict[str, list[dict[str, object]]]:
    """For every facet value: its count, whether it is selected, and the URL that toggles it."""
    out: dict[str, list[dict[str, object]]] = {}
    base = [(k, v) for k, v in items if k not in ("cursor", "page")]
    for name, counts in facets.items():
        param = FACET_PARAM[name]
        entries = []
        for value, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:15]:
            selected = (param, value) in base
            toggled = [kv for kv in base if kv != (param, value)] if selected else [*base, (param, value)]
            entries.append(
                {"value": value, "count": n, "selected": selected, "url": "/search?" + urlencode(toggled)}
            )
        out[name] = entries
    return out


@router.get("/search")
def search_page(request: Request) -> Response:
    user = require(request, Permission.posts_search)
    items = list(request.query_params.multi_items())
    params = saved_service.clean_params(items)
    cursor = request.query_params.get("cursor") or None
    page_no = (
        int(request.query_params.get("page", "1")) if request.query_params.get("page", "1").isdigit() else 1
    )
    query = saved_service.to_query(params, limit=PAGE, cursor=cursor, facets=FACETS)
    result = app_state(request).search_index().search(query)
    view = viewer(request, user)
    hits = [(post_service.summary(view, h.document, h), h.snippet, h.highlights) for h in result.hits]
    next_url = None
    if result.next_cursor:
        rest = [(k, v) for k, v in items if k not in ("cursor", "page")]
        next_url = "/search?" + urlencode([*rest, ("cursor", result.next_cursor), ("page", str(page_no + 1))])
    first_url = "/search?" + urlencode([(k, v) for k, v in items if k not in ("cursor", "page")])
    return render(
        request,
        "search.html",
        {
            "params": params,
            "result": result,
            "hits": hits,
            "facets": _facet_links(items, result.facets),
            "next_url": next_url,
            "first_url": first_url,
            "page_no": page_no,
            "query_string": urlencode([(k, v) for k, v in items if k not in ("cursor", "page")]),
            "saved": saved_service.list_saved(app_state(request).store, user.principal.user_id),
        },
    )


@router.post("/saved", dependencies=CSRF)
def save_search(
    request: Request,
    name: Annotated[str, Form(max_length=128)],
    query: Annotated[str, Form(max_length=4000)] = "",
    alert: Annotated[str, Form(max_length=8)] = "",
    webhook_url: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    user = require(request, Permission.posts_search)
    params = saved_service.clean_params(parse_qsl(query, keep_blank_values=False))
    saved_service.save(
        app_state(request).store,
        user.principal.user_id,
        name,
        params,
        alert=checkbox(alert),
        webhook_url=webhook_url,
        webhook_allow_hosts=app_state(request).settings.api.webhook_allow_hosts,
    )
    flash(request, Translator(language(request))("saved.created", name=" ".join(name.split())))
    return redirect("/saved")


@router.get("/saved")
def saved_page(request: Request) -> Response:
    user = require(request, Permission.posts_search)
    searches = saved_service.list_saved(app_state(request).store, user.principal.user_id)
    links = {
        s.id: "/search?"
        + urlencode([(k, v) for k, vs in s.params.items() for v in (vs if isinstance(vs, list) else [vs])])
        for s in searches
    }
    return render(request, "saved.html", {"searches": searches, "links": links})


@router.post("/saved/{saved_id}/alert", dependencies=CSRF)
def toggle_alert(
    request: Request, saved_id: Annotated[int, Path(ge=1)], alert: Annotated[str, Form(max_length=8)] = ""
) -> Response:
    user = require(request, Permission.posts_search)
    saved_service.set_alert(app_state(request).store, user.principal.user_id, saved_id, checkbox(alert))
    return redirect("/saved")


@router.post("/saved/{saved_id}/delete", dependencies=CSRF)
def delete_saved(request: Request, saved_id: Annotated[int, Path(ge=1)]) -> Response:
    user = require(request, Permission.posts_search)
    saved_service.delete_saved(app_state(request).store, user.principal.user_id, saved_id)
    return redirect("/saved")


@router.get("/inbox")
def inbox_page(request: Request) -> Response:
    user = require(request, Permission.posts_search)
    entries = saved_service.inbox(app_state(request).store, user.principal.user_id)
    return render(request, "inbox.html", {"entries": entries})


@router.post("/inbox/read", dependencies=CSRF)
def inbox_read(request: Request, entry_id: Annotated[list[int], Form()] = []) -> Response:  # noqa: B006
    user = require(request, Permission.posts_search)
    saved_service.mark_read(app_state(request).store, user.principal.user_id, entry_id or None)
    return redirect("/inbox")
