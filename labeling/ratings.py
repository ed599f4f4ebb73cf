"""Reading a project's labels back: ratings per item, votes, and the label an item resolves to."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from labeling.agreement import majority
from pantau.store.tables import LabelAdjudicationRow, LabelItemRow, LabelRow

ADJUDICATED, MAJORITY = "adjudicated", "majority"


@dataclass(frozen=True)
class Resolution:
    """The label an item resolves to (or None, with the reason)."""

    label: str | None
    how: str  # adjudicated | majority | incomplete | no_majority | unlabelled
    share: float


def ratings(s: Session, project_id: int) -> dict[int, dict[int, str]]:
    """ratings[item_id][user_id] = label, for every labelled item of the project."""
    out: dict[int, dict[int, str]] = defaultdict(dict)
    for item_id, user_id, label in s.execute(
        select(LabelRow.item_id, LabelRow.user_id, LabelRow.label).where(LabelRow.project_id == project_id)
    ):
        out[item_id][user_id] = label
    return dict(out)


def adjudications(s: Session, project_id: int) -> dict[int, str]:
    """adjudicated label per item of the project."""
    return dict(
        s.execute(
            select(LabelAdjudicationRow.item_id, LabelAdjudicationRow.label).where(
                LabelAdjudicationRow.project_id == project_id
            )
        ).all()
    )


def gold_answers(s: Session, project_id: int) -> dict[int, str]:
    """gold label per gold item of the project."""
    return {
        item_id: label
        for item_id, label in s.execute(
            select(LabelItemRow.id, LabelItemRow.gold_label).where(
                LabelItemRow.project_id == project_id, LabelItemRow.kind == "gold"
            )
        )
        if label
    }


def resolve(votes: list[str], overlap: int, adjudicated: str | None = None) -> Resolution:
    """An adjudicated label wins; otherwise a strict majority once the item has its ``overlap`` labels."""
    if adjudicated is not None:
        return Resolution(adjudicated, ADJUDICATED, 1.0)
    if not votes:
        return Resolution(None, "unlabelled", 0.0)
    label, share = majority(votes)
    if len(votes) < overlap:
        return Resolution(None, "incomplete", share)
    if label is None or share <= 0.5:
        return Resolution(None, "no_majority", share)
    return Resolution(label, MAJORITY, share)


def vote_string(votes: list[str]) -> str:
    """``hoax:2|not_hoax:1`` (most votes first): the votes without who cast them."""
    return "|".join(f"{label}:{n}" for label, n in Counter(votes).most_common())
