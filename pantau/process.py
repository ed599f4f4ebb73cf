"""``pantau process``: score pending posts with the promoted models and index them.

A post is *pending* when, for any task of the promoted models (``scorer.versions``), it has no
prediction from the current model version, or when it is not in the search index yet (``indexed_at``
null). A pending post whose predictions are current but older than its last edit is re-scored too
(:mod:`pantau.process_select`).

Each batch goes through these steps, each safe to interrupt:

1. cluster the batch (``coordinator.update``, issue 8) and take each post's coordination context;
2. score the posts that need it (language, hoax, endorsement, claim matching — one ``scorer.score``,
   with ``context=`` when both the scorer and the coordinator support it);
3. in ONE transaction, replace the batch's predictions and claim matches (:mod:`pantau.process_write`);
   then assign the batch to narratives (``coordinator.narrate``: narratives follow claim matches);
4. upsert the batch into the search index (idempotent, one commit per ``index_batch_size`` posts or per
   15 s) — in a thread of its own, so the next batches are scored and written meanwhile — then, once
   the commit returned, set ``indexed_at`` in a second transaction, only for posts not edited meanwhile;
5. posts whose cluster became coordinated meanwhile (``coordinator.newly_coordinated()``) lose their
   endorsement prediction, which makes them pending again: the batch scan or a final pass of the same
   run re-scores them with the coordination signal.

**Parallel scoring** (``models.workers``): scoring runs in worker processes
(:mod:`pantau.process_workers`) while the main process selects, clusters, writes and indexes — a
pipeline with ``QUEUED_PER_WORKER × workers`` batches in flight, results written strictly in batch order, so
the store sees exactly the writes of in-process scoring. A scorer passed in (``scorer=``, as tests do)
is pickled into the workers; one that cannot be pickled is used in the main process (logged).

A kill between any two steps loses nothing (uncommitted work is rolled back and the posts are still
pending) and duplicates nothing (rows are replaced, index upserts are by id). Promoting a model changes
``scorer.versions``, which makes every post pending again: promoting re-scores.

The core reaches the models and the index only through ``plugins.service("scorer")`` and
``plugins.service("search_index")``.
"""

from __future__ import annotations

import logging
import os
import pickle
import time
from collections import deque
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select

from pantau import plugins
from pantau.bulkgc import bulk_gc
from pantau.errors import ConfigError
from pantau.process_hooks import (
    IndexBuffer,
    Stages,
    alerts_hook,
    cluster_batch,
    coordination_context,
    narrate_batch,
    newly_coordinated,
    open_coordinator,
    progress_bar,
)
from pantau.process_select import (
    count_pending,
    count_to_score,
    load_posts,
    load_reviews,
    needs_scoring,
    pending_batches,
)
from pantau.process_workers import ScoringPool, score_batch, takes_context
from pantau.process_write import Scored, drop_predictions, load_scored, mark_indexed, write_scores
from pantau.records import Post, utcnow
from pantau.settings import Settings
from pantau.store import Store
from pantau.store.tables import PostRow

__all__ = [
    "STAGES",
    "Scored",
    "count_pending",
    "load_posts",
    "load_reviews",
    "load_scored",
    "load_scorer",
    "mark_indexed",
    "open_coordinator",
    "pending_batches",
    "resolve_workers",
    "run_process",
    "write_scores",
]

log = logging.getLogger(__name__)

STAGES = ("select", "score", "write", "load", "index", "index_wait", "mark")
#: ``models.workers = "auto"`` starts workers only for runs with at least this many posts to score
#: (starting a worker and loading its models costs about a second of CPU)
AUTO_MIN_POSTS = 2000
#: scored posts per index commit: a tantivy commit flushes a segment that background merges rewrite later,
#: so fewer, larger commits cost less (16,384 vs 4,096: -22 % index CPU per post at 100k posts); the
#: buffer also commits once its oldest post has waited 15 s (:class:`~pantau.process_hooks.IndexBuffer`)
INDEX_BATCH = 16_384
#: batches in flight per scoring worker: enough queued work that the workers keep scoring while the main
#: process commits the index (a tantivy commit of 16,384 posts takes up to a second)
QUEUED_PER_WORKER = 4
#: the endorsement task re-scored when a post's cluster becomes coordinated
ENDORSEMENT = "endorsement"


def load_scorer(settings: Settings, store: Store) -> Any:
    """The promoted models through the ``scorer`` service; :class:`ConfigError` when models are missing."""
    try:
        factory = plugins.service("scorer")
    except ImportError as exc:
        raise ConfigError(
            f"the models package cannot be loaded ({exc}) — reinstall with `make setup`"
        ) from exc
    return factory(settings, store)


