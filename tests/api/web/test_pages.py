"""Every page, for every role, through the real app: who sees what, verdicts, bulk actions, admin."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.web.security import WEB_CSP
from tests.api.web.conftest import PASSWORD, csrf, login, post_form

PAGES = [
    "/",
    "/queue",
    "/search",
    "/search?q=surat+suara",
    "/saved",
    "/inbox",
    "/factchecks",
    "/admin",
    "/admin/audit",
]


def first_post(client: TestClient) -> str:
    match = re.search(r'data-post-id="([^"]+)"', client.get("/queue").text)
    assert match
    return match.group(1)


def test_pages_need_a_login(web: TestClient) -> None:
    resp = web.get("/queue", follow_redirects=False)
    assert resp.status_code == 303
    assert resp.headers["location"] == "/login?next=%2Fqueue"


def test_admin_sees_every_page_with_the_strict_policy(web: TestClient) -> None:
    login(web, "admin")
    for path in PAGES:
        resp = web.get(path)
        assert resp.status_code == 200, (path, resp.text[-500:])
        assert resp.headers["content-security-policy"] == WEB_CSP
        assert resp.headers["x-frame-options"] == "DENY"
        assert '<script src="/static/app.js"' in resp.text


@pytest.mark.parametrize(
    ("role", "allowed", "refused"),
    [
        ("factchecker", ["/", "/queue", "/search", "/factchecks"], ["/admin", "/admin/audit"]),
        ("journalist", ["/", "/search", "/factchecks", "/saved"], ["/queue", "/admin"]),
        ("volunteer", ["/factchecks"], ["/queue", "/search", "/admin", "/saved"]),
    ],
)
def test_roles_as_in_the_api(web: TestClient, role: str, allowed: list[str], refused: list[str]) -> None:
    login(web, role)
    for path in allowed:
        assert web.get(path).status_code == 200, path
    for path in refused:
        resp = web.get(path)
        assert resp.status_code == 403, path
        assert "Galat 403" in resp.text


def test_volunteer_lands_on_factchecks(web: TestClient) -> None:
    login(web, "volunteer")
    assert web.get("/").url.path == "/factchecks"


def test_journalist_sees_pseudonyms_and_no_verdict_form(web: TestClient, web_env: dict[str, Any]) -> None:
    login(web, "journalist")
    page = web.get("/search?q=dicoblos").text
    assert "anon-" in page and "warga_biasa_77" not in page
    post = web.get(f"/posts/{web_env['ids'][1]}").text
    assert "verdict-form" not in post and "anon-" in post


def test_login_with_an_api_key_and_a_revoked_key_ends_the_session(
    web: TestClient, web_env: dict[str, Any]
) -> None:
    key = web_env["keys"]["factchecker"]
    page = web.get("/login")
    resp = web.post("/login", data={"csrf_token": csrf(page.text), "method": "key", "api_key": key})
    assert resp.url.path == "/" and "factchecker-1" in resp.text
    login(TestClient(web.app), "admin")  # a second browser
    admin = TestClient(web.app)
    login(admin, "admin")
    post_form(admin, "/admin", "/admin/revoke", {"target": key[:12]})
    assert web.get("/queue", follow_redirects=False).status_code == 303


def test_wrong_password_is_refused_without_saying_which_part(web: TestClient) -> None:
    page = web.get("/login")
    resp = web.post(
        "/login", data={"csrf_token": csrf(page.text), "name": "factchecker-1", "password": "salah"}
    )
    assert resp.status_code == 401
    assert "wrong user name or password" in resp.text


def test_every_post_needs_the_csrf_token(web: TestClient) -> None:
    login(web)
    for action in ("/queue/verdict", "/logout", "/lang", "/saved", "/admin/revoke", "/login"):
        resp = web.post(action, data={"verdict": "misleading", "post_id": "x", "name": "n", "target": "t"})
        assert resp.status_code == 403, action
        assert "security token" in resp.text
    token = csrf(web.get("/").text)
    resp = web.post(
        "/lang", data={"csrf_token": token, "lang": "en"}, headers={"Origin": "https://evil.example"}
    )
    assert resp.status_code == 403


def test_session_cookie_flags(web: TestClient) -> None:
    resp = web.get("/login")
    cookie = resp.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_verdict_from_the_post_page_goes_to_history_audit_and_index(web: TestClient) -> None:
    login(web)
    pid = first_post(web)
    resp = post_form(
        web,
        f"/posts/{pid}",
        f"/posts/{pid}/verdict",
        {
            "verdict": "confirmed_hoax",
            "note": "Foto lama <b>2019</b>",
            "factcheck_url": "https://cekfakta.example/x",
        },
    )
    assert resp.status_code == 200
    page = resp.text
    assert "review.create" in page and "Foto lama &lt;b&gt;2019&lt;/b&gt;" in page
    assert pid not in web.get("/queue").text  # reviewed posts leave the queue
    bad = post_form(
        web,
        f"/posts/{pid}",
        f"/posts/{pid}/verdict",
        {"verdict": "confirmed_hoax", "factcheck_url": "javascript:alert(1)"},
    )
    assert bad.status_code == 400 and "factcheck_url" in bad.text


def test_bulk_verdict_from_the_queue(web: TestClient) -> None:
    login(web)
    ids = re.findall(r'data-post-id="([^"]+)"', web.get("/queue").text)[:3]
    resp = post_form(web, "/queue", "/queue/verdict", {"verdict": "needs_context", "post_id": ids})
    assert resp.status_code == 200 and "3" in resp.text
    queue = web.get("/queue").text
    assert not any(f'data-post-id="{i}"' in queue for i in ids)


def test_search_with_a_facet_and_highlights(web: TestClient) -> None:
    login(web)
    page = web.get("/search?q=surat+suara").text
    assert "<mark>" in page
    link = re.search(r'href="(/search\?[^"]*platform=telegram[^"]*)"', page)
    assert link
    filtered = web.get(link.group(1).replace("&amp;", "&")).text
    total = int(re.search(r'data-total="(\d+)"', filtered).group(1))  # type: ignore[union-attr]
    assert total >= 1 and "✓" in filtered


def test_saved_search_round_trip(web: TestClient) -> None:
    login(web)
    resp = post_form(
        web, "/search?q=hoaks", "/saved", {"name": "Hoaks pemilu", "query": "q=hoaks&sort=date", "alert": "1"}
    )
    assert "Hoaks pemilu" in resp.text
    again = post_form(web, "/saved", "/saved", {"name": "Hoaks pemilu", "query": "q=hoaks"})
    assert again.status_code == 409
    broken = post_form(web, "/saved", "/saved", {"name": "rusak", "query": "q=%22tanpa+tutup"})
    assert broken.status_code == 400


def test_language_switch(web: TestClient) -> None:
    login(web)
    assert "Antrean triase" in web.get("/queue").text
    post_form(web, "/queue", "/lang", {"lang": "en", "next": "/queue"})
    page = web.get("/queue").text
    assert "Triage queue" in page and '<html lang="en">' in page


def test_admin_adds_a_user_sees_the_key_once_and_switches_a_source(web: TestClient) -> None:
    login(web, "admin")
    resp = post_form(
        web,
        "/admin",
        "/admin/users",
        {"name": "redaksi-2", "role": "factchecker", "password": "panjang-sekali-1"},
    )
    assert re.search(r'id="issued-key">pnt_', resp.text)
    assert "pnt_" not in web.get("/admin").text.split('id="issued-key"')[0][-50:]
    assert 'id="issued-key"' not in web.get("/admin").text


def test_unknown_post_is_a_404_page(web: TestClient) -> None:
    login(web)
    resp = web.get("/posts/doesnotexist")
    assert resp.status_code == 404 and "text/html" in resp.headers["content-type"]


def test_api_keeps_its_json_policy(web: TestClient) -> None:
    resp = web.get("/v1/health")
    assert resp.json()["status"] == "ok"
    assert "default-src 'none'" in resp.headers["content-security-policy"]


def test_login_redirects_only_to_local_pages(web: TestClient) -> None:
    page = web.get("/login")
    resp = web.post(
        "/login",
        data={
            "csrf_token": csrf(page.text),
            "name": "factchecker-1",
            "password": PASSWORD,
            "next": "//evil.example/x",
        },
        follow_redirects=False,
    )
    assert resp.status_code == 303 and resp.headers["location"] == "/"


def test_password_guessing_is_throttled(web: TestClient) -> None:
    token = csrf(web.get("/login").text)
    codes = [
        web.post(
            "/login", data={"csrf_token": token, "name": "admin-1", "password": f"tebakan-{i}"}
        ).status_code
        for i in range(12)
    ]
    assert codes[:10] == [401] * 10 and codes[-1] == 429


def test_post_text_is_escaped_on_every_page_it_appears(web: TestClient, web_env: dict[str, Any]) -> None:
    login(web, "admin")
    hostile = web_env["ids"][10]  # "<script>alert('x')</script> =HYPERLINK(...) ..."
    for path in (f"/posts/{hostile}", "/search?q=tautan+aneh", "/queue"):
        page = web.get(path).text
        assert "<script>alert" not in page, path
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in web.get(f"/posts/{hostile}").text
