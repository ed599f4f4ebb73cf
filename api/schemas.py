"""Response and request bodies of the API, with the examples shown in ``/docs``."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

VERDICTS = ("confirmed_hoax", "misleading", "not_hoax", "needs_context")
Verdict = Literal["confirmed_hoax", "misleading", "not_hoax", "needs_context"]


class ErrorInfo(BaseModel):
    code: str = Field(description="Machine-readable code, e.g. unauthorized, invalid_request, query_syntax.")
    message: str = Field(description="What went wrong, naming the field or value and what to do.")
    details: list[dict[str, Any]] = Field(default_factory=list, description="Per-field problems.")


class ErrorResponse(BaseModel):
    """The one shape of every error."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "error": {
                    "code": "invalid_request",
                    "message": "query.limit: Input should be less than or equal to 500",
                    "details": [
                        {
                            "field": "query.limit",
                            "message": "Input should be less than or equal to 500",
                            "type": "less_than_equal",
                            "input": "1000",
                        }
                    ],
                }
            }
        }
    )

    error: ErrorInfo


class AuthorOut(BaseModel):
    handle: str | None = Field(None, description="Account handle, or a stable pseudonym (anon-…).")
    display_name: str | None = None
    kind: str = Field(
        "unknown", description="official_campaign, influencer, media, public_figure, ordinary, unknown"
    )
    pseudonymised: bool = Field(
        False, description="True when the handle is a pseudonym (not a monitored account)."
    )


class PostSummary(BaseModel):
    """One post as the search index holds it."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "id": "5f1c0e4b2a9d8c7e6f5a4b3c",
                "platform": "telegram",
                "source_id": "tg_relawan_nusantara",
                "url": "https://t.me/relawan_nusantara/1042",
                "author": {
                    "handle": "relawan_nusantara",
                    "display_name": "Relawan Nusantara",
                    "kind": "influencer",
                    "pseudonymised": False,
                },
                "published_at": "2029-02-10T08:15:00Z",
                "text": "Beredar kabar surat suara sudah dicoblos untuk paslon 02 di TPS 12...",
                "snippet_html": "Beredar kabar <mark>surat suara</mark> sudah dicoblos…",
                "labels": {"hoax": "hoax", "endorsement": "organic_political"},
                "scores": {"hoax": 0.91, "endorsement": 0.02},
                "risk": 0.95,
                "factcheck_ids": ["fc-7d1e"],
                "review_status": "unreviewed",
            }
        }
    )

    id: str
    platform: str
    source_id: str
    url: str | None = None
    author: AuthorOut
    published_at: datetime | None = None
    fetched_at: datetime | None = None
    title: str | None = None
    text: str
    snippet: str = ""
    snippet_html: str = Field("", description="HTML-escaped snippet with <mark> around matched words.")
    language: str | None = None
    tags: list[str] = Field(default_factory=list)
    hashtags: list[str] = Field(default_factory=list)
    labels: dict[str, str] = Field(default_factory=dict, description="task → label (hoax, endorsement, …)")
    scores: dict[str, float] = Field(
        default_factory=dict,
        description="hoax = P(hoax); endorsement = P(undisclosed paid political endorsement)",
    )
    risk: float = Field(0.0, description="max(P(hoax), P(undisclosed paid), claim-match boost), 0–1")
    factcheck_ids: list[str] = Field(default_factory=list, description="Matched fact-checks, best first.")
    claim_similarity: float = 0.0
    review_status: str = "unreviewed"
    engagement: dict[str, int | None] = Field(default_factory=dict)
    relevance: float | None = Field(None, description="BM25 score (relevance sort only).")


class SearchPage(BaseModel):
    total: int = Field(description="Posts matching the query and filters.")
    next_cursor: str | None = Field(None, description="Pass as `cursor` for the next page; null on the last.")
    took_ms: float = 0.0
    facets: dict[str, dict[str, int]] = Field(default_factory=dict, description="facet → value → count")
    hits: list[PostSummary]


class PredictionOut(BaseModel):
    task: str
    label: str
    score: float
    probabilities: dict[str, float] = Field(default_factory=dict)
    reasons: list[dict[str, Any]] = Field(default_factory=list, description="Why the model said so.")
    model_version: str
    created_at: datetime | None = None


class FactCheckOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "id": "fc-7d1e",
                "claim": "Surat suara Pemilu 2029 sudah dicoblos sebelum hari pemungutan",
                "rating": "SALAH",
                "rating_normalized": "false",
                "publisher": "Cek Fakta Nusantara",
                "url": "https://cekfakta.example/2029/02/surat-suara",
            }
        }
    )

    id: str
    claim: str
    rating: str | None = None
    rating_normalized: str = "other"
    publisher: str | None = None
    url: str | None = None
    published_at: datetime | None = None
    claimant: str | None = None
    appearances: list[str] = Field(default_factory=list)
    gfd_id: str | None = None
    summary: str | None = None
    language: str = "id"


class ClaimMatchOut(BaseModel):
    factcheck_id: str
    similarity: float
    rank: int = 1
    model_version: str = ""
    factcheck: FactCheckOut | None = None


class ClusterOut(BaseModel):
    id: str
    size: int = Field(description="Posts in the coordination cluster.")
    post_ids: list[str] = Field(description="Up to 50 of them, oldest first.")
    accounts: int = Field(description="Distinct accounts posting in the cluster.")
    coordinated: bool | None = Field(None, description="The timing looks coordinated (burst of accounts).")
    score: float | None = Field(None, description="Coordination score, 0–1 (null before it is scored).")
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    platforms: dict[str, int] = Field(default_factory=dict, description="Posts per platform.")
    burst_accounts: int = Field(0, description="Accounts in the densest co-posting window.")


class EvidenceOut(BaseModel):
    sha256: str
    url: str
    status: int
    fetched_at: datetime
    crawler_version: str
    content_type: str | None = None
    size: int


class ReviewIn(BaseModel):
    """A fact-checker's verdict on a post."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "verdict": "confirmed_hoax",
                "note": "Foto lama dari 2019, bukan TPS 12.",
                "factcheck_url": "https://cekfakta.example/2029/02/surat-suara",
            }
        },
    )

    verdict: Verdict
    note: str | None = Field(None, max_length=5000)
    factcheck_url: str | None = Field(None, max_length=2000, pattern=r"^https?://[^\s]+$")


