"""The search-index contract every backend implements, and the typed queries callers build.

No caller ever writes engine syntax: the API, the CLI and labelling build a :class:`Query` (free text in
pantau's small query language, see :mod:`indexes.query_parser`, plus typed :class:`Filters`), and a
backend turns it into tantivy or Elasticsearch queries itself. Bad input raises
:class:`pantau.errors.QuerySyntaxError` naming the parameter and the value (HTTP 400, never 500).

The documents in the index are :class:`IndexDocument` objects built by :func:`document_from` from a
post, the models' output for it and its review status. ``risk`` is defined there.
"""

from __future__ import annotations

import abc
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from pantau.errors import QuerySyntaxError
from pantau.records import MONITORED_KINDS, Post, PostScores, as_utc, record

SORTS = ("relevance", "date", "date_asc", "risk")
FACETS = ("label", "platform", "source", "author_kind", "tag", "day", "review_status", "language")
SCORE_FIELDS = ("hoax", "endorsement", "risk")
REVIEW_STATUSES = ("unreviewed",)  # plus whatever verdicts reviewers record
UNDISCLOSED = "undisclosed_paid_political"
MAX_LIMIT = 500


class ScoreRange(BaseModel):
    """``min <= score <= max`` on one score: ``hoax``, ``endorsement`` (undisclosed paid) or ``risk``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    field: str
    min: float | None = Field(None, ge=0.0, le=1.0)
    max: float | None = Field(None, ge=0.0, le=1.0)

    @field_validator("field", mode="before")
    @classmethod
    def _known(cls, value: Any) -> Any:
        if value not in SCORE_FIELDS:
            raise QuerySyntaxError(f"score filter {value!r} is not one of {', '.join(SCORE_FIELDS)}")
        return value


def author_key(handle: str) -> str:
    """How an account handle is indexed and matched: trimmed, without a leading ``@``, case-folded."""
    return handle.strip().lstrip("@").casefold()


class AuthorFilter(BaseModel):
    """One account to filter on: its handle (case-insensitive, ``@`` optional), optionally on one
    platform only. ``monitored_only`` makes the handle match only posts of monitored accounts
    (campaigns, influencers, media, public figures) — what callers use for viewers who may not
    identify anyone else (see ``docs/api.md``, "Filtering by author")."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    handle: str = Field(min_length=1, max_length=200)
    platform: str | None = Field(None, max_length=64)
    monitored_only: bool = False

    @field_validator("handle")
    @classmethod
    def _normalise(cls, value: str) -> str:
        key = author_key(value)
        if not key:
            raise QuerySyntaxError(f"author {value!r} is empty once '@' and spaces are removed")
        return key

    @property
    def kinds(self) -> list[str]:
        """The author kinds this entry may match ([] = any)."""
        return sorted(k.value for k in MONITORED_KINDS) if self.monitored_only else []


