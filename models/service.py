"""The ``scorer`` service: the promoted models, ready to score batches of posts.

``load_scorer(settings, store)`` makes sure default models exist (training them from the seed corpus
at first run), loads the promoted hoax and endorsement models and builds the claim matcher from the
store's fact-checks. ``Scorer.score(posts)`` returns one :class:`pantau.records.PostScores` per post:
language, hoax and endorsement :class:`~pantau.records.Prediction` s with reasons, and up to three
:class:`~pantau.records.ClaimMatch` es above the matcher's threshold. Everything runs batched.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import datetime
from importlib import metadata
from typing import Any

from models.registry import ensure_default, load_promoted
from models.training.base import TextPrediction
from models.training.features import Batch
from pantau.records import ClaimMatch, Post, PostScores, Prediction, record, utcnow
from pantau.settings import Settings
from pantau.store import Store

log = logging.getLogger(__name__)

CLAIMS_TOP_K = 3
#: Longer texts are cut before scoring: the opening of an article carries its claim, and the models'
#: cost grows with length.
MAX_CHARS = 5000


def _lingua_version() -> str:
    try:
        return f"lingua-{metadata.version('lingua-language-detector')}"
    except metadata.PackageNotFoundError:  # pragma: no cover - a declared dependency
        return "lingua"


def post_text(post: Post) -> str:
    """What the models read: title and text (a title alone for posts without text)."""
    text = post.text or ""
    if post.title and post.title.strip() and post.title.strip() not in text[: len(post.title) + 20]:
        text = f"{post.title.strip()}\n{text}"
    return text[:MAX_CHARS]


def _takes_batch(model: Any) -> bool:
    """The lexical models share a prepared :class:`Batch`; the fine-tuned encoder reads texts."""
    return getattr(model, "kind", "") in ("sklearn", "e5")


class Scorer:
    """Promoted models bundled for batch scoring; ``versions`` maps task → model version."""

    def __init__(
        self, hoax: Any, endorsement: Any, matcher: Any | None, *, claims_k: int = CLAIMS_TOP_K
    ) -> None:
        self.hoax = hoax
        self.endorsement = endorsement
        self.matcher = matcher
        self.claims_k = claims_k
        self.versions: dict[str, str] = {
            "language": _lingua_version(),
            "hoax": hoax.version,
            "endorsement": endorsement.version,
            "claims": str(getattr(matcher, "version", "")) if matcher is not None else "none",
        }

    def score(
        self, posts: Sequence[Post], context: Mapping[str, Mapping[str, Any]] | None = None
    ) -> list[PostScores]:
        """Score a batch of posts (language, hoax, endorsement, claim matches).

        ``context``: post id → coordination context (``Coordinator.context``); the endorsement detector
        reads it (its coordination rule). Without it, or for posts absent from it, nothing changes."""
        from models.text.langid import detect

        if not posts:
            return []
        texts = [post_text(p) for p in posts]
        todo = [i for i, p in enumerate(posts) if not p.language]
        languages = [p.language for p in posts]
        for i, lang in zip(todo, detect([texts[i] for i in todo]) if todo else [], strict=True):
            languages[i] = lang
        batch = Batch(texts, self.hoax.election)  # masked, normalised and hashed once for both models
        hoax = self.hoax.predict(texts, batch=batch) if _takes_batch(self.hoax) else self.hoax.predict(texts)
        extra: dict[str, Any] = {}
        if context is not None and getattr(self.endorsement, "uses_coordination", False):
            extra["coordination"] = [context.get(p.id) for p in posts]
        endorsement = self.endorsement.predict(
            texts,
            account_kinds=[str(p.author.kind.value) for p in posts],
            authors=[p.author.handle for p in posts],
            batch=batch,
            **extra,
        )
        claims = self._claims(posts, texts)
        # records built from fields already valid (``record``): pydantic validation of the reasons cost
        # about 20 µs per post, and ``pantau process`` rebuilds the records the same way after the trip
        # back from its scoring workers
        now = utcnow()
        out = []
        for i, post in enumerate(posts):
            out.append(
                record(
                    PostScores,
                    {
                        "post_id": post.id,
                        "language": languages[i],
                        "predictions": [
                            self._prediction(post.id, "hoax", hoax[i], now),
                            self._prediction(post.id, "endorsement", endorsement[i], now),
                        ],
                        "claim_matches": claims[i],
                    },
                )
            )
        return out

    def _prediction(self, post_id: str, task: str, p: TextPrediction, now: datetime) -> Prediction:
        return record(
            Prediction,
            {
                "post_id": post_id,
                "task": task,
                "model_version": self.versions[task],
                "label": p.label,
                "score": p.score,
                "probabilities": p.probabilities,
                "reasons": p.reasons,
                "created_at": now,
            },
        )

    def _claims(self, posts: Sequence[Post], texts: list[str]) -> list[list[ClaimMatch]]:
        if self.matcher is None:
            return [[] for _ in posts]
        threshold = float(getattr(self.matcher, "threshold", 0.0))
        hits = self.matcher.match(texts, self.claims_k)
        out: list[list[ClaimMatch]] = []
        for post, post_hits in zip(posts, hits, strict=True):
            kept = [h for h in post_hits if float(h.similarity) >= threshold][: self.claims_k]
            out.append(
                [
                    ClaimMatch(
                        post_id=post.id,
                        factcheck_id=h.factcheck_id,
                        similarity=round(float(h.similarity), 6),
                        rank=rank,
                        model_version=self.versions["claims"],
                    )
                    for rank, h in enumerate(kept, start=1)
                ]
            )
        return out


def build_matcher(settings: Settings, store: Store) -> Any | None:
    """The claim matcher over the store's fact-checks (None when there are none)."""
    factchecks = store.list_factchecks()
    if not factchecks:
        log.info("no fact-checks stored: claim matching is off until some are crawled or imported")
        return None
    from models.claims.matcher import ClaimMatcher

    return ClaimMatcher.build(
        factchecks, embedder=settings.models.embedder, cache_dir=settings.models_dir / "claims"
    )


def load_scorer(settings: Settings, store: Store) -> Scorer:
    """The ``scorer`` service (see :mod:`pantau.plugins`): promoted models, ready to score."""
    ensure_default(settings)
    return Scorer(
        load_promoted(settings, "hoax"),
        load_promoted(settings, "endorsement"),
        build_matcher(settings, store),
    )
