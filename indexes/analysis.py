"""Indonesian text analysis shared by indexing and querying.

tantivy ships no Indonesian stemmer, so pantau analyses text in Python before it reaches the engine and
feeds tantivy whitespace-separated tokens. The same functions analyse the user's query, so index and
query always agree:

* :func:`words` — lower-cased word tokens (letters and digits; ``#hashtag`` keeps its word), used for
  exact phrases and highlighting;
* :func:`stems` — those words stemmed with Sastrawi (Nazief–Adriani), so ``memenangkan``,
  ``kemenangan`` and ``pemenang`` all become ``menang``. Stems are cached per word: real text repeats
  a small vocabulary, so after warm-up analysis costs a dictionary lookup per word.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import cast

from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

#: letters and digits, like tantivy's simple tokenizer (underscore is a separator)
WORD_RE = re.compile(r"[^\W_]+")
#: tokens longer than this are dropped (URLs pasted without spaces, base64 blobs)
MAX_TOKEN_CHARS = 40

_stemmer = StemmerFactory().create_stemmer()


def fold(text: str) -> str:
    """NFC and case-folded text (what every token starts from)."""
    return unicodedata.normalize("NFC", text).casefold()


#: ASCII bytes → themselves lower-cased when a letter or digit, else a space (the ASCII fast path)
_ASCII_WORD_BYTES = bytes(c if chr(c).isalnum() and c < 128 else 32 for c in range(256)).lower()


def words(text: str) -> list[str]:
    """Lower-cased word tokens of ``text``, in order."""
    if text.isascii():
        # same tokens as the general path (ASCII casefold is lower, NFC changes nothing, and the only
        # ASCII word characters are letters and digits), several times cheaper: one byte-table pass
        found = text.encode("ascii").translate(_ASCII_WORD_BYTES).decode("ascii").split()
    else:
        found = WORD_RE.findall(fold(text))
    if found and max(map(len, found)) > MAX_TOKEN_CHARS:
        return [w for w in found if len(w) <= MAX_TOKEN_CHARS]
    return found


@lru_cache(maxsize=500_000)
def stem(word: str) -> str:
    """The Sastrawi stem of one lower-cased word (numbers and short words are kept as they are)."""
    if len(word) <= 3 or not word.isalpha():
        return word
    result: str = _stemmer.stem(word)
    return result or word


#: word → stem for :func:`stem_words`; emptied when it reaches :data:`STEM_CACHE_WORDS` entries
_STEMS: dict[str, str] = {}
STEM_CACHE_WORDS = 500_000


def stem_words(tokens: list[str]) -> list[str]:
    """:func:`stem` of each token: a plain dictionary answers the words seen before (an index run stems
    every token of every post; the ``lru_cache`` call per token cost more than the lookup itself)."""
    cache = _STEMS
    out = list(map(cache.get, tokens))
    if None in out:
        if len(cache) >= STEM_CACHE_WORDS:
            cache.clear()
        for i, (token, found) in enumerate(zip(tokens, out, strict=True)):
            if found is None:
                out[i] = cache[token] = stem(token)
    return cast(list[str], out)  # every None was filled


def stems(text: str) -> list[str]:
    """Stemmed word tokens of ``text``, position for position with :func:`words`."""
    return stem_words(words(text))


def word_spans(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, folded word)`` of every word in ``text`` (offsets into the original string)."""
    out: list[tuple[int, int, str]] = []
    for match in WORD_RE.finditer(text):
        word = fold(match.group())
        if len(word) <= MAX_TOKEN_CHARS:
            out.append((match.start(), match.end(), word))
    return out
