"""Labelling projects: one per task (``hoax`` or ``endorsement``), with guidelines and serving settings.

A project fixes its label set (the task's labels), ``overlap`` (k labellers per item, blind to each
other), the lease a labeller holds on a served item, the share of each queue batch kept as a random
evaluation slice, and how often a gold item is mixed in. Guidelines are the Indonesian Markdown files in
``labeling/guidelines/``; a project records the SHA-256 of the version it started with.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.training.base import TASK_LABELS
from pantau.errors import ConfigError, Conflict, NotFound, PermissionDenied
from pantau.records import utcnow
from pantau.store import Store
from pantau.store.tables import LabelProjectRow, UserRow

GUIDELINES_DIR = Path(__file__).resolve().parent / "guidelines"
_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_\-]{0,63}$")


@dataclass(frozen=True)
class Project:
    """A labelling project as the services use it."""

    id: int
    name: str
    task: str
    labels: tuple[str, ...]
    overlap: int
    lease_seconds: int
    random_fraction: float
    gold_every: int
    batch_size: int
    refresh_every_s: int
    guidelines_sha256: str
    created_at: datetime
    refreshed_at: datetime | None
    archived: bool

    @classmethod
    def from_row(cls, row: LabelProjectRow) -> Project:
        return cls(
            id=row.id,
            name=row.name,
            task=row.task,
            labels=tuple(str(x) for x in row.labels),
            overlap=row.overlap,
            lease_seconds=row.lease_seconds,
            random_fraction=row.random_fraction,
            gold_every=row.gold_every,
            batch_size=row.batch_size,
            refresh_every_s=row.refresh_every_s,
            guidelines_sha256=row.guidelines_sha256,
            created_at=row.created_at,
            refreshed_at=row.refreshed_at,
            archived=row.archived,
        )

    def check_label(self, label: str) -> str:
        """``label`` if it belongs to this project; :class:`ConfigError` naming the choices otherwise."""
        if label not in self.labels:
            raise ConfigError(
                f"project {self.name!r}: unknown label {label!r}; use one of {', '.join(self.labels)}"
            )
        return label


@dataclass(frozen=True)
class Labeller:
    """A user as labelling sees them."""

    id: int
    name: str
    role: str


def guidelines_path(task: str) -> Path:
    """The Markdown guidelines file of ``task``."""
    if task not in TASK_LABELS:
        raise ConfigError(f"unknown task {task!r}; use one of {', '.join(TASK_LABELS)}")
    return GUIDELINES_DIR / f"{task}.md"


def guidelines(task: str) -> str:
    """The Indonesian labelling guidelines of ``task`` (Markdown)."""
    path = guidelines_path(task)
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"guidelines for {task!r} missing at {path} ({exc}) — reinstall pantau") from exc


def create_project(
    store: Store,
    name: str,
    task: str,
    *,
    overlap: int = 3,
    lease_seconds: int = 900,
    random_fraction: float = 0.1,
    gold_every: int = 10,
    batch_size: int = 500,
    refresh_every_s: int = 300,
    created_by: str | None = None,
) -> Project:
    """Create a project for ``task``; :class:`Conflict` when the name is taken."""
    if not _NAME_RE.match(name):
        raise ConfigError(f"project name {name!r}: use 1-64 lowercase letters, digits, '-' or '_'")
    text = guidelines(task)
    checks = (
        ("overlap", overlap, 1 <= overlap <= 20, "between 1 and 20"),
        ("lease_seconds", lease_seconds, 30 <= lease_seconds <= 86_400, "between 30 and 86400"),
        ("random_fraction", random_fraction, 0.0 <= random_fraction <= 1.0, "between 0 and 1"),
        ("gold_every", gold_every, gold_every >= 0, "0 (never) or more"),
        ("batch_size", batch_size, 1 <= batch_size <= 100_000, "between 1 and 100000"),
        ("refresh_every_s", refresh_every_s, refresh_every_s >= 0, "0 or more"),
    )
    for field, value, ok, expected in checks:
        if not ok:
            raise ConfigError(f"project {name!r}: {field}={value!r} must be {expected}")
    with store.session() as s:
        if s.scalars(select(LabelProjectRow).where(LabelProjectRow.name == name)).first() is not None:
            raise Conflict(f"labelling project {name!r} already exists — pick another name")
        row = LabelProjectRow(
            name=name,
            task=task,
            labels=list(TASK_LABELS[task]),
            overlap=overlap,
            lease_seconds=lease_seconds,
            random_fraction=random_fraction,
            gold_every=gold_every,
            batch_size=batch_size,
            refresh_every_s=refresh_every_s,
            guidelines_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
            created_at=utcnow(),
            created_by=created_by,
            archived=False,
        )
        s.add(row)
        s.flush()
        return Project.from_row(row)


def project_row(s: Session, project: str | int) -> LabelProjectRow:
    """The stored row of a project given by name or id; :class:`NotFound` otherwise."""
    if isinstance(project, int):
        row = s.get(LabelProjectRow, project)
    else:
        row = s.scalars(select(LabelProjectRow).where(LabelProjectRow.name == project)).first()
    if row is None:
        raise NotFound(f"labelling project {project!r} does not exist — see `pantau label project list`")
    return row


def get_project(store: Store, project: str | int) -> Project:
    """A project by name or id."""
    with store.session() as s:
        return Project.from_row(project_row(s, project))


def list_projects(store: Store, *, include_archived: bool = False) -> list[Project]:
    """All projects, oldest first."""
    with store.session() as s:
        stmt = select(LabelProjectRow).order_by(LabelProjectRow.id)
        if not include_archived:
            stmt = stmt.where(LabelProjectRow.archived.is_(False))
        return [Project.from_row(r) for r in s.scalars(stmt)]


def archive_project(store: Store, project: str | int) -> Project:
    """Stop serving a project's items (its labels and rounds stay)."""
    with store.session() as s:
        row = project_row(s, project)
        row.archived = True
        return Project.from_row(row)


def labeller(s: Session, user_id: int) -> Labeller:
    """The user ``user_id``; :class:`NotFound` if unknown, :class:`PermissionDenied` if disabled."""
    row = s.get(UserRow, user_id)
    if row is None:
        raise NotFound(f"user {user_id} does not exist")
    if row.disabled:
        raise PermissionDenied(f"user {row.name!r} is disabled")
    return Labeller(row.id, row.name, row.role)
