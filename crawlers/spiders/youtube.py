"""YouTube channels: the public per-channel Atom feed (latest videos with views and likes), and their
comments through the Data API v3 ``commentThreads`` endpoint when ``settings.keys.youtube`` is set.

Source: ``handle`` is the channel id (``UC...``); ``url`` overrides the feed URL. Options:
``api_base_url`` (default ``https://www.googleapis.com/youtube/v3``; tests point it at a local fake),
``comment_pages`` (pages of 100 comments per video, default 1), ``comments`` (default true).
The key travels in the ``X-Goog-Api-Key`` header, so it never appears in URLs, logs or evidence.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

from scrapy.http import Response

from crawlers.feeds import child, looks_like_feed, parse_feed, text
from crawlers.items import PostItem
from crawlers.spiders.base import SourceSpider
from pantau.records import AccountKind, SourceKind

YT = "http://www.youtube.com/xml/schemas/2015"
MEDIA = "http://search.yahoo.com/mrss/"
API_BASE = "https://www.googleapis.com/youtube/v3"


class YouTubeSpider(SourceSpider):
    name = "youtube"
    kind = SourceKind.youtube

    def start_urls_for(self) -> list[str]:
        return [
            self.source.url or f"https://www.youtube.com/feeds/videos.xml?channel_id={self.source.handle}"
        ]

    @property
    def api_key(self) -> str | None:
        key = self.ctx.settings.keys.youtube
        return key.get_secret_value() if key is not None else None

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        if not looks_like_feed(response.body):
            self.failure = f"source {self.source.id!r}: {response.url} is not a YouTube channel feed"
            self.count("errors/not_a_feed")
            return
        fetched = self.fetched(response)
        for entry in parse_feed(response.body):
            node = entry.element
            if node is None:
                continue
            video_id = text(node, "videoId", YT)
            if not video_id:
                self.count("anomaly/entry_without_video_id")
                continue
            group = child(node, "group", MEDIA)
            description = text(group, "description", MEDIA) if group is not None else None
            views = likes = None
            thumbnails: list[str] = []
            if group is not None:
                thumb = child(group, "thumbnail", MEDIA)
                if thumb is not None and thumb.get("url"):
                    thumbnails.append(str(thumb.get("url")))
                community = child(group, "community", MEDIA)
                if community is not None:
                    rating, stats = (
                        child(community, "starRating", MEDIA),
                        child(community, "statistics", MEDIA),
                    )
                    likes = rating.get("count") if rating is not None else None
                    views = stats.get("views") if stats is not None else None
            channel_id = text(node, "channelId", YT) or self.source.handle
            yield PostItem(
                source_id=self.source.id,
                platform="youtube",
                platform_post_id=video_id,
                url=f"https://www.youtube.com/watch?v={video_id}",
                title=entry.title,
                text=description or entry.title or "",
                author_handle=channel_id,
                author_platform_id=channel_id,
                author_name=entry.author or self.source.name,
                published_at=entry.published,
                views=views,
                likes=likes,
                media_urls=thumbnails,
                fetched=fetched,
            )
            if self.api_key and self.option("comments", True):
                yield self.comments_request(video_id)
            elif not self.api_key:
                self.count("youtube/comments_skipped_no_key")

    def comments_request(self, video_id: str, page_token: str | None = None, page: int = 1) -> Any:
        params = {
            "part": "snippet",
            "videoId": video_id,
            "maxResults": 100,
            "order": "time",
            "textFormat": "plainText",
        }
        if page_token:
            params["pageToken"] = page_token
        base = str(self.option("api_base_url", API_BASE)).rstrip("/")
        return self.request(
            f"{base}/commentThreads?{urlencode(params)}",
            self.parse_comments,
            headers={"X-Goog-Api-Key": self.api_key or "", "Accept": "application/json"},
            cb_kwargs={"video_id": video_id, "page": page},
            dont_filter=True,
        )

    def parse_comments(self, response: Response, video_id: str, page: int) -> Iterator[Any]:
        try:
            data = json.loads(response.body)
        except ValueError:
            self.count("errors/youtube_api_bad_json")
            return
        fetched = self.fetched(response)
        for thread in data.get("items") or []:
            top = ((thread.get("snippet") or {}).get("topLevelComment")) or {}
            snippet = top.get("snippet") or {}
            comment_id = top.get("id") or thread.get("id")
            if not comment_id:
                self.count("anomaly/comment_without_id")
                continue
            author_channel = (snippet.get("authorChannelId") or {}).get("value")
            yield PostItem(
                source_id=self.source.id,
                platform="youtube",
                platform_post_id=f"comment:{comment_id}",
                url=f"https://www.youtube.com/watch?v={video_id}&lc={comment_id}",
                text=snippet.get("textOriginal") or snippet.get("textDisplay") or "",
                author_handle=snippet.get("authorDisplayName"),
                author_name=snippet.get("authorDisplayName"),
                author_platform_id=author_channel,
                author_kind=AccountKind.ordinary.value,
                published_at=snippet.get("publishedAt"),
                likes=snippet.get("likeCount"),
                comments=(thread.get("snippet") or {}).get("totalReplyCount"),
                forwarded_from=None,
                fetched=fetched,
            )
            self.count("youtube/comments")
        token = data.get("nextPageToken")
        if token and page < int(self.option("comment_pages", 1)):
            yield self.comments_request(video_id, token, page + 1)