class ReviewOut(BaseModel):
    id: int
    post_id: str
    verdict: str
    note: str | None = None
    factcheck_url: str | None = None
    reviewer: str | None = Field(None, description="Hidden from roles without reviews:write.")
    created_at: datetime


class PostDetail(BaseModel):
    """A post with everything pantau knows about it (read from the store)."""

    id: str
    platform: str
    source_id: str
    url: str | None = None
    author: AuthorOut
    published_at: datetime | None = None
    fetched_at: datetime
    title: str | None = None
    text: str
    language: str | None = None
    tags: list[str] = Field(default_factory=list)
    hashtags: list[str] = Field(default_factory=list)
    mentions: list[str] = Field(default_factory=list)
    links: list[str] = Field(default_factory=list)
    media_urls: list[str] = Field(default_factory=list)
    forwarded_from: str | None = None
    engagement: dict[str, int | None] = Field(default_factory=dict)
    predictions: list[PredictionOut] = Field(default_factory=list)
    claim_matches: list[ClaimMatchOut] = Field(default_factory=list)
    cluster: ClusterOut | None = None
    narrative: PostNarrativeOut | None = Field(None, description="The narrative the post belongs to.")
    evidence: EvidenceOut | None = None
    reviews: list[ReviewOut] = Field(default_factory=list, description="Newest first.")
    review_status: str = "unreviewed"
    risk: float | None = Field(None, description="From the search index; null when not indexed yet.")


class SimilarPage(BaseModel):
    hits: list[PostSummary]


class FactCheckPage(BaseModel):
    items: list[FactCheckOut]
    next_cursor: str | None = None


class FactCheckDetail(FactCheckOut):
    matched_posts: int = Field(0, description="Posts matched to this fact-check.")
    recent_post_ids: list[str] = Field(default_factory=list, description="Up to 20, newest first.")


class TextIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {"text": "Katanya tinta pemilu 2029 mengandung babi, jangan mau dicelup!"}
        },
    )

    text: str = Field(min_length=1, max_length=20_000, description="Any text, e.g. a forwarded message.")
    k: int = Field(5, ge=1, le=20, description="How many fact-checks to return.")


class FactCheckMatch(BaseModel):
    factcheck: FactCheckOut
    similarity: float = Field(description="Calibrated 0–1 score that the text repeats this claim.")
    above_threshold: bool = Field(description="similarity ≥ the matcher's threshold.")


