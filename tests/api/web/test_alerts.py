"""Saved searches that alert: inbox entries for newly indexed posts, once each, and a signed webhook
received by a real server on 127.0.0.1."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select

from api.web import saved
from api.web.admin import recent_deliveries
from api.web.alerts import notify_new_posts, sign, verify
from api.web.webhooks import WebhookRefused
from pantau import plugins
from pantau.errors import ConfigError
from pantau.process import run_process
from pantau.records import AccountKind, Author, Post, post_id
from pantau.settings import Settings
from pantau.store import Store
from pantau.store.tables import UserRow, WebhookDeliveryRow
from tests.api.conftest import DemoScorer, make_settings
from tests.api.web.conftest import Receiver, login, post_form

#: the receivers below listen on 127.0.0.1, an internal address: tests allow it the way an admin would
LOCAL = ["127.0.0.1"]


def _user_id(store: Store, name: str) -> int:
    with store.session() as s:
        return int(s.scalars(select(UserRow.id).where(UserRow.name == name)).one())


def _new_post(store: Store, n: int, text: str) -> str:
    pid = post_id("telegram", f"alert-{n}")
    store.upsert_post(
        Post(
            id=pid,
            platform="telegram",
            source_id="telegram_demo",
            platform_post_id=f"alert-{n}",
            author=Author(handle=f"akun_{n}", kind=AccountKind.ordinary),
            text=text,
        )
    )
    return pid


def test_new_matching_posts_reach_the_inbox_once_and_the_webhook_signed(
    web_env: dict[str, Any], receiver: str
) -> None:
    settings = make_settings(
        web_env["settings"].data_dir, webhook_secret="rahasia-webhook-panjang", webhook_allow_hosts=LOCAL
    )
    store = Store.open(settings)
    try:
        uid = _user_id(store, "factchecker-1")
        alerting = saved.save(
            store,
            uid,
            "tinta",
            {"q": "tinta", "label": ["hoax:hoax"]},
            alert=True,
            webhook_url=receiver,
            webhook_allow_hosts=LOCAL,
        )
        saved.save(store, uid, "diam", {"q": "tinta"}, alert=False)
        hit = _new_post(store, 1, "Awas tinta pemilu beracun, hoaks ini menyebar lagi!")
        miss = _new_post(store, 2, "Jadwal debat kandidat diumumkan KPU")
        # `pantau process` calls the alerts service after each index commit
        run_process(settings, store, scorer=DemoScorer(), progress=False)
        assert len(Receiver.received) == 1
        entries = saved.inbox(store, uid)
        assert [(e.post_id, e.saved_search) for e in entries] == [(hit, "tinta")]
        assert saved.unread_count(store, uid) == 1
        # re-indexing the same post does not alert again
        again = notify_new_posts(settings, store, None, [hit])
        assert again["matches"] == 0 and len(Receiver.received) == 1
        assert notify_new_posts(settings, store, None, [miss])["matches"] == 0
        headers, body = Receiver.received[0]
        secret = b"rahasia-webhook-panjang"
        assert headers["X-Pantau-Signature"] == sign(secret, headers["X-Pantau-Timestamp"], body)
        assert verify(secret, headers["X-Pantau-Timestamp"], body, headers["X-Pantau-Signature"])
        assert not verify(b"other", headers["X-Pantau-Timestamp"], body, headers["X-Pantau-Signature"])
        payload = json.loads(body)
        assert payload["saved_search"] == {"id": alerting.id, "name": "tinta"}
        assert payload["posts"][0]["id"] == hit
        assert payload["posts"][0]["author"]["handle"].startswith("anon-")  # pseudonymised
        assert saved.mark_read(store, uid) == 1 and saved.unread_count(store, uid) == 0
    finally:
        store.close()


def test_without_a_secret_the_webhook_is_skipped_and_recorded(web_env: dict[str, Any], receiver: str) -> None:
    settings: Settings = web_env["settings"]
    store = Store.open(settings)
    try:
        uid = _user_id(store, "journalist-1")
        saved.save(
            store, uid, "kpu", {"q": "kpu"}, alert=True, webhook_url=receiver, webhook_allow_hosts=LOCAL
        )
        _new_post(store, 3, "KPU memperbarui daftar pemilih tetap")
        run_process(settings, store, scorer=DemoScorer(), progress=False)
        assert saved.unread_count(store, uid) == 1
        assert Receiver.received == []
        with store.session() as s:
            row = s.scalars(select(WebhookDeliveryRow)).one()
            assert row.status == "skipped" and "webhook_secret" in (row.error or "")
    finally:
        store.close()


def test_a_dead_webhook_is_recorded_not_fatal(web_env: dict[str, Any]) -> None:
    settings = make_settings(
        web_env["settings"].data_dir, webhook_secret="rahasia-webhook-panjang", webhook_allow_hosts=LOCAL
    )
    store = Store.open(settings)
    try:
        uid = _user_id(store, "factchecker-1")
        saved.save(
            store,
            uid,
            "mati",
            {"q": "pemilih"},
            alert=True,
            webhook_url="http://127.0.0.1:9/none",
            webhook_allow_hosts=LOCAL,
        )
        _new_post(store, 4, "Daftar pemilih tambahan")
        report = run_process(settings, store, scorer=DemoScorer(), progress=False)
        assert report["indexed"] >= 1 and "alerts_failed" not in report
        [delivery] = recent_deliveries(store)
        assert delivery["status"] == "failed" and delivery["search"] == "mati" and delivery["error"]
    finally:
        store.close()


def test_the_alerts_service_entry_point() -> None:
    assert plugins.service("alerts") is notify_new_posts


INTERNAL = [
    "http://10.0.0.1/hook",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]:8080/hook",
    "http://[::ffff:127.0.0.1]/hook",
    "http://0.0.0.0/hook",
    "http://localhost:8000/hook",  # a name that resolves to 127.0.0.1
]


@pytest.mark.parametrize("url", INTERNAL)
def test_saving_an_internal_webhook_is_refused_with_the_reason(web_env: dict[str, Any], url: str) -> None:
    store = Store.open(web_env["settings"])
    try:
        uid = _user_id(store, "factchecker-1")
        with pytest.raises(WebhookRefused, match="pantau only calls public addresses") as err:
            saved.save(store, uid, "internal", {"q": "kpu"}, alert=True, webhook_url=url)
        assert "webhook_allow_hosts" in str(err.value)
        assert saved.list_saved(store, uid) == []
    finally:
        store.close()


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://user:pw@example.org/hook", "credentials"),
        ("ftp://example.org/hook", "not http or https"),
        ("http:///hook", "no host"),
    ],
)
def test_saving_a_malformed_webhook_is_refused(web_env: dict[str, Any], url: str, reason: str) -> None:
    store = Store.open(web_env["settings"])
    try:
        uid = _user_id(store, "factchecker-1")
        with pytest.raises(ConfigError, match=reason) as err:
            saved.save(
                store, uid, "rusak", {"q": "kpu"}, alert=True, webhook_url=url, webhook_allow_hosts=LOCAL
            )
        assert ":pw" not in str(err.value)  # the password is not echoed back
    finally:
        store.close()


def test_the_allow_list_admits_a_named_internal_host(web_env: dict[str, Any]) -> None:
    store = Store.open(web_env["settings"])
    try:
        uid = _user_id(store, "factchecker-1")
        ok = saved.save(
            store,
            uid,
            "lokal",
            {"q": "kpu"},
            alert=True,
            webhook_url="http://LOCALHOST:8000/hook",
            webhook_allow_hosts=["localhost"],
        )
        assert ok.webhook_url == "http://LOCALHOST:8000/hook"
    finally:
        store.close()


def test_the_web_form_refuses_an_internal_webhook(web: Any) -> None:
    login(web)
    resp = post_form(
        web,
        "/search?q=kpu",
        "/saved",
        {"name": "metadata", "query": "q=kpu", "alert": "1", "webhook_url": "http://169.254.169.254/"},
    )
    assert resp.status_code == 400 and "link-local" in resp.text
    assert "metadata" not in web.get("/saved").text


def test_a_webhook_refused_at_send_time_is_recorded_and_the_inbox_still_gets_it(
    web_env: dict[str, Any], receiver: str
) -> None:
    # saved while the admin allowed 127.0.0.1; the allow-list was emptied since
    settings = make_settings(web_env["settings"].data_dir, webhook_secret="rahasia-webhook-panjang")
    store = Store.open(settings)
    try:
        uid = _user_id(store, "factchecker-1")
        saved.save(
            store, uid, "tolak", {"q": "pemilih"}, alert=True, webhook_url=receiver, webhook_allow_hosts=LOCAL
        )
        _new_post(store, 5, "Daftar pemilih ganda ditemukan")
        report = run_process(settings, store, scorer=DemoScorer(), progress=False)
        assert report["indexed"] >= 1
        assert Receiver.received == [] and saved.unread_count(store, uid) == 1
        [delivery] = recent_deliveries(store)
        assert delivery["status"] == "refused"
        assert "loopback" in delivery["error"] and "127.0.0.1" in delivery["error"]
    finally:
        store.close()


def test_redirects_are_not_followed(web_env: dict[str, Any], receiver: str) -> None:
    settings = make_settings(
        web_env["settings"].data_dir, webhook_secret="rahasia-webhook-panjang", webhook_allow_hosts=LOCAL
    )
    store = Store.open(settings)
    try:
        uid = _user_id(store, "factchecker-1")
        url = receiver.replace("/hook", "/redirect")
        saved.save(
            store, uid, "pantul", {"q": "pemilih"}, alert=True, webhook_url=url, webhook_allow_hosts=LOCAL
        )
        _new_post(store, 6, "Daftar pemilih tambahan diumumkan")
        run_process(settings, store, scorer=DemoScorer(), progress=False)
        assert len(Receiver.received) == 1  # one POST, not a second one to the Location
        [delivery] = recent_deliveries(store)
        assert delivery["status"] == "failed" and "redirects are not followed" in delivery["error"]
    finally:
        store.close()
