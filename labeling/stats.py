"""The numbers of the stats page: progress, agreement per project / label / labeller, gold, rounds.

Per-labeller numbers (agreement with the others and gold accuracy) are shown to admins only
(:mod:`labeling.policy`, action ``view_labeller_stats``); other roles get the project-level numbers.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import func, select

from labeling.agreement import project_agreement
from labeling.export import rounds
from labeling.policy import can, require
from labeling.projects import get_project
from labeling.ratings import adjudications, gold_answers, ratings, resolve
from pantau.store import Store
from pantau.store.tables import LabelAssignmentRow, LabelItemRow, UserRow


def project_stats(store: Store, project: str | int, *, role: str = "admin") -> dict[str, Any]:
    """Everything the stats page shows for ``project``, filtered for ``role``."""
    require(role, "view_project_stats", "viewer")
    proj = get_project(store, project)
    with store.session() as s:
        votes = ratings(s, proj.id)
        gold = gold_answers(s, proj.id)
        decided = adjudications(s, proj.id)
        items = Counter(
            dict(
                s.execute(
                    select(LabelItemRow.kind, func.count())
                    .where(LabelItemRow.project_id == proj.id)
                    .group_by(LabelItemRow.kind)
                ).all()
            )
        )
        complete = s.scalar(
            select(func.count()).where(
                LabelItemRow.project_id == proj.id,
                LabelItemRow.kind != "gold",
                LabelItemRow.n_labels >= proj.overlap,
            )
        )
        states = dict(
            s.execute(
                select(LabelAssignmentRow.state, func.count())
                .where(LabelAssignmentRow.project_id == proj.id)
                .group_by(LabelAssignmentRow.state)
            ).all()
        )
        names = dict(s.execute(select(UserRow.id, UserRow.name)).all())
        overlap = proj.overlap
    agreement = project_agreement(votes, proj.labels, gold)
    resolutions = Counter(
        resolve(list(by_user.values()), overlap, decided.get(item)).how
        for item, by_user in votes.items()
        if item not in gold
    )
    data: dict[str, Any] = {
        "project": proj.name,
        "task": proj.task,
        "overlap": overlap,
        "items": {
            "total": sum(items.values()),
            **{k: int(v) for k, v in items.items()},
            "complete": int(complete or 0),
        },
        "assignments": {k: int(v) for k, v in states.items()},
        "resolutions": dict(resolutions),
        "adjudicated": len(decided),
        "agreement": agreement,
        "rounds": rounds(store, proj.id),
    }
    per_labeller = agreement.pop("per_labeller")
    per_gold = agreement.pop("gold")
    if can(role, "view_labeller_stats"):
        data["labellers"] = {
            names.get(int(uid), uid): {**per_labeller.get(uid, {"labels": 0}), "gold": per_gold.get(uid)}
            for uid in sorted(set(per_labeller) | set(per_gold), key=int)
        }
        data["gold"] = {
            "items": len(gold),
            "accuracy_mean": _mean([g["accuracy"] for g in per_gold.values()]),
        }
    else:
        data["gold"] = {"items": len(gold)}
    return data


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None
