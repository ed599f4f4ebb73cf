"""Numbers for the dashboard: counts today and this week by label, flagged posts per day, top matched
fact-checks and narratives, and the health of every source. Days are Jakarta days (WIB, UTC+7): a
newsroom's "today" starts at its own midnight."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, func, select

from api.schemas import FactCheckCount
from api.services import stats
from api.web.charts import Chart, timeline_chart
from api.web.core import WIB
from pantau.store import Store
from pantau.store.tables import CrawlRunRow, NarrativeRow, PostRow, PredictionRow, SourceSwitchRow

TASKS = ("hoax", "endorsement")
FLAGGED = (("hoax", "hoax"), ("endorsement", "undisclosed_paid_political"))
WINDOW_DAYS = 30


@dataclass
class Dashboard:
    today: date
    counts: dict[str, dict[str, dict[str, int]]]  # task -> label -> {"today", "week", "total"}
    posts: dict[str, int]
    chart: Chart
    chart_start: date
    chart_end: date
    top_factchecks: list[FactCheckCount]
    narratives: list[dict[str, Any]]
    sources: list[dict[str, Any]] = field(default_factory=list)


def day_start(day: date) -> datetime:
    """Midnight WIB of ``day``, in UTC."""
    return datetime.combine(day, time.min, tzinfo=WIB).astimezone(UTC)


def _counts(store: Store, today: date) -> tuple[dict[str, dict[str, dict[str, int]]], dict[str, int]]:
    when = stats.post_date()
    t0, w0 = day_start(today), day_start(today - timedelta(days=today.weekday()))
    t1, w1 = t0 + timedelta(days=1), w0 + timedelta(days=7)
    out: dict[str, dict[str, dict[str, int]]] = {t: {} for t in TASKS}
    with store.session() as s:
        for since, until, key in ((None, None, "total"), (w0, w1, "week"), (t0, t1, "today")):
            stmt = (
                select(PredictionRow.task, PredictionRow.label, func.count())
                .join(PostRow, PostRow.id == PredictionRow.post_id)
                .where(PredictionRow.task.in_(TASKS))
            )
            if since is not None:
                stmt = stmt.where(when >= since, when < until)
            for task, label, n in s.execute(stmt.group_by(PredictionRow.task, PredictionRow.label)):
                out[task].setdefault(label, {"today": 0, "week": 0, "total": 0})[key] = int(n)
        posts = {}
        for since, until, key in ((None, None, "total"), (w0, w1, "week"), (t0, t1, "today")):
            count = select(func.count()).select_from(PostRow)
            if since is not None:
                count = count.where(when >= since, when < until)
            posts[key] = int(s.scalar(count) or 0)
    return out, posts


def _latest_flagged(store: Store) -> datetime | None:
    flagged = [and_(PredictionRow.task == t, PredictionRow.label == lab) for t, lab in FLAGGED]
    from sqlalchemy import or_

    with store.session() as s:
        value = s.scalar(
            select(func.max(stats.post_date()))
            .join(PredictionRow, PredictionRow.post_id == PostRow.id)
            .where(or_(*flagged))
        )
    if value is None:
        return None
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value)).replace(tzinfo=UTC)


def flagged_per_day(store: Store, start: date, end: date) -> dict[date, dict[str, int]]:
    """Flagged posts per WIB day in ``[start, end]``: ``{"hoax": n, "undisclosed_paid_political": m}``."""
    flt = stats.StatsFilter(start=day_start(start), end=day_start(end + timedelta(days=1)))
    out: dict[date, dict[str, int]] = {}
    offset = timedelta(hours=7)
    for task, label in FLAGGED:
        # stats buckets are UTC hours; fold them into WIB days
        tl = stats.timeline(store, interval="hour", by="label", task=task, flt=flt)
        for b in tl.buckets:
            n = b.counts.get(label, 0)
            if n:
                day = (b.start + offset).date()
                out.setdefault(day, {}).setdefault(label, 0)
                out[day][label] += n
    return out


def source_health(store: Store) -> list[dict[str, Any]]:
    """Every known source: last crawl, its status and error, items (posts or fact-checks) stored in total
    and by the last run, errors of the last run, and whether an admin switched it off."""
    status = store.status()
    by_source = status["posts"]["by_source"]
    fc_by_source = status["factchecks"].get("by_source", {})
    with store.session() as s:
        switches = {r.source_id: r for r in s.scalars(select(SourceSwitchRow))}
        runs = dict(
            s.execute(select(CrawlRunRow.source_id, func.count()).group_by(CrawlRunRow.source_id)).all()
        )
        failed = dict(
            s.execute(
                select(CrawlRunRow.source_id, func.count())
                .where(CrawlRunRow.status == "error")
                .group_by(CrawlRunRow.source_id)
            ).all()
        )
    out = []
    for src in status["sources"]:
        switch = switches.get(src["id"])
        last = src.get("last_run") or {}
        out.append(
            {
                **src,
                # items stored from the source: posts, or fact-checks for fact-check publishers
                "post_count": int(by_source.get(src["id"], 0)) + int(fc_by_source.get(src["id"], 0)),
                "last_stored": last.get("stored", 0),
                "last_errors": last.get("errors", 0),
                "runs": int(runs.get(src["id"], 0)),
                "failed_runs": int(failed.get(src["id"], 0)),
                "switched": None if switch is None else switch.enabled,
                "effective": src["enabled"] if switch is None else switch.enabled,
                "last_crawl": datetime.fromisoformat(src["last_crawl_at"])
                if src.get("last_crawl_at")
                else None,
            }
        )
    return out


def narratives(store: Store, limit: int = 5) -> list[dict[str, Any]]:
    """The fastest-growing narratives (matched fact-checks or groups of similar clusters)."""
    with store.session() as s:
        rows = list(
            s.scalars(
                select(NarrativeRow)
                .order_by(NarrativeRow.growth.desc(), NarrativeRow.posts.desc(), NarrativeRow.id)
                .limit(limit)
            )
        )
    return [
        {
            "id": r.id,
            "kind": r.kind,
            "label": r.label,
            "posts": r.posts,
            "accounts": r.accounts,
            "factcheck_id": r.factcheck_id,
            "growth": r.growth,
            "last_seen": r.last_seen,
        }
        for r in rows
    ]


def build(store: Store, now: datetime | None = None) -> Dashboard:
    """Everything the dashboard shows. The chart covers the last 30 days up to today, or the 30 days up
    to the latest flagged post when that is older than 30 days (an archive being studied) or after
    today (a clock behind the data, as with the demo's 2029 election)."""
    today = (now or datetime.now(UTC)).astimezone(WIB).date()
    counts, posts = _counts(store, today)
    end = today
    latest = _latest_flagged(store)
    if latest is not None:
        day = latest.astimezone(WIB).date()
        if day < today - timedelta(days=WINDOW_DAYS - 1) or day > today:
            end = day
    start = end - timedelta(days=WINDOW_DAYS - 1)
    per_day = flagged_per_day(store, start, end)
    days = [start + timedelta(days=i) for i in range(WINDOW_DAYS)]
    chart = timeline_chart(days, [per_day.get(d, {}) for d in days], [lab for _, lab in FLAGGED])
    top = stats.top_factchecks(store, limit=5, flt=stats.StatsFilter()).items
    return Dashboard(
        today=today,
        counts=counts,
        posts=posts,
        chart=chart,
        chart_start=start,
        chart_end=end,
        top_factchecks=top,
        narratives=narratives(store),
        sources=source_health(store),
    )
