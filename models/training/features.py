"""The lexical featuriser both default models share.

Text is entity-masked (candidate and party names from configuration become placeholders) and
normalised (case, slang, ballot numbers) by :mod:`models.text`, then hashed into word 1–2-grams and
character 3–5-grams (:mod:`models.training.hashing`: no vocabulary to grow, a whole batch hashed at once
in numpy), weighted by TF-IDF fitted on
the training data, and joined with a few style cues read from the raw text (capitals, exclamation marks,
links, calls to share). A reverse map from hash bucket to the most frequent training n-gram turns
model weights back into readable reasons.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from models.text.anchored import found_at_openings
from models.text.entities import TOKENS, EntityMention, mask_entities, mentions
from models.text.normalize import normalize
from models.training.hashing import Counts, count_ngrams, ngram_names
from pantau.election import Election

# matched on the lower-cased text (one str.lower instead of case-insensitive scans)
_SHARE_CALL = re.compile(
    r"\b(sebar(kan|luaskan)?|viral(kan)?|share|bagikan|teruskan|forward|jangan (berhenti|putus) di kamu)\b"
)
_URGENT = re.compile(r"\b(segera|darurat|penting|awas|waspada|breaking|terbongkar|heboh|geger)\b")
#: literals every match of the pattern starts with: most texts hold none, and ``str.find`` is cheaper than a
#: regex scan
_SHARE_WORDS = ("sebar", "viral", "share", "bagikan", "teruskan", "forward", "jangan ")
_URGENT_WORDS = (
    "segera",
    "darurat",
    "penting",
    "awas",
    "waspada",
    "breaking",
    "terbongkar",
    "heboh",
    "geger",
)

#: Style cues: (name shown in reasons, description). Values are computed by :func:`style_cues`.
STYLE_CUES: tuple[tuple[str, str], ...] = (
    ("caps", "much of the text in CAPITALS"),
    ("exclaim", "exclamation marks"),
    ("many_exclaim", "three or more exclamation marks in a row"),
    ("question", "question marks"),
    ("link", "contains a link"),
    ("share_call", "asks readers to share or forward"),
    ("urgency", "urgency words (segera, awas, heboh, ...)"),
)


_NOT_LETTER = bytes(b for b in range(128) if not chr(b).isalpha())
_NOT_UPPER = bytes(b for b in range(128) if not chr(b).isupper())
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _letters_and_capitals(text: str) -> tuple[int, int]:
    """(letters, upper-case letters) in ``text``, as ``str.isalpha`` / ``str.isupper`` count them."""
    if text.isascii():
        raw = text.encode("ascii")
        return len(raw.translate(None, _NOT_LETTER)), len(raw.translate(None, _NOT_UPPER))
    raw = text.encode("ascii", "ignore")
    others = _NON_ASCII.findall(text)
    return (
        len(raw.translate(None, _NOT_LETTER)) + sum(1 for ch in others if ch.isalpha()),
        len(raw.translate(None, _NOT_UPPER)) + sum(1 for ch in others if ch.isupper()),
    )


def style_cues(text: str) -> list[float]:
    """Style-cue values in ``[0, 1]`` for one raw text, in :data:`STYLE_CUES` order."""
    letters, upper = _letters_and_capitals(text)
    low = text.lower()
    caps = upper / letters if letters >= 20 else 0.0
    exclaim = text.count("!")
    return [
        min(1.0, max(0.0, (caps - 0.2) / 0.5)),
        min(1.0, exclaim / 3),
        1.0 if "!!!" in text else 0.0,
        min(1.0, text.count("?") / 3),
        1.0 if "http://" in low or "https://" in low or "www." in low else 0.0,
        1.0 if found_at_openings(_SHARE_CALL, low, _SHARE_WORDS) else 0.0,
        1.0 if found_at_openings(_URGENT, low, _URGENT_WORDS) else 0.0,
    ]


def prepare(texts: Sequence[str], election: Election) -> tuple[list[str], list[str]]:
    """(entity-masked texts, masked and normalised texts): what the models see.

    Style cues are read from the masked text (so a longer candidate name cannot change the share of
    capitals), n-grams from the normalised one.
    """
    masked = [mask_entities(text, election) for text in texts]
    return masked, [normalize(text) for text in masked]


def _mask(text: str, found: list[EntityMention]) -> str:
    """``mask_entities(text)`` from mentions already found (same output, one search instead of two)."""
    out: list[str] = []
    pos = 0
    for mention in found:
        out.append(text[pos : mention.start])
        out.append(TOKENS.get(mention.kind, "<entitas>"))
        pos = mention.end
    out.append(text[pos:])
    return "".join(out)


class Batch:
    """Texts prepared once for several models: the scorer masks, normalises and hashes each post once
    for the hoax and the endorsement model (``memo`` keeps what more than one model computes)."""

    def __init__(self, texts: Sequence[str], election: Election) -> None:
        self.texts = list(texts)
        #: configured names found in each text (found once: masking and the endorsement reasons use them)
        self.mentions = [mentions(text, election) for text in self.texts]
        self.masked = [_mask(t, found) for t, found in zip(self.texts, self.mentions, strict=True)]
        self.prepared = [normalize(text) for text in self.masked]
        self._memo: dict[tuple[Any, ...], Any] = {}

    def __len__(self) -> int:
        return len(self.texts)

    def memo(self, key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]


@dataclass
class FeatureConfig:
    """Shape of the lexical features (saved with the model; changing it needs retraining)."""

    n_features: int = 2**19
    word_ngram_max: int = 2
    char_ngram_min: int = 3
    char_ngram_max: int = 5
    use_char: bool = True
    use_style: bool = True
    char_weight: float = 1.0
    style_weight: float = 0.5


class LexicalFeaturizer:
    """Hashed word + character n-grams with TF-IDF, plus style cues; remembers n-grams for reasons."""

    def __init__(self, config: FeatureConfig | None = None) -> None:
        self.config = config or FeatureConfig()
        #: inverse document frequency of every n-gram column (word block, then character block)
        self.idf: np.ndarray = np.ones(self._n_lexical, dtype=np.float32)
        #: column → (kind, n-gram) for n-grams seen at least twice in training.
        self.names: dict[int, tuple[str, str]] = {}
        self._legacy: dict[str, Any] | None = None

    def __setstate__(self, state: dict[str, Any]) -> None:
        if "word" in state and "idf" not in state:
            # saved before pantau hashed n-grams itself (sklearn vectorisers): keep scoring with them,
            # slower, until the model is retrained
            state["_legacy"] = {k: state.pop(k) for k in ("word", "char", "word_tfidf", "char_tfidf")}
            state["idf"] = np.ones(0, dtype=np.float32)
        self.__dict__.update(state)

    @property
    def _n_lexical(self) -> int:
        return self.config.n_features * (2 if self.config.use_char else 1)

    @property
    def n_columns(self) -> int:
        return self._n_lexical + (len(STYLE_CUES) if self.config.use_style else 0)

    def _counts(self, texts: Sequence[str]) -> Counts:
        c = self.config
        return count_ngrams(
            texts, c.n_features, c.word_ngram_max, c.char_ngram_min, c.char_ngram_max, c.use_char
        )

    def fit(self, prepared: Sequence[str]) -> LexicalFeaturizer:
        """Fit IDF weights and the reverse n-gram map on prepared training texts."""
        c = self.config
        counts = self._counts(prepared)
        df = np.bincount(counts.indices, minlength=self._n_lexical)  # columns are unique within a row
        n = len(prepared)
        self.idf = (np.log((1.0 + n) / (1.0 + df)) + 1.0).astype(np.float32)
        self.names = ngram_names(
            prepared, c.n_features, c.word_ngram_max, c.char_ngram_min, c.char_ngram_max, c.use_char
        )
        self._legacy = None
        return self

    def transform(self, batch: Batch) -> sp.csr_matrix:
        """Feature rows for a prepared batch (n-gram counts are shared with other models via ``memo``).

        Each row's word block and character block are TF-IDF weighted (``1 + log(count)`` × idf) and
        scaled to unit length separately; the character block is then multiplied by ``char_weight``.
        """
        if self._legacy is not None:
            return self._legacy_transform(batch)
        c = self.config
        key = (c.n_features, c.word_ngram_max, c.char_ngram_min, c.char_ngram_max, c.use_char)
        counts: Counts = batch.memo(("ngrams", *key), lambda: self._counts(batch.prepared))
        indptr, indices = counts.indptr, counts.indices
        tf = batch.memo(("tf", *key), lambda: np.log(counts.counts) + 1.0)  # the same for both models
        data = tf * self.idf[indices]
        rows = batch.memo(("rows", c.n_features, c.use_char), lambda: _segments(counts, c.n_features))
        norms = np.sqrt(np.bincount(rows, weights=data * data, minlength=2 * counts.n_rows))
        data /= norms[rows]
        if c.use_char and c.char_weight != 1.0:
            data[indices >= c.n_features] *= c.char_weight
        if c.use_style:
            style = batch.memo(("style",), lambda: np.asarray([style_cues(t) for t in batch.masked]))
            k = len(STYLE_CUES)
            at = np.repeat(indptr[1:], k)  # style columns are last: append them to every row
            indices = np.insert(indices, at, np.tile(np.arange(self._n_lexical, self.n_columns), len(batch)))
            data = np.insert(data, at, style.ravel() * c.style_weight)
            indptr = indptr + k * np.arange(len(indptr))
        return sp.csr_matrix((data, indices, indptr), shape=(counts.n_rows, self.n_columns))

    def _legacy_transform(self, batch: Batch) -> sp.csr_matrix:
        """Features of a model saved with the sklearn vectorisers (same output as when it was trained)."""
        c, old = self.config, self._legacy or {}
        blocks: list[Any] = [old["word_tfidf"].transform(old["word"].transform(batch.prepared))]
        if c.use_char:
            chars = old["char"].transform(batch.prepared)
            blocks.append(old["char_tfidf"].transform(chars) * c.char_weight)
        if c.use_style:
            style = batch.memo(("style",), lambda: np.asarray([style_cues(t) for t in batch.masked]))
            blocks.append(sp.csr_matrix(style * c.style_weight))
        return sp.hstack(blocks, format="csr")

    def prune(self, columns: np.ndarray) -> None:
        """Keep reverse-map entries for ``columns`` only (those the model gave a weight)."""
        keep = {int(c) for c in columns}
        self.names = {c: v for c, v in self.names.items() if c in keep}

    def describe(self, column: int, prepared_text: str) -> tuple[str, str] | None:
        """(kind, readable text) of one feature column for one text, or None for an unknown bucket."""
        if column >= self._n_lexical:
            return "cue", STYLE_CUES[column - self._n_lexical][1]
        named = self.names.get(column)
        if named is None:
            return None
        if named[0] == "char":
            return "ngram", _word_of(named[1], _padded(prepared_text))
        return "ngram", named[1]

    def describe_many(self, columns: Sequence[int], prepared_text: str) -> list[tuple[str, str] | None]:
        """:meth:`describe` for several columns of one text."""
        style_start = self._n_lexical
        names = self.names
        padded = f" {prepared_text} "
        out: list[tuple[str, str] | None] = []
        for column in columns:
            if column >= style_start:
                out.append(("cue", STYLE_CUES[column - style_start][1]))
                continue
            named = names.get(column)
            if named is None:
                out.append(None)
            elif named[0] == "char":
                gram = named[1]
                at = padded.find(gram)
                if at < 0 or not gram or gram.isspace():
                    out.append(("ngram", _word_of(gram, padded)))
                    continue
                if gram[0] == " ":  # _word_of inlined for the usual case: the n-gram is in the text
                    at += 1
                out.append(("ngram", padded[padded.rfind(" ", 0, at) + 1 : padded.find(" ", at)]))
            else:
                out.append(("ngram", named[1]))
        return out


def _segments(counts: Counts, n_features: int) -> np.ndarray:
    """For every stored count: ``2 × row + block`` (block 0: word n-grams, 1: character n-grams)."""
    rows = np.repeat(np.arange(counts.n_rows, dtype=np.int64), np.diff(counts.indptr))
    return np.asarray(2 * rows + (counts.indices >= n_features))


@functools.lru_cache(maxsize=1024)
def _padded(prepared_text: str) -> str:
    """The prepared text with a space at each end (cached for about a batch: reasons look up many
    columns of the same text, one call each)."""
    return f" {prepared_text} "


def _word_of(gram: str, padded: str) -> str:
    """The word a character n-gram comes from (easier to read than "arka"): the first token of
    ``padded`` (the prepared text with a space at each end) that holds it where its padding spaces say
    (" ban" starts a word), else any token holding it."""
    core = gram.strip()
    if not core:
        return core
    at = padded.find(gram)
    if at < 0:
        at = padded.find(core)
        if at < 0:
            return core
    elif gram[0] == " ":
        at += 1
    start = padded.rfind(" ", 0, at) + 1
    return padded[start : padded.find(" ", at)]


def top_contributions(features: sp.csr_matrix, weights: np.ndarray, k: int) -> list[list[tuple[int, float]]]:
    """Per row, the ``k`` columns with the largest ``|value × weight|`` as (column, contribution).

    Each row is one ``argpartition`` and one ``argsort`` of its negated sizes (equal contributions are
    common, and which of them come first is what those calls give, so they are kept; the array methods
    are called directly, the same calls without the ``np.`` wrappers); the sizes are negated, the row
    offsets added and the picks turned into Python numbers once for the whole batch."""
    features = features.tocsr()
    values = features.data * weights[features.indices]
    neg = -np.abs(values)
    bounds = features.indptr.tolist()
    short = np.arange(k + 1)  # rows of at most k entries keep them all: np.arange(size) is its prefix
    picks: list[np.ndarray] = []
    for start, end in zip(bounds, bounds[1:], strict=False):
        row = neg[start:end]
        pick = row.argpartition(k)[:k] if end - start > k else short[: end - start]
        picks.append(pick[row[pick].argsort()])
    sizes = [len(pick) for pick in picks]
    at = np.concatenate(picks) + np.repeat(features.indptr[:-1], sizes) if picks else np.zeros(0, np.int64)
    cols, vals = features.indices[at].tolist(), values[at].tolist()
    out: list[list[tuple[int, float]]] = []
    pos = 0
    for size in sizes:
        end = pos + size
        out.append([(c, v) for c, v in zip(cols[pos:end], vals[pos:end], strict=True) if v != 0.0])
        pos = end
    return out
