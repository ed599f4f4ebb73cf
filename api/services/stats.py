"""Counts for journalists: posts over time by label / platform / tag, top accounts, top hashtags, top
matched fact-checks. Computed in SQL on the store (SQLite and PostgreSQL), over the post's date
(published, else fetched)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeAlias

from sqlalchemy import ColumnElement, Select, and_, case, exists, func, or_, select, true
from sqlalchemy.sql import FromClause

from api.schemas import (
    AccountCount,
    Bucket,
    FactCheckCount,
    FactCheckOut,
    HashtagCount,
    Timeline,
    TopAccounts,
    TopFactChecks,
    TopHashtags,
)
from api.state import Viewer
from pantau.errors import QuerySyntaxError
from pantau.store import Store
from pantau.store.tables import ClaimMatchRow, FactCheckRow, PostRow, PredictionRow

MAX_BUCKETS = 5000
#: a SELECT of any columns
AnySelect: TypeAlias = Select[*tuple[Any, ...]]
FLAGGED = (("hoax", "hoax"), ("endorsement", "undisclosed_paid_political"))


@dataclass(frozen=True)
class StatsFilter:
    """Restricts which posts are counted."""

    start: datetime | None = None
    end: datetime | None = None
    platforms: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)  # task:label

    def apply(self, stmt: AnySelect, dialect: str) -> AnySelect:
        when = post_date()
        if self.start is not None:
            stmt = stmt.where(when >= self.start)
        if self.end is not None:
            stmt = stmt.where(when < self.end)
        if self.start is not None and self.end is not None and self.start >= self.end:
            raise QuerySyntaxError(f"from={self.start.isoformat()} is not before to={self.end.isoformat()}")
        if self.platforms:
            stmt = stmt.where(PostRow.platform.in_(self.platforms))
        if self.sources:
            stmt = stmt.where(PostRow.source_id.in_(self.sources))
        if self.tags:
            tag = json_values(PostRow.tags, dialect)
            stmt = stmt.where(exists(select(1).select_from(tag).where(tag.c.value.in_(self.tags))))
        for item in self.labels:
            task, sep, label = item.partition(":")
            if not sep or not task or not label:
                raise QuerySyntaxError(f"label={item!r}: use task:label, e.g. label=hoax:hoax")
        if self.labels:
            stmt = stmt.where(
                exists().where(
                    PredictionRow.post_id == PostRow.id,
                    or_(
                        *[
                            and_(PredictionRow.task == t, PredictionRow.label == lab)
                            for t, _, lab in (x.partition(":") for x in self.labels)
                        ]
                    ),
                )
            )
        return stmt


def post_date() -> ColumnElement[Any]:
    return func.coalesce(PostRow.published_at, PostRow.fetched_at)


def json_values(column: Any, dialect: str) -> FromClause:
    """The elements of a JSON list column as a table with one ``value`` column."""
    if dialect == "postgresql":
        return func.json_array_elements_text(column).table_valued("value")
    return func.json_each(column).table_valued("value")


def bucket(expr: ColumnElement[Any], interval: str, dialect: str) -> ColumnElement[Any]:
    """The start of ``expr``'s hour or day."""
    if dialect == "postgresql":
        return func.date_trunc(interval, expr)
    fmt = "%Y-%m-%d %H:00:00" if interval == "hour" else "%Y-%m-%d 00:00:00"
    return func.strftime(fmt, expr)


def _as_datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.fromisoformat(str(value)).replace(tzinfo=UTC)


def _dialect(store: Store) -> str:
    return store.engine.dialect.name


