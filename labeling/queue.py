"""Labelling queues fed from processed posts by active learning, plus a random evaluation slice.

``refresh`` takes posts that have a prediction for the project's task and are not yet in the project,
and adds one batch:

* a **random slice** (the project's ``random_fraction`` of the batch), drawn uniformly from the pool and
  flagged ``random_eval``: their labels estimate model quality without the selection bias of active
  learning, and the export marks them ``split=heldout`` so training never sees them;
* the rest chosen by **uncertainty plus diversity**: uncertainty is ``1 − |p − 0.5|·2`` for the latest
  prediction's score ``p`` (P(hoax)); with more than two labels (endorsement) it is one minus the margin
  between the two most probable labels, which is the same formula when there are two; diversity is a
  greedy farthest-point walk over cheap hashed word features, each pick maximising
  ``(1 − β)·uncertainty + β·(cosine distance to the nearest item already picked)``.

Newer batches are served before older ones (``priority = batch number + rank score``); partly labelled
items are always finished first (see :mod:`labeling.assignment`). ``refresh_if_due`` is called by the
labelling service, so new crawl batches flow in without anyone running a command.
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer
from sqlalchemy import func, or_, select, update

from labeling.projects import Project, get_project
from pantau.errors import ConfigError
from pantau.records import utcnow
from pantau.store import Store
from pantau.store.tables import LabelItemRow, LabelProjectRow, PostRow, PredictionRow

ACTIVE, RANDOM_EVAL = "active", "random_eval"
#: candidates considered per batch, as a multiple of the batch size (bounds the work of one refresh)
POOL_FACTOR = 10
#: weight of diversity against uncertainty in the greedy walk
DIVERSITY_WEIGHT = 0.5
_VECTORIZER = HashingVectorizer(
    n_features=2**16, ngram_range=(1, 2), alternate_sign=False, norm="l2", lowercase=True
)


@dataclass
class RefreshReport:
    """What one refresh added."""

    project: str
    batch: int
    pool: int
    added_active: int
    added_random: int
    skipped_empty: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def uncertainty(p: float) -> float:
    """``1 − |p − 0.5|·2``: 1 at p = 0.5 (the model cannot tell), 0 at p = 0 or 1."""
    if not 0.0 <= p <= 1.0 or p != p:
        raise ConfigError(f"probability {p!r} is outside [0, 1]")
    return 1.0 - abs(p - 0.5) * 2.0


def features(texts: list[str]) -> sparse.csr_matrix:
    """L2-normalised hashed word uni- and bigram vectors (no fitting, so batches are comparable)."""
    return sparse.csr_matrix(_VECTORIZER.transform(texts))


def prediction_uncertainty(score: float, probabilities: dict[str, Any] | None = None) -> float:
    """Uncertainty of a stored prediction: ``1 − (p₁ − p₂)`` over its label probabilities, else its score.

    For two labels ``p₁ − p₂ = |2p − 1|``, so this equals :func:`uncertainty` of the score.
    """
    probs = sorted(
        (float(v) for v in (probabilities or {}).values() if isinstance(v, int | float)), reverse=True
    )
    if len(probs) >= 2 and all(0.0 <= v <= 1.0 for v in probs):
        return min(1.0, max(0.0, 1.0 - (probs[0] - probs[1])))
    return uncertainty(min(1.0, max(0.0, score)))


def diverse_order(
    scores: np.ndarray, X: sparse.csr_matrix, k: int, beta: float = DIVERSITY_WEIGHT
) -> list[int]:
    """Indices of ``k`` rows picked greedily by ``(1 − β)·score + β·distance to the nearest pick``.

    The first pick is the highest score; each later pick trades uncertainty against novelty, so a
    hundred copies of one viral message do not fill the queue.
    """
    n = X.shape[0]
    k = min(k, n)
    if k <= 0:
        return []
    scores = np.asarray(scores, dtype=float)
    nearest = np.ones(n)  # cosine distance to the nearest picked row (1 = nothing similar picked)
    chosen = np.zeros(n, dtype=bool)
    order: list[int] = []
    for _ in range(k):
        value = (1 - beta) * scores + beta * nearest
        value[chosen] = -np.inf
        i = int(np.argmax(value))
        order.append(i)
        chosen[i] = True
        sims = np.asarray((X @ X[i].T).todense()).ravel()
        nearest = np.minimum(nearest, np.clip(1.0 - sims, 0.0, 1.0))
    return order


def _latest_predictions(store: Store, proj: Project, limit: int) -> list[tuple[str, float, str]]:
    """(post id, uncertainty, model version) of the newest prediction per post not yet in the project."""
    with store.session() as s:
        in_project = select(LabelItemRow.post_id).where(
            LabelItemRow.project_id == proj.id, LabelItemRow.post_id.is_not(None)
        )
        newest = (
            select(PredictionRow.post_id, func.max(PredictionRow.id).label("pid"))
            .where(PredictionRow.task == proj.task, PredictionRow.post_id.not_in(in_project))
            .group_by(PredictionRow.post_id)
            .subquery()
        )
        rows = s.execute(
            select(
                PredictionRow.post_id,
                PredictionRow.score,
                PredictionRow.probabilities,
                PredictionRow.model_version,
            )
            .join(newest, PredictionRow.id == newest.c.pid)
            .order_by(PredictionRow.id.desc())
            .limit(limit)
        ).all()
    return [(r[0], prediction_uncertainty(float(r[1]), r[2]), r[3]) for r in rows]


def refresh(
    store: Store, project: str | int, *, now: datetime | None = None, seed: int | None = None
) -> RefreshReport:
    """Add one batch of newly processed posts to ``project``'s queue (idempotent; safe to run often)."""
    proj = get_project(store, project)
    now = now or utcnow()
    preds = _latest_predictions(store, proj, proj.batch_size * POOL_FACTOR)
    with store.session() as s:
        texts = dict(
            s.execute(select(PostRow.id, PostRow.text).where(PostRow.id.in_([p[0] for p in preds]))).all()
        )
        batch = (
            int(s.scalar(select(func.max(LabelItemRow.batch)).where(LabelItemRow.project_id == proj.id)) or 0)
            + 1
        )
    pool = [(pid, unc, version) for pid, unc, version in preds if (texts.get(pid) or "").strip()]
    skipped_empty = len(preds) - len(pool)
    report = RefreshReport(proj.name, batch, len(pool), 0, 0, skipped_empty)
    if not pool:
        return report
    rng = random.Random(seed)
    n_total = min(proj.batch_size, len(pool))
    n_random = min(len(pool), round(n_total * proj.random_fraction))
    random_idx = set(rng.sample(range(len(pool)), n_random))
    rest = [i for i in range(len(pool)) if i not in random_idx]
    unc = np.array([pool[i][1] for i in rest])
    n_active = min(len(rest), n_total - n_random)
    # only the most uncertain few times the batch enter the (quadratic) diversity walk
    shortlist = [rest[j] for j in np.argsort(-unc, kind="stable")[: max(n_active * 5, 1)]]
    short_unc = np.array([pool[i][1] for i in shortlist])
    picked = [
        shortlist[j]
        for j in diverse_order(short_unc, features([texts[pool[i][0]] for i in shortlist]), n_active)
    ]
    rows: list[LabelItemRow] = []
    for rank, i in enumerate(picked):
        rows.append(_item(proj, pool[i], texts, ACTIVE, batch + 1.0 - rank / max(len(picked), 1), now, batch))
    for j, i in enumerate(sorted(random_idx)):
        # spread the random slice evenly through the batch so it is labelled alongside the rest
        rows.append(_item(proj, pool[i], texts, RANDOM_EVAL, batch + 1.0 - (j + 0.5) / n_random, now, batch))
    with store.session() as s:
        # the write comes first so that, on SQLite, the check below and the inserts hold the lock together
        s.execute(
            update(LabelProjectRow).where(LabelProjectRow.id == proj.id).values(refreshed_at=now),
            execution_options={"synchronize_session": False},
        )
        present = set(
            s.scalars(
                select(LabelItemRow.post_id).where(
                    LabelItemRow.project_id == proj.id, LabelItemRow.post_id.in_([r.post_id for r in rows])
                )
            )
        )
        rows = [r for r in rows if r.post_id not in present]  # a concurrent refresh got there first
        s.add_all(rows)
    report.added_active = sum(1 for r in rows if r.kind == ACTIVE)
    report.added_random = sum(1 for r in rows if r.kind == RANDOM_EVAL)
    return report


