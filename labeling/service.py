"""What the labelling page calls: the next item for a user, submit, skip and undo.

Each call is one transaction. The labeller sees the post text and what a labeller may see: the author is
shown only for monitored accounts (campaigns, influencers, media, public figures; see
:attr:`pantau.records.AccountKind.monitored`), never other labellers' labels, the model's guess or whether
the item is a gold item.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from labeling import assignment, queue
from labeling.assignment import DONE, EXPIRED, LEASED, SKIPPED
from labeling.policy import require
from labeling.projects import Project, get_project, labeller, project_row
from labeling.repository import GOLD, SqlSlots, write_gate
from pantau.errors import Conflict, NotFound
from pantau.records import AccountKind, utcnow
from pantau.store import Store
from pantau.store.tables import (
    AuditRow,
    LabelAdjudicationRow,
    LabelAssignmentRow,
    LabelItemRow,
    LabelRow,
    PostRow,
)

MAX_NOTE_CHARS = 2000


@dataclass(frozen=True)
class AuthorView:
    """The author as a labeller may see them: identity only for monitored accounts."""

    kind: str
    handle: str | None = None
    name: str | None = None


@dataclass(frozen=True)
class LabelTask:
    """One item served to one labeller (what the labelling page shows)."""

    assignment_id: int
    item_id: int
    project: str
    task: str
    labels: tuple[str, ...]
    text: str
    expires_at: datetime
    done_by_user: int
    title: str | None = None
    platform: str | None = None
    published_at: datetime | None = None
    url: str | None = None
    author: AuthorView = field(default_factory=lambda: AuthorView(kind=AccountKind.unknown.value))
    hashtags: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (times as ISO 8601)."""
        data = asdict(self)
        data["labels"] = list(self.labels)
        data["hashtags"] = list(self.hashtags)
        data["expires_at"] = self.expires_at.isoformat()
        data["published_at"] = self.published_at.isoformat() if self.published_at else None
        return data


@dataclass(frozen=True)
class Submitted:
    label_id: int
    item_id: int
    done_by_user: int


@dataclass(frozen=True)
class Undone:
    """The label taken back, and the item served again so the labeller can change it."""

    task: LabelTask
    label: str
    note: str | None


def _open(store: Store, project: str | int) -> Project:
    proj = get_project(store, project)
    if proj.archived:
        raise Conflict(f"labelling project {proj.name!r} is archived; it serves no more items")
    return proj


def _labeller_may_label(s: Session, user_id: int) -> None:
    who = labeller(s, user_id)
    require(who.role, "label", f"user {who.name!r}")


def _view(s: Session, proj: Project, claim: assignment.Claim, done: int) -> LabelTask:
    item = s.get(LabelItemRow, claim.item_id)
    if item is None:  # deleted between claim and view: cannot happen inside one transaction
        raise NotFound(f"label item {claim.item_id} does not exist")
    post = s.get(PostRow, item.post_id) if item.post_id else None
    base: dict[str, Any] = {
        "assignment_id": claim.assignment_id,
        "item_id": item.id,
        "project": proj.name,
        "task": proj.task,
        "labels": proj.labels,
        "text": item.text,
        "expires_at": claim.expires_at,
        "done_by_user": done,
    }
    if post is None:
        return LabelTask(**base)
    kind = (
        AccountKind(post.author_kind) if post.author_kind in AccountKind.__members__ else AccountKind.unknown
    )
    monitored = kind.monitored
    return LabelTask(
        **base,
        title=post.title,
        platform=post.platform,
        published_at=post.published_at,
        # a URL names the account on most platforms, so it is hidden with the author
        url=post.url if monitored else None,
        author=AuthorView(
            kind=kind.value,
            handle=post.author_handle if monitored else None,
            name=post.author_name if monitored else None,
        ),
        hashtags=tuple(str(h) for h in (post.hashtags or [])),
    )


def next_item(
    store: Store, project: str | int, user_id: int, *, now: datetime | None = None
) -> LabelTask | None:
    """The item ``user_id`` should label now (leased to them), or None when nothing is left for them.

    Calling it again before submitting returns the same item. New crawl batches are pulled into the
    queue first when the project's refresh interval has passed.
    """
    proj = _open(store, project)
    now = now or utcnow()
    queue.refresh_if_due(store, proj, now=now)
    with write_gate(store), store.session() as s:
        repo = SqlSlots(s)
        repo.release_expired(proj.id, now)  # first statement: a write, so the transaction holds the lock
        _labeller_may_label(s, user_id)
        claim = assignment.next_assignment(
            repo, proj.id, user_id, now, lease_seconds=proj.lease_seconds, gold_every=proj.gold_every
        )
        if claim is None:
            return None
        return _view(s, proj, claim, repo.done_count(proj.id, user_id))


def _assignment(s: Session, proj: Project, user_id: int, assignment_id: int) -> LabelAssignmentRow:
    row = s.get(LabelAssignmentRow, assignment_id)
    if row is None or row.user_id != user_id or row.project_id != proj.id:
        raise NotFound(f"assignment {assignment_id} is not yours in project {proj.name!r}")
    return row