class MatchOut(BaseModel):
    matches: list[FactCheckMatch]
    threshold: float | None = None
    model_version: str | None = None


class ClassifyIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "text": "Ayo coblos paslon 03! Dapat amplop 100rb di posko, jangan bilang siapa-siapa.",
                "platform": "telegram",
                "author_kind": "ordinary",
            }
        },
    )

    text: str = Field(min_length=1, max_length=20_000)
    title: str | None = Field(None, max_length=1000)
    platform: Literal["web", "news", "youtube", "telegram", "instagram", "tiktok", "facebook", "x"] = "web"
    author_kind: Literal[
        "official_campaign", "influencer", "media", "public_figure", "ordinary", "unknown"
    ] = "unknown"


class TaskOut(BaseModel):
    label: str
    score: float
    probabilities: dict[str, float] = Field(default_factory=dict)
    reasons: list[dict[str, Any]] = Field(default_factory=list)
    model_version: str


class ClassifyOut(BaseModel):
    language: str | None = None
    hoax: TaskOut | None = None
    endorsement: TaskOut | None = None
    claim_matches: list[FactCheckMatch] = Field(default_factory=list)
    model_versions: dict[str, str] = Field(default_factory=dict)


class Bucket(BaseModel):
    start: datetime = Field(description="Start of the hour or day (UTC).")
    total: int
    counts: dict[str, int] = Field(description="value of `by` → posts")


class Timeline(BaseModel):
    interval: Literal["hour", "day"]
    by: Literal["label", "platform", "tag"]
    task: str | None = None
    buckets: list[Bucket]


class AccountCount(BaseModel):
    platform: str
    author: AuthorOut
    posts: int
    flagged: int = Field(description="Posts labelled hoax or undisclosed paid political endorsement.")


class TopAccounts(BaseModel):
    items: list[AccountCount]


class HashtagCount(BaseModel):
    hashtag: str
    posts: int


class TopHashtags(BaseModel):
    items: list[HashtagCount]


class FactCheckCount(BaseModel):
    factcheck: FactCheckOut
    posts: int


class TopFactChecks(BaseModel):
    items: list[FactCheckCount]


class AuditEntry(BaseModel):
    id: int
    at: datetime
    actor: str | None = None
    action: str
    object_type: str
    object_id: str
    details: dict[str, Any] = Field(default_factory=dict)


class AuditPage(BaseModel):
    items: list[AuditEntry]
    next_cursor: str | None = None


class Me(BaseModel):
    name: str
    role: str
    permissions: list[str]
    key_prefix: str
    key_expires_at: datetime | None = None


class Health(BaseModel):
    status: Literal["ok"]
    version: str


class Ready(BaseModel):
    status: Literal["ready", "not_ready"]
    checks: dict[str, str]


# ------------------------------------------------------------------ coordination (issue 8)
class BurstOut(BaseModel):
    start: datetime | None = Field(None, description="Start of the densest co-posting window.")
    end: datetime | None = None
    accounts: int = Field(0, description="Distinct accounts posting inside that window.")
    concentration: float = Field(0.0, description="Share of the nearby accounts that fall inside it, 0–1.")


