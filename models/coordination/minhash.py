"""Vectorised MinHash over character shingles of normalised post text (numpy, no Python loop per shingle).

A post's text is normalised for near-duplicate detection (:func:`normalize_for_dedup`): case-folded,
links, mentions and hashtags taken out (they are evidence of their own, see :func:`extract_evidence`),
punctuation and emoji dropped, spaces collapsed. What remains is cut into overlapping character
``k``-grams (default 5), hashed to 32 bits with a rolling polynomial over the UTF-8 bytes of a whole
batch at once, and summarised by one-permutation MinHash (see :class:`MinHasher`). Two signatures agree
in a position with probability close to the Jaccard similarity of the two shingle sets.

Why characters and not words: a light paraphrase (a swapped word, a typo, an added emoji) changes only
the shingles that touch it, so a 30-word script with three words changed keeps a Jaccard of ~0.7, where
word 3-grams would fall to ~0.5.

Measured on one core here: see ``bench/coordination.py`` for the whole clustering throughput;
datasketch's pure-Python ``MinHash`` does ~1,100 posts/s at 64 permutations on the same texts.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

U32Array = NDArray[np.uint32]

_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
#: a hashtag: ``#`` and word characters, not preceded by a word character or ``#`` (checked in code:
#: a lookbehind at the start of the pattern makes the regex try every position of a long text)
_HASHTAG = re.compile(r"#(\w+)")
_RT_PREFIX = re.compile(r"^\s*RT\s+@[A-Za-z0-9_.]{1,30}\s*:?\s*", re.IGNORECASE)
_STRIP = re.compile(r"(?:https?://|www\.)\S+|[@#][\w.]+")
_WORD = re.compile(r"[^\W_]+")
_SPACES = re.compile(r"  +")

_NO_EVIDENCE: frozenset[str] = frozenset()
#: largest number of characters of a post that is shingled (long articles: their opening is enough)
MAX_CHARS = 2000


#: ASCII bytes → lower-case letters and digits kept, everything else a space (what ``_WORD`` keeps of
#: ASCII text: ``[^\W_]`` is exactly ``[A-Za-z0-9]`` there)
_ASCII_WORDS = bytes(
    c + 32 if 65 <= c <= 90 else c if 97 <= c <= 122 or 48 <= c <= 57 else 32 for c in range(256)
)


def normalize_for_dedup(text: str) -> str:
    """The text as compared for near-duplicates: lower-case words and numbers separated by one space.

    >>> normalize_for_dedup("RT @budi: Ayo DUKUNG paslon 01!!! 🔥 #Menang https://t.co/x")
    'ayo dukung paslon 01'
    """
    text = text[: MAX_CHARS * 2]
    ascii_only = text.isascii()
    # ASCII text (most posts): str.lower is casefold there, and one bytes.translate + split finds the
    # same words as the regex at a fraction of its cost
    text = text.lower() if ascii_only else text.casefold()
    if text.lstrip().startswith("rt"):
        text = _RT_PREFIX.sub("", text)
    if "@" in text or "#" in text or "http" in text or "www." in text:
        text = _strip_marks(text)
    if ascii_only:
        words = text.encode("ascii").translate(_ASCII_WORDS).decode("ascii")
        if "  " in words:
            words = _SPACES.sub(" ", words)
        return words.strip(" ")[:MAX_CHARS]
    return " ".join(_WORD.findall(text))[:MAX_CHARS]


def is_native_share(text: str, forwarded_from: str | None) -> bool:
    """A platform-native share (retweet, forward): ``forwarded_from`` set or an ``RT @user:`` prefix."""
    return bool(forwarded_from) or bool(_RT_PREFIX.match(text))


def canonical_link(url: str) -> str:
    """A link as compared across posts: no scheme, ``www.``, query, fragment or trailing slash."""
    url = url.strip().lower()
    scheme = url.find("://")
    if 0 < scheme < 10:
        url = url[scheme + 3 :]
    url = url.removeprefix("www.")
    url = url.split("#", 1)[0].split("?", 1)[0]
    return url.rstrip("/.,)")


def extract_evidence(text: str, links: Sequence[str] = (), hashtags: Sequence[str] = ()) -> frozenset[str]:
    """Links and hashtags of a post (from its fields and its text), canonicalised: ``l:host/path``,
    ``h:tag``. Shared evidence lowers the text similarity two posts need to be joined."""
    if not links and not hashtags and "#" not in text and "http" not in text and "www." not in text:
        return _NO_EVIDENCE
    found = {"l:" + canonical_link(u) for u in links if u}
    found.update("h:" + h.lstrip("#").casefold() for h in hashtags if h.strip("#"))
    if "http" in text or "www." in text:
        if text.isascii():  # lower-casing keeps positions, and no non-ASCII letter case-folds to these
            urls = _matches(_URL, text, _literal_starts(text.lower(), ("http", "www.")))
        else:
            urls = [m.group(0) for m in _URL.finditer(text)]
        found.update("l:" + canonical_link(u) for u in urls)
    if "#" in text:
        for m in _HASHTAG.finditer(text):
            at = m.start()
            if at and (text[at - 1].isalnum() or text[at - 1] in "_#"):  # preceded by \w or #
                continue
            found.add("h:" + m.group(1).casefold())
    found.discard("l:")
    return frozenset(found)


def _literal_starts(text: str, needles: Sequence[str]) -> list[int]:
    """Every position where one of ``needles`` starts in ``text``, in order."""
    starts: list[int] = []
    for needle in needles:
        at = text.find(needle)
        while at >= 0:
            starts.append(at)
            at = text.find(needle, at + 1)
    starts.sort()
    return starts


def _matches(pattern: re.Pattern[str], text: str, starts: list[int]) -> list[str]:
    """``[m.group(0) for m in pattern.finditer(text)]`` for a pattern whose matches can only begin at
    ``starts`` (the literal openings of all its branches): str.find locates those far faster than the
    regex's own scan, which tries every position of the text."""
    found: list[str] = []
    end = 0
    for at in starts:
        if at < end:
            continue
        m = pattern.match(text, at)
        if m is not None:
            found.append(m.group(0))
            end = m.end()
    return found


