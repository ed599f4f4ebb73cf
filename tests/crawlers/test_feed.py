"""The feed spider and the pipelines through real crawls of the fixture news site."""

from __future__ import annotations

from typing import Any

import pytest

NEWS = {
    "id": "kabar_uji",
    "kind": "feed",
    "platform": "news",
    "name": "Kabar Uji",
    "url": "{base_url}/news/feed.xml",
    "account_kind": "media",
    "tags": ["media-uji"],
}


@pytest.fixture(scope="module")
def news(make_env: Any) -> tuple[Any, dict[str, Any]]:
    env = make_env()
    return env, env.crawl(NEWS)["kabar_uji"]


def by_name(env: Any) -> dict[str, Any]:
    return {row.url.rsplit("/", 1)[-1]: row for row in env.posts()}


def test_feed_articles_are_stored_with_main_text_and_metadata(news: Any) -> None:
    env, report = news
    assert report["status"] == "ok"
    assert report["stored"] == 4  # debat, bazar, terpotong, tanpa-tanggal; not the 404 nor /private/
    rows = by_name(env)
    debat = rows["debat-kedua.html"]
    assert debat.url.endswith("/news/debat-kedua.html")  # utm_* stripped; the #fragment copy is the same post
    assert "debat kedua calon presiden" in debat.text
    assert "IKLAN" not in debat.text and "Hak cipta" not in debat.text  # boilerplate removed
    assert debat.title == "KPU Tetapkan Jadwal Debat Kedua Pemilu 2029"
    assert debat.author_name == "Rina Suryani" and debat.author_kind == "media"
    assert debat.published_at.isoformat() == "2029-01-14T02:30:00+00:00"
    assert {"Pemilu2029", "DebatCapres"} <= set(debat.hashtags)
    assert "https://kpu.example.go.id/debat?id=2" in debat.links
    assert {"paslon-01", "paslon-02", "paslon-03", "media-uji"} <= set(debat.tags)
    assert debat.media_urls == [f"{env.base_url}/img/debat.jpg"]
    assert {"paslon-01", "psrb"} <= set(rows["bazar-relawan.html"].tags)
    assert "Makassar" in rows["terpotong.html"].text  # truncated HTML still gives its text
    assert rows["tanpa-tanggal.html"].published_at is None  # unreadable date: kept and counted


def test_every_post_keeps_its_evidence(news: Any) -> None:
    env, _ = news
    for row in env.posts():
        meta, body = env.store.get_evidence(row.evidence_sha256)
        assert meta.status == 200 and meta.crawler_version.startswith("pantau-crawlers/")
        assert meta.url == row.url or meta.url.startswith(row.url.split("?")[0])
        assert b"<article>" in body


def test_robots_404_and_bad_dates_are_counted_not_fatal(news: Any) -> None:
    env, report = news
    assert report["errors"] == 1  # the 404
    stats = env.run_stats("kabar_uji")
    assert stats["errors/http_404"] == 1
    assert stats["skipped/ignored"] == 1  # /private/ is forbidden by robots.txt
    assert stats["anomaly/bad_date"] == 1


def test_second_crawl_skips_known_articles(news: Any, site: Any) -> None:
    env, _ = news
    hits = site.hits
    again = env.crawl(NEWS)["kabar_uji"]
    assert again["status"] == "ok" and again["stored"] == 0
    assert site.hits - hits <= 3  # robots.txt, the feed and the 404; no stored article is fetched again
    assert env.store.status()["posts"]["total"] == 4
    assert env.run_stats("kabar_uji")["skipped/known"] == 4


def test_atom_feed_of_a_campaign_site(env: Any) -> None:
    source = {
        "id": "kampanye_uji",
        "kind": "feed",
        "platform": "web",
        "url": "{base_url}/kampanye/atom.xml",
        "account_kind": "official_campaign",
    }
    missing = {"id": "hilang", "kind": "feed", "platform": "news", "url": "{base_url}/tidak/ada.xml"}
    not_feed = {"id": "bukan", "kind": "feed", "platform": "news", "url": "{base_url}/index.html"}
    report = env.crawl(source, missing, not_feed)
    assert report["kampanye_uji"]["status"] == "ok" and report["kampanye_uji"]["stored"] == 1
    (row,) = env.posts("kampanye_uji")
    assert row.author_kind == "official_campaign" and row.platform == "web"
    assert "koperasi desa" in row.text and "paslon-03" in row.tags
    # one source failing as a whole fails only itself, with a message naming it
    assert report["hilang"]["status"] == "error"
    assert "404" in report["hilang"]["message"] and "'hilang'" in report["hilang"]["message"]
    assert report["bukan"]["status"] == "error" and "not an RSS or Atom feed" in report["bukan"]["message"]


def test_wrong_charset_huge_page_500_and_timeout(env: Any) -> None:
    source = {"id": "aneh", "kind": "feed", "platform": "news", "url": "{base_url}/charset/feed.xml"}
    report = env.crawl(source)["aneh"]
    assert report["status"] == "ok"
    assert report["stored"] == 2  # both charset pages, decoded as well as they can be
    assert report["dropped"] == 1  # the 10 MB page, over max_page_bytes
    assert report["errors"] == 2
    stats = env.run_stats("aneh")
    assert stats["dropped/too_large"] == 1
    assert stats["errors/http_500"] == 1
    assert stats["errors/timeout"] == 1
    for row in env.posts():
        assert "Cirebon" in row.text
