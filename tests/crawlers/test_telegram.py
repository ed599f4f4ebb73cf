"""The Telegram spider against saved ``t.me/s/<channel>`` pages: text, views, links, forwards, paging."""

from __future__ import annotations

from typing import Any

import pytest

CHANNEL = {
    "id": "tg_uji",
    "kind": "telegram",
    "platform": "telegram",
    "handle": "kanaluji",
    "url": "{base_url}/t/s/kanaluji",
    "account_kind": "ordinary",
}


@pytest.fixture(scope="module")
def channel(make_env: Any) -> tuple[Any, dict[str, Any]]:
    env = make_env()
    return env, env.crawl(CHANNEL)["tg_uji"]


def by_id(env: Any) -> dict[str, Any]:
    return {row.platform_post_id: row for row in env.posts()}


def test_messages_of_all_pages_are_stored(channel: Any) -> None:
    env, report = channel
    assert report["status"] == "ok"
    assert report["stored"] == 8  # 9 messages, one of them a photo without text (dropped)
    assert report["dropped"] == 1 and env.run_stats("tg_uji")["dropped/empty_text"] == 1
    assert set(by_id(env)) == {f"kanaluji/{i}" for i in (10, 11, 12, 21, 22, 30, 31, 32)}


def test_message_fields(channel: Any) -> None:
    env, _ = channel
    rows = by_id(env)
    hoax = rows["kanaluji/32"]
    assert hoax.url == "https://t.me/kanaluji/32"
    assert hoax.views == 1200  # "1.2K"
    assert (
        hoax.author_handle == "kanaluji"
        and hoax.author_name == "Kanal Uji"
        and hoax.author_kind == "ordinary"
    )
    assert hoax.forwarded_from == "Berita Viral (@beritaviral)"
    assert hoax.published_at.isoformat() == "2029-01-14T09:21:07+00:00"
    assert hoax.text.startswith("BREAKING!! Surat suara sudah tercoblos")
    assert "\nSebarkan sebelum dihapus!" in hoax.text  # <br/> became a line break
    assert hoax.links == ["https://contoh.example/berita?id=7"]  # tracking parameter stripped
    assert hoax.hashtags == ["Pemilu2029"] and hoax.mentions == ["kpu_demo"]
    assert "paslon-02" not in hoax.tags  # "paslon 02" is not a configured name
    assert rows["kanaluji/31"].tags == ["paslon-02"]
    assert rows["kanaluji/22"].views == 3400 and rows["kanaluji/30"].views == 2_500_000


def test_hostile_text_is_kept_as_text(channel: Any) -> None:
    env, _ = channel
    text = by_id(env)["kanaluji/30"].text
    assert "<script>alert(1)</script>" in text and "onerror=alert(2)" in text
    assert "\u202e" in text and "\u200b" in text  # kept: they are evidence; the web layer escapes them


def test_recrawl_refreshes_views_and_stops_at_the_last_completed_crawl(channel: Any, site: Any) -> None:
    env, _ = channel
    hits = site.hits
    report = env.crawl(CHANNEL)["tg_uji"]
    assert report["stored"] == 0 and report["unchanged"] == 3
    assert site.hits - hits == 2  # robots.txt and the newest page only
    assert env.run_stats("tg_uji")["telegram/stopped_at_known"] == 1


def test_max_pages_limits_the_first_crawl(env: Any) -> None:
    env.settings.crawl.telegram_max_pages = 2
    report = env.crawl(CHANNEL)["tg_uji"]
    assert report["stored"] == 5  # newest page (3) + one older page (2 with text)
    assert env.run_stats("tg_uji")["telegram/stopped_at_max_pages"] == 1


def test_a_crawl_with_errors_leaves_no_checkpoint(env: Any) -> None:
    broken = dict(CHANNEL, id="tg_rusak", url="{base_url}/t/s/kanalrusak")
    report = env.crawl(broken)["tg_rusak"]
    assert report["status"] == "error"
    assert env.run_stats("tg_rusak")["checkpoint"] == {}
    env.crawl(CHANNEL)
    assert env.run_stats("tg_uji")["checkpoint"] == {"newest_id": 32}
