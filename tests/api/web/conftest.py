"""The real app with the web pages installed, on a store seeded by ``tests/api/conftest.py`` (real
store, real ``pantau process`` and tantivy index; models replaced at their boundary by DemoScorer)."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.web import install_web
from api.web.passwords import set_password
from pantau.store import Store
from tests.api.conftest import DemoScorer, make_settings, seed

PASSWORD = "kata-sandi-panjang-1"
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf(html: str) -> str:
    """The CSRF token of the first form on a page."""
    match = CSRF_RE.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


@pytest.fixture
def web_env(tmp_path: Path) -> dict[str, Any]:
    """A seeded data directory of this test alone (web tests write reviews, users and switches)."""
    settings = make_settings(tmp_path / "data")
    return {"settings": settings, **seed(settings)}


@pytest.fixture
def web(web_env: dict[str, Any]) -> Iterator[TestClient]:
    """A client of the app with the web pages; every seeded user has the password PASSWORD."""
    store = Store.open(web_env["settings"])
    try:
        for role in ("admin", "factchecker", "journalist", "volunteer"):
            set_password(store, f"{role}-1", PASSWORD, actor="test")
    finally:
        store.close()
    app = create_app(web_env["settings"], scorer_factory=lambda settings, store: DemoScorer())
    install_web(app, web_env["settings"])
    with TestClient(app, raise_server_exceptions=False, follow_redirects=True) as client:
        yield client


def login(client: TestClient, role: str = "factchecker") -> TestClient:
    """Log ``role``-1 in with the password form."""
    page = client.get("/login")
    resp = client.post(
        "/login",
        data={
            "csrf_token": csrf(page.text),
            "method": "password",
            "name": f"{role}-1",
            "password": PASSWORD,
            "next": "/",
        },
    )
    assert resp.status_code == 200, resp.text
    return client


def post_form(client: TestClient, page_url: str, action: str, data: dict[str, Any]) -> Any:
    """Submit a form the way a browser does: the token from the page, then the POST."""
    token = csrf(client.get(page_url).text)
    return client.post(action, data={"csrf_token": token, **data})


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """One Playwright driver and one Debian Chromium for the whole session.

    Playwright's sync API runs its own event loop: a second ``sync_playwright()`` while the first is open
    fails, so every browser test module shares this one."""
    from playwright.sync_api import sync_playwright

    from tests.api.web.test_browser import ARGS, CHROMIUM

    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not found: install Debian's chromium package to run the browser tests")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


class Receiver(BaseHTTPRequestHandler):
    """A webhook receiver on 127.0.0.1: records (headers, body) of each POST; ``/redirect…`` answers 307
    to an internal address."""

    received: list[tuple[dict[str, str], bytes]] = []

    def do_POST(self) -> None:  # noqa: N802 - the http.server API
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Receiver.received.append(({k: v for k, v in self.headers.items()}, body))
        if self.path.startswith("/redirect"):  # a receiver trying to bounce pantau to an internal URL
            self.send_response(307)
            self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
        else:
            self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[str]:
    """The URL of a fresh :class:`Receiver`."""
    Receiver.received = []
    server = HTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hook"
    server.shutdown()