def timeline(store: Store, *, interval: str, by: str, task: str, flt: StatsFilter) -> Timeline:
    """Posts per hour or day, split by label (of ``task``), platform or tag."""
    dialect = _dialect(store)
    b = bucket(post_date(), interval, dialect).label("b")
    if by == "label":
        key: Any = PredictionRow.label
        stmt = (
            select(b, key, func.count())
            .select_from(PostRow)
            .join(PredictionRow, and_(PredictionRow.post_id == PostRow.id, PredictionRow.task == task))
        )
    elif by == "platform":
        key = PostRow.platform
        stmt = select(b, key, func.count()).select_from(PostRow)
    else:
        tags = json_values(PostRow.tags, dialect)
        key = tags.c.value
        # a join with a table-valued function is lateral on SQLite and PostgreSQL alike
        stmt = select(b, key, func.count()).select_from(PostRow).join(tags, true())
    stmt = flt.apply(stmt, dialect)
    stmt = stmt.group_by(b, key).order_by(b)
    totals_stmt = flt.apply(select(b, func.count()).select_from(PostRow), dialect).group_by(b)
    with store.session() as s:
        rows = s.execute(stmt).all()
        totals = {str(k): int(n) for k, n in s.execute(totals_stmt).all() if k is not None}
    buckets: dict[str, dict[str, int]] = {}
    for when, value, n in rows:
        if when is None:
            continue
        buckets.setdefault(str(when), {})[str(value)] = int(n)
    keys = sorted(set(buckets) | set(totals))[-MAX_BUCKETS:]
    return Timeline(
        interval=interval,
        by=by,
        task=task if by == "label" else None,
        buckets=[
            Bucket(start=_as_datetime(k), total=totals.get(k, 0), counts=buckets.get(k, {})) for k in keys
        ],
    )


def _flagged_ids() -> AnySelect:
    return select(PredictionRow.post_id).where(
        or_(*[and_(PredictionRow.task == t, PredictionRow.label == lab) for t, lab in FLAGGED])
    )


def top_accounts(
    store: Store, viewer: Viewer, *, limit: int, flt: StatsFilter, flagged_only: bool
) -> TopAccounts:
    """Accounts with the most posts (or most flagged posts); non-monitored authors pseudonymised."""
    flagged = func.sum(case((PostRow.id.in_(_flagged_ids()), 1), else_=0))
    stmt: AnySelect = select(
        PostRow.platform,
        PostRow.author_handle,
        func.max(PostRow.author_name),
        func.max(PostRow.author_kind),
        func.count().label("n"),
        flagged.label("f"),
    ).where(PostRow.author_handle.is_not(None))
    stmt = flt.apply(stmt, _dialect(store)).group_by(PostRow.platform, PostRow.author_handle)
    order = flagged.desc() if flagged_only else func.count().desc()
    if flagged_only:
        stmt = stmt.having(flagged > 0)
    stmt = stmt.order_by(order, PostRow.author_handle).limit(limit)
    with store.session() as s:
        rows = s.execute(stmt).all()
    return TopAccounts(
        items=[
            AccountCount(
                platform=p, author=viewer.author(p, h, name, kind), posts=int(n), flagged=int(f or 0)
            )
            for p, h, name, kind, n, f in rows
        ]
    )


def top_hashtags(store: Store, *, limit: int, flt: StatsFilter) -> TopHashtags:
    """Hashtags on the most posts (case-insensitive)."""
    dialect = _dialect(store)
    tags = json_values(PostRow.hashtags, dialect)
    tag = func.lower(tags.c.value)
    stmt = (
        select(tag.label("h"), func.count(func.distinct(PostRow.id)).label("n"))
        .select_from(PostRow)
        .join(tags, true())
    )
    stmt = flt.apply(stmt, dialect).group_by(tag).order_by(func.count(func.distinct(PostRow.id)).desc(), tag)
    with store.session() as s:
        rows = s.execute(stmt.limit(limit)).all()
    return TopHashtags(items=[HashtagCount(hashtag=str(h).lstrip("#"), posts=int(n)) for h, n in rows])


def top_factchecks(store: Store, *, limit: int, flt: StatsFilter) -> TopFactChecks:
    """Fact-checks matched by the most posts."""
    n = func.count(func.distinct(ClaimMatchRow.post_id))
    inner = (
        flt.apply(
            select(ClaimMatchRow.factcheck_id.label("fid"), n.label("n"))
            .select_from(ClaimMatchRow)
            .join(PostRow, PostRow.id == ClaimMatchRow.post_id),
            _dialect(store),
        )
        .group_by(ClaimMatchRow.factcheck_id)
        .order_by(n.desc(), ClaimMatchRow.factcheck_id)
        .limit(limit)
        .subquery()
    )
    stmt = (
        select(FactCheckRow, inner.c.n)
        .join(inner, inner.c.fid == FactCheckRow.id)
        .order_by(inner.c.n.desc(), FactCheckRow.id)
    )
    with store.session() as s:
        rows = s.execute(stmt).all()
        return TopFactChecks(
            items=[
                FactCheckCount(factcheck=FactCheckOut.model_validate(fc, from_attributes=True), posts=int(k))
                for fc, k in rows
            ]
        )
