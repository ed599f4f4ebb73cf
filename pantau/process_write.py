"""Writing what the models said, and reading it back for the index (see :mod:`pantau.process`).

:func:`write_scores` replaces a batch's predictions and claim matches in ONE transaction: every row of
those posts for the scored tasks is deleted and the new ones inserted, so the store holds exactly one
row per (post, task) — the current model version's — with its reasons. A model without a row of its own
(``language``, ``claims``) gets one written here: label = language code / ``matched`` or ``none``.

These run for every post, so they build rows as plain dicts (one ``executemany`` per table) and records
with ``model_construct`` from parts that were validated already — no per-post pydantic validation.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, select, update

from pantau.process_select import load_posts, load_reviews
from pantau.records import ClaimMatch, Post, PostScores, Prediction, as_utc, record, utcnow
from pantau.store import Store
from pantau.store.bulk import insert_rows
from pantau.store.tables import ClaimMatchRow, FactCheckRow, PostRow, PredictionRow

log = logging.getLogger(__name__)

#: ``(post, its stored predictions and claim matches, latest review verdict)``: what the index is built from
Scored = tuple[Post, PostScores, str | None]

_PREDS = cast(Table, PredictionRow.__table__)
_MATCHES = cast(Table, ClaimMatchRow.__table__)
_POSTS = cast(Table, PostRow.__table__)


def _prediction(
    post_id: str, task: str, version: str, label: str, score: float, reasons: Any, now: Any
) -> Prediction:
    return record(
        Prediction,
        {
            "post_id": post_id,
            "task": task,
            "model_version": version,
            "label": label,
            "score": score,
            "probabilities": {},
            "reasons": reasons,
            "created_at": now,
        },
    )


def complete_predictions(ps: PostScores, versions: dict[str, str], now: Any = None) -> list[Prediction]:
    """The scorer's predictions plus rows for tasks that produced none (language, claims), each with the
    promoted model version of its task (``now``: the time of the added rows, default: now)."""
    now = now or utcnow()
    preds = {p.task: p for p in ps.predictions if p.task in versions}
    if "language" in versions and "language" not in preds:
        preds["language"] = _prediction(
            ps.post_id,
            "language",
            versions["language"],
            ps.language or "und",
            1.0 if ps.language else 0.0,
            [{"kind": "language", "detail": ps.language or "undetermined"}],
            now,
        )
    if "claims" in versions and "claims" not in preds:
        preds["claims"] = _prediction(
            ps.post_id,
            "claims",
            versions["claims"],
            "matched" if ps.claim_matches else "none",
            max((m.similarity for m in ps.claim_matches), default=0.0),
            [
                {"kind": "claim_match", "factcheck_id": m.factcheck_id, "similarity": m.similarity}
                for m in sorted(ps.claim_matches, key=lambda m: m.rank)[:5]
            ],
            now,
        )
    out = []
    for p in preds.values():
        if p.post_id != ps.post_id or p.model_version != versions[p.task]:
            p = record(Prediction, {**dict(p), "post_id": ps.post_id, "model_version": versions[p.task]})
        out.append(p)
    return out


def write_scores(
    store: Store,
    results: Sequence[PostScores],
    versions: dict[str, str],
) -> list[PostScores]:
    """Replace the predictions and claim matches of the scored posts in one transaction; returns the
    scores as stored (a row for every task, claim matches to unknown fact-checks dropped). The detected
    language reaches ``posts.language`` with :func:`mark_indexed`; until then the ``language`` prediction
    holds it (:func:`load_scored` falls back to it)."""
    if not results:
        return []
    ids = [r.post_id for r in results]
    now = utcnow()
    stored: list[PostScores] = []
    pred_rows: list[dict[str, Any]] = []
    match_rows: dict[tuple[str, str], dict[str, Any]] = {}
    with store.session() as s:
        fc_ids = {m.factcheck_id for r in results for m in r.claim_matches}
        known = (
            set(s.scalars(select(FactCheckRow.id).where(FactCheckRow.id.in_(fc_ids)))) if fc_ids else set()
        )
        s.execute(delete(_PREDS).where(_PREDS.c.post_id.in_(ids), _PREDS.c.task.in_(list(versions))))
        s.execute(delete(_MATCHES).where(_MATCHES.c.post_id.in_(ids)))
        for r in results:
            complete = complete_predictions(r, versions, now)
            pred_rows.extend(
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
                for p in complete
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
            stored.append(
                record(
                    PostScores,
                    {
                        "post_id": r.post_id,
                        "language": r.language,
                        "predictions": complete,
                        "claim_matches": kept,
                    },
                )
            )
        if pred_rows:
            insert_rows(s, _PREDS, pred_rows, same=("created_at",))
        if match_rows:
            insert_rows(s, _MATCHES, list(match_rows.values()), same=("created_at",))
    return stored


def drop_predictions(store: Store, ids: Sequence[str], task: str) -> int:
    """Delete ``task``'s prediction rows of ``ids``, which makes those posts pending again (the next batch
    scan or a final pass of the same run re-scores them). Returns how many rows went."""
    if not ids:
        return 0
    with store.session() as s:
        result = s.execute(delete(_PREDS).where(_PREDS.c.post_id.in_(list(ids)), _PREDS.c.task == task))
        return int(getattr(result, "rowcount", 0) or 0)


def mark_indexed(
    store: Store, ids: Sequence[str], since: Any, languages: dict[str, str] | None = None
) -> None:
    """Set ``indexed_at`` for posts not edited after ``since`` (an edit keeps them pending), and
    ``posts.language`` to ``languages[id]`` where given — in the same row update, so a scored post's row is
    rewritten once here rather than once more by :func:`write_scores`."""
    now = utcnow()
    languages = languages or {}
    with store.session() as s:
        rest = [pid for pid in ids if pid not in languages]
        if rest:
            unedited = _POSTS.c.updated_at <= since
            s.execute(update(_POSTS).where(_POSTS.c.id.in_(rest), unedited).values(indexed_at=now))
        detected = [{"pid": pid, "lang": languages[pid]} for pid in ids if pid in languages]
        if detected:
            s.execute(
                update(_POSTS)
                .where(_POSTS.c.id == bindparam("pid"), _POSTS.c.updated_at <= since)
                .values(indexed_at=now, language=bindparam("lang")),
                detected,
            )


def _detected(preds: dict[str, Prediction]) -> str | None:
    """The language the ``language`` prediction holds (a post written but not yet marked has no
    ``posts.language`` yet: :func:`mark_indexed` sets it)."""
    found = preds.get("language")
    return found.label if found is not None and found.label != "und" else None


def load_scored(store: Store, ids: Sequence[str]) -> list[Scored]:
    """``(post, its stored predictions and claim matches, latest review verdict)`` for each id — what the
    search index is built from (``process`` and ``pantau index rebuild`` share it)."""
    if not ids:
        return []
    ids = list(ids)
    posts = load_posts(store, ids)
    preds: dict[str, dict[str, Prediction]] = defaultdict(dict)
    matches: dict[str, list[ClaimMatch]] = defaultdict(list)
    with store.session() as s:
        for p in s.execute(select(_PREDS).where(_PREDS.c.post_id.in_(ids))):
            created = as_utc(p.created_at)
            current = preds[p.post_id].get(p.task)
            if current is None or created >= current.created_at:
                preds[p.post_id][p.task] = record(
                    Prediction,
                    {
                        "post_id": p.post_id,
                        "task": p.task,
                        "model_version": p.model_version,
                        "label": p.label,
                        "score": p.score,
                        "probabilities": dict(p.probabilities or {}),
                        "reasons": list(p.reasons or []),
                        "created_at": created,
                    },
                )
        for m in s.execute(select(_MATCHES).where(_MATCHES.c.post_id.in_(ids))):
            matches[m.post_id].append(
                record(
                    ClaimMatch,
                    {
                        "post_id": m.post_id,
                        "factcheck_id": m.factcheck_id,
                        "similarity": m.similarity,
                        "rank": m.rank,
                        "model_version": m.model_version,
                    },
                )
            )
    reviews = load_reviews(store, ids)
    return [
        (
            post,
            record(
                PostScores,
                {
                    "post_id": post.id,
                    "language": post.language or _detected(preds.get(post.id, {})),
                    "predictions": list(preds.get(post.id, {}).values()),
                    "claim_matches": matches[post.id],
                },
            ),
            reviews.get(post.id),
        )
        for post in posts
    ]
