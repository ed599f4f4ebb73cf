"""Adjudication: a fact-checker settles the items labellers disagreed on.

An item needs adjudication when it has all its labels (the project's ``overlap``) and they are not
unanimous, or when no strict majority exists (those cannot be exported without a decision). The
fact-checker sees the text, the vote counts and the labellers' notes — not who voted what. Their label is
final: it overrides the majority in the export and blocks undo. Every decision goes to the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from labeling.policy import require
from labeling.projects import Project, get_project, labeller
from labeling.ratings import adjudications, resolve
from labeling.repository import GOLD
from pantau.errors import NotFound
from pantau.records import utcnow
from pantau.store import Store
from pantau.store.tables import AuditRow, LabelAdjudicationRow, LabelItemRow, LabelRow

MAX_NOTE_CHARS = 2000


@dataclass(frozen=True)
class Disagreement:
    """An item waiting for a fact-checker's decision."""

    item_id: int
    text: str
    post_id: str | None
    votes: dict[str, int]
    notes: list[str] = field(default_factory=list)
    needs_decision: bool = False  # True when no strict majority exists, so the item cannot be exported


@dataclass(frozen=True)
class Adjudication:
    item_id: int
    label: str
    user_id: int
    at: datetime
    replaced: str | None


def disagreements(store: Store, project: str | int, user_id: int, *, limit: int = 50) -> list[Disagreement]:
    """Fully labelled, non-unanimous, not yet adjudicated items; undecidable ones (no majority) first."""
    proj = get_project(store, project)
    with store.session() as s:
        who = labeller(s, user_id)
        require(who.role, "adjudicate", f"user {who.name!r}")
        done = adjudications(s, proj.id)
        items = {
            row.id: row
            for row in s.scalars(
                select(LabelItemRow).where(
                    LabelItemRow.project_id == proj.id,
                    LabelItemRow.kind != GOLD,
                    LabelItemRow.n_labels >= proj.overlap,
                )
            )
            if row.id not in done
        }
        votes: dict[int, list[str]] = {i: [] for i in items}
        notes: dict[int, list[str]] = {i: [] for i in items}
        for item_id, label, note in s.execute(
            select(LabelRow.item_id, LabelRow.label, LabelRow.note).where(LabelRow.project_id == proj.id)
        ):
            if item_id in votes:
                votes[item_id].append(label)
                if note:
                    notes[item_id].append(note)
        out = []
        for item_id, vs in votes.items():
            if len(set(vs)) <= 1:
                continue
            counts = {label: vs.count(label) for label in sorted(set(vs), key=lambda x: (-vs.count(x), x))}
            undecided = resolve(vs, proj.overlap).label is None
            item = items[item_id]
            out.append(Disagreement(item_id, item.text, item.post_id, counts, notes[item_id], undecided))
    out.sort(key=lambda d: (not d.needs_decision, d.item_id))
    return out[:limit]


def adjudicate(
    store: Store, project: str | int, user_id: int, item_id: int, label: str, note: str | None = None
) -> Adjudication:
    """Record the final label of ``item_id`` (a second decision replaces the first, and is audited)."""
    proj: Project = get_project(store, project)
    proj.check_label(label)
    note = (note or "").strip()[:MAX_NOTE_CHARS] or None
    now = utcnow()
    with store.session() as s:
        who = labeller(s, user_id)
        require(who.role, "adjudicate", f"user {who.name!r}")
        item = s.get(LabelItemRow, item_id)
        if item is None or item.project_id != proj.id:
            raise NotFound(f"item {item_id} is not in labelling project {proj.name!r}")
        row = s.get(LabelAdjudicationRow, item_id)
        replaced = row.label if row is not None else None
        if row is None:
            row = LabelAdjudicationRow(item_id=item_id, project_id=proj.id)
            s.add(row)
        row.label, row.note, row.user_id, row.created_at = label, note, user_id, now
        s.add(
            AuditRow(
                at=now,
                actor=who.name,
                action="label.adjudicate",
                object_type="label_item",
                object_id=str(item_id),
                details={"project": proj.name, "label": label, "replaced": replaced, "note": note},
            )
        )
    return Adjudication(item_id, label, user_id, now, replaced)
