"""SQLAlchemy 2 table definitions. Schema changes go through Alembic migrations in ``migrations/``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from pantau.records import as_utc


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite stores them naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        return as_utc(value) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return as_utc(value) if value is not None else None


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON, list[Any]: JSON}


class SourceRow(Base):
    __tablename__ = "sources"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    platform: Mapped[str] = mapped_column(String(32))
    name: Mapped[str | None] = mapped_column(String(256))
    account_kind: Mapped[str] = mapped_column(String(32), default="unknown")
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    config: Mapped[dict[str, Any]] = mapped_column(default=dict)
    last_crawl_at: Mapped[datetime | None]
    last_status: Mapped[str | None] = mapped_column(String(32))
    last_error: Mapped[str | None] = mapped_column(Text)


class CrawlRunRow(Base):
    __tablename__ = "crawl_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source_id: Mapped[str] = mapped_column(String(64), index=True)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(32), default="running")
    items_stored: Mapped[int] = mapped_column(Integer, default=0)
    items_updated: Mapped[int] = mapped_column(Integer, default=0)
    items_dropped: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[int] = mapped_column(Integer, default=0)
    stats: Mapped[dict[str, Any]] = mapped_column(default=dict)
    message: Mapped[str | None] = mapped_column(Text)


class EvidenceRow(Base):
    __tablename__ = "evidence"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    url: Mapped[str] = mapped_column(Text)
    status: Mapped[int] = mapped_column(Integer)
    fetched_at: Mapped[datetime]
    crawler_version: Mapped[str] = mapped_column(String(64))
    content_type: Mapped[str | None] = mapped_column(String(128))
    size: Mapped[int] = mapped_column(Integer)


class PostRow(Base):
    __tablename__ = "posts"
    __table_args__ = (
        UniqueConstraint("platform", "platform_post_id", name="uq_posts_platform_id"),
        Index("ix_posts_source_author_hash", "source_id", "author_handle", "content_hash"),
        # an account's posts (platform = ? AND author_handle IN (...)) and per-account counts. 0006:
        # replaces an index on author_handle alone, which the planner passed over for the platform prefix
        # of the unique index
        Index("ix_posts_platform_author", "platform", "author_handle"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    #: no index of its own (dropped in 0006): uq_posts_platform_id starts with it
    platform: Mapped[str] = mapped_column(String(32))
    #: no index of its own (dropped in 0006): ix_posts_source_author_hash starts with it
    source_id: Mapped[str] = mapped_column(String(64))
    url: Mapped[str | None] = mapped_column(Text, index=True)
    platform_post_id: Mapped[str | None] = mapped_column(String(256))
    author_handle: Mapped[str | None] = mapped_column(String(256))
    author_name: Mapped[str | None] = mapped_column(String(256))
    author_kind: Mapped[str] = mapped_column(String(32), default="unknown")
    published_at: Mapped[datetime | None] = mapped_column(index=True)
    fetched_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    title: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(8))
    hashtags: Mapped[list[Any]] = mapped_column(default=list)
    mentions: Mapped[list[Any]] = mapped_column(default=list)
    links: Mapped[list[Any]] = mapped_column(default=list)
    media_urls: Mapped[list[Any]] = mapped_column(default=list)
    forwarded_from: Mapped[str | None] = mapped_column(String(256))
    views: Mapped[int | None]
    likes: Mapped[int | None]
    shares: Mapped[int | None]
    comments: Mapped[int | None]
    tags: Mapped[list[Any]] = mapped_column(default=list)
    #: looked up only with source and author (ix_posts_source_author_hash); its own index went in 0006
    content_hash: Mapped[str] = mapped_column(String(64))
    #: indexed (migration 0005) so `pantau retention` finds a snapshot's posts without a table scan
    evidence_sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    #: set by `pantau process` when the post's current predictions are in the search index. Not indexed
    #: (0006): pending posts are found in id order together with their predictions, never by this alone
    indexed_at: Mapped[datetime | None]
    #: coordination cluster (issue: coordinated campaigns); null until clustered
    cluster_id: Mapped[str | None] = mapped_column(String(64), index=True)


class FactCheckRow(Base):
    __tablename__ = "factchecks"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    claim: Mapped[str] = mapped_column(Text)
    rating: Mapped[str | None] = mapped_column(String(128))
    rating_normalized: Mapped[str] = mapped_column(String(32), default="other", index=True)
    publisher: Mapped[str | None] = mapped_column(String(256))
    url: Mapped[str | None] = mapped_column(Text, index=True)
    published_at: Mapped[datetime | None]
    claimant: Mapped[str | None] = mapped_column(String(256))
    appearances: Mapped[list[Any]] = mapped_column(default=list)
    gfd_id: Mapped[str | None] = mapped_column(String(64), index=True)
    summary: Mapped[str | None] = mapped_column(Text)
    source_id: Mapped[str | None] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(8), default="id")
    evidence_sha256: Mapped[str | None] = mapped_column(String(64))
    fetched_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class PredictionRow(Base):
    __tablename__ = "predictions"
    __table_args__ = (
        # also the index of post_id lookups (its prefix)
        UniqueConstraint("post_id", "task", "model_version", name="uq_prediction"),
        # the dashboard's and stats' "task = ? AND label = ?" filters and per-task counts (0006: replaces an
        # index on each column)
        Index("ix_predictions_task_label", "task", "label"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    post_id: Mapped[str] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    task: Mapped[str] = mapped_column(String(32))
    model_version: Mapped[str] = mapped_column(String(128))
    label: Mapped[str] = mapped_column(String(64))
    score: Mapped[float] = mapped_column(Float)
    probabilities: Mapped[dict[str, Any]] = mapped_column(default=dict)
    reasons: Mapped[list[Any]] = mapped_column(default=list)
    created_at: Mapped[datetime]


class ClaimMatchRow(Base):
    __tablename__ = "claim_matches"

    post_id: Mapped[str] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True)
    factcheck_id: Mapped[str] = mapped_column(
        ForeignKey("factchecks.id", ondelete="CASCADE"), primary_key=True
    )
    model_version: Mapped[str] = mapped_column(String(128), primary_key=True)
    similarity: Mapped[float] = mapped_column(Float)
    rank: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime]


class UserRow(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(128), unique=True)
    role: Mapped[str] = mapped_column(String(32))
    password_hash: Mapped[str | None] = mapped_column(String(256))
    created_at: Mapped[datetime]
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)


class ApiKeyRow(Base):
    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    prefix: Mapped[str] = mapped_column(String(16), index=True)
    key_hash: Mapped[str] = mapped_column(String(128), unique=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]


class ReviewRow(Base):
    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    post_id: Mapped[str] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    verdict: Mapped[str] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)
    factcheck_url: Mapped[str | None] = mapped_column(Text)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime]


class AuditRow(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor: Mapped[str | None] = mapped_column(String(128))
    action: Mapped[str] = mapped_column(String(64))
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[str] = mapped_column(String(64), index=True)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)


metadata = Base.metadata


# ------------------------------------------------------------------ labelling (labeling/, migration 0004)
class LabelProjectRow(Base):
    """A labelling project: one task (hoax / endorsement), its labels and how items are served."""

    __tablename__ = "label_projects"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    task: Mapped[str] = mapped_column(String(32))
    labels: Mapped[list[Any]] = mapped_column(default=list)
    #: k: how many labellers see each (non-gold) item, blind to each other
    overlap: Mapped[int] = mapped_column(Integer, default=3)
    lease_seconds: Mapped[int] = mapped_column(Integer, default=900)
    random_fraction: Mapped[float] = mapped_column(Float, default=0.1)
    #: every n-th item a labeller gets is a gold item (0 = never)
    gold_every: Mapped[int] = mapped_column(Integer, default=10)
    batch_size: Mapped[int] = mapped_column(Integer, default=500)
    refresh_every_s: Mapped[int] = mapped_column(Integer, default=300)
    guidelines_sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    created_by: Mapped[str | None] = mapped_column(String(128))
    refreshed_at: Mapped[datetime | None]
    archived: Mapped[bool] = mapped_column(Boolean, default=False)


class LabelItemRow(Base):
    """One text to label in a project: a post (active-learning or random-evaluation pick) or a gold item."""

    __tablename__ = "label_items"
    __table_args__ = (
        UniqueConstraint("project_id", "post_id", name="uq_label_items_post"),
        UniqueConstraint("project_id", "gold_ref", name="uq_label_items_gold"),
        Index("ix_label_items_serve", "project_id", "kind", "open_slots"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("label_projects.id", ondelete="CASCADE"), index=True)
    post_id: Mapped[str | None] = mapped_column(ForeignKey("posts.id", ondelete="SET NULL"))
    #: active | random_eval | gold
    kind: Mapped[str] = mapped_column(String(16))
    #: the text as labelled (a later edit of the post does not change what was judged)
    text: Mapped[str] = mapped_column(Text)
    batch: Mapped[int] = mapped_column(Integer, default=0)
    priority: Mapped[float] = mapped_column(Float, default=0.0)
    uncertainty: Mapped[float | None] = mapped_column(Float)
    model_version: Mapped[str | None] = mapped_column(String(128))
    gold_label: Mapped[str | None] = mapped_column(String(64))
    gold_ref: Mapped[str | None] = mapped_column(String(64))
    #: slots still free for new labellers; NULL = unlimited (gold items go to everyone once)
    open_slots: Mapped[int | None] = mapped_column(Integer)
    n_labels: Mapped[int] = mapped_column(Integer, default=0)
    added_at: Mapped[datetime]


class LabelAssignmentRow(Base):
    """An item served to one labeller (a lease until ``expires_at``); at most one per item and person."""

    __tablename__ = "label_assignments"
    __table_args__ = (
        UniqueConstraint("item_id", "user_id", name="uq_label_assignments_once"),
        Index("ix_label_assignments_lease", "project_id", "state", "expires_at"),
        Index("ix_label_assignments_user", "project_id", "user_id", "state"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("label_projects.id", ondelete="CASCADE"))
    item_id: Mapped[int] = mapped_column(ForeignKey("label_items.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    #: leased | done | skipped | expired
    state: Mapped[str] = mapped_column(String(16))
    leased_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]


class LabelRow(Base):
    """One labeller's label for one item."""

    __tablename__ = "labels"
    __table_args__ = (UniqueConstraint("item_id", "user_id", name="uq_labels_item_user"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("label_projects.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("label_items.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("label_assignments.id", ondelete="CASCADE"), unique=True
    )
    label: Mapped[str] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text)
    seconds: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime]


