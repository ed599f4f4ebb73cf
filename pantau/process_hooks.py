"""What ``pantau process`` does around scoring: the index buffer, saved-search alerts and coordination
clusters (see :mod:`pantau.process`). Each hook is optional and never fatal: a failure is logged and
counted, and the posts are still scored and indexed.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager, nullcontext
from typing import Any

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from pantau import plugins
from pantau.errors import PantauError
from pantau.process_write import Scored, mark_indexed
from pantau.records import Post
from pantau.settings import Settings
from pantau.store import Store

log = logging.getLogger(__name__)


class Stages:
    """Seconds per stage: wall-clock (``wall``) and CPU of the calling thread (``cpu``, which other
    programs on a busy machine do not inflate)."""

    def __init__(self, names: Sequence[str]) -> None:
        self.wall = dict.fromkeys(names, 0.0)
        self.cpu = dict.fromkeys(names, 0.0)

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        """Time the ``with`` block as stage ``name``."""
        t, c = time.perf_counter(), time.thread_time()
        try:
            yield
        finally:
            self.wall[name] = self.wall.get(name, 0.0) + time.perf_counter() - t
            self.cpu[name] = self.cpu.get(name, 0.0) + time.thread_time() - c


def progress_bar(enabled: bool, total: int) -> tuple[Any, Any]:
    """A Rich progress bar and its task (a null context and None when disabled)."""
    if not enabled:
        return nullcontext(), None
    progress = Progress(
        TextColumn("[bold]process[/bold]"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        transient=False,
    )
    return progress, progress.add_task("process", total=total)


class IndexBuffer:
    """Scored posts waiting for the index: one commit per ``size`` posts (tantivy commits are costly),
    or sooner once the oldest waiting post has waited ``max_wait_s`` (slow models still make posts
    searchable within seconds), then ``indexed_at`` for them in one statement, then ``on_indexed``.

    ``background=True`` indexes each full buffer in a thread of its own while the caller goes on scoring
    and writing the next batches: a tantivy commit releases the GIL for the second or so it takes to write
    its segment, which otherwise stalls the whole pipeline (and the scoring workers, whose queue runs dry
    meanwhile). At most one commit is in flight; ``indexed_at`` is set by the calling thread, only after
    the commit returned, so a kill at any point leaves the posts pending, never marked and unindexed.
    :meth:`flush` returns when everything added is indexed and marked; :meth:`close` waits for a commit
    in flight without marking (the posts stay pending; re-indexing them is an idempotent upsert)."""

    def __init__(
        self,
        store: Store,
        index: Any,
        size: int,
        report: dict[str, Any],
        stages: Stages,
        on_indexed: Callable[[list[str]], None] | None = None,
        max_wait_s: float = 15.0,
        *,
        background: bool = False,
    ):
        self.store, self.index, self.size, self.report, self.stages = store, index, size, report, stages
        self.on_indexed, self.max_wait_s = on_indexed, max_wait_s
        self.items: list[Scored] = []
        self.since: Any = None
        self.first_at = 0.0
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="pantau-index") if background else None
        #: the commit in flight: its future (posts indexed, wall and CPU seconds), ids, since, languages
        self._inflight: tuple[Future[tuple[int, float, float]], list[str], Any, dict[str, str]] | None
        self._inflight = None

    def add(self, items: list[Scored], since: Any) -> None:
        """Queue items scored from a batch selected at ``since``; commit when the buffer is full."""
        if not self.items:
            self.first_at = time.monotonic()
        self.items.extend(items)
        self.since = self.since or since
        if self._inflight is not None and self._inflight[0].done():
            self._settle()
        if len(self.items) >= self.size or time.monotonic() - self.first_at >= self.max_wait_s:
            self._commit(wait=self._pool is None)

    def flush(self) -> None:
        """Index the queued items (one commit) and mark them indexed; returns when all are."""
        self._commit(wait=True)

    def close(self) -> None:
        """Wait for a commit in flight (without marking its posts) and stop the thread."""
        if self._pool is not None:
            self._pool.shutdown(wait=True)
        self._inflight = None

    def _commit(self, *, wait: bool) -> None:
        self._settle()  # one commit at a time: the writer is shared
        if self.items:
            items, since = self.items, self.since
            self.items, self.since = [], None
            ids = [post.id for post, _, _ in items]
            # the detected language goes into posts in the same row update as indexed_at
            languages = {
                post.id: scores.language
                for post, scores, _ in items
                if scores is not None and scores.language and scores.language != post.language
            }
            if self._pool is None:
                with self.stages("index"):
                    self.report["indexed"] += self.index.index_posts(items)
                self._mark(ids, since, languages)
            else:
                self._inflight = (self._pool.submit(self._index_timed, items), ids, since, languages)
        if wait:
            self._settle()

    def _index_timed(self, items: list[Scored]) -> tuple[int, float, float]:
        t, c = time.perf_counter(), time.thread_time()
        n = self.index.index_posts(items)
        return n, time.perf_counter() - t, time.thread_time() - c

    def _settle(self) -> None:
        """Wait for the commit in flight (``index_wait``), then mark its posts."""
        if self._inflight is None:
            return
        future, ids, since, languages = self._inflight
        self._inflight = None
        with self.stages("index_wait"):
            n, wall, cpu = future.result()  # the thread's error, if any, is raised here
        self.report["indexed"] += n
        self.stages.wall["index"] = self.stages.wall.get("index", 0.0) + wall
        self.stages.cpu["index"] = self.stages.cpu.get("index", 0.0) + cpu
        self._mark(ids, since, languages)

    def _mark(self, ids: list[str], since: Any, languages: dict[str, str]) -> None:
        with self.stages("mark"):
            mark_indexed(self.store, ids, since, languages)
        if self.on_indexed is not None:
            with self.stages("alerts"):
                self.on_indexed(ids)


# --- saved-search alerts: after each index commit, through the ``alerts`` service ---
def alerts_hook(
    settings: Settings, store: Store, index: Any, report: dict[str, Any]
) -> Callable[[list[str]], None] | None:
    """A callback that tells the ``alerts`` service which posts were just indexed (inbox entries and
    signed webhooks for matching saved searches), or None when no installed package provides it.
    A failure is logged and counted, never fatal: the posts are indexed either way."""
    if not plugins.has_service("alerts"):
        return None
    notify = plugins.service("alerts")

    def on_indexed(post_ids: list[str]) -> None:
        try:
            notify(settings, store, index, post_ids)
        except (PantauError, OSError) as exc:
            report["alerts_failed"] = report.get("alerts_failed", 0) + len(post_ids)
            log.warning("saved-search alerts for %d posts failed (%s)", len(post_ids), exc)

    return on_indexed


# --- coordination clusters (issue 8): each batch is clustered BEFORE it is scored ---
def open_coordinator(settings: Settings, store: Store) -> Any:
    """The ``coordinator`` service (``.update(posts) -> {post id: cluster id}``), or None when no
    installed package provides it."""
    if not plugins.has_service("coordinator"):
        return None
    return plugins.service("coordinator")(settings, store)


def cluster_batch(coordinator: Any, posts: Sequence[Post], report: dict[str, Any], stages: Stages) -> None:
    """Cluster a batch; a failure is logged and counted (the posts stay unclustered), never fatal."""
    with stages("cluster"):
        try:
            if narrates(coordinator):  # narratives follow the claim matches scoring writes: narrate_batch
                clustered = coordinator.update(list(posts), narratives=False)
            else:
                clustered = coordinator.update(list(posts))
            report["clustered"] = report.get("clustered", 0) + len(clustered)
        except (PantauError, ValueError, OSError) as exc:
            report["cluster_failed"] = report.get("cluster_failed", 0) + len(posts)
            log.warning("clustering a batch of %d posts failed (%s) — skipped", len(posts), exc)


def narrates(coordinator: Any) -> bool:
    """Whether the coordinator assigns narratives in a separate step (``narrate``)."""
    return coordinator is not None and callable(getattr(coordinator, "narrate", None))


def narrate_batch(coordinator: Any, posts: Sequence[Post], report: dict[str, Any], stages: Stages) -> None:
    """Assign a written batch to narratives, after its claim matches are stored. A failure is logged and
    counted, never fatal: the posts stay clustered and searchable, only without a narrative."""
    if not posts or not narrates(coordinator):
        return
    with stages("cluster"):
        try:
            coordinator.narrate(list(posts))
        except (PantauError, ValueError, OSError) as exc:
            report["narrate_failed"] = report.get("narrate_failed", 0) + len(posts)
            log.warning("assigning %d posts to narratives failed (%s) — skipped", len(posts), exc)


def coordination_context(
    coordinator: Any, post_ids: list[str], stages: Stages
) -> dict[str, dict[str, Any]] | None:
    """``coordinator.context(post_ids)`` — each post's coordination signals for the scorer — or None
    when the coordinator has no ``context`` or it fails (scoring then goes on without it)."""
    if coordinator is None or not post_ids or not callable(getattr(coordinator, "context", None)):
        return None
    with stages("context"):
        try:
            return dict(coordinator.context(post_ids))
        except (PantauError, ValueError, OSError) as exc:
            log.warning(
                "coordination context for %d posts failed (%s) — scored without it", len(post_ids), exc
            )
            return None


def newly_coordinated(coordinator: Any) -> list[str]:
    """Posts whose cluster became coordinated since the last call (``coordinator.newly_coordinated()``);
    empty when the coordinator does not offer it or it fails."""
    take = getattr(coordinator, "newly_coordinated", None)
    if not callable(take):
        return []
    try:
        return [str(pid) for pid in take()]
    except (PantauError, ValueError, OSError) as exc:
        log.warning("newly coordinated posts unavailable (%s) — they keep their endorsement scores", exc)
        return []
