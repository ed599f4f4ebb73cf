"""The :class:`Store`: one object that opens the database and keeps posts, fact-checks and evidence.

Writes are transactional: use ``with store.session() as s:`` to group them; the block commits on
success and rolls back on any error. Helper methods open their own session when none is given.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from pantau.errors import NotFound, StoreError
from pantau.records import (
    AccountKind,
    Author,
    Engagement,
    Evidence,
    FactCheck,
    Post,
    Source,
    as_utc,
    content_hash,
    utcnow,
)
from pantau.settings import Settings
from pantau.store.bulk import post_values, upsert_posts
from pantau.store.checkpoint import Checkpointer, background_checkpoints
from pantau.store.engine import make_engine, migrate
from pantau.store.tables import (
    CrawlRunRow,
    EvidenceRow,
    FactCheckRow,
    PostRow,
    PredictionRow,
    SourceRow,
    SourceSwitchRow,
)


class UpsertResult(StrEnum):
    created = "created"
    updated = "updated"  # engagement or metadata refreshed on a re-crawl
    unchanged = "unchanged"


@dataclass
class Stored:
    id: str
    result: UpsertResult


ENGAGEMENT_FIELDS = ("views", "likes", "shares", "comments")


class Store:
    """The SQL store plus the content-addressed evidence directory."""

    def __init__(self, url: str, evidence_dir: Path, *, auto_migrate: bool = True) -> None:
        self.url = url
        self.evidence_dir = evidence_dir
        self.engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        if auto_migrate:
            migrate(self.engine)

    @classmethod
    def open(cls, settings: Settings) -> Store:
        """Open (and migrate) the store the settings point at."""
        settings.ensure_dirs()
        return cls(settings.db_url, settings.evidence_dir)

    def close(self) -> None:
        self.engine.dispose()

    def bulk_writes(self) -> AbstractContextManager[Checkpointer | None]:
        """For a bulk write (an import, a ``process`` run): WAL checkpoints run in a background thread
        instead of stalling commits (:mod:`pantau.store.checkpoint`)."""
        return background_checkpoints(self.engine)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A transaction: commits when the block ends, rolls back on error."""
        session = self._sessions()
        try:
            yield session
            session.commit()
        except SQLAlchemyError as exc:
            session.rollback()
            raise StoreError(f"database {self.engine.url!r}: write failed ({exc})") from exc
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    # ----------------------------------------------------------------- sources
    def upsert_source(self, source: Source) -> None:
        """Record ``source`` as configured; ``enabled`` is the admin's switch when one is set (an operator
        override of sources.yaml, see :meth:`source_switches`), so status shows what crawls will do."""
        with self.session() as s:
            row = s.get(SourceRow, source.id) or SourceRow(id=source.id)
            switch = s.get(SourceSwitchRow, source.id)
            row.kind = source.kind.value
            row.platform = source.platform
            row.name = source.name
            row.account_kind = source.account_kind.value
            row.enabled = source.enabled if switch is None else switch.enabled
            row.config = source.model_dump(mode="json")
            s.add(row)

    def source_switches(self) -> dict[str, bool]:
        """Source id → on/off as an admin switched it in the web admin (table ``web_source_switches``);
        sources never switched are absent. A switch wins over ``enabled`` in sources.yaml when a crawl
        runs every enabled source."""
        with self.session() as s:
            rows = s.execute(select(SourceSwitchRow.source_id, SourceSwitchRow.enabled))
            return {sid: bool(on) for sid, on in rows}

    def start_crawl_run(self, source_id: str) -> int:
        with self.session() as s:
            run = CrawlRunRow(source_id=source_id, started_at=utcnow(), status="running", stats={})
            s.add(run)
            s.flush()
            return run.id

    def finish_crawl_run(
        self,
        run_id: int,
        *,
        status: str,
        stored: int,
        updated: int,
        dropped: int,
        errors: int,
        stats: dict[str, Any],
        message: str | None = None,
    ) -> None:
        with self.session() as s:
            run = s.get(CrawlRunRow, run_id)
            if run is None:
                raise NotFound(f"crawl run {run_id} does not exist")
            now = utcnow()
            run.finished_at, run.status, run.message = now, status, message
            run.items_stored, run.items_updated, run.items_dropped, run.errors = (
                stored,
                updated,
                dropped,
                errors,
            )
            run.stats = stats
            source = s.get(SourceRow, run.source_id)
            if source is not None:
                source.last_crawl_at, source.last_status, source.last_error = now, status, message

    # ---------------------------------------------------------------- evidence
    def evidence_path(self, sha256: str) -> Path:
        return self.evidence_dir / sha256[:2] / sha256[2:4] / f"{sha256}.gz"

    def put_evidence(
        self,
        body: bytes,
        *,
        url: str,
        status: int,
        fetched_at: datetime,
        crawler_version: str,
        content_type: str | None = None,
        session: Session | None = None,
    ) -> Evidence:
        """Store a raw body compressed under its SHA-256 (idempotent) and record its metadata
        (inside ``session`` when given, so a caller can commit it together with the record)."""
        sha = hashlib.sha256(body).hexdigest()
        path = self.evidence_path(sha)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            # write-then-rename so a crash never leaves a truncated file under the final name
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "wb") as fh:
                fh.write(gzip.compress(body, compresslevel=6))
            os.replace(tmp, path)
        evidence = Evidence(
            sha256=sha,
            url=url,
            status=status,
            fetched_at=fetched_at,
            crawler_version=crawler_version,
            content_type=content_type,
            size=len(body),
        )
        if session is not None:
            if session.get(EvidenceRow, sha) is None:
                session.add(EvidenceRow(**evidence.model_dump()))
            return evidence
        with self.session() as s:
            if s.get(EvidenceRow, sha) is None:
                s.add(EvidenceRow(**evidence.model_dump()))
        return evidence

    def get_evidence(self, sha256: str) -> tuple[Evidence, bytes]:
        """Metadata and raw body of a stored snapshot."""
        with self.session() as s:
            row = s.get(EvidenceRow, sha256)
            if row is None:
                raise NotFound(f"evidence {sha256} does not exist")
            meta = Evidence.model_validate(row, from_attributes=True)
        path = self.evidence_path(sha256)
        try:
            return meta, gzip.decompress(path.read_bytes())
        except OSError as exc:
            raise NotFound(f"evidence {sha256}: file {path} is missing or unreadable ({exc})") from exc

    # ------------------------------------------------------------------- posts
    def find_existing_post(self, s: Session, post: Post) -> PostRow | None:
        """The stored copy of ``post``: same id, platform id, canonical URL, or (for id-less posts)
        same source, author and content hash."""
        row = s.get(PostRow, post.id)
        if row is not None:
            return row
        conds = []
        if post.platform_post_id:
            conds.append(
                (PostRow.platform == post.platform) & (PostRow.platform_post_id == post.platform_post_id)
            )
        if post.url:
            conds.append((PostRow.url == post.url) & (PostRow.platform == post.platform))
        if not post.platform_post_id and post.content_hash:
            conds.append(
                (PostRow.source_id == post.source_id)
                & (PostRow.author_handle == post.author.handle)
                & (PostRow.content_hash == post.content_hash)
            )
        if not conds:
            return None
        return s.scalars(select(PostRow).where(or_(*conds)).limit(1)).first()

    def upsert_post(self, post: Post, session: Session | None = None) -> Stored:
        """Insert a new post, or refresh engagement/metadata of the stored copy (never a second row)."""
        if session is None:
            with self.session() as s:
                return self.upsert_post(post, s)
        s = session
        if not post.content_hash:
            post = post.model_copy(update={"content_hash": content_hash(post.text)})
        row = self.find_existing_post(s, post)
        now = utcnow()
        if row is None:
            s.add(_post_row(post, now))
            s.flush()
            return Stored(post.id, UpsertResult.created)
        changed = False
        for field in ENGAGEMENT_FIELDS:
            value = getattr(post.engagement, field)
            if value is not None and value != getattr(row, field):
                setattr(row, field, value)
                changed = True
        if post.content_hash != row.content_hash:
            # edited post: keep the newest text, the old version stays in its evidence snapshot
            row.text, row.title, row.content_hash = post.text, post.title, post.content_hash
            row.evidence_sha256 = post.evidence_sha256 or row.evidence_sha256
            row.indexed_at = None
            changed = True
        if changed:
            row.updated_at = now
            row.fetched_at = post.fetched_at
            return Stored(row.id, UpsertResult.updated)
        return Stored(row.id, UpsertResult.unchanged)

    def upsert_posts(self, posts: Sequence[Post]) -> list[Stored]:
        """:meth:`upsert_post` for a chunk of posts in one transaction, with the new ones inserted by one
        statement (:func:`pantau.store.bulk.upsert_posts`): the fast path for imports."""
        return upsert_posts(self, posts)

    def get_post(self, post_id: str) -> Post:
        with self.session() as s:
            row = s.get(PostRow, post_id)
            if row is None:
                raise NotFound(f"post {post_id} does not exist")
            return row_to_post(row)

    def known_platform_ids(self, platform: str, ids: list[str]) -> set[str]:
        """Which of ``ids`` are already stored (spiders use this to skip what they have)."""
        if not ids:
            return set()
        with self.session() as s:
            stmt = select(PostRow.platform_post_id).where(
                PostRow.platform == platform, PostRow.platform_post_id.in_(ids)
            )
            return {v for v in s.scalars(stmt) if v}

    def known_urls(self, urls: list[str]) -> set[str]:
        if not urls:
            return set()
        with self.session() as s:
            found = set(s.scalars(select(PostRow.url).where(PostRow.url.in_(urls))))
            found |= set(s.scalars(select(FactCheckRow.url).where(FactCheckRow.url.in_(urls))))
            return {u for u in found if u}

    # -------------------------------------------------------------- fact-checks
    def upsert_factcheck(self, fc: FactCheck, session: Session | None = None) -> Stored:
        """Insert or refresh a fact-check (matched by id, then URL, then GFD-ID)."""
        if session is None:
            with self.session() as s:
                return self.upsert_factcheck(fc, s)
        s = session
        row = s.get(FactCheckRow, fc.id)
        if row is None and fc.url:
            row = s.scalars(select(FactCheckRow).where(FactCheckRow.url == fc.url).limit(1)).first()
        if row is None and fc.gfd_id:
            row = s.scalars(select(FactCheckRow).where(FactCheckRow.gfd_id == fc.gfd_id).limit(1)).first()
        now = utcnow()
        data = fc.model_dump()
        if row is None:
            s.add(FactCheckRow(**data, fetched_at=now, updated_at=now))
            s.flush()
            return Stored(fc.id, UpsertResult.created)
        changed = False
        for key, value in data.items():
            if key == "id" or value in (None, [], ""):
                continue
            if getattr(row, key) != value:
                setattr(row, key, value)
                changed = True
        if changed:
            row.updated_at = now
            return Stored(row.id, UpsertResult.updated)
        return Stored(row.id, UpsertResult.unchanged)

    def list_factchecks(self) -> list[FactCheck]:
        with self.session() as s:
            rows = s.scalars(select(FactCheckRow).order_by(FactCheckRow.id))
            return [FactCheck.model_validate(r, from_attributes=True) for r in rows]

    # ------------------------------------------------------------------ status
    def status(self) -> dict[str, Any]:
        """Counts of what is stored (the store part of ``pantau status``)."""
        with self.session() as s:
            total = s.scalar(select(func.count()).select_from(PostRow)) or 0
            by_platform = dict(
                s.execute(select(PostRow.platform, func.count()).group_by(PostRow.platform)).all()
            )
            by_source = dict(
                s.execute(select(PostRow.source_id, func.count()).group_by(PostRow.source_id)).all()
            )
            fc_total = s.scalar(select(func.count()).select_from(FactCheckRow)) or 0
            ev_total, ev_bytes, ev_oldest = s.execute(
                select(func.count(), func.sum(EvidenceRow.size), func.min(EvidenceRow.fetched_at))
            ).one()
            fc_by_source = dict(
                s.execute(select(FactCheckRow.source_id, func.count()).group_by(FactCheckRow.source_id)).all()
            )
            preds: dict[str, dict[str, int]] = {}
            for task, label, n in s.execute(
                select(PredictionRow.task, PredictionRow.label, func.count()).group_by(
                    PredictionRow.task, PredictionRow.label
                )
            ):
                preds.setdefault(task, {})[label] = n
            versions: dict[str, dict[str, int]] = {}
            for task, version, n in s.execute(
                select(PredictionRow.task, PredictionRow.model_version, func.count()).group_by(
                    PredictionRow.task, PredictionRow.model_version
                )
            ):
                versions.setdefault(task, {})[version] = n
            sources = []
            for src in s.scalars(select(SourceRow).order_by(SourceRow.id)):
                last = s.scalars(
                    select(CrawlRunRow)
                    .where(CrawlRunRow.source_id == src.id)
                    .order_by(CrawlRunRow.id.desc())
                    .limit(1)
                ).first()
                sources.append(
                    {
                        "id": src.id,
                        "kind": src.kind,
                        "platform": src.platform,
                        "enabled": src.enabled,
                        "last_crawl_at": src.last_crawl_at.isoformat() if src.last_crawl_at else None,
                        "last_status": src.last_status,
                        "last_error": src.last_error,
                        "last_run": None
                        if last is None
                        else {
                            "stored": last.items_stored,
                            "updated": last.items_updated,
                            "dropped": last.items_dropped,
                            "errors": last.errors,
                        },
                    }
                )
        return {
            "posts": {"total": total, "by_platform": by_platform, "by_source": by_source},
            "factchecks": {"total": fc_total, "by_source": {k or "": v for k, v in fc_by_source.items()}},
            "evidence": _evidence_status(ev_total or 0, ev_bytes or 0, ev_oldest),
            "predictions": preds,
            "prediction_versions": versions,
            "sources": sources,
        }