class Filters(BaseModel):
    """Typed filters. Values inside one list are OR-ed; different filters are AND-ed."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    platforms: list[str] = Field(default_factory=list, description="Platforms, e.g. telegram, news.")
    sources: list[str] = Field(default_factory=list, description="Source ids from sources.yaml.")
    author_kinds: list[str] = Field(default_factory=list, description="official_campaign, influencer, ...")
    labels: dict[str, list[str]] = Field(
        default_factory=dict, description="Prediction labels per task, e.g. {'hoax': ['hoax']}."
    )
    scores: list[ScoreRange] = Field(
        default_factory=list, description="Score ranges (hoax, endorsement, risk)."
    )
    has_claim_match: bool | None = Field(
        None, description="Only posts with (True) / without (False) a match."
    )
    factcheck_ids: list[str] = Field(default_factory=list, description="Posts matched to these fact-checks.")
    published_from: datetime | None = Field(None, description="Published at or after (UTC).")
    published_to: datetime | None = Field(None, description="Published before (UTC).")
    tags: list[str] = Field(default_factory=list, description="Candidate / party / topic tags.")
    review_status: list[str] = Field(default_factory=list, description="unreviewed or a review verdict.")
    languages: list[str] = Field(default_factory=list, description="Detected language codes.")
    authors: list[AuthorFilter] = Field(
        default_factory=list, description="Accounts (a handle string or an AuthorFilter); any of them."
    )

    @field_validator("authors", mode="before")
    @classmethod
    def _author_strings(cls, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return [{"handle": v} if isinstance(v, str) else v for v in value]
        return value

    @field_validator("published_from", "published_to")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        return as_utc(value) if value is not None else None

    def is_empty(self) -> bool:
        return self == Filters()


class Query(BaseModel):
    """One search request."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str = Field("", max_length=2000, description="Free text in pantau's query language.")
    filters: Filters = Field(default_factory=Filters)
    sort: str = Field("relevance", description="relevance | date (newest first) | date_asc | risk.")
    limit: int = Field(20, ge=1, le=MAX_LIMIT)
    cursor: str | None = Field(None, description="next_cursor of the previous page.")
    facets: list[str] = Field(default_factory=list, description="Facets to count: " + ", ".join(FACETS))
    highlight: bool = Field(True, description="Compute snippets with highlighted matches.")

    @field_validator("sort", mode="before")
    @classmethod
    def _known_sort(cls, value: Any) -> Any:
        if value not in SORTS:
            raise QuerySyntaxError(f"sort {value!r} is not one of {', '.join(SORTS)}")
        return value

    @field_validator("facets", mode="before")
    @classmethod
    def _known_facets(cls, value: Any) -> Any:
        for name in value or []:
            if name not in FACETS:
                raise QuerySyntaxError(f"facet {name!r} is not one of {', '.join(FACETS)}")
        return value

    @classmethod
    def build(cls, **params: Any) -> Query:
        """A validated query; any bad parameter raises :class:`QuerySyntaxError` naming it and its value."""
        try:
            return cls.model_validate(params)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "query"
            raise QuerySyntaxError(
                f"search parameter {where!r} = {first.get('input')!r}: {first['msg']}"
            ) from None

    @property
    def effective_sort(self) -> str:
        """Relevance without text means nothing to rank by: newest first instead."""
        if self.sort == "relevance" and not self.text.strip():
            return "date"
        return self.sort


class IndexDocument(BaseModel):
    """What the index holds for one post (denormalised: post + predictions + matches + review)."""

    id: str
    platform: str
    source_id: str
    url: str | None = None
    author_handle: str | None = None
    author_name: str | None = None
    author_kind: str = "unknown"
    published_at: datetime | None = None
    fetched_at: datetime
    title: str | None = None
    text: str
    language: str | None = None
    tags: list[str] = Field(default_factory=list)
    hashtags: list[str] = Field(default_factory=list)
    labels: dict[str, str] = Field(default_factory=dict, description="task → label")
    scores: dict[str, float] = Field(default_factory=dict, description="hoax, endorsement (undisclosed paid)")
    model_versions: dict[str, str] = Field(default_factory=dict)
    risk: float = 0.0
    factcheck_ids: list[str] = Field(default_factory=list)
    claim_similarity: float = 0.0
    review_status: str = "unreviewed"
    engagement: dict[str, int | None] = Field(default_factory=dict)
    embedding: list[float] | None = Field(None, description="Sentence embedding (Elasticsearch kNN).")

    @property
    def date(self) -> datetime:
        """The date a post is sorted and filtered by: published, else fetched."""
        return self.published_at or self.fetched_at

    @property
    def body(self) -> str:
        """Title and text, the searchable words."""
        return f"{self.title}\n{self.text}" if self.title else self.text


def _probability(pred_probs: dict[str, float], label: str, pred_label: str, score: float) -> float:
    if label in pred_probs:
        return float(pred_probs[label])
    return float(score) if pred_label == label else 0.0


def claim_boost(similarity: float, p_hoax: float) -> float:
    """Risk contributed by the best match to an earlier fact-check: ``s × (0.5 + 0.5 × P(hoax))``.

    A match alone counts half (a post that *debunks* a claim matches its fact-check too); it counts fully
    when the hoax model also thinks the post repeats the claim.
    """
    if similarity <= 0:
        return 0.0
    return min(1.0, similarity * (0.5 + 0.5 * max(0.0, min(1.0, p_hoax))))


