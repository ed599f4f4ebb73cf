"""The YouTube spider: the channel Atom feed, and comments through a fake Data API v3 on 127.0.0.1."""

from __future__ import annotations

from typing import Any

from pydantic import SecretStr

API_KEY = "kunci-uji-123"
CHANNEL = {
    "id": "yt_uji",
    "kind": "youtube",
    "platform": "youtube",
    "handle": "UCtestKanal",
    "url": "{base_url}/yt/feeds/videos.xml?channel_id=UCtestKanal",
    "account_kind": "media",
    "options": {"api_base_url": "{base_url}/yt/api", "comment_pages": 2},
}


def test_channel_feed_without_a_key(env: Any) -> None:
    report = env.crawl(CHANNEL)["yt_uji"]
    assert report["status"] == "ok" and report["stored"] == 2
    rows = {row.platform_post_id: row for row in env.posts()}
    video = rows["vidAAA11111"]
    assert video.url == "https://www.youtube.com/watch?v=vidAAA11111"
    assert video.title == "Debat Capres Pemilu 2029: Analisis Lengkap"
    assert video.text.startswith("Analisis debat antara Raka Wiratama")
    assert video.views == 48213 and video.likes == 1534
    assert video.author_handle == "UCtestKanal" and video.author_name == "Kanal Uji TV"
    assert video.author_kind == "media" and video.hashtags == ["Pemilu2029"]
    assert video.media_urls == ["https://i1.ytimg.com/vi/vidAAA11111/hqdefault.jpg"]
    assert {"paslon-01", "paslon-02", "paslon-03"} <= set(video.tags)
    assert rows["vidBBB22222"].text == "Vlog: Keliling pasar bersama warga"  # no description: the title
    assert env.run_stats("yt_uji")["youtube/comments_skipped_no_key"] == 2


def test_comments_through_the_data_api_with_a_key(env: Any) -> None:
    env.settings.keys.youtube = SecretStr(API_KEY)
    report = env.crawl(CHANNEL)["yt_uji"]
    assert report["status"] == "ok"
    assert report["stored"] == 2 + 4  # two videos; two pages of two comments on the first
    assert report["errors"] == 1  # comments disabled on the second video (403), counted
    comments = [row for row in env.posts() if row.platform_post_id.startswith("comment:")]
    assert len(comments) == 4
    first = next(c for c in comments if c.platform_post_id == "comment:cmtvidAAA111111")
    assert first.url == "https://www.youtube.com/watch?v=vidAAA11111&lc=cmtvidAAA111111"
    assert first.author_kind == "ordinary" and first.author_handle == "penonton1"
    assert first.likes == 3 and "paslon-02" in first.tags
    # the key travels in a header: it is in no stored URL or evidence record
    for row in env.posts():
        meta, _ = env.store.get_evidence(row.evidence_sha256)
        assert API_KEY not in meta.url and API_KEY not in (row.url or "")
