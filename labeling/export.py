"""Export: labels → a training file (``text,label`` plus provenance), recorded as a label round.

Each non-gold item resolves to one label (:func:`labeling.ratings.resolve`): a fact-checker's
adjudication, else a strict majority of its ``overlap`` labels; other items are counted as skipped.
Random-evaluation items get ``split=heldout`` so ``pantau models train`` evaluates on them and never
trains on them (``models.training.data`` honours the column). Gold items are never exported: they are
the seed corpus's held-out rows already.

Every written file is a *label round* (``label_rounds``): its number, row and label counts, file hash,
agreement at the time, and — once trained — the model version and its metrics, so the project page can
show model quality over rounds. Author handles appear only for monitored accounts.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update

from labeling.agreement import krippendorff_alpha
from labeling.projects import Project, get_project, project_row
from labeling.queue import RANDOM_EVAL
from labeling.ratings import adjudications, ratings, resolve, vote_string
from labeling.repository import GOLD
from pantau.errors import ConfigError, InvalidRecord, NotFound
from pantau.records import AccountKind, utcnow
from pantau.settings import Settings
from pantau.store import Store
from pantau.store.tables import LabelItemRow, LabelProjectRow, LabelRoundRow, PostRow

COLUMNS: tuple[str, ...] = (
    "text",
    "label",
    "split",
    "project",
    "task",
    "item_id",
    "post_id",
    "item_kind",
    "resolution",
    "agreement",
    "n_labels",
    "votes",
    "queue_model_version",
    "account_kind",
    "author",
)


@dataclass
class ExportResult:
    """What :func:`write_training_file` wrote."""

    project: str
    task: str
    path: Path
    round: int
    rows: int
    label_counts: dict[str, int]
    skipped: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "project": self.project,
            "task": self.task,
            "path": str(self.path),
            "round": self.round,
            "rows": self.rows,
            "label_counts": self.label_counts,
            "skipped": self.skipped,
        }


def _rows_and_skips(store: Store, proj: Project) -> tuple[list[dict[str, Any]], dict[str, int]]:
    skipped: Counter[str] = Counter()
    out: list[dict[str, Any]] = []
    with store.session() as s:
        votes = ratings(s, proj.id)
        decided = adjudications(s, proj.id)
        items = s.scalars(
            select(LabelItemRow)
            .where(LabelItemRow.project_id == proj.id, LabelItemRow.kind != GOLD)
            .order_by(LabelItemRow.id)
        ).all()
        post_ids = [i.post_id for i in items if i.post_id]
        authors = {
            pid: (kind, handle)
            for pid, kind, handle in s.execute(
                select(PostRow.id, PostRow.author_kind, PostRow.author_handle).where(PostRow.id.in_(post_ids))
            )
        }
    for item in items:
        given = list(votes.get(item.id, {}).values())
        res = resolve(given, proj.overlap, decided.get(item.id))
        if res.label is None:
            skipped[res.how] += 1
            continue
        kind, handle = authors.get(item.post_id or "", ("unknown", None))
        monitored = kind in AccountKind.__members__ and AccountKind(kind).monitored
        out.append(
            {
                "text": item.text,
                "label": res.label,
                "split": "heldout" if item.kind == RANDOM_EVAL else "train",
                "project": proj.name,
                "task": proj.task,
                "item_id": item.id,
                "post_id": item.post_id or "",
                "item_kind": item.kind,
                "resolution": res.how,
                "agreement": round(res.share, 4),
                "n_labels": len(given),
                "votes": vote_string(given),
                "queue_model_version": item.model_version or "",
                "account_kind": kind,
                "author": (handle or "") if monitored else "",
            }
        )
    return out, dict(skipped)


def training_rows(store: Store, project: str | int) -> list[dict[str, Any]]:
    """One dict per exportable item, in item order, with the keys of :data:`COLUMNS`."""
    rows, _ = _rows_and_skips(store, get_project(store, project))
    return rows


def _write(path: Path, rows: list[dict[str, Any]], round_no: int) -> None:
    """Write CSV or JSONL (by suffix) to a temporary file, then rename it into place."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".jsonl"):
        raise ConfigError(f"export file {path}: use a .csv or .jsonl name")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            if suffix == ".csv":
                writer = csv.DictWriter(fh, fieldnames=[*COLUMNS, "round"])
                writer.writeheader()
                for row in rows:
                    writer.writerow({**row, "round": round_no})
            else:
                for row in rows:
                    fh.write(json.dumps({**row, "round": round_no}, ensure_ascii=False) + "\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_training_file(
    store: Store, project: str | int, out: Path, *, actor: str | None = None
) -> ExportResult:
    """Write ``project``'s resolved labels to ``out`` (.csv or .jsonl) and record a new label round.

    :class:`InvalidRecord` when no item is ready yet (the message gives the skip reasons).
    """
    proj = get_project(store, project)
    rows, skipped = _rows_and_skips(store, proj)
    if not rows:
        raise InvalidRecord(
            f"labelling project {proj.name!r} has no resolved labels to export yet "
            f"(skipped: {skipped or 'none'})"
        )
    data_hash = hashlib.sha256(
        "\n".join(sorted(f"{r['label']}\t{r['split']}\t{r['text']}" for r in rows)).encode("utf-8")
    ).hexdigest()
    alpha = krippendorff_alpha([_expand(r["votes"]) for r in rows if r["votes"]])
    with store.session() as s:
        s.execute(  # the write first: it holds SQLite's lock while the round number is taken
            update(LabelProjectRow)
            .where(LabelProjectRow.id == proj.id)
            .values(archived=LabelProjectRow.archived),
            execution_options={"synchronize_session": False},
        )
        number = (
            int(
                s.scalar(select(func.max(LabelRoundRow.number)).where(LabelRoundRow.project_id == proj.id))
                or 0
            )
            + 1
        )
        _write(out, rows, number)
        counts = dict(sorted(Counter(r["label"] for r in rows).items()))
        s.add(
            LabelRoundRow(
                project_id=proj.id,
                number=number,
                created_at=utcnow(),
                created_by=actor,
                n_rows=len(rows),
                label_counts=counts,
                skipped=skipped,
                file=str(out),
                file_sha256=_sha256(out),
                data_sha256=data_hash,
                agreement={"alpha_exported": alpha},
                metrics={},
            )
        )
    return ExportResult(proj.name, proj.task, out, number, len(rows), counts, skipped)


