"""``pantau process``: score pending posts with the promoted models and index them.

A post is *pending* when, for any task of the promoted models (``scorer.versions``), it has no
prediction from the current model version, or when it is not in the search index yet (``indexed_at``
null). A pending post whose predictions are current but older than its last edit is re-scored too.

Each batch goes through three steps, each safe to interrupt:

1. score the posts that need it (language, hoax, endorsement, claim matching — one ``scorer.score``);
2. in ONE transaction, replace the batch's predictions and claim matches: every row of those posts for
   the scored tasks is deleted and the new ones inserted, so the store holds exactly one row per
   (post, task) — the current model version's — with its reasons. A model without a row of its own
   (``language``, ``claims``) gets one written here: label = language code / ``matched`` or ``none``;
3. upsert the batch into the search index (idempotent), then set ``indexed_at`` in a second
   transaction — only for posts not edited meanwhile.

A kill between any two steps loses nothing (uncommitted work is rolled back and the posts are still
pending) and duplicates nothing (rows are replaced, index upserts are by id). Promoting a model changes
``scorer.versions``, which makes every post pending again: promoting re-scores.

The core reaches the models and the index only through ``plugins.service("scorer")`` and
``plugins.service("search_index")``.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import nullcontext
from typing import Any, cast

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from sqlalchemy import Table, and_, bindparam, delete, exists, func, insert, or_, select, update
from sqlalchemy.sql.elements import ColumnElement

from pantau import plugins
from pantau.errors import ConfigError, PantauError
from pantau.records import ClaimMatch, Post, PostScores, Prediction, utcnow
from pantau.settings import Settings
from pantau.store import Store
from pantau.store.store import row_to_post
from pantau.store.tables import ClaimMatchRow, FactCheckRow, PostRow, PredictionRow, ReviewRow

log = logging.getLogger(__name__)

STAGES = ("select", "score", "write", "load", "index", "mark")
Scored = tuple[Post, PostScores, str | None]


def load_scorer(settings: Settings, store: Store) -> Any:
    """The promoted models through the ``scorer`` service; :class:`ConfigError` when models are missing."""
    try:
        factory = plugins.service("scorer")
    except ImportError as exc:
        raise ConfigError(
            f"the models package cannot be loaded ({exc}) — reinstall with `make setup`"
        ) from exc
    return factory(settings, store)


def _needs_scoring(versions: dict[str, str]) -> ColumnElement[bool]:
    missing = [
        ~exists().where(
            PredictionRow.post_id == PostRow.id,
            PredictionRow.task == task,
            PredictionRow.model_version == version,
        )
        for task, version in sorted(versions.items())
    ]
    edited = and_(
        PostRow.indexed_at.is_(None),
        exists().where(PredictionRow.post_id == PostRow.id, PredictionRow.created_at < PostRow.updated_at),
    )
    return or_(*missing, edited)


def count_pending(store: Store, versions: dict[str, str]) -> int:
    """How many posts ``pantau process`` would touch."""
    needs = _needs_scoring(versions)
    with store.session() as s:
        return int(
            s.scalar(
                select(func.count()).select_from(PostRow).where(or_(PostRow.indexed_at.is_(None), needs))
            )
            or 0
        )


def pending_batches(
    store: Store, versions: dict[str, str], batch_size: int
) -> Iterator[list[tuple[str, bool]]]:
    """Batches of ``(post id, needs scoring)`` in id order (keyset pagination, so it resumes cheaply)."""
    needs = _needs_scoring(versions)
    last = ""
    while True:
        with store.session() as s:
            rows = s.execute(
                select(PostRow.id, needs)
                .where(PostRow.id > last, or_(PostRow.indexed_at.is_(None), needs))
                .order_by(PostRow.id)
                .limit(batch_size)
            ).all()
        if not rows:
            return
        last = rows[-1][0]
        yield [(r[0], bool(r[1])) for r in rows]


def load_posts(store: Store, ids: Sequence[str]) -> list[Post]:
    """Stored posts by id (in the given order; missing ids are skipped)."""
    with store.session() as s:
        rows = {r.id: r for r in s.scalars(select(PostRow).where(PostRow.id.in_(ids)))}
        return [row_to_post(rows[i]) for i in ids if i in rows]


def load_scored(store: Store, ids: Sequence[str]) -> list[Scored]:
    """``(post, its stored predictions and claim matches, latest review verdict)`` for each id — what the
    search index is built from (``process`` and ``pantau index rebuild`` share it)."""
    if not ids:
        return []
    with store.session() as s:
        rows = {r.id: r for r in s.scalars(select(PostRow).where(PostRow.id.in_(ids)))}
        preds: dict[str, dict[str, PredictionRow]] = defaultdict(dict)
        for p in s.scalars(select(PredictionRow).where(PredictionRow.post_id.in_(ids))):
            current = preds[p.post_id].get(p.task)
            if current is None or p.created_at >= current.created_at:
                preds[p.post_id][p.task] = p
        matches: dict[str, list[ClaimMatch]] = defaultdict(list)
        for m in s.scalars(select(ClaimMatchRow).where(ClaimMatchRow.post_id.in_(ids))):
            matches[m.post_id].append(
                ClaimMatch(
                    post_id=m.post_id,
                    factcheck_id=m.factcheck_id,
                    similarity=m.similarity,
                    rank=m.rank,
                    model_version=m.model_version,
                )
            )
    reviews = load_reviews(store, ids)
    with store.session() as s:
        out: list[Scored] = []
        for post_id in ids:
            row = rows.get(post_id)
            if row is None:
                continue
            post = row_to_post(row)
            predictions = [
                Prediction(
                    post_id=post_id,
                    task=p.task,
                    model_version=p.model_version,
                    label=p.label,
                    score=p.score,
                    probabilities=dict(p.probabilities or {}),
                    reasons=list(p.reasons or []),
                    created_at=p.created_at,
                )
                for p in preds.get(post_id, {}).values()
            ]
            scores = PostScores(
                post_id=post_id,
                language=post.language,
                predictions=predictions,
                claim_matches=matches[post_id],
            )
            out.append((post, scores, reviews.get(post_id)))
        return out


def _complete(ps: PostScores, versions: dict[str, str]) -> list[Prediction]:
    """The scorer's predictions plus rows for tasks that produced none (language, claims)."""
    preds = {p.task: p for p in ps.predictions if p.task in versions}
    if "language" in versions and "language" not in preds:
        preds["language"] = Prediction(
            post_id=ps.post_id,
            task="language",
            model_version=versions["language"],
            label=ps.language or "und",
            score=1.0 if ps.language else 0.0,
            reasons=[{"kind": "language", "detail": ps.language or "undetermined"}],
        )
    if "claims" in versions and "claims" not in preds:
        top = max((m.similarity for m in ps.claim_matches), default=0.0)
        preds["claims"] = Prediction(
            post_id=ps.post_id,
            task="claims",
            model_version=versions["claims"],
            label="matched" if ps.claim_matches else "none",
            score=top,
            reasons=[
                {"kind": "claim_match", "factcheck_id": m.factcheck_id, "similarity": m.similarity}
                for m in sorted(ps.claim_matches, key=lambda m: m.rank)[:5]
            ],
        )
    return [
        p
        if p.post_id == ps.post_id and p.model_version == versions[p.task]
        else p.model_copy(update={"post_id": ps.post_id, "model_version": versions[p.task]})
        for p in preds.values()
    ]