def _strip_marks(text: str) -> str:
    """``_STRIP.sub(" ", text)``: links, mentions and hashtags replaced by a space (see :func:`_matches`)."""
    pieces: list[str] = []
    end = 0
    for at in _literal_starts(text, ("http", "www.", "@", "#")):
        if at < end:
            continue
        m = _STRIP.match(text, at)
        if m is not None:
            pieces.append(text[end:at])
            pieces.append(" ")
            end = m.end()
    pieces.append(text[end:])
    return "".join(pieces)


def stable_hash64(text: str) -> int:
    """A 63-bit hash of ``text`` that is the same in every process (Python's ``hash`` is salted)."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little") >> 1


@dataclass(frozen=True)
class MinHasher:
    """MinHash signatures of many texts at once (one-permutation hashing with rotation densification).

    Each shingle is hashed once; its top bits pick one of ``num_perm`` bins and the signature keeps the
    smallest remaining bits per bin, so the cost is one pass over the shingles instead of ``num_perm``
    (Li, Owen & Zhang 2012). Bins a short text leaves empty borrow the next non-empty bin to their right
    plus a fixed offset per step (Shrivastava & Li 2014), so two texts agree in a bin with probability
    close to their Jaccard similarity either way.

    >>> h = MinHasher(num_perm=64)
    >>> sigs = h.signatures(["ayo coblos paslon nomor satu", "ayo coblos paslon nomor satu ya"])
    >>> sigs.shape, MinHasher.similarity(sigs[0], sigs[1]) > 0.6
    ((2, 64), True)
    """

    num_perm: int = 64
    shingle: int = 5
    seed: int = 1

    def __post_init__(self) -> None:
        if self.num_perm not in (16, 32, 64, 128, 256):
            raise ValueError(f"num_perm must be one of 16, 32, 64, 128, 256, got {self.num_perm}")
        if self.shingle < 1 or self.shingle > 16:
            raise ValueError(f"shingle must be between 1 and 16 characters, got {self.shingle}")

    @property
    def empty(self) -> U32Array:
        """The signature of a text with no shingles (never similar to anything)."""
        return np.full(self.num_perm, EMPTY, dtype=np.uint32)

    def shingle_hashes(self, texts: Sequence[str]) -> tuple[U32Array, NDArray[np.int64]]:
        """Well-mixed 32-bit hashes of every character shingle of every text, and the start offset of each
        text's run in that array (``len(texts) + 1`` offsets). A text shorter than a shingle yields one."""
        k = self.shingle
        encoded = [t.encode("utf-8") for t in texts]
        # texts shorter than k are padded so they still get one shingle (short greetings dedupe exactly)
        encoded = [e + b" " * (k - len(e)) if 0 < len(e) < k else e for e in encoded]
        lengths = np.fromiter((len(e) for e in encoded), dtype=np.int64, count=len(encoded))
        counts = np.maximum(lengths - k + 1, 0)
        offsets = np.zeros(len(texts) + 1, dtype=np.int64)
        np.cumsum(counts, out=offsets[1:])
        if int(offsets[-1]) == 0:
            return np.zeros(0, dtype=np.uint32), offsets
        buf = np.frombuffer(b"".join(encoded), dtype=np.uint8).astype(np.uint32)
        n = len(buf)
        # rolling polynomial over the whole batch with contiguous slices; then keep the shingles that do
        # not cross from one text into the next
        h = buf[: n - k + 1] + np.uint32(self.seed)
        for j in range(1, k):
            h *= _BASE
            h += buf[j : n - k + 1 + j]
        # every non-empty text has k bytes or more (padded above): the starts in its last k - 1 bytes
        # are the shingles that would cross into the next text
        ends = np.cumsum(lengths)[lengths > 0]
        inside = np.ones(n - k + 1, dtype=bool)
        for j in range(1, k):
            crossing = ends - k + j
            inside[crossing[crossing < n - k + 1]] = False
        h = h[inside]
        # murmur3's finaliser: every output bit depends on every input bit
        h ^= h >> np.uint32(16)
        h *= np.uint32(0x85EBCA6B)
        h ^= h >> np.uint32(13)
        h *= np.uint32(0xC2B2AE35)
        h ^= h >> np.uint32(16)
        return h, offsets

    def signatures(self, texts: Sequence[str]) -> U32Array:
        """``(len(texts), num_perm)`` uint32 signatures; texts without shingles get :attr:`empty`."""
        p = self.num_perm
        bits = p.bit_length() - 1
        out = np.full((len(texts), p), EMPTY, dtype=np.uint32)
        if not texts:
            return out
        h, offsets = self.shingle_hashes(texts)
        if len(h) == 0:
            return out
        counts = np.diff(offsets)
        owner = np.repeat(np.arange(len(texts), dtype=np.int64), counts)
        cell = owner * p + (h >> np.uint32(32 - bits)).astype(np.int64)
        value = h & np.uint32((1 << (32 - bits)) - 1)
        flat = out.reshape(-1)
        np.minimum.at(flat, cell, value)
        _densify(out, counts > 0)
        return out

    @staticmethod
    def similarity(a: U32Array, b: U32Array) -> float:
        """Estimated Jaccard similarity of two signatures (0 when either text was empty)."""
        if int(a[0]) == EMPTY or int(b[0]) == EMPTY:
            return 0.0
        return float(np.mean(a == b))


#: a bin no shingle fell into (and every bin of an empty text)
EMPTY = 0xFFFFFFFF
_BASE = np.uint32(1_000_003)
#: added per step when an empty bin borrows a neighbour's value (keeps borrowed values distinct)
_STEP = np.uint32(0x01000193)


def _densify(sigs: U32Array, nonempty_rows: NDArray[np.bool_]) -> None:
    """Fill empty bins of non-empty texts in place from the next non-empty bin to the right (circular)."""
    rows = np.nonzero(nonempty_rows & (sigs == EMPTY).any(axis=1))[0]
    if len(rows) == 0:
        return
    sub = sigs[rows]
    filled = sub.copy()
    empty = sub == EMPTY
    live = np.arange(len(rows))
    # gaps are short (a 150-shingle text leaves ~10% of 64 bins empty), so a few vectorised steps fill all
    for step in range(1, sub.shape[1]):
        right = np.roll(sub[live], -step, axis=1)
        fill = empty[live] & (right != EMPTY)
        block = filled[live]
        block[fill] = right[fill] + np.uint32(step) * _STEP
        filled[live] = block
        still = empty[live] & ~fill
        empty[live] = still
        live = live[still.any(axis=1)]
        if len(live) == 0:
            break
    sigs[rows] = filled