def _expand(votes: str) -> list[str]:
    """``hoax:2|not_hoax:1`` → ``['hoax', 'hoax', 'not_hoax']``."""
    out: list[str] = []
    for part in votes.split("|"):
        label, _, n = part.rpartition(":")
        out.extend([label] * int(n))
    return out


def default_path(settings: Settings, project: str, round_no: int) -> Path:
    """Where a round's file goes when no ``--out`` is given: ``DATA_DIR/labels/<project>/round-NNN.csv``."""
    return settings.data_dir / "labels" / project / f"round-{round_no:03d}.csv"


def export_for_training(
    store: Store, settings: Settings, project: str | int, *, actor: str | None = None
) -> ExportResult:
    """Write the next round's file under the data directory (what ``--from-labels`` uses)."""
    proj = get_project(store, project)
    with store.session() as s:
        last = (
            s.scalar(select(func.max(LabelRoundRow.number)).where(LabelRoundRow.project_id == proj.id)) or 0
        )
    return write_training_file(store, proj.id, default_path(settings, proj.name, int(last) + 1), actor=actor)


def record_model(
    store: Store, project: str | int, round_no: int, model_version: str, metrics: dict[str, Any]
) -> None:
    """Attach the model trained from round ``round_no`` and its metrics (shown over rounds)."""
    with store.session() as s:
        proj = project_row(s, project)
        row = s.scalars(
            select(LabelRoundRow).where(LabelRoundRow.project_id == proj.id, LabelRoundRow.number == round_no)
        ).first()
        if row is None:
            raise NotFound(f"labelling project {proj.name!r} has no round {round_no}")
        row.model_version, row.metrics = model_version, json.loads(json.dumps(metrics, default=str))


def rounds(store: Store, project: str | int) -> list[dict[str, Any]]:
    """Every label round of a project, oldest first, with its model's macro-F1 when one was trained."""
    with store.session() as s:
        proj = project_row(s, project)
        rows = s.scalars(
            select(LabelRoundRow).where(LabelRoundRow.project_id == proj.id).order_by(LabelRoundRow.number)
        ).all()
        return [
            {
                "round": r.number,
                "created_at": r.created_at.isoformat(),
                "rows": r.n_rows,
                "label_counts": dict(r.label_counts),
                "skipped": dict(r.skipped),
                "file": r.file,
                "file_sha256": r.file_sha256,
                "agreement": dict(r.agreement),
                "model_version": r.model_version,
                "macro_f1": {
                    name: m.get("macro_f1") for name, m in (r.metrics or {}).items() if isinstance(m, dict)
                },
            }
            for r in rows
        ]