def document_from(post: Post, scores: PostScores | None, review: str | None = None) -> IndexDocument:
    """The index document of ``post``.

    ``risk = max(P(hoax), P(undisclosed paid political endorsement), claim_boost)`` with
    ``claim_boost = s · (0.5 + 0.5·P(hoax))`` for the best match to an earlier fact-check at similarity
    ``s`` (0 without one): a fact-checked claim raises a post even when the classifier is unsure, most when
    the post also looks like it repeats the claim rather than debunks it. All parts are in [0, 1], so risk
    is too. Example: P(hoax)=0.6, no endorsement signal, a match at 0.9 → boost 0.72 → risk 0.72.
    """
    labels: dict[str, str] = {}
    numbers: dict[str, float] = {}
    versions: dict[str, str] = {}
    matches: list[tuple[float, str]] = []
    language = post.language
    if scores is not None:
        language = scores.language or language
        for pred in scores.predictions:
            labels[pred.task] = pred.label
            versions[pred.task] = pred.model_version
            if pred.task == "hoax":
                numbers["hoax"] = _probability(pred.probabilities, "hoax", pred.label, pred.score)
            elif pred.task == "endorsement":
                numbers["endorsement"] = _probability(pred.probabilities, UNDISCLOSED, pred.label, pred.score)
        matches = sorted(((m.similarity, m.factcheck_id) for m in scores.claim_matches), reverse=True)
    top = matches[0][0] if matches else 0.0
    risk = max(
        numbers.get("hoax", 0.0), numbers.get("endorsement", 0.0), claim_boost(top, numbers.get("hoax", 0.0))
    )
    # every value comes from validated records: construct without re-validating (hot path of process)
    return record(
        IndexDocument,
        {
            "id": post.id,
            "platform": post.platform,
            "source_id": post.source_id,
            "url": post.url,
            "author_handle": post.author.handle,
            "author_name": post.author.display_name,
            "author_kind": post.author.kind.value,
            "published_at": post.published_at,
            "fetched_at": post.fetched_at,
            "title": post.title,
            "text": post.text,
            "language": language,
            "tags": sorted(set(post.tags)),
            "hashtags": list(post.hashtags),
            "labels": labels,
            "scores": numbers,
            "model_versions": versions,
            "risk": max(0.0, min(1.0, risk)),
            "factcheck_ids": [fid for _, fid in matches],
            "claim_similarity": top,
            "review_status": review or "unreviewed",
            "engagement": dict(post.engagement.__dict__),
            "embedding": None,
        },
    )


class SearchHit(BaseModel):
    """One result: the document, its relevance score and a highlighted snippet."""

    id: str
    score: float | None = None
    document: IndexDocument
    snippet: str = ""
    snippet_html: str = Field("", description="HTML-escaped snippet with <mark> around matches.")
    highlights: list[tuple[int, int]] = Field(default_factory=list, description="Offsets into snippet.")


class SearchResult(BaseModel):
    """One page of results."""

    hits: list[SearchHit]
    total: int
    facets: dict[str, dict[str, int]] = Field(default_factory=dict)
    next_cursor: str | None = None
    took_ms: float = 0.0


class SearchIndex(abc.ABC):
    """A search backend. Implementations register themselves in :mod:`indexes.registry`."""

    #: bump when the document layout changes; a differing stored version triggers a rebuild
    schema_version: int = 1
    backend: str = "abstract"

    @abc.abstractmethod
    def upsert(self, docs: Sequence[IndexDocument]) -> int:
        """Insert or replace documents by id (idempotent); visible to searches when it returns."""

    @abc.abstractmethod
    def delete(self, ids: Sequence[str]) -> int:
        """Remove documents by id (missing ids are ignored)."""

    @abc.abstractmethod
    def search(self, query: Query) -> SearchResult:
        """One page of results for ``query``."""

    @abc.abstractmethod
    def similar(self, post_id: str, k: int = 10) -> list[SearchHit]:
        """Up to ``k`` posts with similar wording (the post itself excluded)."""

    @abc.abstractmethod
    def get(self, post_id: str) -> IndexDocument | None:
        """The indexed document of one post, or None."""

    @abc.abstractmethod
    def count(self) -> int:
        """Number of documents."""

    @abc.abstractmethod
    def stats(self) -> dict[str, Any]:
        """``{"backend", "documents", "size_bytes", "schema_version", ...}``."""

    @abc.abstractmethod
    def clear(self) -> None:
        """Remove every document."""

    def rebuild(self, docs: Iterable[Sequence[IndexDocument]]) -> int:
        """Replace the whole index by ``docs`` (batches). Backends with aliases override this to swap a
        freshly built index in with zero downtime; the default clears and re-fills."""
        self.clear()
        return sum(self.upsert(batch) for batch in docs)

    def index_posts(self, items: Iterable[tuple[Post, PostScores | None, str | None]]) -> int:
        """Build documents from ``(post, scores, review status)`` and upsert them (what ``process`` calls)."""
        return self.upsert([document_from(post, scores, review) for post, scores, review in items])

    def close(self) -> None:  # noqa: B027  (optional hook)
        """Release files, writers and connections."""

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
