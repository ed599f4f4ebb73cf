"""Query-string parameters of search and export, validated by pydantic and turned into an
:class:`indexes.base.Query` (unknown parameters are rejected, naming them)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from indexes.base import FACETS, MAX_LIMIT, AuthorFilter, Filters, Query, ScoreRange
from pantau.errors import QuerySyntaxError

Facet = Literal["label", "platform", "source", "author_kind", "tag", "day", "review_status", "language"]
Sort = Literal["relevance", "date", "date_asc", "risk"]
assert set(Facet.__args__) == set(FACETS)  # type: ignore[attr-defined]
LABEL_PATTERN = r"^[a-z_]{1,32}:[a-z0-9_\-]{1,64}$"
Keyword = str


class FilterParams(BaseModel):
    """Filters shared by search and export. Repeat a parameter to OR its values."""

    model_config = ConfigDict(extra="forbid")

    q: str = Field(
        "",
        max_length=1000,
        description=('Free text: words (stemmed), "exact phrase", OR / ATAU, -word or NOT, parentheses.'),
        examples=['"surat suara" curang', "hoaks OR fitnah"],
    )
    platform: list[str] = Field(default_factory=list, max_length=20, description="telegram, news, x, …")
    source: list[str] = Field(default_factory=list, max_length=50, description="Source ids (sources.yaml).")
    author_kind: list[str] = Field(
        default_factory=list,
        max_length=10,
        description="official_campaign, influencer, media, public_figure, ordinary",
    )
    label: list[str] = Field(
        default_factory=list,
        max_length=20,
        description="task:label, e.g. hoax:hoax or endorsement:undisclosed_paid_political",
    )
    tag: list[str] = Field(
        default_factory=list, max_length=20, description="Candidate/party tags, e.g. paslon-02."
    )
    review_status: list[str] = Field(
        default_factory=list,
        max_length=10,
        description="unreviewed, confirmed_hoax, misleading, not_hoax, needs_context",
    )
    language: list[str] = Field(
        default_factory=list, max_length=10, description="Detected language, e.g. id."
    )
    factcheck_id: list[str] = Field(
        default_factory=list, max_length=20, description="Matched to these fact-checks."
    )
    has_claim_match: bool | None = Field(
        None, description="Only posts with (true) / without (false) a match."
    )
    author: list[str] = Field(
        default_factory=list,
        max_length=200,
        description="Only these accounts: handles (any case, '@' optional) or the anon-… pseudonyms the API "
        "shows. Without authors:identify (journalists) a handle matches monitored accounts only; other "
        "accounts are named by their pseudonym.",
        examples=[["relawan_nusantara", "anon-3f9c1e0a7b2d4c55"]],
    )
    published_from: date | datetime | None = Field(None, description="At or after (UTC); a date or datetime.")
    published_to: date | datetime | None = Field(
        None, description="Before (UTC); a date means up to its end."
    )
    min_hoax: float | None = Field(None, ge=0, le=1)
    max_hoax: float | None = Field(None, ge=0, le=1)
    min_endorsement: float | None = Field(None, ge=0, le=1, description="P(undisclosed paid political)")
    max_endorsement: float | None = Field(None, ge=0, le=1)
    min_risk: float | None = Field(None, ge=0, le=1)
    max_risk: float | None = Field(None, ge=0, le=1)
    sort: Sort = Field("relevance", description="relevance (newest first without q) | date | date_asc | risk")

    def filters(self, authors: Sequence[AuthorFilter] = ()) -> Filters:
        """The typed filters of these parameters; ``authors`` is what :mod:`api.services.authors` made
        of ``author=`` for the caller."""
        labels: dict[str, list[str]] = {}
        for item in self.label:
            task, sep, value = item.partition(":")
            if not sep or not task or not value:
                raise QuerySyntaxError(f"label={item!r}: use task:label, e.g. label=hoax:hoax")
            labels.setdefault(task, []).append(value)
        scores = []
        for field in ("hoax", "endorsement", "risk"):
            low, high = getattr(self, f"min_{field}"), getattr(self, f"max_{field}")
            if low is not None and high is not None and low > high:
                raise QuerySyntaxError(f"min_{field}={low} is greater than max_{field}={high}")
            if low is not None or high is not None:
                scores.append(ScoreRange(field=field, min=low, max=high))
        start, end = _start(self.published_from), _end(self.published_to)
        if start is not None and end is not None and start >= end:
            raise QuerySyntaxError(
                f"published_from={self.published_from} is not before published_to={self.published_to}"
            )
        return Filters(
            platforms=self.platform,
            sources=self.source,
            author_kinds=self.author_kind,
            labels=labels,
            scores=scores,
            has_claim_match=self.has_claim_match,
            factcheck_ids=self.factcheck_id,
            published_from=start,
            published_to=end,
            tags=self.tag,
            review_status=self.review_status,
            languages=self.language,
            authors=list(authors),
        )


class SearchParams(FilterParams):
    """``GET /v1/posts/search``."""

    limit: int = Field(20, ge=1, le=MAX_LIMIT, description=f"Results per page, 1–{MAX_LIMIT}.")
    cursor: str | None = Field(None, max_length=2000, description="next_cursor of the previous page.")
    facet: list[Facet] = Field(default_factory=list, max_length=len(FACETS), description="Facets to count.")
    highlight: bool = Field(True, description="Compute snippets with <mark>ed matches.")

    def query(self, authors: Sequence[AuthorFilter] = ()) -> Query:
        """The index query of these parameters."""
        return Query.build(
            text=self.q,
            filters=self.filters(authors),
            sort=self.sort,
            limit=self.limit,
            cursor=self.cursor,
            facets=list(dict.fromkeys(self.facet)),
            highlight=self.highlight,
        )


class ExportParams(FilterParams):
    """``GET /v1/posts/export``."""

    format: Literal["csv", "jsonl"] = Field("jsonl", description="csv or jsonl (one JSON object a line).")
    max_rows: int | None = Field(None, ge=1, le=10_000_000, description="Stop after this many rows.")
    sort: Literal["date", "date_asc", "risk"] = Field(
        "date", description="date (newest first), date_asc or risk."
    )


def _start(value: date | datetime | None) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.combine(value, time.min, tzinfo=UTC)


def _end(value: date | datetime | None) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.combine(value, time.max, tzinfo=UTC)
