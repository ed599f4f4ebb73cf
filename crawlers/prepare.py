"""Normalise and validate raw items into records — the code behind the normalise and validate pipelines,
also called by ``pantau import`` so both paths treat a post the same way.
"""

from __future__ import annotations

import hashlib

from pydantic import ValidationError

from crawlers.context import RunContext
from crawlers.items import FactCheckItem, Item, PostItem
from crawlers.normalize import (
    canonical_url,
    clean_text,
    extract_hashtags,
    extract_links,
    extract_mentions,
    parse_count,
    parse_date,
)
from crawlers.ratings import normalize_rating
from pantau.errors import InvalidRecord
from pantau.records import AccountKind, Author, Engagement, FactCheck, Post, content_hash, post_id

#: longest post text kept; longer texts are cut and counted (``pantau/anomaly/text_truncated``)
MAX_TEXT_CHARS = 200_000
GFD_ID = r"GFD-\d{4}-\d+"


def normalise(item: Item, ctx: RunContext) -> list[str]:
    """Normalise ``item`` in place; returns the anomalies found (names for crawl stats)."""
    if isinstance(item, PostItem):
        return _normalise_post(item, ctx)
    return _normalise_factcheck(item, ctx)


def _date(value: object, ctx: RunContext, source_id: str, anomalies: list[str]) -> object:
    if value is None or value == "":
        anomalies.append("missing_date")
        return None
    try:
        return parse_date(value, ctx.naive_timezone(source_id))
    except (ValueError, OverflowError):
        anomalies.append("bad_date")
        return None


def _normalise_post(item: PostItem, ctx: RunContext) -> list[str]:
    anomalies: list[str] = []
    item.text = clean_text(item.text)
    if len(item.text) > MAX_TEXT_CHARS:
        item.text = item.text[:MAX_TEXT_CHARS]
        anomalies.append("text_truncated")
    item.title = clean_text(item.title) or None
    item.author_name = clean_text(item.author_name) or None
    item.author_handle = clean_text(item.author_handle).lstrip("@") or None
    if item.url:
        canon = canonical_url(item.url)
        if canon is None:
            anomalies.append("bad_url")
        item.url = canon
    item.published_at = _date(item.published_at, ctx, item.source_id, anomalies)
    for name in ("views", "likes", "shares", "comments"):
        raw = getattr(item, name)
        value = parse_count(raw)
        if raw not in (None, "") and value is None:
            anomalies.append("bad_count")
        setattr(item, name, value)
    both = f"{item.title or ''}\n{item.text}"
    item.hashtags = _merge([h.lstrip("#") for h in item.hashtags], extract_hashtags(both))
    item.mentions = _merge([m.lstrip("@") for m in item.mentions], extract_mentions(both))
    links = [canonical_url(link) for link in item.links]
    if any(link is None for link in links):
        anomalies.append("bad_link")
    item.links = _merge([link for link in links if link], extract_links(item.text))
    item.media_urls = _merge([u for u in (canonical_url(m) for m in item.media_urls) if u], [])
    source = ctx.sources.get(item.source_id)
    item.tags = _merge(item.tags, ctx.tags_for(both), source.tags if source else [])
    if item.author_kind not in (None, ""):
        try:
            item.author_kind = AccountKind(str(item.author_kind).strip().lower()).value
        except ValueError:
            anomalies.append("bad_account_kind")
            item.author_kind = None
    if not item.author_kind:
        item.author_kind = source.account_kind.value if source else AccountKind.unknown.value
    return anomalies


def _normalise_factcheck(item: FactCheckItem, ctx: RunContext) -> list[str]:
    anomalies: list[str] = []
    item.claim = clean_text(item.claim)
    item.summary = clean_text(item.summary) or None
    item.rating = clean_text(item.rating) or None
    item.publisher = clean_text(item.publisher) or None
    item.claimant = clean_text(item.claimant) or None
    if item.url:
        canon = canonical_url(item.url)
        if canon is None:
            anomalies.append("bad_url")
        item.url = canon
    item.appearances = _merge([a for a in (canonical_url(u) for u in item.appearances) if a], [])
    item.published_at = _date(item.published_at, ctx, item.source_id, anomalies)
    if item.gfd_id:
        item.gfd_id = clean_text(item.gfd_id).upper() or None
    return anomalies


def _merge(*lists: list[str]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for values in lists:
        for value in values:
            key = value.casefold()
            if value and key not in seen:
                seen.add(key)
                out.append(value)
    return out


def validate(item: Item) -> Post | FactCheck:
    """The validated record for a normalised item; raises :class:`InvalidRecord` with the reason."""
    if isinstance(item, PostItem):
        record: Post | FactCheck = _post(item)
    else:
        record = _factcheck(item)
    item.record = record
    return record


def _post(item: PostItem) -> Post:
    if not item.text:
        raise InvalidRecord("empty_text: the post has no text")
    if not item.platform_post_id and not item.url:
        raise InvalidRecord("no_id: the post has neither a platform id nor a URL")
    extra = {"fetched_at": item.fetched.fetched_at} if item.fetched else {}
    try:
        return Post(
            id=post_id(item.platform, item.platform_post_id, item.url),
            platform=item.platform,
            source_id=item.source_id,
            url=item.url,
            platform_post_id=item.platform_post_id,
            author=Author(
                handle=item.author_handle,
                display_name=item.author_name,
                kind=AccountKind(item.author_kind or "unknown"),
                platform_id=item.author_platform_id,
            ),
            published_at=item.published_at,
            title=item.title,
            text=item.text,
            language=item.language,
            hashtags=item.hashtags,
            mentions=item.mentions,
            links=item.links,
            media_urls=item.media_urls,
            forwarded_from=item.forwarded_from,
            engagement=Engagement(
                views=item.views, likes=item.likes, shares=item.shares, comments=item.comments
            ),
            tags=item.tags,
            content_hash=content_hash(item.text),
            **extra,
        )
    except ValidationError as exc:
        raise InvalidRecord(f"invalid: {_first_error(exc)}") from exc


def factcheck_id(url: str | None, gfd_id: str | None, publisher: str | None, claim: str) -> str:
    """Stable fact-check id: hash of the canonical URL, else of the GFD-ID, else of publisher + claim."""
    if url:
        key = f"url:{url}"
    elif gfd_id:
        key = f"gfd:{gfd_id}"
    else:
        key = f"claim:{publisher or ''}:{claim.casefold()}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]


def _factcheck(item: FactCheckItem) -> FactCheck:
    if not item.claim:
        raise InvalidRecord("empty_claim: the fact-check names no claim")
    normalized = normalize_rating(item.rating)
    if normalized == "other" and item.rating_hint:
        normalized = item.rating_hint
    try:
        return FactCheck(
            id=factcheck_id(item.url, item.gfd_id, item.publisher, item.claim),
            claim=item.claim,
            rating=item.rating,
            rating_normalized=normalized,
            publisher=item.publisher,
            url=item.url,
            published_at=item.published_at,
            claimant=item.claimant,
            appearances=item.appearances,
            gfd_id=item.gfd_id,
            summary=item.summary,
            source_id=item.source_id,
            language=item.language or "id",
        )
    except ValidationError as exc:
        raise InvalidRecord(f"invalid: {_first_error(exc)}") from exc


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    return f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}"