def resolve_workers(setting: int | str, store: Store, versions: dict[str, str], batch_size: int) -> int:
    """How many scoring workers to start: ``setting`` as a number, or for ``"auto"`` min(2, CPUs) when
    at least :data:`AUTO_MIN_POSTS` posts (and more than one batch) need scoring and the machine is not
    busy already (1-minute load average below the CPU count), else 0."""
    if setting != "auto":
        try:
            n = int(setting)
        except ValueError:
            raise ConfigError(f"models.workers must be 'auto' or a number, got {setting!r}") from None
        if n < 0:
            raise ConfigError(f"models.workers must be 'auto' or at least 0, got {n}")
        return n
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if cpus < 2:
        return 0
    if hasattr(os, "getloadavg") and os.getloadavg()[0] >= cpus:
        # a busy machine: the scheduler gives this session a share (Linux autogroups), which more
        # processes only split — workers would add their overhead and gain nothing
        log.info("load average %.1f on %d CPUs: scoring in the main process", os.getloadavg()[0], cpus)
        return 0
    need = max(AUTO_MIN_POSTS, 2 * batch_size)
    return min(2, cpus) if count_to_score(store, versions, need) >= need else 0


@dataclass
class _Batch:
    seq: int
    size: int
    started: Any
    posts: list[Post]
    index_only: list[Scored]
    context: dict[str, dict[str, Any]] | None
    recheck: list[str] = field(default_factory=list)


class _Pipeline:
    """Feeds batches through cluster → score → write → index; with a pool, scoring of up to ``depth``
    batches overlaps the main process's work on the ones before them."""

    def __init__(
        self,
        store: Store,
        scorer: Any,
        versions: dict[str, str],
        pool: ScoringPool | None,
        coordinator: Any,
        buffer: IndexBuffer,
        report: dict[str, Any],
        stages: Stages,
        bar: Any,
        task: Any,
    ) -> None:
        self.store, self.scorer, self.versions, self.pool = store, scorer, versions, pool
        self.coordinator, self.buffer, self.report, self.stages = coordinator, buffer, report, stages
        self.bar, self.task = bar, task
        self.use_context = coordinator is not None and takes_context(scorer)
        self.depth = QUEUED_PER_WORKER * len(pool.procs) if pool is not None else 0
        self.inflight: deque[_Batch] = deque()
        self.seq = 0
        self.recheck: set[str] = set()

    def feed(self, batch: list[tuple[str, bool]], *, cluster: bool = True) -> None:
        """Load, cluster and submit one batch of ``(post id, needs scoring)``."""
        started = utcnow()
        with self.stages("load"):
            posts = load_posts(self.store, [pid for pid, needs in batch if needs])
            index_only = load_scored(self.store, [pid for pid, needs in batch if not needs])
        recheck: list[str] = []
        if cluster and self.coordinator is not None:
            cluster_batch(self.coordinator, posts + [p for p, _, _ in index_only], self.report, self.stages)
            scored_now = {p.id for p in posts}
            recheck = [pid for pid in newly_coordinated(self.coordinator) if pid not in scored_now]
        ids = [p.id for p in posts]
        context = coordination_context(self.coordinator, ids, self.stages) if self.use_context else None
        item = _Batch(self.seq, len(batch), started, posts, index_only, context, recheck)
        self.seq += 1
        if self.pool is not None and posts:
            self.pool.submit(item.seq, posts, context)
        self.inflight.append(item)
        while len(self.inflight) > self.depth:
            self._finish(self.inflight.popleft())

    def drain(self) -> None:
        """Finish every batch in flight."""
        while self.inflight:
            self._finish(self.inflight.popleft())

    def _finish(self, item: _Batch) -> None:
        items: list[Scored] = []
        if item.posts:
            with self.stages("score"):
                if self.pool is not None:
                    results, failed = self.pool.result(item.seq)
                else:
                    results, failed = score_batch(self.scorer, item.posts, item.context)
            for pid, error in failed:
                log.warning("post %s: scoring failed (%s) — skipped, will be retried next run", pid, error)
            self.report["failed"] += len(failed)
            with self.stages("write"):
                by_id = {p.id: p for p in item.posts}
                stored = write_scores(self.store, results, self.versions)
                self.report["scored"] += len(stored)
                reviews = load_reviews(self.store, [r.post_id for r in stored])
                items = [(by_id[r.post_id], r, reviews.get(r.post_id)) for r in stored if r.post_id in by_id]
        self.report["reindexed"] += len(item.index_only)
        if self.coordinator is not None:
            narrate_batch(
                self.coordinator, [p for p, _, _ in items + item.index_only], self.report, self.stages
            )
        self.buffer.add(items + item.index_only, item.started)
        if item.recheck:
            # every batch up to this one is written: the endorsement rows of these posts exist now
            with self.stages("write"):
                drop_predictions(self.store, item.recheck, ENDORSEMENT)
            self.recheck.update(item.recheck)
            self.report["recoordinated"] = self.report.get("recoordinated", 0) + len(item.recheck)
        self.report["batches"] += 1
        if self.task is not None:
            self.bar.advance(self.task, item.size)

    def rescore_recoordinated(self, batch_size: int) -> None:
        """A final pass over posts that lost their endorsement prediction and were not re-scored by the
        batch scan (their ids came before the scan's position)."""
        ids = sorted(self.recheck)
        self.recheck.clear()
        if not ids:
            return
        for start in range(0, len(ids), batch_size):
            chunk = ids[start : start + batch_size]
            with self.store.session() as s:
                pending = set(
                    s.scalars(select(PostRow.id).where(PostRow.id.in_(chunk), needs_scoring(self.versions)))
                )
            if pending:
                self.feed([(pid, True) for pid in chunk if pid in pending], cluster=False)
        self.drain()


