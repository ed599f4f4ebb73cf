"""Which item a labeller gets next: k-overlap, blind, never twice per person, leases that expire.

The rules, written against a small repository interface (:class:`SlotRepository`) so they read on their
own; :mod:`labeling.repository` implements it on the SQL store.

* Each ordinary item has ``k`` slots (the project's ``overlap``). Serving an item takes a slot with a
  *conditional* update (``open_slots = open_slots - 1 WHERE open_slots > 0``): two labellers racing for
  the last slot cannot both win, on SQLite or PostgreSQL.
* An item is served to a person at most once: ``(item, user)`` is unique among assignments, so a skipped,
  expired or labelled item never comes back to the same labeller.
* A served item is a lease. A labeller holding an unexpired lease gets the same item again (a page reload
  does not grab a second one). Expired leases are released — their slot goes back to the pool — before
  anything is served.
* Items that already have some labels are finished first (fewest open slots), then by queue priority.
* Every ``gold_every``-th item a labeller gets is a gold item (known answer) they have not seen, when one is
  left; gold items have no slot limit.
* Labellers are blind to each other: nothing here, nor in the item view, exposes other labels.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

LEASED, DONE, SKIPPED, EXPIRED = "leased", "done", "skipped", "expired"
STATES: tuple[str, ...] = (LEASED, DONE, SKIPPED, EXPIRED)
#: how many candidates one claim attempt looks at before giving up on a crowded queue
CANDIDATE_WINDOW = 25
MAX_WINDOWS = 8


@dataclass(frozen=True)
class Claim:
    """An item leased to one labeller until ``expires_at``."""

    assignment_id: int
    item_id: int
    user_id: int
    leased_at: datetime
    expires_at: datetime


class SlotRepository(Protocol):
    """The storage operations assignment needs; each must be atomic on its own."""

    def release_expired(self, project_id: int, now: datetime) -> int:
        """Mark leases that expired before ``now`` as expired and free their slots; how many."""

    def active_lease(self, project_id: int, user_id: int, now: datetime) -> Claim | None:
        """The user's newest unexpired lease in the project, if any."""

    def done_count(self, project_id: int, user_id: int) -> int:
        """How many items the user has labelled in the project."""

    def candidates(self, project_id: int, user_id: int, *, gold: bool, limit: int) -> list[int]:
        """Item ids the user has never been served, with a free slot (or gold), in serving order."""

    def try_claim(
        self, project_id: int, item_id: int, user_id: int, now: datetime, expires_at: datetime
    ) -> Claim | None:
        """Take a slot of ``item_id`` for ``user_id``; None when another labeller took the last one."""


def lease_expiry(now: datetime, lease_seconds: int) -> datetime:
    """When a lease taken at ``now`` runs out."""
    return now + timedelta(seconds=lease_seconds)


def wants_gold(done_count: int, gold_every: int) -> bool:
    """Whether the labeller's next item should be gold: the ``gold_every``-th, ``2·gold_every``-th, ..."""
    return gold_every > 0 and done_count % gold_every == gold_every - 1


def next_assignment(
    repo: SlotRepository,
    project_id: int,
    user_id: int,
    now: datetime,
    *,
    lease_seconds: int,
    gold_every: int,
) -> Claim | None:
    """The item ``user_id`` should label now, leased to them; None when nothing is left for them."""
    repo.release_expired(project_id, now)
    current = repo.active_lease(project_id, user_id, now)
    if current is not None:
        return current
    expires = lease_expiry(now, lease_seconds)
    order = (True, False) if wants_gold(repo.done_count(project_id, user_id), gold_every) else (False,)
    for gold in order:
        # a candidate lost to a faster labeller is full afterwards, so the next window excludes it
        for _attempt in range(MAX_WINDOWS):
            ids = repo.candidates(project_id, user_id, gold=gold, limit=CANDIDATE_WINDOW)
            if not ids:
                break
            for item_id in ids:
                claim = repo.try_claim(project_id, item_id, user_id, now, expires)
                if claim is not None:
                    return claim
    return None
