"""The demo site server and a full crawl of it with the demo sources file (twice: nothing added)."""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

from crawlers.demo import DEMO_ROOT, demo_site
from crawlers.service import crawl
from crawlers.sources import load_sources
from crawlers.static_server import resolve
from pantau.settings import Settings
from pantau.store import Store
from pantau.store.tables import FactCheckRow, PostRow

pytestmark = pytest.mark.skipif(not (DEMO_ROOT / "index.html").exists(), reason="demo site not written yet")


def fetch(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.headers["Content-Type"], r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers["Content-Type"], b""


def test_routing_rules() -> None:
    assert resolve(DEMO_ROOT, "/") == (DEMO_ROOT / "index.html").resolve()
    assert resolve(DEMO_ROOT, "/tbh/feed/") == (DEMO_ROOT / "tbh/feed/index.xml").resolve()
    assert (
        resolve(DEMO_ROOT, "/yt/feeds/videos.xml?channel_id=UCdemoKabar01")
        == (DEMO_ROOT / "yt/feeds/videos.xml__channel_id=UCdemoKabar01").resolve()
    )
    assert resolve(DEMO_ROOT, "/../pyproject.toml") is None
    assert resolve(DEMO_ROOT, "/tidak-ada.html") is None


def test_server_rewrites_the_placeholder_host(settings: Settings) -> None:
    with demo_site(settings) as site:
        status, ctype, body = fetch(f"{site.base_url}/warta/feed.xml")
        assert status == 200 and ctype.startswith("application/xml")
        assert b"demo.pantau.local" not in body and site.base_url.encode() in body
        status, ctype, body = fetch(f"{site.base_url}/t/s/suarawarga")
        assert status == 200 and ctype.startswith("text/html")
        assert fetch(f"{site.base_url}/exports/tiktok_research.jsonl")[1].startswith("application/x-ndjson")
        assert fetch(f"{site.base_url}/robots.txt")[2].count(b"Disallow: /private/") == 1
        assert fetch(f"{site.base_url}/tidak-ada")[0] == 404
        # a client asking for the placeholder host gets the pages as written (what the crawler does)
        request = urllib.request.Request(
            f"{site.base_url}/warta/feed.xml", headers={"Host": "demo.pantau.local"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert b"http://demo.pantau.local/warta/" in response.read()
        sources = load_sources(site.sources_file)
        assert {s.id for s in sources} >= {"warta_nusantara", "tg_suarawarga", "ig_influencers"}
        address = site.base_url.removeprefix("http://")
        for source in sources:
            assert (source.url or "").startswith("http://demo.pantau.local/")
            assert source.options["resolve"] == {"demo.pantau.local": address}


def test_demo_template_covers_every_source_kind() -> None:
    data = yaml.safe_load((Path(DEMO_ROOT).parent / "demo_sources.yaml").read_text())
    kinds = {row["kind"] for row in data["sources"]}
    assert kinds == {"feed", "telegram", "youtube", "factcheck", "import"}


def test_demo_crawl_twice_adds_nothing_the_second_time(settings: Settings, store: Store) -> None:
    settings.crawl.download_delay_s = 0
    with demo_site(settings) as site:
        first = crawl(settings, store, None, site.sources_file)
        status = store.status()
    with demo_site(settings) as site:  # another run: the server gets another port
        second = crawl(settings, store, None, site.sources_file)
    assert all(r["status"] == "ok" for r in first.values()), first
    assert all(r["errors"] == 0 for r in first.values()), first
    assert status["posts"]["total"] >= 160 and status["factchecks"]["total"] >= 22
    assert set(status["posts"]["by_platform"]) == {
        "news",
        "web",
        "telegram",
        "youtube",
        "instagram",
        "tiktok",
    }
    assert all(r["stored"] == 0 and r["updated"] == 0 for r in second.values()), second
    with store.session() as s:
        urls = [u for (u,) in s.query(PostRow.url) if u and "127.0.0.1" in u]
        fc_urls = [u for (u,) in s.query(FactCheckRow.url) if u and "127.0.0.1" in u]
    assert urls == [] and fc_urls == []  # stored URLs name the demo host, not the port of one run
    again = store.status()
    assert again["posts"]["total"] == status["posts"]["total"]
    assert again["factchecks"]["total"] == status["factchecks"]["total"]
