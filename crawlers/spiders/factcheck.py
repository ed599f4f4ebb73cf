"""Fact-check publishers: a feed of fact-check posts, an index page that links to them (a "page-list"
source), or a single fact-check page. Each article yields its ClaimReview JSON-LD, or, without one, the
TurnBackHoax-style post (verdict tag in the title, NARASI / PENJELASAN sections, GFD-ID).

Options: ``link_pattern`` (regex an index page's links must match; default: same host, under the
index's folder), ``max_pages`` (index pages followed through ``rel=next``, default 5), ``max_items``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from scrapy.http import Response, TextResponse

from crawlers.factchecks import parse_page
from crawlers.feeds import looks_like_feed, parse_feed
from crawlers.normalize import canonical_url
from crawlers.spiders.base import SourceSpider
from pantau.records import SourceKind

_SKIP_EXT = re.compile(r"\.(?:xml|rss|jpg|jpeg|png|gif|webp|svg|css|js|pdf|zip|mp4)$", re.IGNORECASE)


class FactCheckSpider(SourceSpider):
    name = "factcheck"
    kind = SourceKind.factcheck

    def parse(self, response: Response, page: int = 1, **kwargs: Any) -> Iterator[Any]:
        max_items = int(self.option("max_items", 500))
        if looks_like_feed(response.body):
            links = [canonical_url(e.link, base=response.url) for e in parse_feed(response.body)]
            for url in self.unknown_urls(u for u in links[:max_items] if u):
                yield self.request(url, self.parse_article)
            return
        if not isinstance(response, TextResponse):
            self.failure = f"source {self.source.id!r}: {response.url} is neither a feed nor an HTML page"
            return
        found = list(self.page_items(response))
        if found:  # the source URL is itself a fact-check page
            yield from found
            return
        links = [canonical_url(h, base=response.url) for h in response.css("a::attr(href)").getall()]
        articles = [u for u in dict.fromkeys(links) if u and self.is_article_link(u, response.url)]
        if not articles:
            self.count("anomaly/index_without_articles")
        for url in self.unknown_urls(articles[:max_items]):
            yield self.request(url, self.parse_article)
        next_href = response.css('a[rel="next"]::attr(href), link[rel="next"]::attr(href)').get()
        if next_href and page < int(self.option("max_pages", 5)):
            yield self.request(response.urljoin(next_href), self.parse, cb_kwargs={"page": page + 1})

    def is_article_link(self, url: str, index_url: str) -> bool:
        pattern = self.option("link_pattern")
        if pattern:
            return re.search(str(pattern), url) is not None
        link, index = urlsplit(url), urlsplit(index_url)
        folder = index.path.rsplit("/", 1)[0] + "/"
        return (
            link.netloc == index.netloc
            and link.path.startswith(folder)
            and link.path.rstrip("/") != index.path.rstrip("/")
            and link.path != folder
            and not link.path.endswith(("/index.html", "/index.htm"))
            and not _SKIP_EXT.search(link.path)
        )

    def parse_article(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        found = list(self.page_items(response))
        if not found:
            self.count("anomaly/no_factcheck_on_page")
        yield from found

    def page_items(self, response: Response) -> Iterator[Any]:
        if not isinstance(response, TextResponse):
            return
        result = parse_page(response.text, response.url, self.source.id, self.source.name)
        for anomaly in result.anomalies:
            self.count(f"anomaly/{anomaly}")
        fetched = self.fetched(response)
        for item in result.items:
            item.fetched = fetched
            yield item