def write_scores(
    store: Store,
    results: Sequence[PostScores],
    versions: dict[str, str],
    posts: dict[str, Post] | None = None,
) -> list[PostScores]:
    """Replace the predictions and claim matches of the scored posts in one transaction; returns the
    scores as stored (a row for every task, claim matches to unknown fact-checks dropped)."""
    if not results:
        return []
    ids = [r.post_id for r in results]
    now = utcnow()
    preds_t = cast(Table, PredictionRow.__table__)
    matches_t = cast(Table, ClaimMatchRow.__table__)
    posts_t = cast(Table, PostRow.__table__)
    stored: list[PostScores] = []
    with store.session() as s:
        fc_ids = {m.factcheck_id for r in results for m in r.claim_matches}
        known = (
            set(s.scalars(select(FactCheckRow.id).where(FactCheckRow.id.in_(fc_ids)))) if fc_ids else set()
        )
        s.execute(delete(preds_t).where(preds_t.c.post_id.in_(ids), preds_t.c.task.in_(list(versions))))
        s.execute(delete(matches_t).where(matches_t.c.post_id.in_(ids)))
        pred_rows: list[dict[str, Any]] = []
        match_rows: dict[tuple[str, str], dict[str, Any]] = {}
        languages: list[dict[str, Any]] = []
        for r in results:
            complete = _complete(r, versions)
            for p in complete:
                pred_rows.append(
                    {
                        "post_id": r.post_id,
                        "task": p.task,
                        "model_version": p.model_version,
                        "label": p.label,
                        "score": float(p.score),
                        "probabilities": {k: float(v) for k, v in p.probabilities.items()},
                        "reasons": p.reasons,
                        "created_at": now,
                    }
                )
            kept = []
            for m in r.claim_matches:
                if m.factcheck_id not in known:
                    log.warning(
                        "post %s: claim match to unknown fact-check %r skipped", r.post_id, m.factcheck_id
                    )
                    continue
                kept.append(m)
                match_rows[(r.post_id, m.factcheck_id)] = {
                    "post_id": r.post_id,
                    "factcheck_id": m.factcheck_id,
                    "model_version": versions.get("claims", m.model_version) or m.model_version,
                    "similarity": float(m.similarity),
                    "rank": m.rank,
                    "created_at": now,
                }
            known_post = posts.get(r.post_id) if posts else None
            if r.language and (known_post is None or known_post.language != r.language):
                languages.append({"pid": r.post_id, "lang": r.language})
            # built from validated parts: skip re-validation (this loop runs for every post)
            stored.append(
                PostScores.model_construct(
                    post_id=r.post_id, language=r.language, predictions=complete, claim_matches=kept
                )
            )
        if pred_rows:
            s.execute(insert(preds_t), pred_rows)
        if match_rows:
            s.execute(insert(matches_t), list(match_rows.values()))
        if languages:
            s.execute(
                update(posts_t).where(posts_t.c.id == bindparam("pid")).values(language=bindparam("lang")),
                languages,
            )
    return stored


