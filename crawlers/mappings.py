"""Column mappings of export files (CSV / JSONL) of platforms without open access.

A mapping sends an export column (a dotted path reaches into nested JSON: ``public_metrics.like_count``)
to one of pantau's fields, :data:`FIELDS`. Each platform has a default mapping for its common export
format; pantau's own generic columns (the field names themselves) always work too, and
``pantau import --map column=field`` overrides. ``url_template`` builds a post URL from other fields
when the export has none. The full tables are in ``docs/sources.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pantau.errors import ConfigError

#: pantau's fields an export column can fill
FIELDS = (
    "platform_post_id",
    "url",
    "author_handle",
    "author_name",
    "author_kind",
    "author_platform_id",
    "published_at",
    "title",
    "text",
    "views",
    "likes",
    "shares",
    "comments",
    "hashtags",
    "mentions",
    "media_urls",
    "links",
    "language",
    "shortcode",
)

#: pantau's own generic columns: each field under its own name, plus ``id`` for the platform id
GENERIC: dict[str, str] = {name: name for name in FIELDS} | {"id": "platform_post_id"}


@dataclass(frozen=True)
class Mapping:
    columns: dict[str, str]
    url_template: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


PLATFORM_MAPPINGS: dict[str, Mapping] = {
    # Instagram Graph API / business-account CSV exports
    "instagram": Mapping(
        columns={
            "id": "platform_post_id",
            "shortcode": "shortcode",
            "username": "author_handle",
            "full_name": "author_name",
            "account_kind": "author_kind",
            "timestamp": "published_at",
            "caption": "text",
            "like_count": "likes",
            "comments_count": "comments",
            "media_url": "media_urls",
            "permalink": "url",
        },
        url_template="https://www.instagram.com/p/{shortcode}/",
    ),
    # TikTok Research API video query fields (JSONL, one video per line)
    "tiktok": Mapping(
        columns={
            "id": "platform_post_id",
            "username": "author_handle",
            "create_time": "published_at",
            "video_description": "text",
            "like_count": "likes",
            "comment_count": "comments",
            "share_count": "shares",
            "view_count": "views",
            "hashtag_names": "hashtags",
            "voice_to_text": "title",
            "account_kind": "author_kind",
        },
        url_template="https://www.tiktok.com/@{author_handle}/video/{platform_post_id}",
    ),
    # Meta Content Library exports of Facebook posts
    "facebook": Mapping(
        columns={
            "id": "platform_post_id",
            "post_owner.name": "author_name",
            "post_owner.username": "author_handle",
            "post_owner.id": "author_platform_id",
            "creation_time": "published_at",
            "text": "text",
            "statistics.reaction_count": "likes",
            "statistics.comment_count": "comments",
            "statistics.share_count": "shares",
            "statistics.views": "views",
            "link_attachment.link": "links",
            "url": "url",
        },
        url_template="https://www.facebook.com/{platform_post_id}",
    ),
    # X API v2 tweets (``expansions=author_id`` flattened to author_username, or includes left out)
    "x": Mapping(
        columns={
            "id": "platform_post_id",
            "text": "text",
            "created_at": "published_at",
            "author_id": "author_platform_id",
            "author_username": "author_handle",
            "username": "author_handle",
            "author_name": "author_name",
            "public_metrics.like_count": "likes",
            "public_metrics.retweet_count": "shares",
            "public_metrics.reply_count": "comments",
            "public_metrics.impression_count": "views",
            "lang": "language",
        },
        url_template="https://x.com/{author_handle}/status/{platform_post_id}",
    ),
}


def mapping_for(platform: str, overrides: list[str] | dict[str, str] | None = None) -> Mapping:
    """The platform's default mapping plus the generic columns, with ``col=field`` overrides applied."""
    base = PLATFORM_MAPPINGS.get(platform, Mapping(columns={}))
    columns = dict(GENERIC) | base.columns
    pairs = overrides.items() if isinstance(overrides, dict) else (_split(o) for o in overrides or [])
    for column, target in pairs:
        if target not in FIELDS and target != "-":
            raise ConfigError(
                f"--map {column}={target}: unknown field {target!r}; "
                f"use one of {', '.join(FIELDS)} (or - to ignore the column)"
            )
        if target == "-":
            columns.pop(column, None)
        else:
            columns[column] = target
    return Mapping(columns=columns, url_template=base.url_template)


def _split(override: str) -> tuple[str, str]:
    column, sep, target = override.partition("=")
    if not sep or not column.strip() or not target.strip():
        raise ConfigError(f"--map {override!r}: expected COLUMN=FIELD, e.g. --map caption=text")
    return column.strip(), target.strip()
