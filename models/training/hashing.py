"""Word and character n-grams of a whole batch of texts, hashed at once with numpy.

The texts are the space-separated tokens of :func:`models.text.normalize.normalize`. Every text is
turned into code points once; n-gram hashes are polynomial rolling hashes (mod 2**64) finished by a
multiply-xorshift mixer, computed for every position of the batch in a few array operations instead
of a Python loop per n-gram. A hash picks a bucket (``hash mod n_features``).

What is counted (the same n-grams as "``char_wb``" analysis with a ``\\b\\w+\\b`` word pattern, with
the documented differences below):

* **Character n-grams** of length ``char_min..char_max`` inside each token padded with one space on
  each side (``" banget "`` → ``" ba"``, ``"ban"``, ..., ``"et "``); an n-gram never spans two tokens.
  A padded token shorter than ``char_min`` counts once, whole. Windows made of spaces only are skipped.
* **Word n-grams** (1..``word_max``): tokens are the space-separated tokens except the lone
  punctuation tokens ``!``, ``?`` and ``%`` (those stay in the character n-grams); markers keep their
  brackets (``<url>``) and hyphenated words stay one token.
* Any code point up to U+0020 separates tokens (normalised text has single spaces only).

:func:`count_ngrams` returns the per-text bucket counts as CSR arrays (word buckets first, character
buckets offset by ``n_features``); :func:`ngram_names` maps buckets back to the most frequent n-gram
of a corpus (for readable reasons).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

_U64 = np.uint64
#: multiplier of the polynomial hash (odd, so it has an inverse mod 2**64)
_P = _U64(0x9E3779B97F4A7C15)
_P_INV = _U64(pow(0x9E3779B97F4A7C15, -1, 2**64))
#: mixer constants and the per-family offsets (word unigram, word bigram, ...; character n-gram of n)
_M1 = _U64(0xFF51AFD7ED558CCD)
_M2 = _U64(0xC4CEB9FE1A85EC53)
_WORD_SEED = 0x2545F4914F6CDD1D
_CHAR_SEED = 0x5851F42D4C957F2D
_PUNCT = np.array([ord("!"), ord("?"), ord("%")], dtype=np.uint32)


def _mix(h: np.ndarray) -> np.ndarray:
    """Spread every input bit over the whole 64-bit word (so ``mod n_features`` sees all of them)."""
    h = h ^ (h >> _U64(33))
    h = h * _M1
    h = h ^ (h >> _U64(29))
    h = h * _M2
    return np.asarray(h ^ (h >> _U64(32)))


class _Powers:
    """P**k and P**-k mod 2**64 for k < n, grown on demand and shared by all batches."""

    def __init__(self) -> None:
        self.up = np.ones(1, dtype=_U64)
        self.down = np.ones(1, dtype=_U64)

    def get(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        if len(self.up) < n:
            size = max(n, 2 * len(self.up))
            up = np.full(size, _P, dtype=_U64)
            up[0] = 1
            down = np.full(size, _P_INV, dtype=_U64)
            down[0] = 1
            with np.errstate(over="ignore"):
                self.up, self.down = np.cumprod(up, dtype=_U64), np.cumprod(down, dtype=_U64)
        return self.up[:n], self.down[:n]


_POWERS = _Powers()


@dataclass
class Layout:
    """A batch as one code-point array: ``" t0 \\0 t1 \\0 ... "`` (``\\0`` between texts)."""

    text: str
    codes: np.ndarray  # uint32 code points of ``text``
    doc: np.ndarray  # text index of every position
    space: np.ndarray  # bool: position separates tokens
    starts: np.ndarray  # token starts (positions)
    ends: np.ndarray  # token ends (exclusive)

    @classmethod
    def of(cls, texts: Sequence[str]) -> Layout:
        text = " " + " \0 ".join(texts) + " "
        if text.count("\0") != max(len(texts) - 1, 0):  # a NUL inside a text would split it in two
            text = " " + " \0 ".join(t.replace("\0", " ") for t in texts) + " "
        codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        space = codes <= 32
        doc = np.cumsum(codes == 0, dtype=np.int64)
        edges = np.flatnonzero(np.diff(space.view(np.int8)))  # last position before each change
        # the text starts and ends with a space, so changes alternate: start of token, end of token
        return cls(text, codes, doc, space, edges[0::2] + 1, edges[1::2] + 1)


def _char_hashes(lay: Layout, n_min: int, n_max: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(64-bit hash, start position, length) of every counted character n-gram."""
    codes, space = lay.codes, lay.space
    size = len(codes)
    zero = codes == 0
    out_h: list[np.ndarray] = []
    out_pos: list[np.ndarray] = []
    out_len: list[np.ndarray] = []
    h = codes.astype(_U64)
    inner = np.zeros(size, dtype=bool)  # a separator strictly inside the window
    with np.errstate(over="ignore"):
        for n in range(1, n_max + 1):
            if n > 1:
                h = h[:-1] * _P + codes[n - 1 :]
                inner = inner[:-1] | space[n - 2 : size - 1] if n > 2 else inner[:-1]
            if n < n_min or size < n:
                continue
            count = size - n + 1
            # no separator inside, no text boundary at either end, not all spaces
            bad = inner[:count] | zero[:count] | zero[n - 1 :]
            if n == 1:
                bad = bad | space
            elif n == 2:
                bad = bad | (space[:-1] & space[1:])
            pos = np.flatnonzero(~bad)
            out_h.append(_mix(h[pos] + _U64(_CHAR_SEED * n % 2**64)))
            out_pos.append(pos)
            out_len.append(np.full(len(pos), n, dtype=np.int64))
        # padded tokens shorter than n_min count once, whole
        short = np.flatnonzero(lay.ends - lay.starts + 2 < n_min)
        if len(short):
            whole = _span_hashes(lay, lay.starts[short] - 1, lay.ends[short] + 1)
            lengths = lay.ends[short] - lay.starts[short] + 2
            out_h.append(_mix(whole + _U64(_CHAR_SEED) * lengths.astype(_U64)))
            out_pos.append(lay.starts[short] - 1)
            out_len.append(lengths)
    if not out_h:
        empty = np.zeros(0, dtype=np.int64)
        return np.zeros(0, dtype=_U64), empty, empty
    return np.concatenate(out_h), np.concatenate(out_pos), np.concatenate(out_len)