class ClusterSummaryOut(BaseModel):
    """A near-duplicate cluster and what its timing says."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "id": "c-7f3a9b",
                "score": 0.87,
                "coordinated": True,
                "posts": 24,
                "accounts": 22,
                "shares": 0,
                "platforms": {"x": 20, "telegram": 4},
                "first_seen": "2029-02-10T08:00:00Z",
                "last_seen": "2029-02-10T08:12:00Z",
                "burst": {
                    "start": "2029-02-10T08:00:00Z",
                    "end": "2029-02-10T08:09:00Z",
                    "accounts": 20,
                    "concentration": 0.91,
                },
                "sample_post_id": "x-1a2b3c",
                "sample_text": "Surat suara sudah dicoblos untuk paslon 02, sebarkan!",
            }
        }
    )

    id: str
    score: float = Field(description="Coordination score, 0–1.")
    coordinated: bool = Field(description="The timing looks coordinated (a burst of distinct accounts).")
    posts: int = Field(description="Posts in the cluster.")
    accounts: int = Field(description="Distinct accounts posting in the cluster.")
    shares: int = Field(0, description="Posts that are native shares (retweets, forwards).")
    platforms: dict[str, int] = Field(default_factory=dict, description="Posts per platform.")
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    burst: BurstOut = Field(default_factory=BurstOut)
    sample_post_id: str | None = None
    sample_text: str | None = Field(None, description="The first post's text (hostile: escape it).")


class ClusterPage(BaseModel):
    items: list[ClusterSummaryOut]
    next_offset: int | None = Field(None, description="Pass as `offset` for the next page; null at the end.")


class ClusterPostOut(BaseModel):
    id: str
    author: AuthorOut
    platform: str
    published_at: datetime | None = None
    url: str | None = Field(None, description="Withheld (null) when the author is pseudonymised.")
    text: str = Field(description="Up to 500 characters of the post.")
    in_burst: bool = Field(description="The author is one of the cluster's coordinated accounts.")


class ClusterAccountOut(BaseModel):
    author: AuthorOut
    platform: str
    posts: int
    first_post: datetime | None = None
    last_post: datetime | None = None
    in_burst: bool


class ClusterEdgeOut(BaseModel):
    a: str = Field(description="Handle (or pseudonym) of one account.")
    b: str
    weight: int = Field(description="Coordinated clusters the two accounts share.")


class ClusterDetailOut(ClusterSummaryOut):
    """A cluster with its accounts, its posts in time order and the co-posting edges among them."""

    member_accounts: list[ClusterAccountOut] = Field(description="Accounts, those in the burst first.")
    member_posts: list[ClusterPostOut] = Field(description="Up to 500 posts, oldest first.")
    edges: list[ClusterEdgeOut]


class NarrativeAccountOut(BaseModel):
    author: AuthorOut
    platform: str
    posts: int


class NarrativeOut(BaseModel):
    """Posts carrying one claim: a matched fact-check's, or a group of similar clusters."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "id": "n-fc-tinta",
                "kind": "factcheck",
                "factcheck_id": "fc-tinta",
                "label": "Tinta pemilu mengandung babi",
                "posts": 140,
                "accounts": 96,
                "first_seen": "2029-02-08T03:00:00Z",
                "last_seen": "2029-02-12T21:40:00Z",
                "platforms": {"x": 90, "tiktok": 50},
                "top_accounts": [
                    {
                        "author": {"handle": "anon-3f2a…", "kind": "ordinary", "pseudonymised": True},
                        "platform": "x",
                        "posts": 6,
                    }
                ],
                "daily": {"2029-02-11": 30, "2029-02-12": 80},
                "recent_posts": 110,
                "growth": 2.6,
            }
        }
    )

    id: str
    kind: str = Field(description="factcheck (posts matching one fact-check) or similar (similar clusters).")
    factcheck_id: str | None = None
    label: str = Field(description="The claim, or a sample text (hostile: escape it).")
    posts: int
    accounts: int
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    platforms: dict[str, int] = Field(default_factory=dict)
    top_accounts: list[NarrativeAccountOut] = Field(default_factory=list)
    daily: dict[str, int] = Field(default_factory=dict, description="Posts per UTC day (YYYY-MM-DD).")
    recent_posts: int = Field(0, description="Posts in the last `days` days.")
    growth: float = Field(0.0, description="Growth of the last `days` days over the days before.")


class NarrativePage(BaseModel):
    items: list[NarrativeOut]


class NarrativePostOut(BaseModel):
    id: str
    author: AuthorOut
    platform: str
    published_at: datetime | None = None


class NarrativeDetailOut(NarrativeOut):
    member_posts: list[NarrativePostOut] = Field(description="The latest posts, newest first.")


class PartnerOut(BaseModel):
    author: AuthorOut
    platform: str
    weight: int = Field(description="Coordinated clusters the two accounts posted in together.")
    clusters: list[str]


class PartnersOut(BaseModel):
    """An account's co-posting partners, strongest first."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "account": {"handle": "anon-9c1d…", "kind": "unknown", "pseudonymised": True},
                "platform": "x",
                "partners": [
                    {
                        "author": {"handle": "anon-77ab…", "kind": "ordinary", "pseudonymised": True},
                        "platform": "x",
                        "weight": 3,
                        "clusters": ["c-7f3a9b", "c-11de20", "c-52aa01"],
                    }
                ],
            }
        }
    )

    account: AuthorOut
    platform: str
    partners: list[PartnerOut]


class PostNarrativeOut(BaseModel):
    id: str
    kind: str
    label: str
    factcheck_id: str | None = None
    posts: int
    accounts: int
    first_seen: datetime | None = None
    growth: float = 0.0


PostDetail.model_rebuild()
