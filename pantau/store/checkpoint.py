"""WAL checkpoints in a thread of their own while a bulk write runs (``pantau import``, ``pantau process``).

In WAL mode every commit appends its pages to the ``-wal`` file, and by default the connection whose
commit takes the file past 1,000 pages copies them back into the database right then (an *automatic
checkpoint*): the writer stops for the copy and the fsync. During a bulk write that is a good part of the
writer's time — at a million posts each batch dirties pages all over the posts table's indexes. Inside
:func:`background_checkpoints`, the process's connections stop checkpointing on commit
(``PRAGMA wal_autocheckpoint=0``, applied as each connection is checked out of the pool) and a thread with
a connection of its own runs a ``PASSIVE`` checkpoint every ``interval_s`` instead. SQLite releases the GIL
while it copies and syncs, so the writer goes on meanwhile, on the other core. A ``PASSIVE`` checkpoint
never waits for readers or writers; pages that were not copied stay in the WAL for the next one. On exit
the thread makes a last checkpoint and connections checkpoint on commit again.

Nothing changes for durability: commits are as durable as before (``synchronous=NORMAL``), and the WAL
stays bounded by what is written in one interval. Other processes (the API, crawls) keep their own
connections' automatic checkpoints.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Engine, event

log = logging.getLogger(__name__)

#: SQLite's default ``wal_autocheckpoint`` (pages), what connections go back to after a bulk write
AUTOCHECKPOINT_PAGES = 1000
#: seconds between background checkpoints: a page written again within the interval is copied back once;
#: the WAL holds about this many seconds of writes (0.5 and 2 s measured the same within noise at 100k posts)
INTERVAL_S = 2.0


class _WalState:
    """How many bulk writes of one engine are running (their checkpoints run in the background)."""

    def __init__(self) -> None:
        self.bulk = 0


_STATES: WeakKeyDictionary[Engine, _WalState] = WeakKeyDictionary()


def track_autocheckpoint(engine: Engine) -> None:
    """Let :func:`background_checkpoints` turn ``engine``'s automatic checkpoints off and on (SQLite file
    databases only; called by :func:`~pantau.store.engine.make_engine`)."""
    state = _WalState()
    _STATES[engine] = state

    def on_checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        want = 0 if state.bulk else AUTOCHECKPOINT_PAGES
        if record.info.get("wal_autocheckpoint") != want:
            cursor = dbapi_connection.cursor()
            cursor.execute(f"PRAGMA wal_autocheckpoint={want}")
            cursor.close()
            record.info["wal_autocheckpoint"] = want

    event.listen(engine, "checkout", on_checkout)


class Checkpointer(threading.Thread):
    """A thread that checkpoints the WAL of ``database`` every ``interval_s`` until :meth:`stop`."""

    def __init__(self, database: str, interval_s: float) -> None:
        super().__init__(name="pantau-wal-checkpoint", daemon=True)
        self.database, self.interval_s = database, interval_s
        self.runs = 0
        #: ``(busy, frames in the WAL, frames copied back)`` of the latest checkpoint
        self.last: tuple[int, int, int] | None = None
        self._stop_event = threading.Event()

    def run(self) -> None:
        connection = sqlite3.connect(self.database, timeout=30, check_same_thread=False)
        try:
            while not self._stop_event.wait(self.interval_s):
                self._checkpoint(connection)
            self._checkpoint(connection)  # the last pages of the bulk write
        finally:
            connection.close()

    def _checkpoint(self, connection: sqlite3.Connection) -> None:
        try:
            row = connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            self.last = (int(row[0]), int(row[1]), int(row[2]))
            self.runs += 1
        except sqlite3.Error as exc:  # another checkpoint at the same time: the next one catches up
            log.debug("background WAL checkpoint of %s skipped: %s", self.database, exc)

    def stop(self) -> None:
        """Make a last checkpoint and end the thread (returns when it has)."""
        self._stop_event.set()
        self.join()


@contextmanager
def background_checkpoints(engine: Engine, interval_s: float = INTERVAL_S) -> Iterator[Checkpointer | None]:
    """Checkpoint ``engine``'s WAL in a background thread for the duration of the block (the thread, or
    None for databases other than SQLite files, or inside another such block of the same engine)."""
    state = _STATES.get(engine)
    database = engine.url.database
    if state is None or not database or database == ":memory:" or state.bulk:
        yield None
        return
    state.bulk += 1
    thread = Checkpointer(database, interval_s)
    thread.start()
    try:
        yield thread
    finally:
        state.bulk -= 1
        thread.stop()