def _item(
    proj: Project,
    cand: tuple[str, float, str],
    texts: dict[str, str],
    kind: str,
    priority: float,
    now: datetime,
    batch: int,
) -> LabelItemRow:
    post_id, unc, version = cand
    return LabelItemRow(
        project_id=proj.id,
        post_id=post_id,
        kind=kind,
        text=texts[post_id],
        batch=batch,
        priority=priority,
        uncertainty=unc,
        model_version=version,
        open_slots=proj.overlap,
        n_labels=0,
        added_at=now,
    )


def refresh_if_due(store: Store, proj: Project, *, now: datetime | None = None) -> RefreshReport | None:
    """Refresh when the project's ``refresh_every_s`` has passed since the last refresh.

    Many labellers call this at once; a conditional update on ``refreshed_at`` lets exactly one of them
    do the work.
    """
    now = now or utcnow()
    cutoff = now - timedelta(seconds=proj.refresh_every_s)
    if proj.refreshed_at is not None and proj.refreshed_at > cutoff:
        return None  # not due: decided without a write, so busy labellers do not queue for the lock
    with store.session() as s:
        result = s.execute(
            update(LabelProjectRow)
            .where(
                LabelProjectRow.id == proj.id,
                or_(LabelProjectRow.refreshed_at.is_(None), LabelProjectRow.refreshed_at <= cutoff),
            )
            .values(refreshed_at=now),
            execution_options={"synchronize_session": False},
        )
        won = getattr(result, "rowcount", 0) == 1
    return refresh(store, proj.id, now=now) if won else None