class LabelAdjudicationRow(Base):
    """A fact-checker's final label for an item the labellers disagreed on."""

    __tablename__ = "label_adjudications"

    item_id: Mapped[int] = mapped_column(ForeignKey("label_items.id", ondelete="CASCADE"), primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("label_projects.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime]


class LabelRoundRow(Base):
    """One export of a project's labels (a label round), and the model trained from it."""

    __tablename__ = "label_rounds"
    __table_args__ = (UniqueConstraint("project_id", "number", name="uq_label_rounds_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("label_projects.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime]
    created_by: Mapped[str | None] = mapped_column(String(128))
    n_rows: Mapped[int] = mapped_column(Integer, default=0)
    label_counts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    skipped: Mapped[dict[str, Any]] = mapped_column(default=dict)
    file: Mapped[str | None] = mapped_column(Text)
    file_sha256: Mapped[str | None] = mapped_column(String(64))
    data_sha256: Mapped[str] = mapped_column(String(64))
    agreement: Mapped[dict[str, Any]] = mapped_column(default=dict)
    model_version: Mapped[str | None] = mapped_column(String(128))
    metrics: Mapped[dict[str, Any]] = mapped_column(default=dict)


# --------------------------------------------------------------------------- coordination (issue 8)
class CoordClusterRow(Base):
    """A near-duplicate cluster of two posts or more, and what its timing says (models.coordination)."""

    __tablename__ = "coord_clusters"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    posts: Mapped[int] = mapped_column(Integer, default=0)
    accounts: Mapped[int] = mapped_column(Integer, default=0, index=True)
    shares: Mapped[int] = mapped_column(Integer, default=0)
    platforms: Mapped[dict[str, Any]] = mapped_column(default=dict)
    first_seen: Mapped[datetime | None] = mapped_column(index=True)
    last_seen: Mapped[datetime | None] = mapped_column(index=True)
    words: Mapped[int] = mapped_column(Integer, default=0)
    sample_post_id: Mapped[str | None] = mapped_column(String(32))
    sample_text: Mapped[str | None] = mapped_column(Text)
    score: Mapped[float] = mapped_column(Float, default=0.0, index=True)
    coordinated: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    burst_start: Mapped[datetime | None]
    burst_end: Mapped[datetime | None]
    burst_accounts: Mapped[int] = mapped_column(Integer, default=0)
    concentration: Mapped[float] = mapped_column(Float, default=0.0)
    #: accounts with a post in a qualifying window ("platform:handle"), the co-posting network's nodes
    coordinated_accounts: Mapped[list[Any]] = mapped_column(default=list)
    updated_at: Mapped[datetime]


class AccountEdgeRow(Base):
    """Two accounts that co-posted in coordinated clusters; weight = number of such clusters."""

    __tablename__ = "account_edges"

    account_a: Mapped[str] = mapped_column(String(300), primary_key=True)
    account_b: Mapped[str] = mapped_column(String(300), primary_key=True, index=True)
    weight: Mapped[int] = mapped_column(Integer, default=0, index=True)
    clusters: Mapped[list[Any]] = mapped_column(default=list)
    updated_at: Mapped[datetime]


class NarrativeRow(Base):
    """Posts carrying one claim: a matched fact-check's, or a group of similar clusters."""

    __tablename__ = "narratives"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    factcheck_id: Mapped[str | None] = mapped_column(String(32), index=True)
    label: Mapped[str] = mapped_column(Text)
    posts: Mapped[int] = mapped_column(Integer, default=0)
    accounts: Mapped[int] = mapped_column(Integer, default=0)
    first_seen: Mapped[datetime | None] = mapped_column(index=True)
    last_seen: Mapped[datetime | None]
    platforms: Mapped[dict[str, Any]] = mapped_column(default=dict)
    top_accounts: Mapped[list[Any]] = mapped_column(default=list)
    daily: Mapped[dict[str, Any]] = mapped_column(default=dict)
    recent: Mapped[int] = mapped_column(Integer, default=0)
    growth: Mapped[float] = mapped_column(Float, default=0.0, index=True)
    updated_at: Mapped[datetime]


class NarrativePostRow(Base):
    __tablename__ = "narrative_posts"

    post_id: Mapped[str] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True)
    narrative_id: Mapped[str] = mapped_column(String(64), index=True)
    account: Mapped[str] = mapped_column(String(300))
    platform: Mapped[str] = mapped_column(String(32))
    published_at: Mapped[datetime | None]


# -------------------------------------------------------------------- web workspace (api/web, migration 0005)
class SavedSearchRow(Base):
    """A fact-checker's saved search (the search page's parameters); ``alert`` turns on the inbox alert."""

    __tablename__ = "web_saved_searches"
    __table_args__ = (UniqueConstraint("user_id", "name", name="uq_web_saved_searches_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(128))
    #: the search parameters as a query string's items, e.g. {"q": "...", "label": ["hoax:hoax"]}
    params: Mapped[dict[str, Any]] = mapped_column(default=dict)
    alert: Mapped[bool] = mapped_column(Boolean, default=False)
    webhook_url: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    last_alert_at: Mapped[datetime | None]
    alerts_sent: Mapped[int] = mapped_column(Integer, default=0)


class InboxRow(Base):
    """One in-app alert: a newly indexed post that matched a saved search."""

    __tablename__ = "web_inbox"
    __table_args__ = (
        UniqueConstraint("saved_search_id", "post_id", name="uq_web_inbox_search_post"),
        Index("ix_web_inbox_user_read", "user_id", "read_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    saved_search_id: Mapped[int] = mapped_column(ForeignKey("web_saved_searches.id", ondelete="CASCADE"))
    post_id: Mapped[str] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(index=True)
    read_at: Mapped[datetime | None]


class WebhookDeliveryRow(Base):
    """One webhook POST of a saved search's alert (kept so an admin can see failures)."""

    __tablename__ = "web_webhook_deliveries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    saved_search_id: Mapped[int] = mapped_column(
        ForeignKey("web_saved_searches.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(index=True)
    posts: Mapped[int] = mapped_column(Integer, default=0)
    #: delivered | failed | skipped
    status: Mapped[str] = mapped_column(String(16))
    http_status: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)


class SourceSwitchRow(Base):
    """An admin's on/off switch for a source, set in the web admin; it overrides ``enabled`` in
    sources.yaml for crawls of "every enabled source"."""

    __tablename__ = "web_source_switches"

    source_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean)
    changed_by: Mapped[str | None] = mapped_column(String(128))
    changed_at: Mapped[datetime]