def load_reviews(store: Store, ids: Sequence[str]) -> dict[str, str]:
    """The latest review verdict of each reviewed post among ``ids``."""
    reviews: dict[str, str] = {}
    if not ids:
        return reviews
    with store.session() as s:
        for pid, verdict in s.execute(
            select(ReviewRow.post_id, ReviewRow.verdict)
            .where(ReviewRow.post_id.in_(ids))
            .order_by(ReviewRow.created_at, ReviewRow.id)
        ):
            reviews[pid] = verdict
    return reviews


def mark_indexed(store: Store, ids: Sequence[str], since: Any) -> None:
    """Set ``indexed_at`` for posts not edited after ``since`` (an edit keeps them pending)."""
    with store.session() as s:
        s.execute(
            update(PostRow)
            .where(PostRow.id.in_(ids), PostRow.updated_at <= since)
            .values(indexed_at=utcnow())
        )


def _score_batch(scorer: Any, posts: list[Post], report: dict[str, Any]) -> list[PostScores]:
    """Score a batch; when the batch fails, score post by post so one bad post is counted and skipped."""
    try:
        return list(scorer.score(posts))
    except (PantauError, ValueError, TypeError) as exc:
        log.warning("scoring a batch of %d posts failed (%s); retrying one by one", len(posts), exc)
    out: list[PostScores] = []
    for post in posts:
        try:
            out.extend(scorer.score([post]))
        except (PantauError, ValueError, TypeError) as exc:
            report["failed"] += 1
            log.warning("post %s: scoring failed (%s) — skipped, will be retried next run", post.id, exc)
    return out


