"""The SQL implementation of :class:`labeling.assignment.SlotRepository`.

Every operation runs inside the caller's session (one transaction per service call). The guarantees
come from the database, not from Python locks, so they hold across threads and processes:

* a slot is taken with ``UPDATE label_items SET open_slots = open_slots - 1 WHERE id = ? AND
  open_slots > 0`` and only a row count of 1 wins it;
* ``(item_id, user_id)`` is unique in ``label_assignments`` (never twice to one person);
* expired leases are flipped with one ``UPDATE ... RETURNING`` so each expiry frees its slot once.

On SQLite the first statement of a claim is that ``UPDATE``, which takes the database's write lock for
the rest of the transaction; later reads in the transaction therefore see every committed claim.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import exists, func, select, update
from sqlalchemy.orm import Session

from labeling.assignment import DONE, EXPIRED, LEASED, Claim
from pantau.store import Store
from pantau.store.tables import LabelAssignmentRow, LabelItemRow

GOLD = "gold"
_NO_SYNC: dict[str, Any] = {"synchronize_session": False}


_GATES: dict[str, threading.Lock] = {}
_GATES_LOCK = threading.Lock()


@contextmanager
def write_gate(store: Store) -> Iterator[None]:
    """Queue this process's labelling writes to one SQLite file in turn (a no-op on other databases).

    Correctness never depends on it — the conditional updates and unique constraints above hold across
    processes. It is about latency: SQLite's busy handler retries a locked database with sleeps of up to
    100 ms, so with twenty labellers in one API process a few of them kept losing the race for seconds.
    Waiting on a lock in Python instead keeps every request's wait close to the others'.
    """
    if store.engine.dialect.name != "sqlite":
        yield
        return
    with _GATES_LOCK:
        gate = _GATES.setdefault(str(store.engine.url), threading.Lock())
    with gate:
        yield


def claim_of(row: LabelAssignmentRow) -> Claim:
    return Claim(row.id, row.item_id, row.user_id, row.leased_at, row.expires_at)


class SqlSlots:
    """Slots, leases and assignments of labelling items in the SQL store."""

    def __init__(self, session: Session) -> None:
        self.s = session

    def release_expired(self, project_id: int, now: datetime) -> int:
        stmt = (
            update(LabelAssignmentRow)
            .where(
                LabelAssignmentRow.project_id == project_id,
                LabelAssignmentRow.state == LEASED,
                LabelAssignmentRow.expires_at < now,
            )
            .values(state=EXPIRED, finished_at=now)
            .returning(LabelAssignmentRow.item_id)
        )
        items = Counter(self.s.execute(stmt, execution_options=_NO_SYNC).scalars())
        for item_id, n in items.items():
            self.s.execute(
                update(LabelItemRow)
                .where(LabelItemRow.id == item_id, LabelItemRow.open_slots.is_not(None))
                .values(open_slots=LabelItemRow.open_slots + n),
                execution_options=_NO_SYNC,
            )
        return sum(items.values())

    def active_lease(self, project_id: int, user_id: int, now: datetime) -> Claim | None:
        row = self.s.scalars(
            select(LabelAssignmentRow)
            .where(
                LabelAssignmentRow.project_id == project_id,
                LabelAssignmentRow.user_id == user_id,
                LabelAssignmentRow.state == LEASED,
                LabelAssignmentRow.expires_at >= now,
            )
            .order_by(LabelAssignmentRow.leased_at.desc(), LabelAssignmentRow.id.desc())
            .limit(1)
        ).first()
        return claim_of(row) if row is not None else None

    def done_count(self, project_id: int, user_id: int) -> int:
        return int(
            self.s.scalar(
                select(func.count())
                .select_from(LabelAssignmentRow)
                .where(
                    LabelAssignmentRow.project_id == project_id,
                    LabelAssignmentRow.user_id == user_id,
                    LabelAssignmentRow.state == DONE,
                )
            )
            or 0
        )

    def candidates(self, project_id: int, user_id: int, *, gold: bool, limit: int) -> list[int]:
        seen = exists().where(
            LabelAssignmentRow.item_id == LabelItemRow.id, LabelAssignmentRow.user_id == user_id
        )
        stmt = select(LabelItemRow.id).where(LabelItemRow.project_id == project_id, ~seen)
        if gold:
            stmt = stmt.where(LabelItemRow.kind == GOLD).order_by(
                LabelItemRow.priority.desc(), LabelItemRow.id
            )
        else:
            stmt = stmt.where(LabelItemRow.kind != GOLD, LabelItemRow.open_slots > 0).order_by(
                LabelItemRow.open_slots, LabelItemRow.priority.desc(), LabelItemRow.id
            )
        return list(self.s.scalars(stmt.limit(limit)))

    def try_claim(
        self, project_id: int, item_id: int, user_id: int, now: datetime, expires_at: datetime
    ) -> Claim | None:
        kind = self.s.scalar(
            select(LabelItemRow.kind).where(LabelItemRow.id == item_id, LabelItemRow.project_id == project_id)
        )
        if kind is None:
            return None
        if kind != GOLD and not self.take_slot(item_id):
            return None
        row = LabelAssignmentRow(
            project_id=project_id,
            item_id=item_id,
            user_id=user_id,
            state=LEASED,
            leased_at=now,
            expires_at=expires_at,
        )
        self.s.add(row)
        self.s.flush()
        return claim_of(row)

    # ---- helpers the submit / skip / undo services share
    def take_slot(self, item_id: int) -> bool:
        """Take one free slot of an ordinary item (conditional update); False when none is left."""
        result = self.s.execute(
            update(LabelItemRow)
            .where(LabelItemRow.id == item_id, LabelItemRow.open_slots > 0)
            .values(open_slots=LabelItemRow.open_slots - 1),
            execution_options=_NO_SYNC,
        )
        return bool(getattr(result, "rowcount", 0) == 1)

    def give_slot(self, item_id: int) -> None:
        """Return one slot of an ordinary item to the pool (gold items have no slots)."""
        self.s.execute(
            update(LabelItemRow)
            .where(LabelItemRow.id == item_id, LabelItemRow.open_slots.is_not(None))
            .values(open_slots=LabelItemRow.open_slots + 1),
            execution_options=_NO_SYNC,
        )

    def transition(
        self, assignment_id: int, user_id: int, project_id: int, old: str, new: str, **values: Any
    ) -> bool:
        """Move one assignment from state ``old`` to ``new`` (conditional update); True when it moved."""
        result = self.s.execute(
            update(LabelAssignmentRow)
            .where(
                LabelAssignmentRow.id == assignment_id,
                LabelAssignmentRow.user_id == user_id,
                LabelAssignmentRow.project_id == project_id,
                LabelAssignmentRow.state == old,
            )
            .values(state=new, **values),
            execution_options=_NO_SYNC,
        )
        return bool(getattr(result, "rowcount", 0) == 1)

    def add_to_count(self, item_id: int, delta: int) -> None:
        self.s.execute(
            update(LabelItemRow)
            .where(LabelItemRow.id == item_id)
            .values(n_labels=LabelItemRow.n_labels + delta),
            execution_options=_NO_SYNC,
        )
