"""Service functions over the coordination tables: what the API and the endorsement scorer call.

Every function takes the :class:`~pantau.store.Store` and returns plain JSON-ready dicts; unknown ids raise
:class:`~pantau.errors.NotFound`, bad arguments :class:`~pantau.errors.ConfigError`.

- :func:`open_coordinator` — the ``coordinator`` service ``pantau process`` calls per batch;
  :func:`backfill` clusters stored posts that never went through it.
- :func:`list_clusters` (most coordinated first), :func:`cluster_detail`
- :func:`list_narratives` (trending first), :func:`narrative_detail`
- :func:`account_partners` — an account's co-posting partners, strongest first
- :func:`coordination_features` — per-post features for the endorsement scorer
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import or_, select

from models.coordination.clusters import account_key
from models.coordination.coordinator import Coordinator
from models.coordination.narratives import growth_of
from pantau.errors import ConfigError, NotFound
from pantau.settings import Settings
from pantau.store import Store
from pantau.store.store import row_to_post
from pantau.store.tables import AccountEdgeRow, CoordClusterRow, NarrativePostRow, NarrativeRow, PostRow

__all__ = [
    "Coordinator",
    "account_key",
    "account_partners",
    "backfill",
    "cluster_detail",
    "coordination_features",
    "list_clusters",
    "list_narratives",
    "narrative_detail",
    "open_coordinator",
]

MAX_LIMIT = 500


def open_coordinator(settings: Settings, store: Store) -> Coordinator:
    """The ``coordinator`` service: ``.update(posts) -> {post id: cluster id}`` per batch."""
    return Coordinator.open(settings, store)


def backfill(settings: Settings, store: Store, *, batch_size: int = 1000) -> int:
    """Cluster every stored post that has no ``cluster_id`` yet (posts ``pantau process`` indexed before
    the coordinator was installed, or after the coordination directory was deleted), oldest first.
    Returns how many posts were clustered."""
    if batch_size < 1:
        raise ConfigError(f"batch_size must be at least 1, got {batch_size}")
    coordinator = Coordinator.open(settings, store)
    done = 0
    while True:
        with store.session() as s:
            rows = list(
                s.scalars(
                    select(PostRow)
                    .where(PostRow.cluster_id.is_(None))
                    .order_by(PostRow.published_at, PostRow.id)
                    .limit(batch_size)
                )
            )
            posts = [row_to_post(r) for r in rows]
        if not posts:
            return done
        done += len(coordinator.update(posts))


def _limit(limit: int) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise ConfigError(f"limit must be between 1 and {MAX_LIMIT}, got {limit}")
    return limit


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _cluster_summary(row: CoordClusterRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "score": row.score,
        "coordinated": row.coordinated,
        "posts": row.posts,
        "accounts": row.accounts,
        "shares": row.shares,
        "platforms": dict(row.platforms or {}),
        "first_seen": _iso(row.first_seen),
        "last_seen": _iso(row.last_seen),
        "burst": {
            "start": _iso(row.burst_start),
            "end": _iso(row.burst_end),
            "accounts": row.burst_accounts,
            "concentration": row.concentration,
        },
        "sample_post_id": row.sample_post_id,
        "sample_text": row.sample_text,
    }


def list_clusters(
    store: Store, *, coordinated_only: bool = True, min_accounts: int = 2, limit: int = 50, offset: int = 0
) -> list[dict[str, Any]]:
    """Clusters, most coordinated first (score, then accounts, then newest)."""
    if offset < 0:
        raise ConfigError(f"offset must not be negative, got {offset}")
    stmt = select(CoordClusterRow).where(CoordClusterRow.accounts >= min_accounts)
    if coordinated_only:
        stmt = stmt.where(CoordClusterRow.coordinated.is_(True))
    stmt = stmt.order_by(
        CoordClusterRow.score.desc(), CoordClusterRow.accounts.desc(), CoordClusterRow.last_seen.desc()
    )
    with store.session() as s:
        rows = s.scalars(stmt.offset(offset).limit(_limit(limit)))
        return [_cluster_summary(r) for r in rows]


def cluster_detail(store: Store, cluster_id: str, *, limit: int = 500) -> dict[str, Any]:
    """One cluster: summary, its coordinated accounts, its posts (account, time, platform, url) in time
    order, and the co-posting edges among its accounts."""
    with store.session() as s:
        row = s.get(CoordClusterRow, cluster_id)
        if row is None:
            raise NotFound(f"cluster {cluster_id!r} does not exist")
        out = _cluster_summary(row)
        coordinated = set(row.coordinated_accounts or [])
        out["coordinated_accounts"] = sorted(coordinated)
        posts = s.scalars(
            select(PostRow)
            .where(PostRow.cluster_id == cluster_id)
            .order_by(PostRow.published_at, PostRow.id)
            .limit(_limit(limit))
        )
        out["posts"] = [
            {
                "id": p.id,
                "account": account_key(p.platform, p.author_handle, p.source_id),
                "author_kind": p.author_kind,
                "platform": p.platform,
                "published_at": _iso(p.published_at),
                "url": p.url,
                "text": p.text[:500],
                "in_burst": account_key(p.platform, p.author_handle, p.source_id) in coordinated,
            }
            for p in posts
        ]
        edges = s.scalars(
            select(AccountEdgeRow)
            .where(AccountEdgeRow.account_a.in_(sorted(coordinated)[:400]))
            .order_by(AccountEdgeRow.weight.desc())
            .limit(2000)
        )
        out["edges"] = [
            {"a": e.account_a, "b": e.account_b, "weight": e.weight}
            for e in edges
            if e.account_b in coordinated and cluster_id in (e.clusters or [])
        ]
    return out


def _narrative_summary(row: NarrativeRow, today: str | None, days: int) -> dict[str, Any]:
    recent, growth = growth_of(dict(row.daily or {}), days, today)
    return {
        "id": row.id,
        "kind": row.kind,
        "factcheck_id": row.factcheck_id,
        "label": row.label,
        "posts": row.posts,
        "accounts": row.accounts,
        "first_seen": _iso(row.first_seen),
        "last_seen": _iso(row.last_seen),
        "platforms": dict(row.platforms or {}),
        "top_accounts": list(row.top_accounts or []),
        "daily": dict(row.daily or {}),
        "recent_posts": recent,
        "growth": growth,
    }


def list_narratives(
    store: Store, *, limit: int = 50, days: int = 3, today: str | None = None, min_posts: int = 2
) -> list[dict[str, Any]]:
    """Narratives, trending first: growth of the last ``days`` days over the ``days`` before (as of
    ``today``, default the latest day any narrative has posts), then recent posts."""
    if days < 1:
        raise ConfigError(f"days must be at least 1, got {days}")
    with store.session() as s:
        rows = list(s.scalars(select(NarrativeRow).where(NarrativeRow.posts >= min_posts)))
    if today is None:
        today = max((max(r.daily) for r in rows if r.daily), default=None)
    out = [_narrative_summary(r, today, days) for r in rows]
    out.sort(key=lambda n: (-n["growth"], -n["recent_posts"], -n["posts"], n["id"]))
    return out[: _limit(limit)]


def narrative_detail(store: Store, narrative_id: str, *, limit: int = 100) -> dict[str, Any]:
    """One narrative: summary plus its latest posts."""
    with store.session() as s:
        row = s.get(NarrativeRow, narrative_id)
        if row is None:
            raise NotFound(f"narrative {narrative_id!r} does not exist")
        out = _narrative_summary(row, None, 3)
        members = s.execute(
            select(
                NarrativePostRow.post_id,
                NarrativePostRow.account,
                NarrativePostRow.platform,
                NarrativePostRow.published_at,
            )
            .where(NarrativePostRow.narrative_id == narrative_id)
            .order_by(NarrativePostRow.published_at.desc(), NarrativePostRow.post_id)
            .limit(_limit(limit))
        ).all()
        out["posts"] = [
            {"id": pid, "account": acc, "platform": plat, "published_at": _iso(when)}
            for pid, acc, plat, when in members
        ]
    return out


def account_partners(store: Store, account: str, *, limit: int = 50) -> list[dict[str, Any]]:
    """Accounts that co-posted with ``account`` (``platform:handle``) in coordinated clusters, strongest
    first, with the clusters they share."""
    key = account.strip().lower()
    if ":" not in key:
        raise ConfigError(f"account {account!r} must be written platform:handle, e.g. x:budi_s")
    with store.session() as s:
        edges = s.scalars(
            select(AccountEdgeRow)
            .where(or_(AccountEdgeRow.account_a == key, AccountEdgeRow.account_b == key))
            .order_by(AccountEdgeRow.weight.desc(), AccountEdgeRow.account_a, AccountEdgeRow.account_b)
            .limit(_limit(limit))
        )
        return [
            {
                "account": e.account_b if e.account_a == key else e.account_a,
                "weight": e.weight,
                "clusters": list(e.clusters or []),
            }
            for e in edges
        ]


def coordination_features(store: Store, post_id: str) -> dict[str, Any]:
    """Coordination features of one post, for the undisclosed-endorsement scorer.

    ``in_coordinated_cluster`` and ``coordination_score`` describe the post's cluster; ``in_burst`` says
    whether the post's own account is one of the cluster's coordinated accounts; ``influencers_in_cluster``
    counts distinct influencer / public-figure accounts posting the same text (many influencers posting
    one script at once is the paid-campaign pattern). See ``docs/coordination.md`` for how to combine them.
    """
    with store.session() as s:
        post = s.get(PostRow, post_id)
        if post is None:
            raise NotFound(f"post {post_id!r} does not exist")
        empty = {
            "cluster_id": post.cluster_id,
            "cluster_posts": 1,
            "cluster_accounts": 1,
            "coordination_score": 0.0,
            "in_coordinated_cluster": False,
            "in_burst": False,
            "burst_accounts": 0,
            "influencers_in_cluster": 0,
        }
        if post.cluster_id is None:
            return empty
        row = s.get(CoordClusterRow, post.cluster_id)
        if row is None:
            return empty
        influencers = s.execute(
            select(PostRow.platform, PostRow.author_handle, PostRow.source_id)
            .where(PostRow.cluster_id == row.id, PostRow.author_kind.in_(("influencer", "public_figure")))
            .distinct()
        ).all()
        me = account_key(post.platform, post.author_handle, post.source_id)
        return {
            "cluster_id": row.id,
            "cluster_posts": row.posts,
            "cluster_accounts": row.accounts,
            "coordination_score": row.score,
            "in_coordinated_cluster": row.coordinated,
            "in_burst": me in set(row.coordinated_accounts or []),
            "burst_accounts": row.burst_accounts,
            "influencers_in_cluster": len({account_key(*r) for r in influencers}),
        }
