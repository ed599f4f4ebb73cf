"""What the web pages show of coordination (issue 8): timeline charts of a cluster's and a narrative's
posts, and the dashboard's trending narratives, most coordinated clusters and coordinated posts per day.

Charts reuse :func:`api.web.charts.timeline_chart` (server-side SVG geometry, drawn by ``_charts.html``);
buckets are minutes to days depending on how long the cluster lasted, in WIB like the dashboard.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from api.schemas import ClusterSummaryOut
from api.services import coordination as coord_api
from api.state import Viewer
from api.web.charts import Chart, Tick, timeline_chart
from api.web.core import WIB
from api.web.dashboard import day_start
from models.coordination import service as coord
from pantau.store import Store
from pantau.store.tables import CoordClusterRow, PostRow

#: bucket sizes tried in order; the first that gives at most MAX_BUCKETS bars is used
BUCKETS = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(hours=1),
    timedelta(hours=6),
    timedelta(days=1),
)
MAX_BUCKETS = 60
IN_BURST, OUTSIDE = "in_burst", "outside_burst"


def _floor(when: datetime, size: timedelta) -> datetime:
    local = when.astimezone(WIB)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    steps = (local - midnight) // size
    return midnight + steps * size


def time_chart(points: list[tuple[datetime, str]], series: list[str]) -> tuple[Chart, timedelta]:
    """Posts per bucket, stacked by series; ``points`` are (time, series). Returns the chart and the
    bucket size chosen (minutes for a four-minute burst, days for a week-long narrative)."""
    if not points:
        return timeline_chart([], [], series), BUCKETS[-1]
    first, last = min(t for t, _ in points), max(t for t, _ in points)
    size = BUCKETS[-1]
    for candidate in BUCKETS:
        if (last - first) / candidate < MAX_BUCKETS - 1:
            size = candidate
            break
    start = _floor(first, size)
    n = int((_floor(last, size) - start) / size) + 1
    if n > MAX_BUCKETS:  # longer than 60 days: the latest 60 buckets
        start += (n - MAX_BUCKETS) * size
        n = MAX_BUCKETS
    counts: list[dict[str, int]] = [{} for _ in range(n)]
    for when, name in points:
        i = int((_floor(when, size) - start) / size)
        if 0 <= i < n:
            counts[i][name] = counts[i].get(name, 0) + 1
    slots = [start + i * size for i in range(n)]
    chart = timeline_chart(slots, counts, series)  # type: ignore[arg-type]  # datetime is a date
    fmt = "%H:%M" if size < timedelta(days=1) else "%d/%m"
    step = max(1, n // 6)
    ticked = [i for i in range(n) if i % step == 0 or i == n - 1]  # as timeline_chart picks them
    chart.x_ticks = [Tick(t.pos, slots[i].strftime(fmt)) for t, i in zip(chart.x_ticks, ticked, strict=True)]
    chart.rows = [
        (slot.strftime("%Y-%m-%d %H:%M"), row[1]) for slot, row in zip(slots, chart.rows, strict=True)
    ]
    return chart, size


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def cluster_chart(detail: Any) -> tuple[Chart, timedelta]:
    """A cluster's posts over time, split into accounts of the burst and the rest."""
    points = [
        (when, IN_BURST if p.in_burst else OUTSIDE)
        for p in detail.member_posts
        if (when := _utc(p.published_at)) is not None
    ]
    return time_chart(points, [IN_BURST, OUTSIDE])


def narrative_chart(daily: dict[str, int]) -> Chart:
    """A narrative's posts per day (UTC days as the model counts them), gaps filled with zero."""
    days = sorted(date.fromisoformat(d) for d in daily)
    if not days:
        return timeline_chart([], [], ["narrative"])
    first, last = max(days[0], days[-1] - timedelta(days=MAX_BUCKETS - 1)), days[-1]
    span = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    return timeline_chart(
        span, [{"narrative": int(daily.get(d.isoformat(), 0))} for d in span], ["narrative"]
    )


@dataclass
class CoordinationPanel:
    """The dashboard's coordination part."""

    narratives: list[dict[str, Any]] = field(default_factory=list)
    clusters: list[ClusterSummaryOut] = field(default_factory=list)
    chart: Chart | None = None


def coordinated_per_day(store: Store, start: date, end: date) -> dict[date, int]:
    """Posts in coordinated clusters per WIB day in ``[start, end]``."""
    since, until = day_start(start), day_start(end + timedelta(days=1))
    out: Counter[date] = Counter()
    with store.session() as s:
        rows = s.execute(
            select(PostRow.published_at)
            .join(CoordClusterRow, CoordClusterRow.id == PostRow.cluster_id)
            .where(
                CoordClusterRow.coordinated.is_(True),
                PostRow.published_at >= since,
                PostRow.published_at < until,
            )
        )
        for (when,) in rows:
            moment = _utc(when)
            if moment is not None:
                out[moment.astimezone(WIB).date()] += 1
    return dict(out)


def panel(store: Store, start: date, end: date, limit: int = 5) -> CoordinationPanel:
    """Trending narratives, the most coordinated clusters and coordinated posts per day."""
    per_day = coordinated_per_day(store, start, end)
    days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    return CoordinationPanel(
        narratives=coord.list_narratives(store, limit=limit),
        clusters=[ClusterSummaryOut.model_validate(c) for c in coord.list_clusters(store, limit=limit)],
        chart=timeline_chart(days, [{"coordinated": per_day.get(d, 0)} for d in days], ["coordinated"]),
    )


def post_coordination(store: Store, post: Any, viewer: Viewer) -> Any:
    """The cluster detail of a post's cluster (None when the post is in none or alone)."""
    if post.cluster is None:
        return None
    return coord_api.cluster_detail(store, post.cluster.id, viewer)
