"""End to end in Debian's Chromium (Playwright): the real app served by uvicorn on 127.0.0.1, over a data
directory filled by the real pipeline — the bundled demo site crawled by the real crawler, a
hostile-content corpus stored beside it, the real models scoring everything (``pantau process``), and
the alerts of a saved search. Screenshots of every page go to ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from api import auth
from api.app import create_app
from api.web import install_web
from api.web.alerts import notify_new_posts
from api.web.passwords import set_password
from api.web.saved import save
from pantau import plugins
from pantau.process import run_process
from pantau.records import AccountKind, Author, FactCheck, Post, post_id, utcnow
from pantau.settings import Settings
from pantau.store import Store
from tests.api.web.test_evidence import check_package

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
SHOTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "screenshots"
PASSWORD = "kata-sandi-redaksi-1"

#: (title, text, links, media) — each tries to run code, fetch something or mislead the reader
HOSTILE: list[tuple[str | None, str, list[str], list[str]]] = [
    (
        "<script>window.__pwned='title'</script>Surat suara",
        "<script>window.__pwned='script'</script> hoaks hadiah surat suara dicoblos, sebarkan!",
        [],
        [],
    ),
    (
        None,
        "<img src=x onerror=\"window.__pwned='img'\"> hadiah tinta pemilu haram! "
        "<b onmouseover=alert(1)>x</b>",
        [],
        [],
    ),
    (
        None,
        "Klik javascript:window.__pwned='js' untuk hadiah bansos, "
        'atau <a href="javascript:alert(1)">ini</a>',
        [
            "javascript:window.__pwned='link'",
            "data:text/html,<script>alert(1)</script>",
            "https://kpu.example/ok",
        ],
        ["javascript:alert('media')", "https://cdn.example/foto.jpg"],
    ),
    (
        None,
        "<svg onload=\"window.__pwned='svg'\"><script>window.__pwned='svg2'</script></svg> hadiah paslon",
        [],
        [],
    ),
    (None, "Transfer hadiah ke rekening \u202ekcab.example\u202c sekarang \u2066juga\u2069", [], []),
    (None, "pa\u200bslon 0\u200d2 cu\u2060rang hadiah \ufeffbesar \u200e\u200f", [], []),
    (
        '"><iframe srcdoc="<script>parent.__pwned=\'iframe\'</script>">',
        "{{ 7*7 }} ${7*7} <style>body{display:none}</style> hadiah <meta http-equiv=refresh content=0;url=https://evil.example>",
        [],
        [],
    ),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _seed(settings: Settings) -> dict[str, Any]:
    store = Store.open(settings)
    try:
        with plugins.service("demo_site")(settings) as site:
            plugins.service("crawl")(settings, store, None, site.sources_file)
        store.upsert_factcheck(
            FactCheck(
                id="fc-hostile",
                claim="<script>window.__pwned='fc'</script> Hadiah dari KPU \u202eesuoh\u202c",
                rating="SALAH",
                rating_normalized="false",
                publisher="<b>Cek</b> Fakta",
                url="javascript:alert(1)",
            )
        )
        hostile = []
        for i, (title, text, links, media) in enumerate(HOSTILE):
            body = f"<html><body>{text}</body></html>".encode()
            ev = store.put_evidence(
                body,
                url=f"https://t.me/s/hostile/{i}",
                status=200,
                fetched_at=utcnow(),
                crawler_version="pantau-test/1",
                content_type="text/html",
            )
            pid = post_id("telegram", f"hostile-{i}")
            store.upsert_post(
                Post(
                    id=pid,
                    platform="telegram",
                    source_id="tg_suarawarga",
                    platform_post_id=f"hostile-{i}",
                    url=f"https://t.me/hostile/{i}",
                    title=title,
                    text=text,
                    links=links,
                    media_urls=media,
                    author=Author(
                        handle=f"hostile_{i}",
                        display_name="<script>window.__pwned='name'</script>",
                        kind=AccountKind.influencer,
                    ),
                    published_at=utcnow(),
                    evidence_sha256=ev.sha256,
                    hashtags=["#<b>hadiah</b>"],
                )
            )
            hostile.append(pid)
        admin = auth.add_user(store, "admin", "admin")
        auth.add_user(store, "redaksi", "factchecker")
        set_password(store, "admin", PASSWORD)
        set_password(store, "redaksi", PASSWORD)
        with store.session() as s:
            from pantau.store.tables import UserRow

            uid = s.query(UserRow.id).filter(UserRow.name == "redaksi").scalar()
        save(store, uid, "<script>alert('saved')</script> hadiah", {"q": "hadiah"}, alert=True)
        run_process(settings, store, progress=False)
        notify_new_posts(settings, store, None, hostile)
        return {"hostile": hostile, "admin_key": admin.key}
    finally:
        store.close()


@pytest.fixture(scope="session")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The app served on a free 127.0.0.1 port over a pipeline-filled data directory."""
    if not CHROMIUM.exists():
        pytest.skip(
            f"Chromium not found at {CHROMIUM} — install Debian's chromium package to run browser tests"
        )
    import uvicorn

    settings = Settings(data_dir=tmp_path_factory.mktemp("web-e2e") / "data", models={"embedder": "none"})
    seeded = _seed(settings)
    app = create_app(settings)
    install_web(app, settings)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.1)
    assert server.started, "uvicorn did not start"
    SHOTS.mkdir(parents=True, exist_ok=True)
    yield {"base": f"http://127.0.0.1:{port}", **seeded}
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser(live: dict[str, Any], chromium: Any) -> Any:
    return chromium


