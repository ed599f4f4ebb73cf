"""Scoring in worker processes, so ``pantau process`` scores one batch while it writes, indexes and
clusters the batches before it (see :mod:`pantau.process`).

Each worker is a fresh interpreter (``spawn``: nothing of the parent's open database connections, index
writer or threads is inherited) that loads the scorer ONCE — through the ``scorer`` service, exactly as
the main process does, or, when the caller injected a scorer object, by unpickling that object — and
limits its math libraries to one thread (the workers and the main process already share the cores).

The main process submits numbered batches ``(posts, context)`` (posts and scores travel as plain tuples,
:mod:`pantau.process_codec`) and takes results back strictly in
submission order (:meth:`ScoringPool.result`), so the store sees the same writes in the same order as
with in-process scoring. A worker that dies (killed, out of memory, a crash in native code) is reported
as a :class:`~pantau.errors.PantauError` naming it and its exit code — never a hang; the batches it held
were not written, so their posts stay pending for the next run. A worker that cannot load the models
raises a :class:`~pantau.errors.ConfigError` with the worker's message.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing as mp
import os
import queue
import time
from collections.abc import Sequence
from multiprocessing.process import BaseProcess
from typing import Any

from pantau.bulkgc import tune_for_bulk
from pantau.errors import ConfigError, PantauError
from pantau.process_codec import pack_post, pack_scores, unpack_post, unpack_scores
from pantau.records import Post, PostScores

log = logging.getLogger(__name__)

#: seconds between liveness checks of the workers while the main process waits for a result
POLL_S = 0.5
#: math-library thread limits applied in each worker (set before the libraries start their pools)
THREAD_ENV = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "TOKENIZERS_PARALLELISM")


def takes_context(scorer: Any) -> bool:
    """Whether ``scorer.score`` accepts a ``context`` argument (coordination signals per post)."""
    import inspect

    try:
        params = inspect.signature(scorer.score).parameters
    except (TypeError, ValueError):
        return False
    return "context" in params or any(p.kind is p.VAR_KEYWORD for p in params.values())


def score_batch(
    scorer: Any, posts: Sequence[Post], context: dict[str, dict[str, Any]] | None
) -> tuple[list[PostScores], list[tuple[str, str]]]:
    """Score a batch; when the batch fails, score post by post so one bad post is skipped.

    Returns the scores and ``(post id, error)`` for each post that could not be scored."""
    posts = list(posts)

    def call(some: list[Post]) -> list[PostScores]:
        if context is None:
            return list(scorer.score(some))
        return list(scorer.score(some, context={p.id: context[p.id] for p in some if p.id in context}))

    try:
        return call(posts), []
    except (PantauError, ValueError, TypeError) as exc:
        log.warning("scoring a batch of %d posts failed (%s); retrying one by one", len(posts), exc)
    out: list[PostScores] = []
    failed: list[tuple[str, str]] = []
    for post in posts:
        try:
            out.extend(call([post]))
        except (PantauError, ValueError, TypeError) as exc:
            failed.append((post.id, str(exc)))
    return out, failed


def _limit_threads() -> None:
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(1)
    except ImportError:  # pragma: no cover - sklearn brings threadpoolctl
        pass
    import sys

    torch = sys.modules.get("torch")
    if torch is not None:  # pragma: no cover - only when the models use torch
        torch.set_num_threads(1)


#: niceness added to each worker: the main process (clustering, writing, indexing in batch order) is the
#: pipeline's critical path and the workers have queued batches to spare, so on a machine with fewer free
#: cores than processes the main process should get the CPU whenever it is ready to run
WORKER_NICENESS = 5


def _lower_priority() -> None:
    if hasattr(os, "nice") and WORKER_NICENESS > 0:
        with contextlib.suppress(OSError):  # not permitted: run at the same priority
            os.nice(WORKER_NICENESS)


def _worker(wid: int, settings: Any, pickled_scorer: bytes | None, tasks: Any, results: Any) -> None:
    """A worker's life: load the scorer, then score batches until the ``None`` sentinel."""
    try:
        if pickled_scorer is not None:
            import pickle

            scorer = pickle.loads(pickled_scorer)  # noqa: S301 - our own process pickled it
        else:
            from pantau import plugins
            from pantau.store import Store

            scorer = plugins.service("scorer")(settings, Store.open(settings))
        _limit_threads()
        _lower_priority()
        tune_for_bulk()  # the scorer lives as long as this process: out of the collector's sight
        results.put(("ready", wid, dict(scorer.versions), time.process_time()))
    except BaseException as exc:  # noqa: BLE001 - reported to the main process, which raises
        results.put(("error", wid, f"{type(exc).__name__}: {exc}"))
        return
    busy = 0.0
    parent = os.getppid()
    while True:
        try:
            task = tasks.get(timeout=POLL_S)
        except queue.Empty:
            if os.getppid() != parent:  # the main process was killed: nobody will read our results
                return
            continue
        if task is None:
            results.put(("exit", wid, time.process_time()))
            return
        seq, packed, context = task
        t = time.perf_counter()
        try:
            scores, failed = score_batch(scorer, [unpack_post(p) for p in packed], context)
            out = [pack_scores(s) for s in scores]
        except BaseException as exc:  # noqa: BLE001 - the main process raises it, naming this worker
            results.put(("crash", wid, seq, f"{type(exc).__name__}: {exc}"))
            return
        busy += time.perf_counter() - t
        results.put(("done", wid, seq, out, failed, busy))


