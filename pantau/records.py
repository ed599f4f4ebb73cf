"""Record types every stage shares: sources, authors, posts, fact-checks, evidence, predictions.

These are plain pydantic models, independent of the SQL store. Crawlers produce them, the store
persists them, models and the index read them.
"""

from __future__ import annotations

import hashlib
import unicodedata
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator

PLATFORMS = (
    "web",
    "news",
    "youtube",
    "telegram",
    "instagram",
    "tiktok",
    "facebook",
    "x",
    "factcheck",
)


class AccountKind(StrEnum):
    """Who is behind an account. Monitored kinds are public; others are pseudonymised for journalists."""

    official_campaign = "official_campaign"
    influencer = "influencer"
    media = "media"
    public_figure = "public_figure"
    ordinary = "ordinary"
    unknown = "unknown"

    @property
    def monitored(self) -> bool:
        return self in MONITORED_KINDS


MONITORED_KINDS = frozenset(
    {AccountKind.official_campaign, AccountKind.influencer, AccountKind.media, AccountKind.public_figure}
)


class SourceKind(StrEnum):
    """How a source is collected."""

    feed = "feed"  # RSS/Atom + article pages (news and campaign sites)
    youtube = "youtube"  # channel Atom feed (+ Data API comments with a key)
    telegram = "telegram"  # t.me/s/<channel> public previews
    factcheck = "factcheck"  # pages with ClaimReview JSON-LD / TurnBackHoax-style posts
    factcheck_api = "factcheck_api"  # Google Fact Check Tools / Mafindo API
    import_file = "import"  # export files of closed platforms (CSV/JSONL)


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """A timezone-aware UTC datetime (naive values are taken as UTC)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def normalize_text(text: str) -> str:
    """Unicode NFC with runs of spaces collapsed and line ends kept (one blank line at most)."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    lines = [" ".join(line.split()) for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


def content_hash(text: str) -> str:
    """SHA-256 of the case-folded, whitespace-collapsed text; equal for trivially re-formatted copies."""
    folded = " ".join(unicodedata.normalize("NFC", text).casefold().split())
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


def post_id(platform: str, platform_post_id: str | None = None, url: str | None = None) -> str:
    """Stable post id: hash of platform + platform post id, or of the canonical URL."""
    if platform_post_id:
        key = f"{platform}:{platform_post_id}"
    elif url:
        key = f"url:{url}"
    else:
        raise ValueError("a post needs a platform post id or a canonical URL to get a stable id")
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]


class Source(BaseModel):
    """One configured source (a row of sources.yaml)."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_\-]{0,63}$", description="Unique slug, e.g. kpu_news.")
    kind: SourceKind
    platform: str = Field(description="Platform the posts come from: " + ", ".join(PLATFORMS))
    url: str | None = Field(None, description="Feed / page / API URL (feed, youtube, factcheck kinds).")
    handle: str | None = Field(None, description="Channel handle (telegram) or channel id (youtube).")
    name: str | None = Field(None, description="Human-readable name.")
    account_kind: AccountKind = AccountKind.unknown
    tags: list[str] = Field(default_factory=list, description="Candidate / party / topic tags.")
    enabled: bool = True
    options: dict[str, Any] = Field(default_factory=dict, description="Kind-specific options.")

    @field_validator("platform")
    @classmethod
    def _known_platform(cls, value: str) -> str:
        if value not in PLATFORMS:
            raise ValueError(f"unknown platform {value!r}; use one of {', '.join(PLATFORMS)}")
        return value


class Author(BaseModel):
    """Who posted."""

    handle: str | None = None
    display_name: str | None = None
    kind: AccountKind = AccountKind.unknown
    platform_id: str | None = None


class Engagement(BaseModel):
    """Engagement counts as seen at fetch time; a re-crawl replaces them."""

    views: int | None = None
    likes: int | None = None
    shares: int | None = None
    comments: int | None = None


class Post(BaseModel):
    """A post, article, video or message: the record every stage shares."""

    id: str
    platform: str
    source_id: str
    url: str | None = None
    platform_post_id: str | None = None
    author: Author = Field(default_factory=Author)
    published_at: datetime | None = None
    fetched_at: datetime = Field(default_factory=utcnow)
    title: str | None = None
    text: str
    language: str | None = None
    hashtags: list[str] = Field(default_factory=list)
    mentions: list[str] = Field(default_factory=list)
    links: list[str] = Field(default_factory=list)
    media_urls: list[str] = Field(default_factory=list)
    forwarded_from: str | None = None
    engagement: Engagement = Field(default_factory=Engagement)
    tags: list[str] = Field(default_factory=list)
    content_hash: str = ""
    evidence_sha256: str | None = None

    @field_validator("published_at", "fetched_at")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        return as_utc(value) if value is not None else None


class Evidence(BaseModel):
    """What was fetched, kept so a flagged post can be shown in a report exactly as it was."""

    sha256: str
    url: str
    status: int
    fetched_at: datetime
    crawler_version: str
    content_type: str | None = None
    size: int


RATINGS = ("false", "misleading", "mixed", "true", "unproven", "satire", "other")


class FactCheck(BaseModel):
    """A published fact-check (ClaimReview and the like)."""

    id: str
    claim: str
    rating: str | None = Field(None, description="Rating as published, e.g. 'SALAH', 'Hoaks', 'False'.")
    rating_normalized: str = Field("other", description="One of " + ", ".join(RATINGS))
    publisher: str | None = None
    url: str | None = None
    published_at: datetime | None = None
    claimant: str | None = None
    appearances: list[str] = Field(default_factory=list, description="URLs where the claim appeared.")
    gfd_id: str | None = Field(None, description="Mafindo's GFD-ID when present.")
    summary: str | None = None
    source_id: str | None = None
    language: str = "id"
    evidence_sha256: str | None = None

    @field_validator("published_at")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        return as_utc(value) if value is not None else None


class Prediction(BaseModel):
    """One model's output for one post."""

    post_id: str
    task: str
    model_version: str
    label: str
    score: float
    probabilities: dict[str, float] = Field(default_factory=dict)
    reasons: list[dict[str, Any]] = Field(default_factory=list)
    created_at: datetime = Field(default_factory=utcnow)


class ClaimMatch(BaseModel):
    """A post that matches a fact-check."""

    post_id: str
    factcheck_id: str
    similarity: float
    rank: int = 1
    model_version: str = ""


class PostScores(BaseModel):
    """Everything the models say about one post (what ``Scorer.score`` returns per post)."""

    post_id: str
    language: str | None = None
    predictions: list[Prediction] = Field(default_factory=list)
    claim_matches: list[ClaimMatch] = Field(default_factory=list)


M = TypeVar("M", bound=BaseModel)


_FAST: dict[type[BaseModel], int] = {}


def record(cls: type[M], fields: dict[str, Any]) -> M:
    """A record from fields that are valid already and complete (every field given), for hot paths:
    what ``cls.model_construct(**fields)`` builds, without its per-field alias and default handling."""
    n = _FAST.get(cls)
    if n is None:
        n = _FAST[cls] = -1 if cls.__pydantic_post_init__ else len(cls.__pydantic_fields__)
    if len(fields) != n:
        return cls.model_construct(**fields)
    obj = cls.__new__(cls)
    _set(obj, "__dict__", fields)
    _set(obj, "__pydantic_fields_set__", set(fields))
    _set(obj, "__pydantic_extra__", None)
    _set(obj, "__pydantic_private__", None)
    return obj


_set = object.__setattr__
