"""``POST /v1/classify``: what the promoted models say about any text (nothing is stored)."""

from __future__ import annotations

from typing import Any

from api.schemas import ClassifyIn, ClassifyOut, FactCheckMatch, TaskOut
from api.services.factchecks import _factchecks_by_id, probe_post
from pantau.errors import ModelError
from pantau.store import Store


def classify(store: Store, scorer: Any, body: ClassifyIn) -> ClassifyOut:
    """Hoax and endorsement predictions with reasons, and the fact-checks the text repeats."""
    post = probe_post(body.text, body.title, body.platform, body.author_kind)
    results = scorer.score([post])
    if not results:
        raise ModelError("the models returned nothing for this text")
    scores = results[0]
    tasks: dict[str, TaskOut] = {}
    for p in scores.predictions:
        tasks[p.task] = TaskOut(
            label=p.label,
            score=float(p.score),
            probabilities={k: float(v) for k, v in p.probabilities.items()},
            reasons=list(p.reasons),
            model_version=p.model_version,
        )
    known = _factchecks_by_id(store, [m.factcheck_id for m in scores.claim_matches])
    matches = [
        FactCheckMatch(
            factcheck=known[m.factcheck_id], similarity=round(float(m.similarity), 6), above_threshold=True
        )
        for m in sorted(scores.claim_matches, key=lambda m: m.rank)
        if m.factcheck_id in known
    ]
    return ClassifyOut(
        language=scores.language,
        hoax=tasks.get("hoax"),
        endorsement=tasks.get("endorsement"),
        claim_matches=matches,
        model_versions=dict(getattr(scorer, "versions", {}) or {}),
    )