class Guard:
    """Fails the test if a page opens a dialog, logs a CSP violation, or asks for anything off-site."""

    def __init__(self, page: Any, base: str) -> None:
        self.problems: list[str] = []
        page.on("dialog", lambda d: (self.problems.append(f"dialog: {d.message}"), d.dismiss()))
        page.on(
            "console",
            lambda m: self.problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None,
        )
        page.on(
            "response",
            lambda r: self.problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None,
        )
        page.on(
            "request",
            lambda r: (
                None
                if r.url.startswith(base) or r.url.startswith("data:")
                else self.problems.append(f"off-site request: {r.url}")
            ),
        )

    def check(self, page: Any) -> None:
        pwned = page.evaluate("() => window.__pwned === undefined ? null : String(window.__pwned)")
        assert pwned is None, f"post text ran: {pwned}"
        scripts = page.evaluate("() => Array.from(document.scripts).map(s => s.getAttribute('src'))")
        assert scripts == ["/static/app.js"], scripts
        bad = page.evaluate("""() => Array.from(document.querySelectorAll('*')).filter(el =>
            Array.from(el.attributes).some(a => a.name.startsWith('on'))
            || (el.tagName === 'A' && /^\\s*(javascript|data|vbscript):/i.test(el.getAttribute('href') || ''))
            || ['IFRAME', 'OBJECT', 'EMBED', 'META', 'STYLE', 'BASE', 'IMG'].includes(el.tagName)
               && el.closest('main')
        ).map(el => el.outerHTML.slice(0, 80))""")
        assert bad == [], bad
        assert self.problems == [], self.problems


def new_page(browser: Any, live: dict[str, Any], user: str = "redaksi") -> tuple[Any, Guard]:
    context = browser.new_context(viewport={"width": 1100, "height": 760}, accept_downloads=True)
    page = context.new_page()
    guard = Guard(page, live["base"])
    page.goto(live["base"] + "/login")
    page.fill("#name", user)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("form[aria-labelledby=pw-h] button[type=submit]")
    assert "/login" not in page.url, page.locator("main").inner_text()
    return page, guard


def shot(page: Any, name: str) -> None:
    """A full-page screenshot, and one of the first screen (small enough for the docs)."""
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    page.screenshot(path=str(SHOTS / f"{name}-view.png"))


def test_login_queue_post_verdict_history_and_audit_log(browser: Any, live: dict[str, Any]) -> None:
    page, guard = new_page(browser, live)
    assert page.url == live["base"] + "/"
    assert page.locator("h1").inner_text() == "Dasbor"
    assert page.locator("svg.svg-chart rect.bar").count() > 0
    shot(page, "01-dashboard")
    page.click("nav >> text=Antrean triase")
    assert page.locator("tr.qrow").count() > 0
    shot(page, "02-queue")
    page.keyboard.press("j")
    page.keyboard.press("j")
    assert page.locator("tr.qrow.current").count() == 1
    post_id = page.locator("tr.qrow.current").get_attribute("data-post-id")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf".*/posts/{post_id}$"))
    shot(page, "03-post")
    page.keyboard.press("2")  # misleading, chosen from the keyboard
    assert page.locator("input[name=verdict][value=misleading]").is_checked()
    page.fill("#note", "Dibandingkan dengan arsip KPU; <b>bukan</b> foto TPS 12.")
    page.fill("#factcheck_url", "https://cekfakta.example/2029/02/tps-12")
    page.click("#verdict-form button[type=submit]")
    page.wait_for_url(re.compile(rf".*/posts/{post_id}#history$"))
    history = page.locator("tr.review").first.inner_text()
    assert "menyesatkan" in history and "redaksi" in history and "<b>bukan</b>" in history
    assert "review.create" in page.locator("table.audit").inner_text()
    shot(page, "04-verdict-history")
    guard.check(page)
    admin, admin_guard = new_page(browser, live, "admin")
    admin.goto(live["base"] + f"/admin/audit?object_id={post_id}")
    log = admin.locator("table.audit").inner_text()
    assert "review.create" in log and "redaksi" in log and "misleading" in log
    shot(admin, "05-audit-log")
    admin_guard.check(admin)