def _progress(enabled: bool, total: int) -> tuple[Any, Any]:
    if not enabled:
        return nullcontext(), None
    progress = Progress(
        TextColumn("[bold]process[/bold]"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        transient=False,
    )
    return progress, progress.add_task("process", total=total)


class _IndexBuffer:
    """Scored posts waiting for the index: one commit per ``size`` posts (tantivy commits are costly)."""

    def __init__(
        self,
        store: Store,
        index: Any,
        size: int,
        report: dict[str, Any],
        seconds: dict[str, float],
        on_indexed: Callable[[list[str]], None] | None = None,
    ):
        self.store, self.index, self.size, self.report, self.seconds = store, index, size, report, seconds
        self.on_indexed = on_indexed
        self.items: list[Scored] = []
        self.since: Any = None

    def add(self, items: list[Scored], since: Any) -> None:
        self.items.extend(items)
        self.since = self.since or since
        if len(self.items) >= self.size:
            self.flush()

    def flush(self) -> None:
        if not self.items:
            return
        t = time.perf_counter()
        self.report["indexed"] += self.index.index_posts(self.items)
        self.seconds["index"] += time.perf_counter() - t
        t = time.perf_counter()
        ids = [post.id for post, _, _ in self.items]
        mark_indexed(self.store, ids, self.since)
        self.seconds["mark"] += time.perf_counter() - t
        self.items, self.since = [], None
        if self.on_indexed is not None:
            t = time.perf_counter()
            self.on_indexed(ids)
            self.seconds["alerts"] = self.seconds.get("alerts", 0.0) + time.perf_counter() - t


# --- saved-search alerts: after each index commit, through the ``alerts`` service ---
def alerts_hook(
    settings: Settings, store: Store, index: Any, report: dict[str, Any]
) -> Callable[[list[str]], None] | None:
    """A callback that tells the ``alerts`` service which posts were just indexed (inbox entries and
    signed webhooks for matching saved searches), or None when no installed package provides it.
    A failure is logged and counted, never fatal: the posts are indexed either way."""
    if not plugins.has_service("alerts"):
        return None
    notify = plugins.service("alerts")

    def on_indexed(post_ids: list[str]) -> None:
        try:
            notify(settings, store, index, post_ids)
        except (PantauError, OSError) as exc:
            report["alerts_failed"] = report.get("alerts_failed", 0) + len(post_ids)
            log.warning("saved-search alerts for %d posts failed (%s)", len(post_ids), exc)

    return on_indexed


# --- coordination clusters (issue 8): a separate step per batch, through the ``coordinator`` service ---
def open_coordinator(settings: Settings, store: Store) -> Any:
    """The ``coordinator`` service (``.update(posts) -> {post id: cluster id}``), or None when no
    installed package provides it."""
    if not plugins.has_service("coordinator"):
        return None
    return plugins.service("coordinator")(settings, store)


def _cluster_batch(
    coordinator: Any, posts: list[Post], report: dict[str, Any], seconds: dict[str, float]
) -> None:
    """Cluster a batch; a failure is logged and counted (the posts stay unclustered), never fatal."""
    t = time.perf_counter()
    try:
        report["clustered"] = report.get("clustered", 0) + len(coordinator.update(posts))
    except (PantauError, ValueError, OSError) as exc:
        report["cluster_failed"] = report.get("cluster_failed", 0) + len(posts)
        log.warning("clustering a batch of %d posts failed (%s) — skipped", len(posts), exc)
    seconds["cluster"] = seconds.get("cluster", 0.0) + time.perf_counter() - t


def run_process(
    settings: Settings,
    store: Store,
    *,
    batch_size: int | None = None,
    index_batch_size: int = 4096,
    progress: bool = True,
    scorer: Any = None,
    index: Any = None,
) -> dict[str, Any]:
    """Score and index every pending post; returns a report (counts and seconds per stage).

    ``batch_size`` posts are scored and written per transaction; ``index_batch_size`` scored posts are
    indexed per index commit. ``scorer`` and ``index`` default to the ``scorer`` and ``search_index``
    services.
    """
    size = batch_size or settings.models.batch_size
    seconds = dict.fromkeys(STAGES, 0.0)
    report: dict[str, Any] = {
        "scored": 0,
        "reindexed": 0,
        "indexed": 0,
        "failed": 0,
        "skipped": 0,
        "batches": 0,
    }
    t0 = time.perf_counter()
    scorer = scorer if scorer is not None else load_scorer(settings, store)
    versions: dict[str, str] = dict(scorer.versions)
    own_index = index is None
    index = index if index is not None else plugins.service("search_index")(settings)
    seconds["load_models"] = time.perf_counter() - t0
    coordinator = open_coordinator(settings, store)
    try:
        total = count_pending(store, versions) if progress else 0
        bar, task = _progress(progress, total)
        buffer = _IndexBuffer(
            store,
            index,
            max(size, index_batch_size),
            report,
            seconds,
            alerts_hook(settings, store, index, report),
        )
        writing = getattr(index, "writing", None)
        with bar, writing() if callable(writing) else nullcontext():
            batches = pending_batches(store, versions, size)
            while True:
                t = time.perf_counter()
                batch = next(batches, None)
                seconds["select"] += time.perf_counter() - t
                if batch is None:
                    break
                started = utcnow()
                to_score = [pid for pid, needs in batch if needs]
                items: list[Scored] = []
                if to_score:
                    t = time.perf_counter()
                    posts = load_posts(store, to_score)
                    seconds["load"] += time.perf_counter() - t
                    t = time.perf_counter()
                    results = _score_batch(scorer, posts, report)
                    seconds["score"] += time.perf_counter() - t
                    t = time.perf_counter()
                    by_id = {p.id: p for p in posts}
                    stored = write_scores(store, results, versions, by_id)
                    report["scored"] += len(stored)
                    reviews = load_reviews(store, [r.post_id for r in stored])
                    items = [
                        (by_id[r.post_id], r, reviews.get(r.post_id)) for r in stored if r.post_id in by_id
                    ]
                    seconds["write"] += time.perf_counter() - t
                index_only = [pid for pid, needs in batch if not needs]
                report["reindexed"] += len(index_only)
                if index_only:
                    t = time.perf_counter()
                    items += load_scored(store, index_only)
                    seconds["load"] += time.perf_counter() - t
                buffer.add(items, started)
                if coordinator is not None:
                    _cluster_batch(coordinator, [post for post, _, _ in items], report, seconds)
                report["batches"] += 1
                if task is not None:
                    bar.advance(task, len(batch))
            buffer.flush()
        report["index_documents"] = index.count()
        with store.session() as s:
            stored_posts = int(s.scalar(select(func.count()).select_from(PostRow)) or 0)
        # posts already current with the promoted models and in the index
        report["skipped"] = max(0, stored_posts - report["scored"] - report["reindexed"] - report["failed"])
    finally:
        if own_index:
            index.close()
    report["model_versions"] = versions
    report["seconds"] = {k: round(v, 3) for k, v in seconds.items()}
    report["seconds"]["total"] = round(time.perf_counter() - t0, 3)
    return report
