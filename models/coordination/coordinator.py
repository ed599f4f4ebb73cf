"""The incremental :class:`Coordinator`: clusters posts as ``pantau process`` stores them and keeps the
``coord_clusters``, ``account_edges``, ``narratives`` tables and ``posts.cluster_id`` true.

Order of writes in :meth:`Coordinator.update`: the clustering state is appended to its files first
(``DATA_DIR/coordination/``), then ONE database transaction writes every post's cluster id, the clusters
the batch touched, their co-posting edges and their narratives. Sending the same posts again returns the
same ids and rewrites the same rows (idempotent); a crash between the two steps leaves the posts pending
in the store, and the rerun recomputes their clusters' rows from the files.

For the endorsement scorer (``pantau process`` calls :meth:`Coordinator.update` BEFORE scoring a batch):
:meth:`Coordinator.context` gives each clustered post its cluster's coordination signals, and
:meth:`Coordinator.newly_coordinated` names the posts of earlier batches whose cluster has just become
coordinated (their endorsement score should be recomputed with the new context). See
``docs/coordination.md`` ("The endorsement signal").
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, insert, or_, select, update
from sqlalchemy.orm import Session

from models.coordination.clusters import ClusterEngine, PostInput, account_key
from models.coordination.config import CoordinationConfig, load_config
from models.coordination.coordination import co_posting_pairs
from models.coordination.narratives import NarrativeGrouper
from models.endorse.accounts import INFLUENCER, influencer_list, normalize_handle
from pantau.records import Post, utcnow
from pantau.settings import Settings
from pantau.store import Store
from pantau.store.tables import AccountEdgeRow, CoordClusterRow, PostRow

log = logging.getLogger(__name__)

SAMPLE_CHARS = 500
#: ids per ``IN (...)`` query (SQLite's default limit on bound parameters is far above it)
CHUNK = 500
_EDGES = cast(Table, AccountEdgeRow.__table__)
#: a post sent again (re-scoring) keeps its cluster id: its row is not rewritten
_SET_CLUSTER = f"UPDATE {PostRow.__tablename__} SET cluster_id = ? WHERE id = ? AND cluster_id IS NOT ?"


def post_input(post: Post) -> PostInput:
    """What clustering needs of a :class:`~pantau.records.Post`."""
    when = post.published_at or post.fetched_at
    platform, title = post.platform, post.title
    # positional: a named tuple built from keywords costs twice as much, and a batch builds hundreds
    return PostInput(
        post.id,
        ((title + "\n") if title and platform in ("news", "web") else "") + post.text,
        account_key(platform, post.author.handle, post.source_id),
        platform,
        when.timestamp(),
        tuple(post.links),
        tuple(post.hashtags),
        post.forwarded_from,
    )


def _dt(ts: float | None) -> datetime | None:
    return None if ts is None else datetime.fromtimestamp(ts, UTC)


class Coordinator:
    """Near-duplicate clusters, coordination scores, co-posting edges and narratives, kept incrementally."""

    def __init__(
        self,
        store: Store,
        config: CoordinationConfig,
        directory: Path | None,
        narratives: NarrativeGrouper,
        influencers: frozenset[str] = frozenset(),
    ) -> None:
        self.store = store
        self.config = config
        self.directory = directory
        self.engine = ClusterEngine.load(config, directory) if directory else ClusterEngine(config)
        self.narratives = narratives
        #: configured influencer handles (``DATA_DIR/influencers.txt``), normalised
        self.influencers = influencers
        #: posts of earlier batches whose cluster became coordinated since the last newly_coordinated()
        self._newly: dict[str, None] = {}

    @classmethod
    def open(cls, settings: Settings, store: Store, overrides: dict[str, Any] | None = None) -> Coordinator:
        """The coordinator of ``settings.data_dir / "coordination"`` (state files and ``config.yaml``)."""
        directory = settings.data_dir / "coordination"
        directory.mkdir(parents=True, exist_ok=True)
        config = load_config(directory, overrides)
        narratives = NarrativeGrouper(config, settings.models.embedder, directory)
        return cls(store, config, directory, narratives, influencer_list(settings))

    def update(self, posts: Sequence[Post], *, narratives: bool = True) -> dict[str, str]:
        """Cluster ``posts`` and update every table they touch; returns post id → cluster id.

        ``narratives=False`` leaves narrative assignment to a later :meth:`narrate` call: ``pantau
        process`` clusters a batch before scoring it (the endorsement model reads the coordination
        context), but narratives follow the claim matches that scoring writes."""
        if not posts:
            return {}
        unique = list({p.id: p for p in posts}.values())
        engine = self.engine
        roots, _, merged = engine.add([post_input(p) for p in unique])
        engine.flush()
        first = engine.node_first_post  # a cluster's id is "c_" + its root's first post (cluster_id)
        result = {p.id: "c_" + first[r] for p, r in zip(unique, roots, strict=True)}
        touched = set(roots)  # add returns roots
        # only clusters of two posts or more get a row (see _write_cluster)
        members = engine.members
        rows = sorted(r for r in touched if len(members.get(r, ())) > 1)
        now = utcnow()
        with self.store.session() as s:
            was, from_gone = self._before(s, touched, merged)
            for gone, into in merged.items():
                self._absorb(s, gone, into, now)
            # straight to the driver: SQLAlchemy's per-row parameter processing cost more than the update
            s.connection().exec_driver_sql(_SET_CLUSTER, [(cid, pid, cid) for pid, cid in result.items()])
            texts = {p.id: p.text for p in unique} if rows else {}
            turned: list[int] = []
            for root in rows:
                if self._write_cluster(s, root, texts, now):
                    turned.append(root)
            if narratives:
                self.narratives.update(s, self.engine, unique, result, now)
        self._note_newly(turned, was, from_gone, set(result))
        return result

    def narrate(self, posts: Sequence[Post]) -> set[str]:
        """Assign already-clustered ``posts`` to narratives (by their stored claim matches, or by
        embedding similarity of their cluster); returns the narrative ids touched. Posts this
        coordinator has not clustered are ignored."""
        engine = self.engine
        unique = [p for p in {p.id: p for p in posts}.values() if p.id in engine.post_index]
        if not unique:
            return set()
        clusters = {
            p.id: engine.cluster_id(engine.root(engine.post_node[engine.post_index[p.id]])) for p in unique
        }
        with self.store.session() as s:
            return self.narratives.update(s, engine, unique, clusters, utcnow())

    # ------------------------------------------------------------------ endorsement signal
    def _before(
        self, s: Session, touched: set[int], merged: dict[int, int]
    ) -> tuple[dict[str, bool], dict[str, list[str]]]:
        """Before a batch is written: whether each cluster it touches or absorbs was coordinated, and the
        posts of absorbed clusters that were not (by the id of the cluster that absorbs them)."""
        engine = self.engine
        # a cluster of one post has no row (and never had one: clusters only grow), so only clusters of two
        # or more and the absorbed ones are looked up
        members = engine.members
        cids = {engine.cluster_id(r) for r in touched if len(members.get(r, ())) > 1}
        cids.update(engine.cluster_id(g) for g in merged)
        was: dict[str, bool] = {}
        ordered = sorted(cids)
        for start in range(0, len(ordered), CHUNK):
            chunk = ordered[start : start + CHUNK]
            for cid, flag in s.execute(
                select(CoordClusterRow.id, CoordClusterRow.coordinated).where(CoordClusterRow.id.in_(chunk))
            ):
                was[cid] = bool(flag)
        into_of = {engine.cluster_id(g): engine.cluster_id(engine.root(i)) for g, i in merged.items()}
        quiet = sorted(cid for cid in into_of if not was.get(cid))
        from_gone: dict[str, list[str]] = {}
        for start in range(0, len(quiet), CHUNK):
            chunk = quiet[start : start + CHUNK]
            for pid, gone in s.execute(
                select(PostRow.id, PostRow.cluster_id).where(PostRow.cluster_id.in_(chunk))
            ):
                from_gone.setdefault(into_of[str(gone)], []).append(pid)
        return was, from_gone

    def _note_newly(
        self, turned: list[int], was: dict[str, bool], from_gone: dict[str, list[str]], batch: set[str]
    ) -> None:
        """Remember the earlier posts whose cluster is coordinated now and was not before this batch."""
        engine = self.engine
        for root in turned:
            cid = engine.cluster_id(root)
            if was.get(cid):
                earlier = from_gone.get(cid, [])
            else:
                earlier = [engine.post_ids[i] for i in engine.members.get(root, [])]
            for pid in earlier:
                if pid not in batch:
                    self._newly[pid] = None

    def newly_coordinated(self) -> list[str]:
        """Ids of posts clustered in earlier batches whose cluster became coordinated (crossed the
        coordination threshold) since the previous call; the list is emptied by each call. The caller
        re-scores their endorsement with the new :meth:`context`. Kept in memory only: posts noted
        before a restart and not yet taken are not re-scored."""
        out = list(self._newly)
        self._newly = {}
        return out

    def context(self, post_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """Coordination signals of each post that belongs to a cluster of two posts or more (others are
        absent): ``cluster_id``, ``posts``, ``accounts`` (distinct), ``influencer_accounts`` (distinct
        authors of kind influencer or in the configured influencer list), ``window_minutes`` (span of
        the cluster's best burst, else of the whole cluster), ``coordination_score``, ``coordinated``
        and ``in_burst`` (this post's account is one of the coordinated accounts). JSON-able; two
        queries per 500 ids."""
        # a post this coordinator holds alone in its cluster has no row: no query for it
        ids = sorted(pid for pid in set(post_ids) if self._may_have_row(pid))
        rows: dict[str, tuple[str, CoordClusterRow]] = {}
        if not ids:
            return {}
        influencers: dict[str, set[str]] = {}
        with self.store.session() as s:
            for start in range(0, len(ids), CHUNK):
                chunk = ids[start : start + CHUNK]
                for pid, platform, handle, source, row in s.execute(
                    select(
                        PostRow.id,
                        PostRow.platform,
                        PostRow.author_handle,
                        PostRow.source_id,
                        CoordClusterRow,
                    )
                    .join(CoordClusterRow, CoordClusterRow.id == PostRow.cluster_id)
                    .where(PostRow.id.in_(chunk))
                ):
                    rows[pid] = (account_key(platform, handle, source), row)
            cids = sorted({row.id for _, row in rows.values()})
            for start in range(0, len(cids), CHUNK):
                chunk = cids[start : start + CHUNK]
                who = PostRow.author_kind == INFLUENCER
                if self.influencers:
                    who = or_(who, PostRow.author_handle.is_not(None))
                for cid, platform, handle, source, kind in s.execute(
                    select(
                        PostRow.cluster_id,
                        PostRow.platform,
                        PostRow.author_handle,
                        PostRow.source_id,
                        PostRow.author_kind,
                    )
                    .where(PostRow.cluster_id.in_(chunk), who)
                    .distinct()
                ):
                    if kind == INFLUENCER or normalize_handle(handle or "") in self.influencers:
                        influencers.setdefault(str(cid), set()).add(account_key(platform, handle, source))
        return {
            pid: _context_of(row, account, len(influencers.get(row.id, ())))
            for pid, (account, row) in rows.items()
        }

    def _may_have_row(self, post_id: str) -> bool:
        """Whether the post's cluster can have a ``coord_clusters`` row: its cluster holds two posts or
        more, or this coordinator has not clustered it (its ``cluster_id`` came from elsewhere)."""
        engine = self.engine
        index = engine.post_index.get(post_id)
        if index is None:
            return True
        return len(engine.members.get(engine.root(engine.post_node[index]), ())) > 1

    # ----------------------------------------------------------------------------- rows
    def _absorb(self, s: Session, gone: int, into: int, now: datetime) -> None:
        old_id, new_id = self.engine.cluster_id(gone), self.engine.cluster_id(self.engine.root(into))
        s.execute(update(PostRow).where(PostRow.cluster_id == old_id).values(cluster_id=new_id))
        row = s.get(CoordClusterRow, old_id)
        if row is not None:
            self._apply_edges(s, old_id, list(row.coordinated_accounts or []), [], now)
            s.delete(row)

    def _write_cluster(self, s: Session, root: int, texts: dict[str, str], now: datetime) -> bool:
        """Write the row of the cluster rooted at ``root``; returns whether it is coordinated."""
        engine = self.engine
        members = engine.members.get(root, [])
        if len(members) < 2:
            return False  # a lone post has no row (clusters only grow, so it never had one)
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
        return bool(result.coordinated)

    def _apply_edges(self, s: Session, cid: str, old: list[str], new: list[str], now: datetime) -> None:
        """Move the cluster's contribution to ``account_edges`` from the ``old`` accounts to the ``new``."""
        limit = self.config.max_network_accounts
        old_pairs, new_pairs = set(co_posting_pairs(old, limit)), set(co_posting_pairs(new, limit))
        added, removed = new_pairs - old_pairs, old_pairs - new_pairs
        if not added and not removed:
            return
        names = sorted({a for pair in added | removed for a in pair})
        # plain SQL rows, not ORM objects: a coordinated cluster of 200 accounts has ~20,000 edges, and
        # ORM deletes re-evaluated their criteria against every edge object in the session
        edges = _EDGES.c
        clusters_of: dict[tuple[str, str], list[Any]] = {}
        for start in range(0, len(names), 400):
            chunk = names[start : start + 400]
            for a, b, clusters in s.execute(
                select(edges.account_a, edges.account_b, edges.clusters).where(
                    edges.account_a.in_(chunk), edges.account_b.in_(names)
                )
            ):
                clusters_of[(a, b)] = list(clusters or [])
        changed: list[dict[str, Any]] = []
        gone: list[dict[str, Any]] = []
        for pair in removed:
            current = clusters_of.get(pair)
            if current is None:
                continue
            kept = [c for c in current if c != cid]
            if kept:
                changed.append({"a": pair[0], "b": pair[1], "c": kept, "w": len(kept)})
            else:
                gone.append({"a": pair[0], "b": pair[1]})
        fresh: list[dict[str, Any]] = []
        for pair in added:
            current = clusters_of.get(pair)
            if current is None:
                fresh.append(
                    {
                        "account_a": pair[0],
                        "account_b": pair[1],
                        "weight": 1,
                        "clusters": [cid],
                        "updated_at": now,
                    }
                )
            elif cid not in current:
                grown = [*current, cid]
                changed.append({"a": pair[0], "b": pair[1], "c": grown, "w": len(grown)})
        same_pair = (edges.account_a == bindparam("a")) & (edges.account_b == bindparam("b"))
        if gone:
            s.execute(delete(_EDGES).where(same_pair), gone)
        if changed:
            s.execute(
                update(_EDGES)
                .where(same_pair)
                .values(clusters=bindparam("c"), weight=bindparam("w"), updated_at=now),
                changed,
            )
        if fresh:
            s.execute(insert(_EDGES), fresh)


def _context_of(row: CoordClusterRow, account: str, influencers: int) -> dict[str, Any]:
    """The JSON-able context of one post in cluster ``row`` (see :meth:`Coordinator.context`)."""
    start, end = (row.burst_start, row.burst_end) if row.burst_start else (row.first_seen, row.last_seen)
    minutes = (end - start).total_seconds() / 60 if start and end else 0.0
    return {
        "cluster_id": row.id,
        "posts": int(row.posts or 0),
        "accounts": int(row.accounts or 0),
        "influencer_accounts": influencers,
        "window_minutes": round(minutes, 1),
        "coordination_score": float(row.score or 0.0),
        "coordinated": bool(row.coordinated),
        "in_burst": account in set(row.coordinated_accounts or []),
    }