def submit(
    store: Store,
    project: str | int,
    user_id: int,
    assignment_id: int,
    label: str,
    note: str | None = None,
    *,
    now: datetime | None = None,
) -> Submitted:
    """Record ``user_id``'s label for the item of ``assignment_id``.

    A lease that ran out is still accepted while the item has a free slot (no work is thrown away);
    otherwise :class:`Conflict`. Labelling the same assignment twice is a :class:`Conflict` (use undo).
    """
    proj = _open(store, project)
    proj.check_label(label)
    note = (note or "").strip()[:MAX_NOTE_CHARS] or None
    now = now or utcnow()
    with write_gate(store), store.session() as s:
        repo = SqlSlots(s)
        if not repo.transition(assignment_id, user_id, proj.id, LEASED, DONE, finished_at=now):
            row = _assignment(s, proj, user_id, assignment_id)
            if row.state in (DONE, SKIPPED):
                verb = "labelled" if row.state == DONE else "skipped"
                raise Conflict(f"assignment {assignment_id} was already {verb}; use undo to change a label")
            item_kind = s.scalar(select(LabelItemRow.kind).where(LabelItemRow.id == row.item_id))
            if item_kind != GOLD and not repo.take_slot(row.item_id):
                raise Conflict(
                    f"assignment {assignment_id}: the lease expired and the item already has its "
                    f"{proj.overlap} labels — take the next item"
                )
            repo.transition(assignment_id, user_id, proj.id, EXPIRED, DONE, finished_at=now)
        _labeller_may_label(s, user_id)
        row = _assignment(s, proj, user_id, assignment_id)
        label_row = LabelRow(
            project_id=proj.id,
            item_id=row.item_id,
            user_id=user_id,
            assignment_id=row.id,
            label=label,
            note=note,
            seconds=max(0.0, (now - row.leased_at).total_seconds()),
            created_at=now,
        )
        s.add(label_row)
        repo.add_to_count(row.item_id, 1)
        s.flush()
        return Submitted(label_row.id, row.item_id, repo.done_count(proj.id, user_id))


def skip(
    store: Store, project: str | int, user_id: int, assignment_id: int, *, now: datetime | None = None
) -> None:
    """Pass on an item: its slot goes to someone else and it never comes back to this labeller."""
    proj = _open(store, project)
    now = now or utcnow()
    with write_gate(store), store.session() as s:
        repo = SqlSlots(s)
        if repo.transition(assignment_id, user_id, proj.id, LEASED, SKIPPED, finished_at=now):
            row = _assignment(s, proj, user_id, assignment_id)
            repo.give_slot(row.item_id)
            return
        row = _assignment(s, proj, user_id, assignment_id)
        if row.state == EXPIRED:  # its slot was already freed
            repo.transition(assignment_id, user_id, proj.id, EXPIRED, SKIPPED)
            return
        if row.state == DONE:
            raise Conflict(f"assignment {assignment_id} is already labelled; use undo first")


def undo(store: Store, project: str | int, user_id: int, *, now: datetime | None = None) -> Undone:
    """Take back ``user_id``'s most recent label in the project and serve that item to them again.

    :class:`NotFound` when there is nothing to undo; :class:`Conflict` when a fact-checker has already
    adjudicated the item.
    """
    proj = _open(store, project)
    now = now or utcnow()
    with write_gate(store), store.session() as s:
        repo = SqlSlots(s)
        repo.release_expired(proj.id, now)
        row = s.scalars(
            select(LabelAssignmentRow)
            .where(
                LabelAssignmentRow.project_id == proj.id,
                LabelAssignmentRow.user_id == user_id,
                LabelAssignmentRow.state == DONE,
            )
            .order_by(LabelAssignmentRow.finished_at.desc(), LabelAssignmentRow.id.desc())
            .limit(1)
        ).first()
        if row is None:
            raise NotFound(f"nothing to undo: you have no labels in project {proj.name!r}")
        if s.get(LabelAdjudicationRow, row.item_id) is not None:
            raise Conflict(
                f"item {row.item_id} was already adjudicated by a fact-checker; its label is final"
            )
        label = s.scalars(select(LabelRow).where(LabelRow.assignment_id == row.id)).one()
        taken = (label.label, label.note)
        s.delete(label)
        expires = assignment.lease_expiry(now, proj.lease_seconds)
        repo.transition(
            row.id, user_id, proj.id, DONE, LEASED, leased_at=now, expires_at=expires, finished_at=None
        )
        repo.add_to_count(row.item_id, -1)
        s.add(
            AuditRow(
                at=now,
                actor=str(user_id),
                action="label.undo",
                object_type="label_item",
                object_id=str(row.item_id),
                details={"project": proj.name, "label": taken[0]},
            )
        )
        s.flush()
        claim = assignment.Claim(row.id, row.item_id, user_id, now, expires)
        return Undone(_view(s, proj, claim, repo.done_count(proj.id, user_id)), taken[0], taken[1])


def user_progress(store: Store, project: str | int, user_id: int) -> dict[str, int]:
    """How many items the user labelled and skipped in the project, and how many are still open overall."""
    with store.session() as s:
        proj = project_row(s, project)
        counts = dict(
            s.execute(
                select(LabelAssignmentRow.state, func.count())
                .where(LabelAssignmentRow.project_id == proj.id, LabelAssignmentRow.user_id == user_id)
                .group_by(LabelAssignmentRow.state)
            ).all()
        )
        open_slots = s.scalar(
            select(func.coalesce(func.sum(LabelItemRow.open_slots), 0)).where(
                LabelItemRow.project_id == proj.id, LabelItemRow.kind != GOLD
            )
        )
    return {
        "labelled": int(counts.get(DONE, 0)),
        "skipped": int(counts.get(SKIPPED, 0)),
        "open_slots": int(open_slots or 0),
    }