def _pickled(scorer: Any) -> bytes | None:
    try:
        return pickle.dumps(scorer)
    except (pickle.PicklingError, TypeError, AttributeError) as exc:
        log.warning("the injected scorer cannot be pickled (%s) — scoring in the main process", exc)
        return None


def run_process(
    settings: Settings,
    store: Store,
    *,
    batch_size: int | None = None,
    index_batch_size: int = INDEX_BATCH,
    progress: bool = True,
    scorer: Any = None,
    index: Any = None,
    workers: int | str | None = None,
) -> dict[str, Any]:
    """Score and index every pending post; returns a report (counts and seconds per stage).

    ``batch_size`` posts are scored and written per transaction; ``index_batch_size`` scored posts are
    indexed per index commit. ``scorer`` and ``index`` default to the ``scorer`` and ``search_index``
    services; ``workers`` (default: the ``models.workers`` setting) is the number of scoring worker
    processes, 0 for scoring in this process.
    """
    size = batch_size or settings.models.batch_size
    stages = Stages(STAGES)
    report: dict[str, Any] = {"scored": 0, "reindexed": 0, "indexed": 0, "failed": 0, "skipped": 0}
    report["batches"] = 0
    t0, c0 = time.perf_counter(), time.thread_time()
    injected = scorer is not None
    scorer = scorer if injected else load_scorer(settings, store)
    versions: dict[str, str] = dict(scorer.versions)
    own_index = index is None
    index = index if index is not None else plugins.service("search_index")(settings)
    stages.wall["load_models"], stages.cpu["load_models"] = time.perf_counter() - t0, time.thread_time() - c0
    pool: ScoringPool | None = None
    buffer: IndexBuffer | None = None
    try:
        n_workers = resolve_workers(
            workers if workers is not None else settings.models.workers, store, versions, size
        )
        if n_workers:
            shipped = _pickled(scorer) if injected else None
            if not injected or shipped is not None:
                pool = ScoringPool(n_workers, settings, shipped, versions)
        report["workers"] = len(pool.procs) if pool is not None else 0
        coordinator = open_coordinator(settings, store)
        total = count_pending(store, versions) if progress else 0
        bar, task = progress_bar(progress, total)
        buffer = IndexBuffer(
            store,
            index,
            max(size, index_batch_size),
            report,
            stages,
            alerts_hook(settings, store, index, report),
            background=True,
        )
        pipeline = _Pipeline(store, scorer, versions, pool, coordinator, buffer, report, stages, bar, task)
        writing = getattr(index, "writing", None)
        with bulk_gc(), store.bulk_writes(), bar, writing() if callable(writing) else nullcontext():
            batches = pending_batches(store, versions, size)
            while True:
                with stages("select"):
                    batch = next(batches, None)
                if batch is None:
                    break
                pipeline.feed(batch)
            pipeline.drain()
            for _ in range(3):  # re-scoring never clusters again, so one pass normally suffices
                if not pipeline.recheck:
                    break
                pipeline.rescore_recoordinated(size)
            buffer.flush()
        report["index_documents"] = index.count()
        with store.session() as s:
            stored_posts = int(s.scalar(select(func.count()).select_from(PostRow)) or 0)
        # posts already current with the promoted models and in the index
        report["skipped"] = max(0, stored_posts - report["scored"] - report["reindexed"] - report["failed"])
    finally:
        if buffer is not None:
            buffer.close()  # a commit still in flight (after an error) finishes before the index closes
        if pool is not None:
            pool.close()
            stats = pool.stats()
            stages.wall["score_workers"] = stats["score_workers"]
            stages.cpu["workers"] = stats["workers_cpu"]
            stages.cpu["workers_start"] = stats["workers_start_cpu"]
        if own_index:
            index.close()
    report["model_versions"] = versions
    report["seconds"] = {k: round(v, 3) for k, v in stages.wall.items()}
    report["seconds"]["total"] = round(time.perf_counter() - t0, 3)
    report["cpu_seconds"] = {k: round(v, 3) for k, v in stages.cpu.items()}
    report["cpu_seconds"]["total"] = round(time.thread_time() - c0, 3)
    return report
