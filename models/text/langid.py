"""Language identification restricted to Indonesian, Malay and English (lingua).

Policy (documented in ``docs/models.md``):

* URLs, mentions, hashtags, emoji and digits are stripped before detection.
* Fewer than :data:`MIN_LETTERS` letters left → ``"und"`` (nothing to decide on).
* Otherwise the language with the highest confidence wins, except that Malay must beat Indonesian by
  :data:`MALAY_MARGIN`: the two share most words, pantau monitors Indonesian media, and short Indonesian
  posts are often scored as Malay by a small margin.
* A top confidence under :data:`MIN_CONFIDENCE` → ``"id"`` when Indonesian + Malay together hold most of
  the mass (a short Indonesian-looking post), else ``"und"``.
* Speed: a text that is clearly Indonesian by its function words (at least :data:`SHORTCUT_MIN_HITS`
  common Indonesian words making at least :data:`SHORTCUT_SHARE` of its words, no typically Malay
  word, English words at most a quarter of the Indonesian ones) is ``"id"`` without asking lingua
  (``shortcut=False`` turns this off). Lingua reads at most :data:`MAX_CHARS` characters (cut at a
  space): a long post's opening decides its language as well as the whole post does. On the public
  hoax sets and the seed corpus the answers agree with full-text lingua on over 99 % of posts; the
  differences are texts lingua calls Malay by a wide margin (see ``bench/text.py``).

The detector is built once, lazily, on first use (about 95 MB of language models).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from typing import Any

MIN_LETTERS = 8
MALAY_MARGIN = 0.25
MIN_CONFIDENCE = 0.55
SHORTCUT_MIN_HITS = 1
SHORTCUT_SHARE = 0.1
MAX_CHARS = 300


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


#: common Indonesian words (function words and everyday colloquial ones)
_INDONESIAN = _wordset(
    """yang dan di ke dari ini itu dengan untuk tidak akan pada juga ada sudah kami kita saya mereka dalam
    atau oleh telah adalah karena bisa saja tapi tetapi jadi lebih masih harus hanya sangat seperti agar
    supaya kalau jika bahwa belum pernah sedang nggak gak enggak ga banget sih dong kok udah aja yg kalian
    gimana kenapa mengapa sekarang lagi setelah sebelum uang tersebut para bagi antara namun secara serta
    hingga sampai tanpa apa siapa mana bukan sama semua banyak baru kata ujar menurut"""
)
#: words that are typically Malay (or as common in Malay): their presence leaves the decision to lingua
_MALAY = _wordset(
    """kerana boleh sahaja bahawa wang kerajaan ialah mahu selepas baharu encik awak percuma jabatan
    semasa iaitu kat nak tak pun daripada negeri"""
)
_ENGLISH = _wordset(
    """the and of to is are was were for with that this you it on be have has will not from they we he she
    his her their our your my by at an as but or if what when who how all can just so about more"""
)
_WORDS = re.compile(r"[a-z]+")

_STRIP = re.compile(r"https?://\S+|www\.\S+|[@#][\w.]+|[^\w\s'-]|\d+|_")
_STRIP_LINKS = re.compile(r"https?://\S+|www\.\S+|[@#][\w.]+")
#: ASCII characters _STRIP removes on their own (punctuation, digits, "_")
_ASCII_STRIP = {c: " " for c in range(128) if _STRIP.fullmatch(chr(c))}
_LETTERS = re.compile(r"[^\W\d_]+")
_LOCK = threading.Lock()
_DETECTOR: list[Any] = []


def _detector() -> Any:
    if not _DETECTOR:
        with _LOCK:
            if not _DETECTOR:
                from lingua import Language, LanguageDetectorBuilder

                _DETECTOR.append(
                    LanguageDetectorBuilder.from_languages(
                        Language.INDONESIAN, Language.MALAY, Language.ENGLISH
                    )
                    .with_preloaded_language_models()
                    .build()
                )
    return _DETECTOR[0]


def _clean(text: str) -> str:
    if text.isascii():  # same result, faster: links and handles by regex, the rest by one translate
        if "http" in text or "www." in text or "@" in text or "#" in text:
            text = _STRIP_LINKS.sub(" ", text)
        return " ".join(text.translate(_ASCII_STRIP).split())
    return " ".join(_STRIP.sub(" ", text).split())


def _letters(cleaned: str) -> int:
    if cleaned.isascii():  # only letters, spaces, apostrophes and hyphens are left
        return len(cleaned) - cleaned.count(" ") - cleaned.count("'") - cleaned.count("-")
    return sum(map(len, _LETTERS.findall(cleaned)))


def _clearly_indonesian(cleaned: str) -> bool:
    """Function-word test of :data:`SHORTCUT_MIN_HITS` / :data:`SHORTCUT_SHARE` (module docstring)."""
    words = _WORDS.findall(cleaned[: 2 * MAX_CHARS].lower())
    hits = malay = english = 0
    for word in words:
        if word in _INDONESIAN:
            hits += 1
        elif word in _MALAY:
            malay += 1
        elif word in _ENGLISH:
            english += 1
    return (
        not malay
        and hits >= SHORTCUT_MIN_HITS
        and hits >= SHORTCUT_SHARE * len(words)
        and 4 * english <= hits
    )


def _opening(cleaned: str) -> str:
    """At most :data:`MAX_CHARS` characters, cut at a space when there is one in the second half."""
    if len(cleaned) <= MAX_CHARS:
        return cleaned
    cut = cleaned.rfind(" ", MAX_CHARS // 2, MAX_CHARS)
    return cleaned[: cut if cut > 0 else MAX_CHARS]


def _decide(confidences: Any) -> str:
    scores = {c.language.iso_code_639_1.name.lower(): float(c.value) for c in confidences}
    id_, ms, en = scores.get("id", 0.0), scores.get("ms", 0.0), scores.get("en", 0.0)
    top = max(("id", id_), ("ms", ms), ("en", en), key=lambda kv: kv[1])
    if top[0] == "ms" and ms - id_ < MALAY_MARGIN:
        top = ("id", id_ + ms)
    if top[1] < MIN_CONFIDENCE:
        return "id" if id_ + ms >= 0.5 else "und"
    return top[0]


def detect(texts: Sequence[str], *, shortcut: bool = True) -> list[str]:
    """ISO 639-1 codes ``id`` / ``ms`` / ``en`` or ``und`` for each text, in order (parallel in batch).

    ``shortcut=False``: every text goes to lingua, whole (slower; the reference the shortcut is
    measured against).
    """
    cleaned = [_clean(t or "") for t in texts]
    result = ["und"] * len(cleaned)
    todo = []
    for i, t in enumerate(cleaned):
        if _letters(t) < MIN_LETTERS:
            continue
        if shortcut and _clearly_indonesian(t):
            result[i] = "id"
        else:
            todo.append(i)
    if not todo:
        return result
    detector = _detector()
    batch = [_opening(cleaned[i]) if shortcut else cleaned[i] for i in todo]
    if len(batch) == 1:
        values = [detector.compute_language_confidence_values(batch[0])]
    else:
        values = detector.compute_language_confidence_values_in_parallel(batch)
    for i, confidences in zip(todo, values, strict=True):
        result[i] = _decide(confidences)
    return result


def detect_one(text: str) -> str:
    """:func:`detect` for a single text."""
    return detect([text])[0]
