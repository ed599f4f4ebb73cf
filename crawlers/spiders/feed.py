"""RSS/Atom feeds of news and campaign sites, with the main text of each linked article page.

Source options: ``follow_links`` (default true; false stores the feed entries' own text), ``max_items``
(newest entries per crawl, default 200), ``download_delay_s``, ``timezone``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import lxml.html
import trafilatura
from lxml import etree
from scrapy.http import Response

from crawlers.feeds import FeedEntry, looks_like_feed, parse_feed
from crawlers.html import element_text, fragment_text
from crawlers.items import PostItem
from crawlers.normalize import canonical_url
from crawlers.spiders.base import SourceSpider
from pantau.records import SourceKind

log = logging.getLogger(__name__)


class FeedSpider(SourceSpider):
    name = "feed"
    kind = SourceKind.feed

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        if not looks_like_feed(response.body):
            self.failure = f"source {self.source.id!r}: {response.url} is not an RSS or Atom feed"
            self.count("errors/not_a_feed")
            return
        entries = parse_feed(response.body)[: int(self.option("max_items", 200))]
        if not entries:
            self.count("anomaly/empty_feed")
        self.count("feed_entries", len(entries))
        by_url: dict[str, FeedEntry] = {}
        for entry in entries:
            url = canonical_url(entry.link, base=response.url)
            if url is None:
                self.count("anomaly/entry_without_link")
                continue
            by_url.setdefault(url, entry)
        fetched = self.fetched(response)
        for url in self.unknown_urls(by_url):
            entry = by_url[url]
            if self.option("follow_links", True):
                yield self.request(url, self.parse_article, cb_kwargs={"entry": entry, "url": url})
            else:
                yield self.entry_item(entry, url, fetched)

    def entry_item(self, entry: FeedEntry, url: str, fetched: Any) -> PostItem:
        """A post made from the feed entry alone."""
        return PostItem(
            source_id=self.source.id,
            platform=self.source.platform,
            url=url,
            title=entry.title,
            text=fragment_text(entry.content or entry.summary) or (entry.title or ""),
            published_at=entry.published,
            author_handle=self.source.handle or self.source.id,
            author_name=entry.author or self.source.name,
            tags=list(entry.categories),
            fetched=fetched,
        )

    def parse_article(self, response: Response, entry: FeedEntry, url: str) -> Iterator[PostItem]:
        item = self.entry_item(entry, url, self.fetched(response))
        html = response.text if hasattr(response, "text") else ""
        body = extract_article(html, response.url)
        if body:
            item.text = body
        else:
            self.count("anomaly/no_main_text")
        page = _meta(html)
        item.title = entry.title or page.get("og:title") or page.get("title")
        item.text = _without_title(item.text, item.title)
        item.published_at = entry.published or page.get("published")
        item.author_name = page.get("author") or item.author_name
        if page.get("og:image"):
            item.media_urls = [page["og:image"]]
        yield item


def extract_article(html: str, url: str) -> str:
    """The main text of an article page (boilerplate, navigation, ads and related links removed)."""
    if not html.strip():
        return ""
    try:
        text = trafilatura.extract(
            html,
            url=url,
            include_comments=False,
            include_tables=False,
            favor_precision=True,
            deduplicate=False,
        )
    except (ValueError, TypeError, etree.LxmlError) as exc:  # trafilatura on broken markup
        log.info("main-text extraction failed for %s: %s", url, exc)
        text = None
    if text:
        return str(text)
    # fall back to the <article> element when trafilatura finds nothing
    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return ""
    articles = root.xpath("//article")
    return element_text(articles[0]).strip() if articles else ""


def _without_title(text: str, title: str | None) -> str:
    """The text without a first line that only repeats the title (extraction keeps the page's <h1>)."""
    first, sep, rest = text.lstrip().partition("\n")
    if title and sep and " ".join(first.split()).casefold() == " ".join(title.split()).casefold():
        return rest.lstrip()
    return text


def _meta(html: str) -> dict[str, str]:
    """Title, author, published date and og:* values of a page."""
    out: dict[str, str] = {}
    try:
        root = lxml.html.document_fromstring(html) if html.strip() else None
    except (etree.ParserError, ValueError):
        root = None
    if root is None:
        return out
    for node in root.iter("meta"):
        key = (node.get("property") or node.get("name") or "").strip().lower()
        value = (node.get("content") or "").strip()
        if key and value and key not in out:
            out[key] = value
    titles = root.xpath("//title")
    if titles and titles[0].text:
        out["title"] = titles[0].text.strip()
    published = out.get("article:published_time") or out.get("date") or out.get("pubdate")
    if not published:
        times = root.xpath("//time[@datetime]")
        published = times[0].get("datetime") if times else None
    if published:
        out["published"] = published
    return out
