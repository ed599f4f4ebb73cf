"""``pantau retention``: delete old raw data (Indonesia's PDP Law 27/2022, and disk space).

Three phases, each in chunks of ``chunk_size`` rows, each chunk one transaction:

1. **posts** (only with ``posts=True``): posts fetched and published before the cutoff are deleted with
   their predictions, claim matches, narrative memberships and inbox alerts, and their search-index
   documents (through the ``search_index`` service). Kept: posts a human relied on (a review, or any
   audit-log entry about the post such as an evidence-package export), posts of monitored accounts
   (campaigns, influencers, media, public figures: the public record) and posts in a labelling project.
   The index documents go first, then the rows: a run interrupted in between leaves rows that are no
   longer searchable, and the next run deletes them.
2. **evidence**: raw fetched pages (the gzip files under the evidence directory and their ``evidence``
   rows) fetched before the cutoff. A snapshot is content-addressed, so several posts and fact-checks may
   share one: it goes only when none of them is a post a human relied on (``kept_reviewed``) and none was
   fetched after the cutoff (``kept_recent``). Its references (``posts.evidence_sha256``,
   ``factchecks.evidence_sha256``) are cleared in the same transaction that deletes its row; the files are
   removed after that transaction commits. A missing file is counted (``missing_files``), never fatal.
3. **orphans**: evidence files older than the cutoff (by modification time) that have no ``evidence``
   row — what a run interrupted between a commit and its file removals leaves, or a crawl that crashed
   between writing a file and committing its row.

Every phase is idempotent: a second run with the same cutoff deletes nothing. ``dry_run=True`` computes
the same report without changing anything.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from pantau import plugins
from pantau.errors import ConfigError
from pantau.records import MONITORED_KINDS, utcnow
from pantau.settings import Settings
from pantau.store import Store
from pantau.store.tables import (
    AuditRow,
    ClaimMatchRow,
    CoordClusterRow,
    EvidenceRow,
    FactCheckRow,
    InboxRow,
    LabelItemRow,
    NarrativePostRow,
    PostRow,
    PredictionRow,
    ReviewRow,
)

_DAYS = re.compile(r"^\s*(\d{1,6})\s*d?\s*$", re.IGNORECASE)
_SHA = re.compile(r"^[0-9a-f]{64}$")
MONITORED = sorted(k.value for k in MONITORED_KINDS)


def parse_days(value: str | int | None, default: int) -> int:
    """Days of ``--older-than``: ``180``, ``180d`` or None for ``default``; :class:`ConfigError` naming
    the value otherwise."""
    if value is None:
        days = default
    elif isinstance(value, int):
        days = value
    else:
        match = _DAYS.match(value)
        if match is None:
            raise ConfigError(f"--older-than {value!r} is not a number of days — write it like 180 or 180d")
        days = int(match.group(1))
    if days < 1:
        raise ConfigError(f"--older-than {value!r} must be at least 1 day, got {days}")
    return days


@dataclass
class EvidenceCounts:
    files: int = 0
    bytes: int = 0
    raw_bytes: int = 0
    rows: int = 0
    missing_files: int = 0
    post_refs_cleared: int = 0
    factcheck_refs_cleared: int = 0
    kept_reviewed: int = 0
    kept_recent: int = 0


@dataclass
class PostCounts:
    rows: int = 0
    kept_reviewed: int = 0
    kept_monitored: int = 0
    kept_labelled: int = 0
    predictions: int = 0
    claim_matches: int = 0
    narrative_links: int = 0
    inbox_alerts: int = 0
    index_documents: int = 0
    cluster_samples_cleared: int = 0


@dataclass
class OrphanCounts:
    files: int = 0
    bytes: int = 0


@dataclass
class RetentionRun:
    """What one run did (or, with ``dry_run``, would do)."""

    cutoff: datetime
    older_than_days: int
    dry_run: bool
    evidence: EvidenceCounts = field(default_factory=EvidenceCounts)
    posts: PostCounts | None = None
    orphans: OrphanCounts = field(default_factory=OrphanCounts)
    chunks: int = 0
    errors: list[str] = field(default_factory=list)
    #: dry run only: posts the posts phase would delete (their evidence references do not count)
    would_delete_posts: set[str] = field(default_factory=set)

    def as_dict(self) -> dict[str, Any]:
        """The JSON report: totals first (files, bytes, rows, kept_reviewed), then each phase."""
        posts = self.posts
        return {
            "dry_run": self.dry_run,
            "older_than_days": self.older_than_days,
            "cutoff": self.cutoff.isoformat(),
            "files": self.evidence.files + self.orphans.files,
            "bytes": self.evidence.bytes + self.orphans.bytes,
            "rows": self.evidence.rows + (posts.rows if posts else 0),
            "kept_reviewed": self.evidence.kept_reviewed + (posts.kept_reviewed if posts else 0),
            "evidence": asdict(self.evidence),
            "posts": asdict(posts) if posts else None,
            "orphans": asdict(self.orphans),
            "chunks": self.chunks,
            "errors": self.errors[:100],
        }


ChunkHook = Callable[[str, RetentionRun], None]


def relied_on(s: Session, post_ids: Sequence[str]) -> set[str]:
    """The posts among ``post_ids`` a human relied on: reviewed, or named in the audit log (reviews,
    deleted reviews, evidence-package exports)."""
    if not post_ids:
        return set()
    ids = list(post_ids)
    found = set(s.scalars(select(ReviewRow.post_id).where(ReviewRow.post_id.in_(ids))))
    found |= set(
        s.scalars(
            select(AuditRow.object_id).where(AuditRow.object_type == "post", AuditRow.object_id.in_(ids))
        )
    )
    return found


def run_retention(
    settings: Settings,
    store: Store,
    *,
    older_than_days: int,
    dry_run: bool = False,
    posts: bool = False,
    chunk_size: int = 500,
    now: datetime | None = None,
    after_commit: ChunkHook | None = None,
) -> RetentionRun:
    """Delete raw data older than ``older_than_days`` (see the module docstring). ``after_commit`` is
    called with the phase name after each chunk's transaction commits, before that chunk's files are
    removed (a progress hook)."""
    if older_than_days < 1:
        raise ConfigError(f"older_than_days must be at least 1, got {older_than_days}")
    if chunk_size < 1:
        raise ConfigError(f"chunk size must be at least 1, got {chunk_size}")
    cutoff = (now or utcnow()) - timedelta(days=older_than_days)
    run = RetentionRun(cutoff=cutoff, older_than_days=older_than_days, dry_run=dry_run)
    if posts:
        run.posts = PostCounts()
        _delete_posts(settings, store, run, chunk_size, after_commit)
    _delete_evidence(store, run, chunk_size, after_commit)
    _sweep_orphans(store, run, chunk_size)
    return run


# ---------------------------------------------------------------------------------------------- posts
def _delete_posts(
    settings: Settings, store: Store, run: RetentionRun, chunk_size: int, hook: ChunkHook | None
) -> None:
    assert run.posts is not None
    counts, cutoff = run.posts, run.cutoff
    index = None if run.dry_run else plugins.service("search_index")(settings)
    last = ""
    try:
        while True:
            with store.session() as s:
                rows = s.execute(
                    select(PostRow.id, PostRow.author_kind, PostRow.indexed_at)
                    .where(
                        PostRow.id > last,
                        PostRow.fetched_at < cutoff,
                        or_(PostRow.published_at.is_(None), PostRow.published_at < cutoff),
                    )
                    .order_by(PostRow.id)
                    .limit(chunk_size)
                ).all()
                if not rows:
                    return
                last = rows[-1][0]
                ids = [r[0] for r in rows]
                reviewed = relied_on(s, ids)
                labelled = set(s.scalars(select(LabelItemRow.post_id).where(LabelItemRow.post_id.in_(ids))))
                doomed: list[str] = []
                indexed = 0
                for pid, kind, indexed_at in rows:
                    if pid in reviewed:
                        counts.kept_reviewed += 1
                    elif kind in MONITORED:
                        counts.kept_monitored += 1
                    elif pid in labelled:
                        counts.kept_labelled += 1
                    else:
                        doomed.append(pid)
                        indexed += indexed_at is not None
                if not doomed:
                    continue
                if index is not None:
                    index.delete(doomed)  # first: an interruption leaves rows the next run deletes
                counts.index_documents += indexed
                _delete_post_rows(s, doomed, counts, run.dry_run)
                run.chunks += 1
                if run.dry_run:
                    run.would_delete_posts.update(doomed)
            if hook is not None:
                hook("posts", run)
    finally:
        if index is not None:
            index.close()


def _count(s: Session, column: Any, ids: list[str]) -> int:
    return int(s.scalar(select(func.count()).where(column.in_(ids))) or 0)


def _delete_post_rows(s: Session, ids: list[str], counts: PostCounts, dry_run: bool) -> None:
    """Children explicitly (counted, and independent of the database's foreign-key cascades), then the
    posts; a cluster whose sample post goes loses its sample text (it is the post's text)."""
    children = (
        (PredictionRow.post_id, "predictions"),
        (ClaimMatchRow.post_id, "claim_matches"),
        (NarrativePostRow.post_id, "narrative_links"),
        (InboxRow.post_id, "inbox_alerts"),
    )
    for column, name in children:
        n = _count(s, column, ids)
        setattr(counts, name, getattr(counts, name) + n)
        if n and not dry_run:
            s.execute(delete(column.class_).where(column.in_(ids)))
    samples = _count(s, CoordClusterRow.sample_post_id, ids)
    counts.cluster_samples_cleared += samples
    counts.rows += len(ids)
    if dry_run:
        return
    if samples:
        s.execute(
            update(CoordClusterRow)
            .where(CoordClusterRow.sample_post_id.in_(ids))
            .values(sample_post_id=None, sample_text=None)
        )
    s.execute(delete(PostRow).where(PostRow.id.in_(ids)))


# ------------------------------------------------------------------------------------------- evidence
def _delete_evidence(store: Store, run: RetentionRun, chunk_size: int, hook: ChunkHook | None) -> None:
    counts, cutoff = run.evidence, run.cutoff
    last = ""
    while True:
        doomed: list[tuple[str, int]] = []
        with store.session() as s:
            cands = s.execute(
                select(EvidenceRow.sha256, EvidenceRow.size)
                .where(EvidenceRow.sha256 > last, EvidenceRow.fetched_at < cutoff)
                .order_by(EvidenceRow.sha256)
                .limit(chunk_size)
            ).all()
            if not cands:
                return
            last = cands[-1][0]
            shas = [c[0] for c in cands]
            post_refs = s.execute(
                select(PostRow.evidence_sha256, PostRow.id, PostRow.fetched_at).where(
                    PostRow.evidence_sha256.in_(shas)
                )
            ).all()
            if run.would_delete_posts:
                post_refs = [r for r in post_refs if r[1] not in run.would_delete_posts]
            fc_refs = s.execute(
                select(FactCheckRow.evidence_sha256, FactCheckRow.fetched_at).where(
                    FactCheckRow.evidence_sha256.in_(shas)
                )
            ).all()
            reviewed = relied_on(s, sorted({r[1] for r in post_refs}))
            kept_reviewed = {sha for sha, pid, _ in post_refs if pid in reviewed}
            recent = {sha for sha, _, fetched in post_refs if fetched >= cutoff}
            recent |= {sha for sha, fetched in fc_refs if fetched >= cutoff}
            for sha, size in cands:
                if sha in kept_reviewed:
                    counts.kept_reviewed += 1
                elif sha in recent:
                    counts.kept_recent += 1
                else:
                    doomed.append((sha, size))
            if not doomed:
                continue
            gone = [sha for sha, _ in doomed]
            gone_set = set(gone)
            counts.post_refs_cleared += sum(1 for sha, _, _ in post_refs if sha in gone_set)
            counts.factcheck_refs_cleared += sum(1 for sha, _ in fc_refs if sha in gone_set)
            counts.rows += len(gone)
            counts.raw_bytes += sum(size for _, size in doomed)
            if not run.dry_run:
                s.execute(
                    update(PostRow).where(PostRow.evidence_sha256.in_(gone)).values(evidence_sha256=None)
                )
                s.execute(
                    update(FactCheckRow)
                    .where(FactCheckRow.evidence_sha256.in_(gone))
                    .values(evidence_sha256=None)
                )
                s.execute(delete(EvidenceRow).where(EvidenceRow.sha256.in_(gone)))
            run.chunks += 1
        if hook is not None:
            hook("evidence", run)
        for sha, _ in doomed:
            _remove(store.evidence_path(sha), run, counts, missing_ok=False)


def _remove(
    path: Path, run: RetentionRun, counts: EvidenceCounts | OrphanCounts, *, missing_ok: bool
) -> None:
    """Delete one file (or, in a dry run, measure it); a missing or undeletable file is counted and
    skipped."""
    try:
        size = path.stat().st_size
        if not run.dry_run:
            path.unlink()
    except FileNotFoundError:
        if not missing_ok and isinstance(counts, EvidenceCounts):
            counts.missing_files += 1
        return
    except OSError as exc:
        run.errors.append(f"{path}: {exc.strerror or exc}")
        return
    counts.files += 1
    counts.bytes += size  # empty fan-out directories stay: harmless, and removing them doubled the time


# -------------------------------------------------------------------------------------------- orphans
def _old_files(root: Path, cutoff: datetime) -> list[tuple[str, Path]]:
    """``(sha256 or "", path)`` of evidence files (and leftover temporary files, sha "") modified before
    ``cutoff``."""
    limit = cutoff.timestamp()
    found: list[tuple[str, Path]] = []
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            path = Path(dirpath) / name
            stem = name[:-3] if name.endswith(".gz") else None
            if (stem is None or not _SHA.match(stem)) and not name.endswith(".tmp"):
                continue
            try:
                if path.stat().st_mtime >= limit:
                    continue
            except OSError:
                continue
            found.append((stem or "", path))
    return found


def _sweep_orphans(store: Store, run: RetentionRun, chunk_size: int) -> None:
    if not store.evidence_dir.is_dir():
        return
    files = _old_files(store.evidence_dir, run.cutoff)
    for i in range(0, len(files), chunk_size):
        batch = files[i : i + chunk_size]
        shas = [sha for sha, _ in batch if sha]
        with store.session() as s:
            known = set(s.scalars(select(EvidenceRow.sha256).where(EvidenceRow.sha256.in_(shas))))
        for sha, path in batch:
            if sha not in known:
                _remove(path, run, run.orphans, missing_ok=True)
