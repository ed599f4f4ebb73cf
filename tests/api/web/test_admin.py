"""Admin actions through the pages: source switches, models, users and keys — all audited."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from api.web.admin import switched_off
from pantau.records import Source, SourceKind
from pantau.store import Store
from pantau.store.tables import AuditRow, SourceRow
from tests.api.web.conftest import csrf, login, post_form


def test_admin_switches_a_source_off_and_on(web: TestClient, web_env: dict[str, Any]) -> None:
    store = Store.open(web_env["settings"])
    try:
        store.upsert_source(
            Source(id="tg_demo", kind=SourceKind("telegram"), platform="telegram", handle="demo")
        )
        run = store.start_crawl_run("tg_demo")
        store.finish_crawl_run(
            run,
            status="error",
            stored=3,
            updated=0,
            dropped=1,
            errors=2,
            stats={},
            message="HTTP 503 <b>from</b> t.me",
        )
        login(web, "admin")
        page = web.get("/admin").text
        assert "tg_demo" in page and "HTTP 503 &lt;b&gt;from&lt;/b&gt; t.me" in page
        post_form(web, "/admin", "/admin/sources/tg_demo", {"enabled": "0"})
        assert switched_off(store) == {"tg_demo"}
        with store.session() as s:
            assert s.get(SourceRow, "tg_demo").enabled is False  # type: ignore[union-attr]
        post_form(web, "/admin", "/admin/sources/tg_demo", {"enabled": "1"})
        assert switched_off(store) == set()
        with store.session() as s:
            actions = list(s.scalars(select(AuditRow.action).where(AuditRow.object_id == "tg_demo")))
        assert actions == ["source.switch", "source.switch"]
        assert post_form(web, "/admin", "/admin/sources/nope", {"enabled": "0"}).status_code == 404
    finally:
        store.close()


def test_promoting_needs_confirmation_and_a_real_version(web: TestClient) -> None:
    login(web, "admin")
    resp = post_form(
        web, "/admin", "/admin/models/promote", {"version": "hoax-sklearn-20290101T0000-abcdef12"}
    )
    assert resp.status_code == 200 and "yakin" in resp.text  # nothing promoted without the tick
    resp = post_form(
        web,
        "/admin",
        "/admin/models/promote",
        {"version": "hoax-sklearn-20290101T0000-abcdef12", "confirm": "1"},
    )
    assert resp.status_code == 404 and "not found" in resp.text


def test_admin_issues_and_revokes_keys_and_sets_passwords(web: TestClient) -> None:
    login(web, "admin")
    resp = post_form(web, "/admin", "/admin/users/journalist-1/key", {})
    assert 'id="issued-key">pnt_' in resp.text
    resp = post_form(web, "/admin", "/admin/users/journalist-1/password", {"password": "sandi-baru-panjang"})
    assert "journalist-1" in resp.text
    fresh = TestClient(web.app)
    login_page = fresh.get("/login").text
    ok = fresh.post(
        "/login",
        data={"csrf_token": csrf(login_page), "name": "journalist-1", "password": "sandi-baru-panjang"},
    )
    assert ok.status_code == 200 and "journalist-1" in ok.text
    resp = post_form(web, "/admin", "/admin/revoke", {"target": "journalist-1"})
    assert resp.status_code == 200