def _span_hashes(lay: Layout, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Polynomial hash of ``codes[s:e]`` for every span (the same value a rolling hash gives)."""
    up, down = _POWERS.get(len(lay.codes))
    with np.errstate(over="ignore"):
        prefix = np.zeros(len(lay.codes) + 1, dtype=_U64)
        np.cumsum(lay.codes.astype(_U64) * down, dtype=_U64, out=prefix[1:])
        return np.asarray((prefix[ends] - prefix[starts]) * up[ends - 1])


def _word_hashes(lay: Layout, n_max: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(64-bit hash, first token index, n) of every word n-gram; token indices refer to ``lay``."""
    starts, ends = lay.starts, lay.ends
    keep = ~((ends - starts == 1) & np.isin(lay.codes[starts], _PUNCT))
    tokens = np.flatnonzero(keep)
    base = _span_hashes(lay, starts[tokens], ends[tokens])
    docs = lay.doc[starts[tokens]]
    out_h = [_mix(base + _U64(_WORD_SEED))]
    out_first = [tokens]
    out_n = [np.ones(len(tokens), dtype=np.int64)]
    h = base
    with np.errstate(over="ignore"):
        for n in range(2, n_max + 1):
            if len(h) < 2:
                break
            h = h[:-1] * _P + base[n - 1 :]
            same = docs[: len(h)] == docs[n - 1 :]
            out_h.append(_mix(h[same] + _U64(_WORD_SEED * n % 2**64)))
            out_first.append(tokens[: len(h)][same])
            out_n.append(np.full(int(same.sum()), n, dtype=np.int64))
    return np.concatenate(out_h), np.concatenate(out_first), np.concatenate(out_n)


@dataclass
class Counts:
    """Bucket counts per text in CSR form: columns ``[0, n_features)`` word, ``[n_features, 2n)`` char."""

    indptr: np.ndarray
    indices: np.ndarray
    counts: np.ndarray
    n_rows: int


def _buckets(hashes: np.ndarray, n_features: int) -> np.ndarray:
    """``hash mod n_features`` as int64 (a mask when ``n_features`` is a power of two)."""
    if n_features & (n_features - 1) == 0:
        return (hashes & _U64(n_features - 1)).astype(np.int64)
    return (hashes % _U64(n_features)).astype(np.int64)


def count_ngrams(
    texts: Sequence[str], n_features: int, word_max: int, char_min: int, char_max: int, use_char: bool
) -> Counts:
    """Bucket counts of every text's word (and character) n-grams, rows in text order, sorted columns.

    Every n-gram becomes one integer ``row × 2·n_features + column``; one sort of those integers puts
    equal (row, column) pairs side by side, and the lengths of the runs are the counts.
    """
    lay = Layout.of(texts)
    shift = (2 * n_features - 1).bit_length()
    row_base = lay.doc << shift  # a power-of-two row stride: rows and columns come back by shift / mask
    wh, wfirst, _ = _word_hashes(lay, word_max)
    keys = [row_base[lay.starts[wfirst]] + _buckets(wh, n_features)]
    if use_char:
        ch, cpos, _ = _char_hashes(lay, char_min, char_max)
        keys.append(row_base[cpos] + (_buckets(ch, n_features) + n_features))
    key = np.concatenate(keys)
    if len(texts) << shift <= 2**32:  # every key fits in 32 bits: half the bytes to sort and compare
        key = key.astype(np.uint32)
    key.sort()  # equal keys are equal integers, so any sort algorithm gives the same array
    if len(key):
        first = np.empty(len(key), dtype=bool)
        first[0] = True
        np.not_equal(key[1:], key[:-1], out=first[1:])
        at = np.flatnonzero(first)
        counts = np.diff(np.append(at, len(key))).astype(np.float64)
        key = key[at]
    else:
        counts = np.zeros(0)
    indptr = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(np.bincount(key >> shift, minlength=len(texts)), out=indptr[1:])
    return Counts(indptr, (key & ((1 << shift) - 1)).astype(np.int32), counts, len(texts))


def ngram_names(
    texts: Sequence[str],
    n_features: int,
    word_max: int,
    char_min: int,
    char_max: int,
    use_char: bool,
    min_count: int = 2,
) -> dict[int, tuple[str, str]]:
    """Column → (``"word"`` | ``"char"``, n-gram): the most frequent n-gram of ``texts`` in each bucket
    (ties: the one seen first), for n-grams seen at least ``min_count`` times."""
    lay = Layout.of(texts)
    names: dict[int, tuple[str, str]] = {}
    families: list[tuple[str, np.ndarray, np.ndarray, np.ndarray, int]] = []
    wh, wfirst, wn = _word_hashes(lay, word_max)
    families.append(("word", wh, wfirst, wn, 0))
    if use_char:
        ch, cpos, clen = _char_hashes(lay, char_min, char_max)
        families.append(("char", ch, cpos, clen, n_features))
    for kind, hashes, where, size, offset in families:
        if not len(hashes):
            continue
        uniq, first, counts = np.unique(hashes, return_index=True, return_counts=True)
        common = counts >= min_count
        uniq, first, counts = uniq[common], first[common], counts[common]
        buckets = _buckets(uniq, n_features)
        order = np.lexsort((first, -counts, buckets))  # by bucket, then most frequent, then first seen
        buckets, first = buckets[order], first[order]
        lead = np.ones(len(buckets), dtype=bool)
        lead[1:] = buckets[1:] != buckets[:-1]
        for bucket, i in zip(buckets[lead].tolist(), first[lead].tolist(), strict=True):
            if kind == "char":
                gram = lay.text[int(where[i]) : int(where[i] + size[i])]
            else:
                run = _kept_run(lay, int(where[i]), int(size[i]))
                gram = " ".join(lay.text[lay.starts[j] : lay.ends[j]] for j in run)
            names[bucket + offset] = (kind, gram)
    return names


def _kept_run(lay: Layout, first: int, n: int) -> list[int]:
    """Indices of ``n`` word tokens from token ``first`` on, skipping the lone punctuation tokens."""
    out: list[int] = []
    j = first
    while len(out) < n and j < len(lay.starts):
        s, e = int(lay.starts[j]), int(lay.ends[j])
        if not (e - s == 1 and lay.text[s] in "!?%"):
            out.append(j)
        j += 1
    return out
