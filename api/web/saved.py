"""Saved searches and the in-app inbox.

A saved search keeps the search page's parameters (``q``, filters, sort) as a dict, validated through
the API's own :class:`api.params.SearchParams` whenever it is saved or run, so a saved search means
exactly what the same search on the page or the API means. With ``alert`` on, posts that ``pantau
process`` indexes later and that match it land in its owner's inbox (:mod:`api.web.alerts`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import func, select, update

from api.params import SearchParams
from api.web.textsafe import safe_url
from api.web.webhooks import check_webhook_url
from indexes.base import Query
from indexes.query_parser import parse_query
from pantau.errors import ConfigError, Conflict, NotFound, QuerySyntaxError
from pantau.records import utcnow
from pantau.store import Store
from pantau.store.tables import InboxRow, PostRow, SavedSearchRow

#: parameters of the search page that a saved search keeps (paging and display ones are dropped)
KEPT = set(SearchParams.model_fields) - {"limit", "cursor", "facet", "highlight"}
MAX_PER_USER = 200


def clean_params(items: list[tuple[str, str]]) -> dict[str, Any]:
    """The saved-search parameters among a query string's ``items`` (lists for repeatable ones)."""
    out: dict[str, Any] = {}
    for key, value in items:
        if key not in KEPT or value == "":
            continue
        field = SearchParams.model_fields[key]
        if "list" in str(field.annotation):
            out.setdefault(key, []).append(value)
        else:
            out[key] = value
    return out


def to_query(
    params: dict[str, Any], *, limit: int = 20, cursor: str | None = None, facets: list[str] | None = None
) -> Query:
    """The index query of saved parameters; :class:`QuerySyntaxError` naming the bad one."""
    try:
        sp = SearchParams.model_validate({**params, "limit": limit, "cursor": cursor, "facet": facets or []})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "search"
        raise QuerySyntaxError(
            f"search parameter {where!r} = {first.get('input')!r}: {first['msg']}"
        ) from None
    return sp.query()


@dataclass(frozen=True)
class SavedSearch:
    id: int
    user_id: int
    name: str
    params: dict[str, Any]
    alert: bool
    webhook_url: str | None
    created_at: datetime
    last_alert_at: datetime | None
    alerts_sent: int


def _out(row: SavedSearchRow) -> SavedSearch:
    return SavedSearch(
        row.id,
        row.user_id,
        row.name,
        dict(row.params or {}),
        row.alert,
        row.webhook_url,
        row.created_at,
        row.last_alert_at,
        row.alerts_sent,
    )


def save(
    store: Store,
    user_id: int,
    name: str,
    params: dict[str, Any],
    *,
    alert: bool,
    webhook_url: str | None = None,
    webhook_allow_hosts: Sequence[str] = (),
) -> SavedSearch:
    """Save a search for ``user_id`` (:class:`Conflict` when the name is taken; :class:`WebhookRefused`
    for a webhook URL pantau will not call, see :mod:`api.web.webhooks`)."""
    name = " ".join(name.split())[:128]
    if not name:
        raise ConfigError("saved search name is empty — give it a name")
    parse_query(to_query(params).text)  # refuse a search that would not run
    webhook = (webhook_url or "").strip() or None
    if webhook is not None:
        check_webhook_url(webhook, webhook_allow_hosts)
        if safe_url(webhook) is None:
            raise ConfigError(f"webhook URL {webhook[:100]!r} is not an http(s) URL")
    with store.session() as s:
        n = s.scalar(
            select(func.count()).select_from(SavedSearchRow).where(SavedSearchRow.user_id == user_id)
        )
        if (n or 0) >= MAX_PER_USER:
            raise ConfigError(
                f"you already have {n} saved searches (the limit is {MAX_PER_USER}) — delete some"
            )
        taken = s.scalars(
            select(SavedSearchRow.id).where(SavedSearchRow.user_id == user_id, SavedSearchRow.name == name)
        ).first()
        if taken is not None:
            raise Conflict(f"a saved search named {name!r} already exists — pick another name")
        row = SavedSearchRow(
            user_id=user_id,
            name=name,
            params=params,
            alert=alert,
            webhook_url=webhook,
            created_at=utcnow(),
            alerts_sent=0,
        )
        s.add(row)
        s.flush()
        return _out(row)


def list_saved(store: Store, user_id: int | None = None, *, alerting: bool = False) -> list[SavedSearch]:
    """Saved searches of one user (or everyone's), newest first."""
    stmt = select(SavedSearchRow).order_by(SavedSearchRow.id.desc())
    if user_id is not None:
        stmt = stmt.where(SavedSearchRow.user_id == user_id)
    if alerting:
        stmt = stmt.where(SavedSearchRow.alert.is_(True))
    with store.session() as s:
        return [_out(r) for r in s.scalars(stmt)]


def get_saved(store: Store, user_id: int, saved_id: int) -> SavedSearch:
    with store.session() as s:
        row = s.get(SavedSearchRow, saved_id)
        if row is None or row.user_id != user_id:
            raise NotFound(f"saved search {saved_id} does not exist")
        return _out(row)


def delete_saved(store: Store, user_id: int, saved_id: int) -> None:
    with store.session() as s:
        row = s.get(SavedSearchRow, saved_id)
        if row is None or row.user_id != user_id:
            raise NotFound(f"saved search {saved_id} does not exist")
        s.delete(row)


def set_alert(store: Store, user_id: int, saved_id: int, alert: bool) -> None:
    with store.session() as s:
        row = s.get(SavedSearchRow, saved_id)
        if row is None or row.user_id != user_id:
            raise NotFound(f"saved search {saved_id} does not exist")
        row.alert = alert


@dataclass(frozen=True)
class InboxEntry:
    id: int
    post_id: str
    saved_search_id: int
    saved_search: str
    created_at: datetime
    read_at: datetime | None
    title: str | None
    text: str


def unread_count(store: Store, user_id: int) -> int:
    with store.session() as s:
        return int(
            s.scalar(
                select(func.count())
                .select_from(InboxRow)
                .where(InboxRow.user_id == user_id, InboxRow.read_at.is_(None))
            )
            or 0
        )


def inbox(store: Store, user_id: int, limit: int = 100) -> list[InboxEntry]:
    """The newest inbox entries of ``user_id``."""
    with store.session() as s:
        rows = s.execute(
            select(InboxRow, SavedSearchRow.name, PostRow.title, PostRow.text)
            .join(SavedSearchRow, SavedSearchRow.id == InboxRow.saved_search_id)
            .join(PostRow, PostRow.id == InboxRow.post_id)
            .where(InboxRow.user_id == user_id)
            .order_by(InboxRow.id.desc())
            .limit(limit)
        ).all()
    return [
        InboxEntry(r.id, r.post_id, r.saved_search_id, name, r.created_at, r.read_at, title, text)
        for r, name, title, text in rows
    ]


def mark_read(store: Store, user_id: int, entry_ids: list[int] | None = None) -> int:
    """Mark some (or all) unread entries of ``user_id`` read; returns how many."""
    stmt = update(InboxRow).where(InboxRow.user_id == user_id, InboxRow.read_at.is_(None))
    if entry_ids is not None:
        stmt = stmt.where(InboxRow.id.in_(entry_ids))
    with store.session() as s:
        result = s.execute(stmt.values(read_at=utcnow()))
        return int(getattr(result, "rowcount", 0) or 0)
