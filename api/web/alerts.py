"""Alerts of saved searches: an inbox entry per new matching post and, when configured, a signed webhook.

``notify_new_posts(settings, store, index, post_ids)`` is called by ``pantau process`` (through the
``alerts`` service) with the ids of the posts it has just indexed. Each post's index document is rebuilt
from the store exactly as ``process`` built it (:func:`pantau.process.load_scored` +
:func:`indexes.base.document_from`) and tested against every alerting saved search
(:mod:`api.web.matching`). A post alerts a saved search once, ever (``web_inbox`` is unique per search
and post), so re-indexing the same post does not alert again.

**Webhook.** When a saved search has a webhook URL and ``settings.api.webhook_secret`` is set, its new
matches are POSTed as JSON::

    {"event": "pantau.alert", "saved_search": {"id": 3, "name": "..."}, "sent_at": "...",
     "posts": [{"id", "url", "platform", "author", "published_at", "title", "text", "labels", "risk",
                "link"}]}

with ``X-Pantau-Timestamp: <unix seconds>`` and ``X-Pantau-Signature: sha256=<hex>``, the HMAC-SHA256
of ``"<timestamp>." + body`` under the webhook secret. A receiver recomputes it, compares in constant
time and refuses old timestamps. Authors who are not monitored accounts are pseudonymised, as in every
export. Without a secret the webhook is not sent (recorded as ``skipped``): an unsigned alert could be
forged. A failing webhook is recorded and logged, never fatal to ``process``.

**Targets.** Only public http(s) addresses are called (:mod:`api.web.webhooks`: no loopback, private,
link-local, metadata or other internal address unless ``settings.api.webhook_allow_hosts`` lists the
host), checked when the search is saved and again before each delivery, connecting to the address that
was checked. Redirects are never followed (a 3xx is a failure) and the timeout is short. A refused
delivery is recorded as ``refused`` with the reason.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections.abc import Sequence
from typing import Any

import httpx
from sqlalchemy import select

from api.policy import Permission, allowed
from api.pseudonym import Pseudonymizer, is_monitored, load_secret
from api.web.matching import AnalysedText, matches
from api.web.saved import SavedSearch, list_saved, to_query
from api.web.webhooks import WebhookRefused, WebhookTarget, check_webhook_url
from indexes.base import IndexDocument, document_from
from indexes.query_parser import parse_query
from pantau import __version__
from pantau.errors import PantauError
from pantau.process import load_scored
from pantau.records import utcnow
from pantau.settings import Settings
from pantau.store import Store
from pantau.store.tables import InboxRow, SavedSearchRow, UserRow, WebhookDeliveryRow

log = logging.getLogger("api.web.alerts")

CHUNK = 500
WEBHOOK_TIMEOUT = httpx.Timeout(5.0, connect=3.0)
MAX_TEXT = 1000


def sign(secret: bytes, timestamp: str, body: bytes) -> str:
    """``sha256=<hex>``: HMAC-SHA256 of ``timestamp + "." + body``."""
    return "sha256=" + hmac.new(secret, timestamp.encode("ascii") + b"." + body, hashlib.sha256).hexdigest()


def verify(
    secret: bytes, timestamp: str, body: bytes, signature: str, max_age_s: int = 300, now: float | None = None
) -> bool:
    """What a receiver does: the signature matches and the timestamp is recent."""
    try:
        age = (now if now is not None else time.time()) - int(timestamp)
    except ValueError:
        return False
    return abs(age) <= max_age_s and hmac.compare_digest(sign(secret, timestamp, body), signature)


def _documents(store: Store, post_ids: Sequence[str]) -> list[IndexDocument]:
    docs: list[IndexDocument] = []
    for i in range(0, len(post_ids), CHUNK):
        for post, scores, review in load_scored(store, list(post_ids[i : i + CHUNK])):
            docs.append(document_from(post, scores, review))
    return docs


def _active_owners(store: Store, searches: list[SavedSearch]) -> set[int]:
    ids = {s.user_id for s in searches}
    with store.session() as s:
        rows = s.execute(select(UserRow.id, UserRow.role, UserRow.disabled).where(UserRow.id.in_(ids))).all()
    return {uid for uid, role, disabled in rows if not disabled and allowed(role, Permission.posts_search)}


def _post_json(doc: IndexDocument, pseudonyms: Pseudonymizer) -> dict[str, Any]:
    hidden = not is_monitored(doc.author_kind)
    return {
        "id": doc.id,
        "platform": doc.platform,
        "url": None if hidden else doc.url,
        "author": {
            "handle": pseudonyms.pseudonym(doc.author_handle, doc.platform) if hidden else doc.author_handle,
            "kind": doc.author_kind,
            "pseudonymised": hidden,
        },
        "published_at": doc.published_at.isoformat() if doc.published_at else None,
        "title": doc.title,
        "text": doc.text[:MAX_TEXT],
        "labels": doc.labels,
        "risk": round(doc.risk, 4),
        "link": f"/posts/{doc.id}",
    }


def _send(
    target: WebhookTarget, secret: bytes, payload: dict[str, Any]
) -> tuple[str, int | None, str | None]:
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    ts = str(int(time.time()))
    url, pinned_headers, extensions = target.pinned()
    headers = {
        **pinned_headers,
        "Content-Type": "application/json",
        "User-Agent": f"pantau/{__version__} (alerts)",
        "X-Pantau-Event": "alert",
        "X-Pantau-Timestamp": ts,
        "X-Pantau-Signature": sign(secret, ts, body),
    }
    try:
        with httpx.Client(timeout=WEBHOOK_TIMEOUT, follow_redirects=False) as client:
            resp = client.post(url, content=body, headers=headers, extensions=extensions)
    except httpx.HTTPError as exc:
        return "failed", None, f"{type(exc).__name__}: {exc}"[:500]
    if 200 <= resp.status_code < 300:
        return "delivered", resp.status_code, None
    if resp.is_redirect:
        return "failed", resp.status_code, f"HTTP {resp.status_code}: redirects are not followed"
    return "failed", resp.status_code, f"HTTP {resp.status_code}"


def notify_new_posts(settings: Settings, store: Store, index: Any, post_ids: Sequence[str]) -> dict[str, Any]:
    """Alert the saved searches that the newly indexed ``post_ids`` match; returns counts
    ``{"searches", "posts", "matches", "invalid",
    "webhooks": {"delivered", "failed", "skipped", "refused"}}``.
    ``index`` is accepted for the service contract; documents are rebuilt from the store."""
    report: dict[str, Any] = {
        "searches": 0,
        "posts": len(post_ids),
        "matches": 0,
        "invalid": 0,
        "webhooks": {"delivered": 0, "failed": 0, "skipped": 0, "refused": 0},
    }
    if not post_ids:
        return report
    searches = list_saved(store, alerting=True)
    if not searches:
        return report
    owners = _active_owners(store, searches)
    searches = [s for s in searches if s.user_id in owners]
    report["searches"] = len(searches)
    docs = _documents(store, post_ids)
    texts = {d.id: AnalysedText(d.body) for d in docs}  # analysed once, tested against every search
    secret = settings.api.webhook_secret
    pseudonyms = Pseudonymizer(load_secret(settings)) if any(s.webhook_url for s in searches) else None
    for saved in searches:
        try:
            query = to_query(saved.params)
            tree = parse_query(query.text)
        except PantauError as exc:
            report["invalid"] += 1
            log.warning("saved search %d %r cannot run (%s) — skipped", saved.id, saved.name, exc)
            continue
        found = [d for d in docs if matches(query, d, tree, texts[d.id])]
        if not found:
            continue
        new = _record(store, saved, [d.id for d in found])
        report["matches"] += len(new)
        if not new or not saved.webhook_url:
            continue
        fresh = [d for d in found if d.id in new]
        status: str
        code: int | None
        error: str | None
        if secret is None:
            status, code, error = "skipped", None, "settings.api.webhook_secret is not set"
        else:
            assert pseudonyms is not None
            payload = {
                "event": "pantau.alert",
                "saved_search": {"id": saved.id, "name": saved.name},
                "sent_at": utcnow().isoformat(),
                "posts": [_post_json(d, pseudonyms) for d in fresh],
            }
            try:  # again at send time: the name may resolve elsewhere now, or the URL predates the check
                target = check_webhook_url(saved.webhook_url, settings.api.webhook_allow_hosts)
            except WebhookRefused as exc:
                status, code, error = "refused", None, str(exc)[:500]
            else:
                status, code, error = _send(target, secret.get_secret_value().encode("utf-8"), payload)
        if error:
            log.warning("saved search %d: webhook %s (%s)", saved.id, status, error)
        report["webhooks"][status] += 1
        with store.session() as s:
            s.add(
                WebhookDeliveryRow(
                    saved_search_id=saved.id,
                    at=utcnow(),
                    posts=len(fresh),
                    status=status,
                    http_status=code,
                    error=error,
                )
            )
    return report


def _record(store: Store, saved: SavedSearch, post_ids: list[str]) -> set[str]:
    """Inbox entries for the posts not alerted before; returns their ids."""
    with store.session() as s:
        seen = set(
            s.scalars(
                select(InboxRow.post_id).where(
                    InboxRow.saved_search_id == saved.id, InboxRow.post_id.in_(post_ids)
                )
            )
        )
        new = [pid for pid in dict.fromkeys(post_ids) if pid not in seen]
        now = utcnow()
        for pid in new:
            s.add(InboxRow(user_id=saved.user_id, saved_search_id=saved.id, post_id=pid, created_at=now))
        if new:
            row = s.get(SavedSearchRow, saved.id)
            if row is not None:
                row.last_alert_at = now
                row.alerts_sent = (row.alerts_sent or 0) + len(new)
    return set(new)
