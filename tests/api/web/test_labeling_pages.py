"""The labelling pages through the real app in-process: labelling with forms (auto-advance, skip, undo),
escaping of hostile post text, privacy of authors, who may see what, CSRF on every form, agreement,
adjudication and the guidelines' Markdown subset."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api import auth
from api.web.passwords import set_password
from api.web.routes.labeling import markdown_blocks
from labeling import queue
from labeling.projects import create_project
from pantau.records import AccountKind, Author, Post, post_id
from pantau.store import Store
from pantau.store.tables import AuditRow, PredictionRow
from tests.api.conftest import BASE
from tests.api.web.conftest import PASSWORD, csrf, login

PROJECT = "hoaks-uji"
HOSTILE = (
    "<script>window.__pwned='label'</script><img src=x onerror=\"alert(1)\"> {{ 7*7 }} "
    "hadiah bansos \u202ekcab.example\u202c sebarkan!"
)
#: authors who are not monitored accounts: a labeller must never see who they are
PRIVATE = ("penyebar_rahasia", "Nama Asli Penyebar", "warga_biasa_77", "akun_anonim_1", "lestari_fans")
MONITORED = ("relawan_nusantara", "selebgram_raka", "berita_nusantara", "kanal_hendra", "media_harapan")
ASSIGNMENT_RE = re.compile(r'name="assignment_id" value="(\d+)"')


@pytest.fixture
def project(web_env: dict[str, Any]) -> str:
    """A k=2 hoax project over the seeded posts plus one hostile post the model is unsure of (served
    first), and a second volunteer."""
    store = Store.open(web_env["settings"])
    try:
        pid = post_id("telegram", "hostile-label")
        store.upsert_post(
            Post(
                id=pid,
                platform="telegram",
                source_id="telegram_demo",
                platform_post_id="hostile-label",
                url="https://t.me/penyebar_rahasia/1",
                author=Author(
                    handle="penyebar_rahasia", display_name="Nama Asli Penyebar", kind=AccountKind.ordinary
                ),
                published_at=BASE,
                text=HOSTILE,
                title="<b>judul</b>",
            )
        )
        with store.session() as s:
            s.add(
                PredictionRow(
                    post_id=pid,
                    task="hoax",
                    model_version="hoax-test",
                    label="hoax",
                    score=0.5,
                    probabilities={},
                    reasons=[],
                    created_at=BASE,
                )
            )
        auth.add_user(store, "volunteer-2", "volunteer", actor="test")
        set_password(store, "volunteer-2", PASSWORD, actor="test")
        proj = create_project(store, PROJECT, "hoax", overlap=2, gold_every=0, random_fraction=0.0)
        queue.refresh(store, proj.id, seed=1)
    finally:
        store.close()
    return PROJECT


def work(client: TestClient) -> tuple[str, int | None]:
    """The labelling page and the assignment it serves (None when nothing is left)."""
    resp = client.get(f"/label/{PROJECT}/work")
    assert resp.status_code == 200, resp.text[-400:]
    found = ASSIGNMENT_RE.search(resp.text)
    return resp.text, int(found.group(1)) if found else None


def submit(client: TestClient, label: str, note: str = "") -> tuple[str, int | None]:
    page, assignment = work(client)
    assert assignment is not None, "nothing served"
    resp = client.post(
        f"/label/{PROJECT}/submit",
        data={"csrf_token": csrf(page), "assignment_id": assignment, "label": label, "note": note},
    )
    assert resp.status_code == 200 and resp.url.path == f"/label/{PROJECT}/work", resp.text[-400:]
    found = ASSIGNMENT_RE.search(resp.text)
    return resp.text, int(found.group(1)) if found else None


def switch(client: TestClient, role_or_name: str) -> TestClient:
    """Log out, then log in as a seeded user (``volunteer`` → volunteer-1) or a named one."""
    client.cookies.clear()
    if role_or_name.endswith("-2"):
        page = client.get("/login")
        client.post(
            "/login",
            data={
                "csrf_token": csrf(page.text),
                "method": "password",
                "name": role_or_name,
                "password": PASSWORD,
                "next": "/",
            },
        )
        return client
    return login(client, role_or_name)


def main_of(page: str) -> str:
    return page.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def test_labelling_pages_need_a_login(web: TestClient, project: str) -> None:
    resp = web.get(f"/label/{project}/work", follow_redirects=False)
    assert resp.status_code == 303 and resp.headers["location"].startswith("/login?next=")


def test_hostile_post_text_is_escaped_on_the_labelling_page(web: TestClient, project: str) -> None:
    login(web, "volunteer")
    page, assignment = work(web)
    assert assignment is not None
    body = main_of(page)
    assert "&lt;script&gt;window.__pwned=" in body and "<script>window" not in body
    assert "<img" not in body and not re.search(r"<[^>]*\son[a-z]+=", body)
    assert "&lt;b&gt;judul&lt;/b&gt;" in body
    # the template expression is shown, not evaluated (a bare 49; random tokens may contain the digits)
    assert "{{ 7*7 }}" in body and not re.search(r"(?<![\w-])49(?![\w-])", body)
    assert "\u202e" not in body and "⟦U+202E⟧" in body  # bidi control shown, not obeyed
    assert "kcab.example" in body and 'href="https' not in body  # links in post text are not clickable
    assert "penyebar_rahasia" not in page and "Nama Asli Penyebar" not in page
    assert 'data-key="1"' in body and 'value="hoax"' in body and 'value="not_hoax"' in body


def test_volunteer_labels_skips_and_undoes_with_auto_advance(web: TestClient, project: str) -> None:
    login(web, "volunteer")
    page, first = work(web)
    assert work(web)[1] == first  # a reload serves the same post
    page, second = submit(web, "hoax", "klaim tanpa bukti")
    assert second is not None and second != first
    assert "Tersimpan" in page and "1 dilabeli" in page
    skip_page = web.post(f"/label/{project}/skip", data={"csrf_token": csrf(page), "assignment_id": second})
    third = int(ASSIGNMENT_RE.search(skip_page.text).group(1))  # type: ignore[union-attr]
    assert third not in (first, second) and "Dilewati" in skip_page.text
    undone = web.post(f"/label/{project}/undo", data={"csrf_token": csrf(skip_page.text)})
    assert undone.status_code == 200 and undone.url.path == f"/label/{project}/work"
    assert int(ASSIGNMENT_RE.search(undone.text).group(1)) == first  # type: ignore[union-attr]
    assert re.search(r'value="hoax" required data-key="1"\s+checked', undone.text)
    assert 'value="klaim tanpa bukti"' in undone.text
    assert "dibatalkan" in undone.text
    # the taken-back label can be given again, and nothing is left to undo after a second undo
    page, _ = submit(web, "not_hoax")
    again = web.post(f"/label/{project}/undo", data={"csrf_token": csrf(page)})
    assert again.status_code == 200
    nothing = web.post(f"/label/{project}/undo", data={"csrf_token": csrf(again.text)})
    assert nothing.status_code == 404 and "nothing to undo" in nothing.text


def test_labeller_never_sees_private_authors_across_the_whole_queue(web: TestClient, project: str) -> None:
    login(web, "volunteer")
    seen_monitored = set()
    for _ in range(40):
        page, assignment = work(web)
        for private in PRIVATE:
            assert private not in page, private
        seen_monitored |= {h for h in MONITORED if h in page}
        if assignment is None:
            assert 'id="all-done"' in page
            break
        submit(web, "not_hoax")
    else:
        pytest.fail("the queue never ran out")
    assert seen_monitored, "monitored accounts are shown by name"


def test_empty_label_is_refused_with_a_message(web: TestClient, project: str) -> None:
    login(web, "volunteer")
    page, assignment = work(web)
    resp = web.post(
        f"/label/{project}/submit", data={"csrf_token": csrf(page), "assignment_id": assignment, "label": ""}
    )
    assert "Pilih label dulu" in resp.text and int(ASSIGNMENT_RE.search(resp.text).group(1)) == assignment  # type: ignore[union-attr]
    bad = web.post(
        f"/label/{project}/submit",
        data={"csrf_token": csrf(page), "assignment_id": assignment, "label": "benar"},
    )
    assert bad.status_code == 400 and "unknown label &#39;benar&#39;" in bad.text


def _two_volunteers_disagree(web: TestClient) -> None:
    """volunteer-1 says hoax to everything, volunteer-2 alternates: half the items disagree."""
    switch(web, "volunteer")
    while work(web)[1] is not None:
        submit(web, "hoax", "<i>catatan</i> relawan")
    switch(web, "volunteer-2")
    n = 0
    while work(web)[1] is not None:
        submit(web, "hoax" if n % 2 else "not_hoax")
        n += 1
    assert n >= 10


def test_agreement_on_the_stats_page_and_labeller_stats_for_admins_only(
    web: TestClient, project: str
) -> None:
    _two_volunteers_disagree(web)
    switch(web, "factchecker")
    page = web.get(f"/label/{project}/stats")
    assert page.status_code == 200
    alpha = re.search(r'id="alpha">([^<]+)<', page.text).group(1)  # type: ignore[union-attr]
    kappa = re.search(r'id="kappa">([^<]+?) ', page.text).group(1)  # type: ignore[union-attr]
    assert re.fullmatch(r"-?\d\.\d{3}", alpha) and re.fullmatch(r"-?\d\.\d{3}", kappa), (alpha, kappa)
    assert 'id="labellers"' not in page.text and "volunteer-1" not in page.text
    per_label = re.findall(r'<td class="kappa-label">([^<]+)</td>', page.text)
    assert len(per_label) == 2 and all(re.fullmatch(r"-?\d\.\d{3}", k) for k in per_label), per_label
    switch(web, "admin")
    page = web.get(f"/label/{project}/stats")
    assert 'id="labellers"' in page.text and "volunteer-1" in page.text and "volunteer-2" in page.text


@pytest.mark.parametrize("role", ["volunteer", "journalist"])
def test_volunteers_and_journalists_cannot_see_stats_or_adjudicate(
    web: TestClient, project: str, role: str
) -> None:
    login(web, role)
    page = web.get(f"/label/{project}")
    assert page.status_code == 200 and "Pedoman" in page.text
    assert f"/label/{project}/stats" not in page.text and "/train" not in page.text
    for path in ("stats", "adjudicate"):
        assert web.get(f"/label/{project}/{path}").status_code == 403, path
    for action in ("export", "train"):
        assert web.post(f"/label/{project}/{action}", data={"csrf_token": csrf(page.text)}).status_code == 403


def test_journalist_reads_guidelines_but_cannot_label(web: TestClient, project: str) -> None:
    login(web, "journalist")
    assert web.get("/label").status_code == 200
    resp = web.get(f"/label/{project}/work")
    assert resp.status_code == 403 and "may not label" in resp.text


def test_every_labelling_form_needs_the_csrf_token(web: TestClient, project: str) -> None:
    login(web, "admin")
    page = web.get(f"/label/{project}/work").text
    token = csrf(page)
    posts = {
        "/label/projects": {"name": "proyek-csrf", "task": "hoax"},
        f"/label/{project}/submit": {"assignment_id": 1, "label": "hoax"},
        f"/label/{project}/skip": {"assignment_id": 1},
        f"/label/{project}/undo": {},
        f"/label/{project}/adjudicate": {"item_id": 1, "label": "hoax"},
        f"/label/{project}/export": {},
        f"/label/{project}/train": {},
    }
    for path, data in posts.items():
        for bad in ({}, {"csrf_token": "x" * 43}):
            resp = web.post(path, data={**data, **bad})
            assert resp.status_code == 403 and "security token" in resp.text, path
        resp = web.post(path, data={**data, "csrf_token": token}, headers={"origin": "https://evil.example"})
        assert resp.status_code == 403 and "another site" in resp.text, path
    assert "proyek-csrf" not in web.get("/label").text


def test_factchecker_adjudicates_with_vote_counts_but_not_voters(web: TestClient, project: str) -> None:
    _two_volunteers_disagree(web)
    switch(web, "factchecker")
    page = web.get(f"/label/{project}/adjudicate")
    assert page.status_code == 200
    items = re.findall(r'name="item_id" value="(\d+)"', page.text)
    assert items
    body = main_of(page.text)
    assert "volunteer-1" not in body and "volunteer-2" not in body
    assert "× 1" in body and "&lt;i&gt;catatan&lt;/i&gt; relawan" in body
    resp = web.post(
        f"/label/{project}/adjudicate",
        data={"csrf_token": csrf(page.text), "item_id": items[0], "label": "hoax", "note": "cek ulang"},
    )
    assert resp.status_code == 200 and f"#{items[0]}" in resp.text
    assert f'name="item_id" value="{items[0]}"' not in resp.text
    store = Store.open(web.app.state.pantau.settings)  # type: ignore[attr-defined]
    try:
        with store.session() as s:
            assert s.query(AuditRow).filter(AuditRow.action == "label.adjudicate").count() == 1
    finally:
        store.close()


def test_admin_creates_a_project_from_the_list_page(web: TestClient, project: str) -> None:
    login(web, "admin")
    page = web.get("/label")
    resp = web.post(
        "/label/projects",
        data={"csrf_token": csrf(page.text), "name": "endorse-uji", "task": "endorsement", "overlap": 3},
    )
    assert resp.status_code == 200 and resp.url.path == "/label/endorse-uji"
    assert "item emas" in resp.text and "undisclosed_paid_political" in resp.text
    clash = web.post(
        "/label/projects", data={"csrf_token": csrf(page.text), "name": "endorse-uji", "task": "endorsement"}
    )
    assert clash.status_code == 409 and "already exists" in clash.text
    login(web, "factchecker")
    assert (
        web.post(
            "/label/projects", data={"csrf_token": csrf(page.text), "name": "x", "task": "hoax"}
        ).status_code
        == 403
    )


def test_guidelines_markdown_subset_keeps_everything_as_text() -> None:
    blocks = markdown_blocks(
        "# Judul <script>\n\nParagraf **tebal** dan `not_hoax` serta *miring*\nbaris dua.\n\n"
        "- satu <img src=x>\n  lanjutan\n- [Iklan](javascript:alert(1))\n\n1. pertama\n2. kedua\n\n"
        "```\n<b>kode</b>\n```\n"
    )
    kinds = [b.kind for b in blocks]
    assert kinds == ["heading", "para", "ul", "ol", "pre"]
    assert blocks[0].level == 2 and blocks[0].inlines[0].text == "Judul <script>"
    assert [(i.kind, i.text) for i in blocks[1].inlines][1:6] == [
        ("strong", "tebal"),
        ("text", " dan "),
        ("code", "not_hoax"),
        ("text", " serta "),
        ("em", "miring"),
    ]
    assert "".join(i.text for i in blocks[2].items[0]) == "satu <img src=x> lanjutan"
    assert blocks[2].items[1][0].text == "[Iklan](javascript:alert(1))"
    assert len(blocks[3].items) == 2 and blocks[4].text == "<b>kode</b>"


def test_project_page_renders_the_guidelines_escaped(web: TestClient, project: str) -> None:
    login(web, "volunteer")
    page = web.get(f"/label/{project}")
    body = main_of(page.text)
    assert "<h2>Pedoman pelabelan: hoaks pemilu</h2>" in body
    assert "<code>not_hoax</code>" in body and "<strong>" in body and "<ol>" in body
    assert 'id="start-labelling"' in body
    assert html.escape("Belum ada putaran.") in body