class ScoringPool:
    """``n`` scoring worker processes fed through one task queue; results come back in order."""

    def __init__(
        self, n: int, settings: Any, scorer: bytes | None = None, versions: dict[str, str] | None = None
    ) -> None:
        """Start ``n`` workers. ``scorer``: an injected scorer, pickled, for each worker to load (None:
        each worker loads the ``scorer`` service itself); ``versions``: the model versions the main
        process selected posts for (a worker that loads others raises :class:`ConfigError`)."""
        if n < 1:
            raise ConfigError(f"scoring workers must be at least 1, got {n}")
        ctx = mp.get_context("spawn")
        self.tasks: Any = ctx.Queue()
        self.results: Any = ctx.Queue()
        self.done: dict[int, tuple[list[PostScores], list[tuple[str, str]]]] = {}
        self.busy: dict[int, float] = {}
        self.cpu: dict[int, float] = {}
        self.cpu_ready: dict[int, float] = {}
        self.versions: dict[str, str] | None = versions
        self.ready = 0
        saved = {k: os.environ.get(k) for k in THREAD_ENV}
        os.environ.update({k: "1" if k != "TOKENIZERS_PARALLELISM" else "false" for k in THREAD_ENV})
        try:
            self.procs: list[BaseProcess] = []
            for wid in range(n):
                proc = ctx.Process(
                    target=_worker,
                    args=(wid, settings, scorer, self.tasks, self.results),
                    name=f"pantau-score-{wid}",
                    daemon=True,
                )
                proc.start()
                self.procs.append(proc)
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v

    def submit(self, seq: int, posts: Sequence[Post], context: dict[str, dict[str, Any]] | None) -> None:
        """Queue batch ``seq`` for scoring."""
        self.tasks.put((seq, [pack_post(p) for p in posts], context))

    def result(self, seq: int) -> tuple[list[PostScores], list[tuple[str, str]]]:
        """The scores of batch ``seq`` (waits for them); raises when a worker failed or died."""
        while seq not in self.done:
            self._receive()
        return self.done.pop(seq)

    def wait_ready(self) -> dict[str, str]:
        """Wait until every worker has loaded its scorer; returns the model versions they loaded."""
        while self.ready < len(self.procs):
            self._receive()
        assert self.versions is not None
        return self.versions

    def _receive(self) -> None:
        try:
            msg = self.results.get(timeout=POLL_S)
        except queue.Empty:
            self._check_alive()
            return
        kind, wid = msg[0], msg[1]
        name = self.procs[wid].name
        if kind == "ready":
            self.ready += 1
            if self.versions is not None and msg[2] != self.versions:
                raise ConfigError(
                    f"scoring worker {name} loaded model versions {msg[2]}, not {self.versions} "
                    "(a model was promoted meanwhile?) — run `pantau process` again"
                )
            self.versions = msg[2]
            self.cpu_ready[wid] = msg[3]
        elif kind == "error":
            raise ConfigError(f"scoring worker {name} could not load the models: {msg[2]}")
        elif kind == "crash":
            raise PantauError(f"scoring worker {name} failed on batch {msg[2]}: {msg[3]}")
        elif kind == "done":
            _, _, seq, packed, failed, busy = msg
            self.done[seq] = ([unpack_scores(p) for p in packed], failed)
            self.busy[wid] = busy
        elif kind == "exit":
            self.cpu[wid] = msg[2]

    def _check_alive(self) -> None:
        for proc in self.procs:
            if not proc.is_alive():
                raise PantauError(
                    f"scoring worker {proc.name} (pid {proc.pid}) died with exit code {proc.exitcode}; "
                    "its posts were not written and stay pending — run `pantau process` again"
                )

    def close(self, timeout_s: float = 10.0) -> None:
        """Stop the workers: a clean exit when they are idle, terminate after ``timeout_s``."""
        if all(p.is_alive() for p in self.procs):
            for _ in self.procs:
                self.tasks.put(None)
            deadline = time.monotonic() + timeout_s
            while len(self.cpu) < len(self.procs) and time.monotonic() < deadline:
                try:
                    msg = self.results.get(timeout=POLL_S)
                except queue.Empty:
                    if not any(p.is_alive() for p in self.procs):
                        break
                    continue
                if msg[0] == "exit":
                    self.cpu[msg[1]] = msg[2]
        for proc in self.procs:
            proc.join(max(0.0, 1.0))
            if proc.is_alive():
                proc.terminate()
                proc.join(5)
        # batches a dead worker never read must not keep this process from exiting
        self.tasks.cancel_join_thread()
        self.tasks.close()
        self.results.close()

    def stats(self) -> dict[str, float]:
        """Seconds the workers spent scoring, their CPU seconds in all and before they were ready (start
        and model loading) — known after :meth:`close`."""
        return {
            "score_workers": round(sum(self.busy.values()), 3),
            "workers_cpu": round(sum(self.cpu.values()), 3),
            "workers_start_cpu": round(sum(self.cpu_ready.values()), 3),
        }
