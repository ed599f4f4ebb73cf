"""The incremental :class:`Coordinator`: clusters posts as ``pantau process`` stores them and keeps the
``coord_clusters``, ``account_edges``, ``narratives`` tables and ``posts.cluster_id`` true.

Order of writes in :meth:`Coordinator.update`: the clustering state is appended to its files first
(``DATA_DIR/coordination/``), then ONE database transaction writes every post's cluster id, the clusters
the batch touched, their co-posting edges and their narratives. Sending the same posts again returns the
same ids and rewrites the same rows (idempotent); a crash between the two steps leaves the posts pending
in the store, and the rerun recomputes their clusters' rows from the files.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Table, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from models.coordination.clusters import ClusterEngine, PostInput, account_key
from models.coordination.config import CoordinationConfig, load_config
from models.coordination.coordination import co_posting_pairs
from models.coordination.narratives import NarrativeGrouper
from pantau.records import Post, utcnow
from pantau.settings import Settings
from pantau.store import Store
from pantau.store.tables import AccountEdgeRow, CoordClusterRow, PostRow

log = logging.getLogger(__name__)

SAMPLE_CHARS = 500


def post_input(post: Post) -> PostInput:
    """What clustering needs of a :class:`~pantau.records.Post`."""
    when = post.published_at or post.fetched_at
    return PostInput(
        post_id=post.id,
        text=((post.title + "\n") if post.title and post.platform in ("news", "web") else "") + post.text,
        account=account_key(post.platform, post.author.handle, post.source_id),
        platform=post.platform,
        time=when.timestamp(),
        links=tuple(post.links),
        hashtags=tuple(post.hashtags),
        forwarded_from=post.forwarded_from,
    )


def _dt(ts: float | None) -> datetime | None:
    return None if ts is None else datetime.fromtimestamp(ts, UTC)


class Coordinator:
    """Near-duplicate clusters, coordination scores, co-posting edges and narratives, kept incrementally."""

    def __init__(
        self, store: Store, config: CoordinationConfig, directory: Path | None, narratives: NarrativeGrouper
    ) -> None:
        self.store = store
        self.config = config
        self.directory = directory
        self.engine = ClusterEngine.load(config, directory) if directory else ClusterEngine(config)
        self.narratives = narratives

    @classmethod
    def open(cls, settings: Settings, store: Store, overrides: dict[str, Any] | None = None) -> Coordinator:
        """The coordinator of ``settings.data_dir / "coordination"`` (state files and ``config.yaml``)."""
        directory = settings.data_dir / "coordination"
        directory.mkdir(parents=True, exist_ok=True)
        config = load_config(directory, overrides)
        narratives = NarrativeGrouper(config, settings.models.embedder, directory)
        return cls(store, config, directory, narratives)

    def update(self, posts: Sequence[Post]) -> dict[str, str]:
        """Cluster ``posts`` and update every table they touch; returns post id → cluster id."""
        if not posts:
            return {}
        unique = list({p.id: p for p in posts}.values())
        roots, _, merged = self.engine.add([post_input(p) for p in unique])
        self.engine.flush()
        result = {p.id: self.engine.cluster_id(r) for p, r in zip(unique, roots, strict=True)}
        touched = {self.engine.root(r) for r in roots}
        now = utcnow()
        with self.store.session() as s:
            for gone, into in merged.items():
                self._absorb(s, gone, into, now)
            posts_t = PostRow.__table__
            assert isinstance(posts_t, Table)
            s.execute(
                update(posts_t).where(posts_t.c.id == bindparam("pid")).values(cluster_id=bindparam("cid")),
                [{"pid": pid, "cid": cid} for pid, cid in result.items()],
            )
            texts = {p.id: p.text for p in unique}
            for root in sorted(touched):
                self._write_cluster(s, root, texts, now)
            self.narratives.update(s, self.engine, unique, result, now)
        return result

    # ----------------------------------------------------------------------------- rows
    def _absorb(self, s: Session, gone: int, into: int, now: datetime) -> None:
        old_id, new_id = self.engine.cluster_id(gone), self.engine.cluster_id(self.engine.root(into))
        s.execute(update(PostRow).where(PostRow.cluster_id == old_id).values(cluster_id=new_id))
        row = s.get(CoordClusterRow, old_id)
        if row is not None:
            self._apply_edges(s, old_id, list(row.coordinated_accounts or []), [], now)
            s.delete(row)

    def _write_cluster(self, s: Session, root: int, texts: dict[str, str], now: datetime) -> None:
        engine = self.engine
        members = engine.members.get(root, [])
        if len(members) < 2:
            return  # a lone post has no row (clusters only grow, so it never had one)
        cid = engine.cluster_id(root)
        row = s.get(CoordClusterRow, cid)
        times = [engine.post_time[i] for i in members]
        accounts = [engine.post_account[i] for i in members]
        shares = [engine.post_share[i] for i in members]
        words = engine.node_words[root]
        result = engine.coordination(root)
        names = [engine.accounts[a] for a in result.accounts]
        platforms = Counter(engine.platforms[engine.post_platform[i]] for i in members)
        if row is None:
            row = CoordClusterRow(id=cid, coordinated_accounts=[], updated_at=now)
            s.add(row)
        sample_id = engine.node_first_post[root]
        if row.sample_post_id != sample_id or row.sample_text is None:
            text = texts.get(sample_id)
            if text is None:
                text = s.scalar(select(PostRow.text).where(PostRow.id == sample_id))
            row.sample_post_id, row.sample_text = sample_id, (text or "")[:SAMPLE_CHARS]
        old_accounts = list(row.coordinated_accounts or [])
        row.posts = len(members)
        row.accounts = len(set(accounts))
        row.shares = sum(shares)
        row.platforms = dict(platforms)
        row.first_seen, row.last_seen = _dt(min(times)), _dt(max(times))
        row.words = words
        row.score = result.score
        row.coordinated = result.coordinated
        burst = result.burst
        row.burst_start = _dt(burst.start) if burst else None
        row.burst_end = _dt(burst.end) if burst else None
        row.burst_accounts = burst.accounts if burst else 0
        row.concentration = round(burst.concentration, 4) if burst else 0.0
        row.coordinated_accounts = names
        row.updated_at = now
        self._apply_edges(s, cid, old_accounts, names, now)

    def _apply_edges(self, s: Session, cid: str, old: list[str], new: list[str], now: datetime) -> None:
        """Move the cluster's contribution to ``account_edges`` from the ``old`` accounts to the ``new``."""
        limit = self.config.max_network_accounts
        old_pairs, new_pairs = set(co_posting_pairs(old, limit)), set(co_posting_pairs(new, limit))
        added, removed = new_pairs - old_pairs, old_pairs - new_pairs
        if not added and not removed:
            return
        names = sorted({a for pair in added | removed for a in pair})
        rows: dict[tuple[str, str], AccountEdgeRow] = {}
        for start in range(0, len(names), 400):
            chunk = names[start : start + 400]
            for edge in s.scalars(
                select(AccountEdgeRow).where(
                    AccountEdgeRow.account_a.in_(chunk), AccountEdgeRow.account_b.in_(names)
                )
            ):
                rows[(edge.account_a, edge.account_b)] = edge
        for pair in removed:
            old_edge = rows.get(pair)
            if old_edge is None:
                continue
            edge = old_edge
            kept = [c for c in (edge.clusters or []) if c != cid]
            if kept:
                edge.clusters, edge.weight, edge.updated_at = kept, len(kept), now
            else:
                s.execute(
                    delete(AccountEdgeRow).where(
                        AccountEdgeRow.account_a == pair[0], AccountEdgeRow.account_b == pair[1]
                    )
                )
        fresh: list[dict[str, Any]] = []
        for pair in added:
            found = rows.get(pair)
            if found is None:
                fresh.append(
                    {
                        "account_a": pair[0],
                        "account_b": pair[1],
                        "weight": 1,
                        "clusters": [cid],
                        "updated_at": now,
                    }
                )
            elif cid not in (found.clusters or []):
                found.clusters = [*(found.clusters or []), cid]
                found.weight, found.updated_at = len(found.clusters), now
        if fresh:
            s.execute(insert(AccountEdgeRow), fresh)
