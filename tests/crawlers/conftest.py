"""Fixtures for the crawler tests: the fixture site served on 127.0.0.1 and fast, polite-enough settings."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import select

from crawlers.service import crawl
from crawlers.static_server import SiteHandler, SiteServer
from pantau.settings import Settings
from pantau.store import Store
from pantau.store.tables import CrawlRunRow, PostRow

FIXTURES = Path(__file__).parent / "fixtures"
SITE = FIXTURES / "site"
HUGE_BYTES = 10 * 1024 * 1024
API_KEY = "kunci-uji-123"


class FixtureHandler(SiteHandler):
    """The fixture site plus routes that misbehave on purpose and fake third-party APIs."""

    def special(self) -> bool:
        path = self.path.split("?", 1)[0]
        if path == "/huge.html":
            body = b"<html><body><article><p>" + b"x" * HUGE_BYTES + b"</p></article></body></html>"
            self.send_body(200, body, "text/html; charset=utf-8")
        elif path == "/error500.html":
            self.send_body(500, b"server error", "text/plain")
        elif path == "/timeout.html":
            time.sleep(self.server.timeout_sleep_s)
            self.send_body(200, b"<html><body>terlambat</body></html>", "text/html")
        elif path == "/charset/tanpa-charset.html":
            self.send_body(200, (SITE / "charset/tanpa-charset.html").read_bytes(), "text/html")
        elif path == "/yt/api/commentThreads":
            self.youtube_comments()
        elif path == "/google/claims:search":
            self.google_claims()
        elif path == "/mafindo":
            self.mafindo()
        elif path.startswith("/slow/"):
            self.slow_site(path)
        else:
            return False
        return True

    def json(self, status: int, data: Any) -> None:
        self.send_body(status, json.dumps(data).encode(), "application/json; charset=utf-8")

    def youtube_comments(self) -> None:
        if self.headers.get("X-Goog-Api-Key") != API_KEY:
            self.json(403, {"error": {"code": 403, "message": "API key not valid"}})
            return
        video = self.path.split("videoId=", 1)[1].split("&", 1)[0]
        if video == "vidBBB22222":
            self.json(403, {"error": {"code": 403, "errors": [{"reason": "commentsDisabled"}]}})
            return
        page2 = "pageToken=hal2" in self.path
        n = 3 if page2 else 1
        items = [
            {
                "id": f"thr{video}{n + i}",
                "snippet": {
                    "videoId": video,
                    "totalReplyCount": i,
                    "topLevelComment": {
                        "id": f"cmt{video}{n + i}",
                        "snippet": {
                            "textOriginal": f"Komentar {n + i}: debatnya seru, Fajar Alamsyah tampil tenang",
                            "authorDisplayName": f"@penonton{n + i}",
                            "authorChannelId": {"value": f"UCpenonton{n + i}"},
                            "likeCount": 3 + i,
                            "publishedAt": "2029-01-20T13:00:00Z",
                        },
                    },
                },
            }
            for i in range(2)
        ]
        self.json(200, {"items": items, **({} if page2 else {"nextPageToken": "hal2"})})

    def google_claims(self) -> None:
        if self.headers.get("X-Goog-Api-Key") != API_KEY:
            self.json(403, {"error": {"code": 403}})
            return
        page2 = "pageToken=p2" in self.path
        claims = [
            {
                "text": "Hendra Kusumadewa berjanji menghapus pajak motor"
                if not page2
                else "PMPR didiskualifikasi",
                "claimant": "Unggahan Facebook",
                "claimDate": "2029-01-02T00:00:00Z",
                "claimReview": [
                    {
                        "publisher": {"name": "Periksa Fakta Uji", "site": "periksa.example"},
                        "url": f"https://periksa.example/cek/{'2' if page2 else '1'}",
                        "title": "Cek fakta uji",
                        "reviewDate": "2029-01-05T00:00:00Z",
                        "textualRating": "Salah" if not page2 else "Sebagian Benar",
                        "languageCode": "id",
                    }
                ],
            }
        ]
        self.json(200, {"claims": claims, **({} if page2 else {"nextPageToken": "p2"})})

    def mafindo(self) -> None:
        body = getattr(self, "request_body", b"").decode()
        if f"key={API_KEY}" not in body:
            self.json(403, {"error": "key"})
            return
        rows = [
            {
                "id": "101",
                "title": "[HOAKS] Kotak suara kardus mudah dibobol",
                "content": "Beredar video kotak suara kardus dibobol di TPS.",
                "fact": "Video itu rekayasa; kotak suara disegel.",
                "classification": "Fabricated Content",
                "source_link": "https://x.example/status/1",
                "tanggal": "2029-01-08",
                "references": "GFD-2029-0007 https://kpu.example.go.id",
            },
            "baris rusak",
        ]
        self.json(200, rows)

    def slow_site(self, path: str) -> None:
        n_pages = self.server.slow_pages
        if path == "/slow/feed.xml":
            items = "".join(
                f"<item><title>Artikel {i}</title><link>{self.server.base_url}/slow/a/{i}.html</link>"
                f"<pubDate>Mon, 14 Jan 2029 09:30:00 +0700</pubDate>"
                f"<description>Ringkasan {i}</description></item>"
                for i in range(n_pages)
            )
            body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>lambat</title>{items}</channel>'
            body += "</rss>"
            self.send_body(200, body.encode(), "application/xml")
            return
        number = path.rsplit("/", 1)[-1].split(".")[0]
        time.sleep(self.server.slow_s)
        text = (
            f"<p>Artikel nomor {number} tentang persiapan Pemilu 2029 di kecamatan {number}. "
            "Petugas memeriksa logistik, kotak suara dan tinta, lalu melatih anggota KPPS.</p>" * 3
        )
        html = (
            f"<html><head><title>Artikel {number}</title></head><body><article>{text}</article></body></html>"
        )
        self.send_body(200, html.encode(), "text/html; charset=utf-8")


class FixtureServer(SiteServer):
    timeout_sleep_s = 3.0  # longer than the tests' crawl.timeout_s
    slow_s = 0.25  # each /slow/ article page
    slow_pages = 80


def fast_settings(data_dir: Path) -> Settings:
    """Settings for crawling our own 127.0.0.1 server: no delays, short timeouts, one retry."""
    cfg = Settings(data_dir=data_dir, database_url=None)
    cfg.crawl.download_delay_s = 0
    cfg.crawl.autothrottle = False
    cfg.crawl.timeout_s = 2.0
    cfg.crawl.retry_times = 1
    cfg.crawl.concurrency_per_domain = 8
    return cfg


@dataclass
class Env:
    """One data directory: settings, store and a folder for sources files."""

    settings: Settings
    store: Store
    folder: Path
    base_url: str

    def sources(self, *entries: dict[str, Any]) -> Path:
        """Write a sources file of ``entries`` with ``{base_url}`` filled in."""
        text = yaml.safe_dump({"sources": list(entries)}, allow_unicode=True, sort_keys=False)
        path = self.folder / "sources.yaml"
        path.write_text(text.replace("{base_url}", self.base_url), encoding="utf-8")
        return path

    def crawl(self, *entries: dict[str, Any], ids: list[str] | None = None) -> dict[str, dict[str, Any]]:
        return crawl(self.settings, self.store, ids, self.sources(*entries))

    def run_stats(self, source_id: str) -> dict[str, Any]:
        """The pantau stats of the source's last crawl run."""
        with self.store.session() as s:
            row = s.scalars(
                select(CrawlRunRow).where(CrawlRunRow.source_id == source_id).order_by(CrawlRunRow.id.desc())
            ).first()
            assert row is not None
            return dict(row.stats)

    def posts(self, source_id: str | None = None) -> list[PostRow]:
        with self.store.session() as s:
            query = s.query(PostRow)
            if source_id:
                query = query.filter(PostRow.source_id == source_id)
            return list(query.order_by(PostRow.url))


@pytest.fixture(scope="session")
def site() -> Iterator[FixtureServer]:
    server = FixtureServer(SITE, FixtureHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def make_env(site: FixtureServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[], Env]]:
    """A factory of fresh environments (data dir, settings, store) crawling the fixture site."""
    envs: list[Env] = []

    def make() -> Env:
        folder = tmp_path_factory.mktemp("crawl")
        cfg = fast_settings(folder / "data")
        env = Env(cfg, Store.open(cfg), folder, site.base_url)
        envs.append(env)
        return env

    yield make
    for env in envs:
        env.store.close()


@pytest.fixture
def env(make_env: Callable[[], Env]) -> Env:
    return make_env()
