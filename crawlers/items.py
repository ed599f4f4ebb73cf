"""What spiders (and the importer) yield: raw posts and fact-checks plus the fetched body as evidence.

Spiders fill the raw fields as found on the page; the pipelines (:mod:`crawlers.pipelines`) normalise
them, build the validated record (:class:`pantau.records.Post` / :class:`pantau.records.FactCheck`) in
``record``, store the evidence and write the record.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pantau.records import FactCheck, Post


@dataclass
class Fetched:
    """A fetched body, kept as evidence."""

    url: str
    status: int
    body: bytes
    fetched_at: datetime
    content_type: str | None = None
    #: set once the body is stored (several items of one page share one snapshot)
    sha256: str | None = None


@dataclass
class PostItem:
    """A post as found on a page or in an export row, before normalisation."""

    source_id: str
    platform: str
    text: str
    url: str | None = None
    platform_post_id: str | None = None
    title: str | None = None
    author_handle: str | None = None
    author_name: str | None = None
    author_kind: str | None = None
    author_platform_id: str | None = None
    #: a datetime, an ISO 8601 / RFC 822 string or unix seconds; normalised to UTC
    published_at: Any = None
    views: Any = None
    likes: Any = None
    shares: Any = None
    comments: Any = None
    hashtags: list[str] = field(default_factory=list)
    mentions: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    media_urls: list[str] = field(default_factory=list)
    forwarded_from: str | None = None
    tags: list[str] = field(default_factory=list)
    language: str | None = None
    fetched: Fetched | None = None
    #: the validated record, set by the validate pipeline
    record: Post | None = None


@dataclass
class FactCheckItem:
    """A fact-check as published, before normalisation."""

    source_id: str
    claim: str
    rating: str | None = None
    publisher: str | None = None
    url: str | None = None
    published_at: Any = None
    claimant: str | None = None
    appearances: list[str] = field(default_factory=list)
    gfd_id: str | None = None
    summary: str | None = None
    language: str = "id"
    #: rating normalised by the publisher's numbers (ClaimReview ratingValue) when the words say nothing
    rating_hint: str | None = None
    fetched: Fetched | None = None
    record: FactCheck | None = None


Item = PostItem | FactCheckItem
