"""Fact-checks out of pages: schema.org ``ClaimReview`` JSON-LD (also inside ``@graph`` or lists) and
TurnBackHoax-style WordPress posts (``[SALAH] ...`` titles with NARASI / PENJELASAN / KESIMPULAN /
REFERENSI sections and an optional GFD-ID)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import lxml.html
from lxml import etree

from crawlers.html import element_text, has_type, iter_jsonld, walk_jsonld
from crawlers.items import FactCheckItem
from crawlers.ratings import rating_from_scale

VERDICT_TAG = re.compile(r"^\s*\[\s*([^\]]{2,40}?)\s*\]\s*(.*)$", re.DOTALL)
GFD_ID = re.compile(r"\bGFD-\d{4}-\d{1,6}\b", re.IGNORECASE)
SECTION = re.compile(
    r"^\s*(NARASI|PENJELASAN|KESIMPULAN|REFERENSI|SUMBER|HASIL\s+CEK\s+FAKTA)\s*:?\s*(.*)$",
    re.IGNORECASE | re.DOTALL,
)


@dataclass
class PageResult:
    """What one page yielded, plus the anomalies met on the way."""

    items: list[FactCheckItem] = field(default_factory=list)
    anomalies: list[str] = field(default_factory=list)


def parse_page(html: str, url: str, source_id: str, default_publisher: str | None) -> PageResult:
    """Every fact-check on a page: its ClaimReviews, or else a TurnBackHoax-style post."""
    result = PageResult()
    try:
        root = lxml.html.document_fromstring(html) if html.strip() else None
    except (etree.ParserError, ValueError):
        root = None
    if root is None:
        result.anomalies.append("unparseable_page")
        return result
    for node in _claim_reviews(root, result):
        item = claim_review_item(node, url, source_id, default_publisher)
        if item is None:
            result.anomalies.append("claimreview_without_claim")
        else:
            result.items.append(item)
    if not result.items:
        item = turnbackhoax_item(root, url, source_id, default_publisher)
        if item is not None:
            result.items.append(item)
    return result


def _claim_reviews(root: lxml.html.HtmlElement, result: PageResult) -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = []
    for block in iter_jsonld(root):
        if isinstance(block, Exception):
            result.anomalies.append("bad_jsonld")
            continue
        nodes.extend(n for n in walk_jsonld(block) if has_type(n, "ClaimReview"))
    return nodes


def _name(value: Any) -> str | None:
    if isinstance(value, list):
        names = [n for n in (_name(v) for v in value) if n]
        return ", ".join(names) or None
    if isinstance(value, dict):
        name = value.get("name") or value.get("alternateName")
        return str(name) if name else None
    return str(value) if isinstance(value, str) and value else None


def _urls(value: Any) -> list[str]:
    if isinstance(value, list):
        return [u for v in value for u in _urls(v)]
    if isinstance(value, dict):
        return _urls(value.get("url") or value.get("@id"))
    return [value] if isinstance(value, str) and value.startswith(("http://", "https://")) else []


def claim_review_item(
    node: dict[str, Any], page_url: str, source_id: str, default_publisher: str | None
) -> FactCheckItem | None:
    """A fact-check from one ClaimReview node (None when it names no claim)."""
    claim = node.get("claimReviewed")
    reviewed: dict[str, Any] = node["itemReviewed"] if isinstance(node.get("itemReviewed"), dict) else {}
    if not claim:
        claim = reviewed.get("name") or reviewed.get("text")
    if not isinstance(claim, str) or not claim.strip():
        return None
    rating: dict[str, Any] = node["reviewRating"] if isinstance(node.get("reviewRating"), dict) else {}
    rating_text = None
    if rating:
        rating_text = rating.get("alternateName") or rating.get("name")
    published = node.get("datePublished") or reviewed.get("datePublished")
    appearances = _urls(reviewed.get("appearance")) + _urls(reviewed.get("firstAppearance"))
    gfd = GFD_ID.search(" ".join(str(node.get(k, "")) for k in ("identifier", "description", "name")))
    return FactCheckItem(
        source_id=source_id,
        claim=claim,
        rating=str(rating_text) if rating_text else None,
        rating_hint=rating_from_scale(
            rating.get("ratingValue"), rating.get("bestRating"), rating.get("worstRating")
        )
        if rating
        else None,
        publisher=_name(node.get("author")) or _name(node.get("publisher")) or default_publisher,
        url=(node.get("url") if isinstance(node.get("url"), str) else None) or page_url,
        published_at=published,
        claimant=_name(reviewed.get("author")),
        appearances=appearances,
        gfd_id=gfd.group(0).upper() if gfd else None,
        summary=node.get("description") if isinstance(node.get("description"), str) else None,
    )


def turnbackhoax_item(
    root: lxml.html.HtmlElement, url: str, source_id: str, default_publisher: str | None
) -> FactCheckItem | None:
    """A fact-check from a WordPress post titled ``[VERDICT] claim`` (None when the title has no tag)."""
    title = _first_text(root, "//h1[contains(@class,'entry-title')]") or _meta(root, "og:title")
    title = title or _first_text(root, "//title")
    match = VERDICT_TAG.match(title or "")
    if not match:
        return None
    verdict, headline = match.group(1).strip(), match.group(2).strip()
    content = root.xpath("//div[contains(concat(' ', normalize-space(@class), ' '), ' entry-content ')]")
    sections: dict[str, list[str]] = {}
    links: dict[str, list[str]] = {}
    current = "intro"
    body_text = ""
    if content:
        body_text = element_text(content[0])
        for block in content[0].iter("p", "li", "blockquote", "h2", "h3", "h4"):
            text = " ".join(element_text(block).split())
            if not text:
                continue
            heading = SECTION.match(text)
            if heading and block.tag != "li":
                current = heading.group(1).upper().split()[0]
                text = heading.group(2).strip()
            if text:
                sections.setdefault(current, []).append(text)
            links.setdefault(current, []).extend(h for h in block.xpath(".//a/@href") if isinstance(h, str))
    claim = " ".join(sections.get("NARASI", [])) or headline
    summary = " ".join(sections.get("PENJELASAN", []) + sections.get("KESIMPULAN", [])) or None
    published = root.xpath("//time[contains(@class,'published')]/@datetime") or root.xpath("//time/@datetime")
    gfd = GFD_ID.search(body_text) or GFD_ID.search(title or "")
    appearances = links.get("NARASI", []) + links.get("SUMBER", [])
    return FactCheckItem(
        source_id=source_id,
        claim=claim.strip().strip("\"“”'"),
        rating=verdict,
        publisher=_meta(root, "og:site_name") or default_publisher,
        url=url,
        published_at=published[0] if published else _meta(root, "article:published_time"),
        appearances=[a for a in appearances if a.startswith(("http://", "https://"))],
        gfd_id=gfd.group(0).upper() if gfd else None,
        summary=summary,
    )


def _first_text(root: lxml.html.HtmlElement, xpath: str) -> str | None:
    nodes = root.xpath(xpath)
    if not nodes:
        return None
    text = " ".join(element_text(nodes[0]).split())
    return text or None


def _meta(root: lxml.html.HtmlElement, prop: str) -> str | None:
    values = root.xpath(f"//meta[@property='{prop}' or @name='{prop}']/@content")
    return str(values[0]).strip() if values else None