def test_search_with_a_facet(browser: Any, live: dict[str, Any]) -> None:
    page, guard = new_page(browser, live)
    page.goto(live["base"] + "/search")
    page.fill("#q", "hoaks")
    page.click("form.searchform button[type=submit]")
    before = int(page.locator("#result-count").get_attribute("data-total") or 0)
    assert before > 0 and page.locator("li.hit mark").count() > 0
    facet = page.locator("ul.facet[data-facet=platform] a.facet-link").first
    expected = int(facet.locator("xpath=following-sibling::span").inner_text())
    facet.click()
    page.wait_for_load_state()
    after = int(page.locator("#result-count").get_attribute("data-total") or 0)
    assert after == expected and after <= before
    assert page.locator("a.facet-link.selected").count() == 1
    shot(page, "06-search-facet")
    guard.check(page)


def test_download_an_evidence_package_and_check_its_hashes(browser: Any, live: dict[str, Any]) -> None:
    page, guard = new_page(browser, live)
    pid = live["hostile"][0]
    page.goto(live["base"] + f"/posts/{pid}")
    shown = page.locator("#evidence-sha").inner_text()
    with page.expect_download() as info:
        page.click("#evidence-download")
    path = info.value.path()
    manifest = check_package(Path(path).read_bytes())
    assert manifest["evidence"]["sha256"] == shown
    assert manifest["evidence"]["crawler_version"] == "pantau-test/1"
    guard.check(page)


def test_hostile_corpus_is_shown_on_every_page_without_running(browser: Any, live: dict[str, Any]) -> None:
    page, guard = new_page(browser, live, "admin")
    base = live["base"]
    pages = [
        "/",
        "/queue",
        "/search?q=hadiah",
        "/search?q=hadiah&sort=date",
        "/inbox",
        "/saved",
        "/factchecks",
        "/factchecks/fc-hostile",
        "/admin",
        "/admin/audit",
    ]
    pages += [f"/posts/{pid}" for pid in live["hostile"]]
    for i, path in enumerate(pages):
        page.goto(base + path)
        assert page.locator("h1").count() == 1, path
        guard.check(page)
        if path.startswith("/posts/") or path in ("/search?q=hadiah", "/factchecks", "/inbox"):
            shot(page, f"hostile-{i:02d}-{re.sub(r'[^a-z0-9]+', '-', path).strip('-')[:40]}")
    page.goto(base + f"/posts/{live['hostile'][0]}")
    assert "<script>window.__pwned='script'</script>" in page.locator(".post-text").inner_text()
    page.goto(base + f"/posts/{live['hostile'][4]}")
    text = page.locator(".post-text").inner_text()
    assert "⟦U+202E⟧" in text and "⟦U+2066⟧" in text and "\u202e" not in text
    page.goto(base + f"/posts/{live['hostile'][5]}")
    assert "⟦U+200B⟧" in page.locator(".post-text").inner_text()
    page.goto(base + f"/posts/{live['hostile'][2]}")
    hrefs = page.eval_on_selector_all("main a.ext", "els => els.map(e => [e.href, e.rel])")
    assert hrefs and all(h.startswith("https://") for h, _ in hrefs)
    assert all(rel == "noopener noreferrer nofollow" for _, rel in hrefs)
    assert "javascript:window.__pwned='link'" in page.locator("ul.links").first.inner_text()
    page.goto(base + f"/posts/{live['hostile'][6]}")
    assert "{{ 7*7 }}" in page.locator(".post-text").inner_text()
    assert page.locator("body").is_visible()
    guard.check(page)


def test_keyboard_only_and_labels(browser: Any, live: dict[str, Any]) -> None:
    page, guard = new_page(browser, live)
    for path in ("/", "/queue", "/search?q=hoaks", "/factchecks", f"/posts/{live['hostile'][1]}"):
        page.goto(live["base"] + path)
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.className") == "skip", path
        unlabelled = page.evaluate("""() => Array.from(document.querySelectorAll(
            'input:not([type=hidden]), select, textarea')).filter(el => !(el.labels && el.labels.length)
            && !el.getAttribute('aria-label')).map(el => el.outerHTML.slice(0, 80))""")
        assert unlabelled == [], (path, unlabelled)
    page.goto(live["base"] + "/")
    page.click("header form.inline button[name=lang]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Dashboard"
    shot(page, "07-dashboard-en")
    guard.check(page)
