"""What the admin pages change: source switches, users and keys, model promotion. Users and keys go
through :mod:`api.auth` (the same functions as ``pantau users``); every change is audited."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from api.services import audit
from pantau.errors import NotFound
from pantau.records import utcnow
from pantau.settings import Settings
from pantau.store import Store
from pantau.store.tables import SavedSearchRow, SourceRow, SourceSwitchRow, UserRow, WebhookDeliveryRow


def switch_source(store: Store, source_id: str, enabled: bool, *, actor: str) -> None:
    """Turn a source on or off for crawls of "every enabled source" (overrides sources.yaml)."""
    with store.session() as s:
        source = s.get(SourceRow, source_id)
        if source is None:
            raise NotFound(f"source {source_id!r} is not known yet — it appears after its first crawl")
        row = s.get(SourceSwitchRow, source_id)
        before = source.enabled if row is None else row.enabled
        if row is None:
            row = SourceSwitchRow(source_id=source_id, enabled=enabled, changed_by=actor, changed_at=utcnow())
            s.add(row)
        row.enabled, row.changed_by, row.changed_at = enabled, actor, utcnow()
        source.enabled = enabled
        audit.record(
            s,
            actor=actor,
            action="source.switch",
            object_type="source",
            object_id=source_id,
            details={"enabled": enabled, "before": before},
        )


def switched_off(store: Store) -> set[str]:
    """Source ids an admin switched off (what a crawl of every enabled source should skip)."""
    with store.session() as s:
        return set(s.scalars(select(SourceSwitchRow.source_id).where(SourceSwitchRow.enabled.is_(False))))


@dataclass(frozen=True)
class ModelRow:
    version: str
    task: str
    kind: str
    created_at: str
    promoted: bool
    metrics: dict[str, Any]

    @property
    def macro_f1(self) -> float | None:
        value = (self.metrics.get("heldout") or {}).get("macro_f1")
        return float(value) if isinstance(value, int | float) else None

    @property
    def n(self) -> int | None:
        value = (self.metrics.get("heldout") or {}).get("n")
        return int(value) if isinstance(value, int) else None

    @property
    def per_label(self) -> dict[str, dict[str, Any]]:
        value = (self.metrics.get("heldout") or {}).get("per_label")
        return value if isinstance(value, dict) else {}


def list_models(settings: Settings) -> list[ModelRow]:
    """Saved models, newest first, with their held-out metrics."""
    from models.registry import Registry

    return [
        ModelRow(i.version, i.task, i.kind, i.created_at, i.promoted, i.metrics)
        for i in Registry.from_settings(settings).list()
    ]


def promote(settings: Settings, store: Store, version: str, *, actor: str) -> str:
    """Promote a model version; the next ``pantau process`` re-scores every post with it."""
    from models.registry import Registry

    registry = Registry.from_settings(settings)
    info = registry.find(version)
    before = registry.promoted_version(info.task)
    registry.promote(version)
    with store.session() as s:
        audit.record(
            s,
            actor=actor,
            action="model.promote",
            object_type="model",
            object_id=version,
            details={"task": info.task, "before": before},
        )
    return info.task


def recent_deliveries(store: Store, limit: int = 20) -> list[dict[str, Any]]:
    """The latest webhook deliveries of every saved search (failures are what an admin looks for)."""
    with store.session() as s:
        rows = s.execute(
            select(WebhookDeliveryRow, SavedSearchRow.name, UserRow.name)
            .join(SavedSearchRow, SavedSearchRow.id == WebhookDeliveryRow.saved_search_id)
            .join(UserRow, UserRow.id == SavedSearchRow.user_id)
            .order_by(WebhookDeliveryRow.id.desc())
            .limit(limit)
        ).all()
    return [
        {
            "at": d.at,
            "search": name,
            "owner": owner,
            "status": d.status,
            "posts": d.posts,
            "http_status": d.http_status,
            "error": d.error,
        }
        for d, name, owner in rows
    ]
