"""Public Telegram channels through their web preview, ``https://t.me/s/<channel>``.

Each page holds about 20 messages; older ones come from the ``<link rel="prev">`` page
(``?before=<id>``). The spider stops after ``settings.crawl.telegram_max_pages`` pages (source option
``max_pages`` overrides it) or at the newest message id of the last *completed* crawl of the channel —
a crawl that was killed half-way therefore goes all the way back again on its next run, and the store
deduplicates what it already has. The newest page is always re-read so view counts stay fresh.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from parsel import Selector
from scrapy.http import Response

from crawlers.html import element_text
from crawlers.items import PostItem
from crawlers.normalize import canonical_url
from crawlers.spiders.base import SourceSpider
from pantau.records import SourceKind


class TelegramSpider(SourceSpider):
    name = "telegram"
    kind = SourceKind.telegram

    def start_urls_for(self) -> list[str]:
        return [self.source.url or f"https://t.me/s/{self.source.handle}"]

    @property
    def max_pages(self) -> int:
        return int(self.option("max_pages", self.ctx.settings.crawl.telegram_max_pages))

    def parse(self, response: Response, page: int = 1, **kwargs: Any) -> Iterator[Any]:
        messages = response.css("div.tgme_widget_message[data-post]")
        if not messages:
            self.count("anomaly/page_without_messages")
            if page == 1:
                self.failure = f"source {self.source.id!r}: {response.url} shows no channel messages"
            return
        channel_name = _text(response.css("div.tgme_channel_info_header_title span"))
        fetched = self.fetched(response)
        ids: list[int] = []
        for message in messages:
            item = self.message_item(message, channel_name)
            if item is None:
                continue
            item.fetched = fetched
            ids.append(_numeric_id(item.platform_post_id))
            yield item
        ids = [i for i in ids if i >= 0]
        previous = int(self.ctx.checkpoints.get(self.source.id, {}).get("newest_id", -1))
        if ids and page == 1:
            # saved for the next crawl only if this one completes (see crawlers.service)
            self.checkpoint = {"newest_id": max(max(ids), previous)}
        if ids and min(ids) <= previous:
            self.count("telegram/stopped_at_known")
            return
        if page >= self.max_pages:
            self.count("telegram/stopped_at_max_pages")
            return
        href = response.css('link[rel="prev"]::attr(href)').get()
        if href:
            yield self.request(response.urljoin(href), self.parse, cb_kwargs={"page": page + 1})

    def message_item(self, message: Selector, channel_name: str | None) -> PostItem | None:
        post = message.attrib.get("data-post", "")
        channel, _, number = post.partition("/")
        if not channel or not number:
            self.count("anomaly/message_without_id")
            return None
        text_nodes = message.css("div.tgme_widget_message_text")
        text = element_text(text_nodes[0].root) if text_nodes else ""
        links = [h for h in (text_nodes.css("a::attr(href)").getall() if text_nodes else []) if h]
        date_link = message.css("a.tgme_widget_message_date")
        forwarded = message.css(".tgme_widget_message_forwarded_from_name")
        forwarded_from = _text(forwarded) or None
        if forwarded_from:
            href = forwarded.attrib.get("href")
            handle = href.rstrip("/").rsplit("/", 1)[-1] if href else None
            forwarded_from = f"{forwarded_from} (@{handle})" if handle else forwarded_from
        photos = message.css(".tgme_widget_message_photo_wrap::attr(style)").re(r"url\(['\"]?([^'\")]+)")
        url = date_link.attrib.get("href") or f"https://t.me/{channel}/{number}"
        return PostItem(
            source_id=self.source.id,
            platform="telegram",
            platform_post_id=f"{channel.lower()}/{number}",
            url=canonical_url(url) or f"https://t.me/{channel}/{number}",
            text=text,
            author_handle=channel,
            author_name=channel_name or self.source.name,
            published_at=date_link.css("time::attr(datetime)").get(),
            views=_text(message.css(".tgme_widget_message_views")) or None,
            links=links,
            media_urls=photos,
            forwarded_from=forwarded_from,
        )


def _text(selection: Any) -> str:
    if not selection:
        return ""
    return " ".join(element_text(selection[0].root).split())


def _numeric_id(platform_post_id: str | None) -> int:
    tail = (platform_post_id or "").rsplit("/", 1)[-1]
    return int(tail) if tail.isdigit() else -1