def _evidence_status(total: int, size: int, oldest: datetime | str | None) -> dict[str, Any]:
    """Raw snapshots kept and the age of the oldest (what ``pantau retention`` would delete first)."""
    if isinstance(oldest, str):  # func.min() bypasses the column type on SQLite
        oldest = datetime.fromisoformat(oldest)
    oldest = as_utc(oldest) if oldest is not None else None
    age = (utcnow() - oldest).total_seconds() / 86400 if oldest is not None else None
    return {
        "total": total,
        "raw_bytes": int(size),
        "oldest_fetched_at": oldest.isoformat() if oldest else None,
        "oldest_age_days": round(age, 1) if age is not None else None,
    }


def _post_row(post: Post, now: datetime) -> PostRow:
    return PostRow(**post_values(post, now))


def row_to_post(row: PostRow) -> Post:
    """The record type of a stored post."""
    return Post(
        id=row.id,
        platform=row.platform,
        source_id=row.source_id,
        url=row.url,
        platform_post_id=row.platform_post_id,
        author=Author(
            handle=row.author_handle, display_name=row.author_name, kind=AccountKind(row.author_kind)
        ),
        published_at=row.published_at,
        fetched_at=row.fetched_at,
        title=row.title,
        text=row.text,
        language=row.language,
        hashtags=list(row.hashtags or []),
        mentions=list(row.mentions or []),
        links=list(row.links or []),
        media_urls=list(row.media_urls or []),
        forwarded_from=row.forwarded_from,
        engagement=Engagement(views=row.views, likes=row.likes, shares=row.shares, comments=row.comments),
        tags=list(row.tags or []),
        content_hash=row.content_hash,
        evidence_sha256=row.evidence_sha256,
    )
