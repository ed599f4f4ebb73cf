"""Writes of one crawl process, grouped into short transactions.

Every write (an evidence row, a post, a fact-check) joins the open transaction, which commits after
``batch_size`` records or ``max_seconds``, whichever comes first, and when a spider closes. Crash safety
does not depend on the batch: a record is only ever visible together with its evidence row (same
transaction, evidence file written before), and whatever an interrupted batch held is not in the store,
so the restarted crawl does not skip it and fetches it again. ``batch_size=1`` commits every record on
its own. If a batch fails to commit, its records are written again one transaction each, so one bad
record cannot take its neighbours down with it.

One writer serves every spider of the process: SQLite allows one writer at a time, and two open write
transactions in one thread would wait on each other. Its work runs in one thread of its own
(:meth:`BatchWriter.submit`), so the reactor goes on downloading and parsing while SQLite, gzip and the
file system work.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from crawlers.items import Fetched
from pantau.errors import PantauError
from pantau.records import FactCheck, Post
from pantau.store import Store
from pantau.store.store import Stored

log = logging.getLogger(__name__)

Op = Callable[[Session], Any]
T = TypeVar("T")


class BatchWriter:
    """Groups the store writes of one process into short transactions (see the module docstring)."""

    def __init__(
        self, store: Store, crawler_version: str, batch_size: int = 50, max_seconds: float = 1.0
    ) -> None:
        self.store = store
        self.crawler_version = crawler_version
        self.batch_size = max(1, batch_size)
        self.max_seconds = max_seconds
        self.session: Session | None = None
        self.pending: list[Op] = []
        self.records = 0
        self.evidence_in_batch: set[str] = set()
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pantau-writer")
        self.opened_at = 0.0
        self.failed = 0

    async def submit(self, fn: Callable[..., T], *args: Any) -> T:
        """Run ``fn(*args)`` in the writer's thread and wait for it without blocking the event loop."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, functools.partial(fn, *args))

    def _session(self) -> Session:
        if self.session is None:
            self.session = Session(self.store.engine, expire_on_commit=False)
            self.opened_at = time.monotonic()
        return self.session

    def _run(self, op: Op) -> Any:
        session = self._session()
        try:
            result = op(session)
        except SQLAlchemyError:
            # the transaction is unusable: roll it back and write its records one by one
            self._rollback_and_replay()
            return self._single(op)
        self.pending.append(op)
        return result

    def evidence(self, fetched: Fetched) -> str:
        """Store the body (file now, row in the open transaction); returns its SHA-256."""

        sha = hashlib.sha256(fetched.body).hexdigest()
        if sha in self.evidence_in_batch:  # same body twice in one transaction: one row
            return sha

        def op(session: Session) -> str:
            evidence = self.store.put_evidence(
                fetched.body,
                url=fetched.url,
                status=fetched.status,
                fetched_at=fetched.fetched_at,
                crawler_version=self.crawler_version,
                content_type=fetched.content_type,
                session=session,
            )
            return evidence.sha256

        stored_sha: str = self._run(op)
        self.evidence_in_batch.add(stored_sha)
        return stored_sha

    def upsert(self, record: Post | FactCheck) -> Stored:
        """Insert or refresh ``record`` in the open transaction; commits when the batch is full."""

        def op(session: Session) -> Stored:
            if isinstance(record, Post):
                return self.store.upsert_post(record, session)
            return self.store.upsert_factcheck(record, session)

        stored: Stored = self._run(op)
        self.records += 1
        if self.records >= self.batch_size or time.monotonic() - self.opened_at >= self.max_seconds:
            self.commit()
        return stored

    def commit(self) -> None:
        """Commit the open transaction (replaying its records one by one if the commit fails)."""
        if self.session is None:
            return
        try:
            self.session.commit()
        except SQLAlchemyError as exc:
            log.warning(
                "batch of %d writes failed to commit (%s); writing them one by one", len(self.pending), exc
            )
            self._rollback_and_replay()
            return
        self._reset()

    def _reset(self) -> None:
        if self.session is not None:
            self.session.close()
        self.session, self.pending, self.records = None, [], 0
        self.evidence_in_batch.clear()

    def _rollback_and_replay(self) -> None:
        ops = self.pending
        if self.session is not None:
            self.session.rollback()
        self._reset()
        for op in ops:
            try:
                self._single(op)
            except PantauError as exc:
                self.failed += 1
                log.error("record not stored: %s", exc)

    def _single(self, op: Op) -> Any:
        with self.store.session() as session:
            return op(session)

    def close(self) -> None:
        self.executor.submit(self.commit).result()
        self.executor.shutdown(wait=True)
