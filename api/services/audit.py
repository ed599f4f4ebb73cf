"""The audit log: every review change and every user or key change is written here, in the same
transaction as the change itself."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pantau.records import utcnow
from pantau.store import Store
from pantau.store.tables import AuditRow


def record(
    session: Session,
    *,
    actor: str | None,
    action: str,
    object_type: str,
    object_id: str,
    details: dict[str, Any] | None = None,
) -> None:
    """Add one audit entry to ``session`` (committed with the change it describes)."""
    session.add(
        AuditRow(
            at=utcnow(),
            actor=actor,
            action=action,
            object_type=object_type,
            object_id=object_id[:64],
            details=details or {},
        )
    )


def entries(
    store: Store,
    *,
    limit: int,
    before_id: int | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
) -> list[AuditRow]:
    """Audit entries, newest first, ``limit`` + 1 of them (the extra one tells whether a page follows)."""
    stmt = select(AuditRow).order_by(AuditRow.id.desc()).limit(limit + 1)
    if before_id is not None:
        stmt = stmt.where(AuditRow.id < before_id)
    if object_type:
        stmt = stmt.where(AuditRow.object_type == object_type)
    if object_id:
        stmt = stmt.where(AuditRow.object_id == object_id)
    with store.session() as s:
        return list(s.scalars(stmt))
