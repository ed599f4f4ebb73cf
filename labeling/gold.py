"""Gold items: texts with a known answer, mixed into every labeller's queue to check their quality.

They are seeded from the held-out rows (``split=heldout``) of the project's seed corpus
(``models/data/seed/*.csv``, read only), balanced across labels, and a fact-checker can add more. Gold
items are never exported for training (the seed corpus already holds them, as evaluation rows).
"""

from __future__ import annotations

import csv
import hashlib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from labeling.projects import get_project
from labeling.repository import GOLD
from models.training.data import HELDOUT, seed_paths
from pantau.errors import ConfigError, InvalidRecord
from pantau.records import utcnow
from pantau.store import Store
from pantau.store.tables import LabelItemRow


@dataclass(frozen=True)
class GoldRow:
    ref: str
    text: str
    label: str


@dataclass
class GoldReport:
    added: int
    already: int
    skipped: list[str]


def heldout_rows(paths: list[Path], labels: tuple[str, ...]) -> tuple[list[GoldRow], list[str]]:
    """Held-out rows of seed CSV files with a known label; bad rows are listed, not fatal."""
    rows: list[GoldRow] = []
    skipped: list[str] = []
    for path in paths:
        try:
            with path.open(encoding="utf-8-sig", newline="") as fh:
                for number, row in enumerate(csv.DictReader(fh), start=2):
                    if (row.get("split") or "").strip().lower() != HELDOUT:
                        continue
                    text, label = (row.get("text") or "").strip(), (row.get("label") or "").strip().lower()
                    ref = (row.get("id") or "").strip() or f"{path.name}:{number}"
                    if not text or label not in labels:
                        skipped.append(f"{path.name}:{number}: empty text or unknown label {label!r}")
                        continue
                    rows.append(GoldRow(ref, text, label))
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            raise InvalidRecord(f"seed file {path}: cannot be read as CSV ({exc})") from exc
    return rows, skipped


def balanced(rows: list[GoldRow], limit: int) -> list[GoldRow]:
    """Up to ``limit`` rows taken round-robin over labels (in id order), so rare labels are represented."""
    by_label: dict[str, list[GoldRow]] = defaultdict(list)
    for row in sorted(rows, key=lambda r: r.ref):
        by_label[row.label].append(row)
    out: list[GoldRow] = []
    queues = [by_label[k] for k in sorted(by_label)]
    while len(out) < limit and any(queues):
        for q in queues:
            if q and len(out) < limit:
                out.append(q.pop(0))
    return out


def _priority(ref: str) -> float:
    """A stable pseudo-random serving order for gold items."""
    return int(hashlib.sha256(ref.encode("utf-8")).hexdigest()[:8], 16) / 0xFFFFFFFF


def add_gold(store: Store, project: str | int, rows: list[GoldRow]) -> GoldReport:
    """Add gold items to a project (rows whose ``ref`` is already there are left alone)."""
    proj = get_project(store, project)
    report = GoldReport(0, 0, [])
    now = utcnow()
    with store.session() as s:
        present = set(
            s.scalars(
                select(LabelItemRow.gold_ref).where(
                    LabelItemRow.project_id == proj.id, LabelItemRow.kind == GOLD
                )
            )
        )
        for row in rows:
            if row.label not in proj.labels:
                raise ConfigError(
                    f"gold item {row.ref!r}: label {row.label!r} is not one of {', '.join(proj.labels)}"
                )
            if row.ref in present:
                report.already += 1
                continue
            present.add(row.ref)
            s.add(
                LabelItemRow(
                    project_id=proj.id,
                    post_id=None,
                    kind=GOLD,
                    text=row.text,
                    batch=0,
                    priority=_priority(row.ref),
                    gold_label=row.label,
                    gold_ref=row.ref,
                    open_slots=None,
                    n_labels=0,
                    added_at=now,
                )
            )
            report.added += 1
    return report


def seed_gold(store: Store, project: str | int, *, limit: int = 60) -> GoldReport:
    """Seed a project's gold items from its task's held-out seed rows (balanced, at most ``limit``)."""
    proj = get_project(store, project)
    rows, skipped = heldout_rows(seed_paths(proj.task), proj.labels)
    report = add_gold(store, proj.id, balanced(rows, limit))
    report.skipped = skipped
    return report
