"""Language identification restricted to Indonesian, Malay and English (lingua).

Policy (documented in ``docs/models.md``):

* URLs, mentions, hashtags, emoji and digits are stripped before detection.
* Fewer than :data:`MIN_LETTERS` letters left → ``"und"`` (nothing to decide on).
* Otherwise the language with the highest confidence wins, except that Malay must beat Indonesian by
  :data:`MALAY_MARGIN`: the two share most words, pantau monitors Indonesian media, and short Indonesian
  posts are often scored as Malay by a small margin.
* A top confidence under :data:`MIN_CONFIDENCE` → ``"id"`` when Indonesian + Malay together hold most of
  the mass (a short Indonesian-looking post), else ``"und"``.

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

_STRIP = re.compile(r"https?://\S+|www\.\S+|[@#][\w.]+|[^\w\s'-]|\d+|_")
_LETTER = re.compile(r"[^\W\d_]")
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
    return " ".join(_STRIP.sub(" ", text).split())


def _decide(confidences: Any) -> str:
    scores = {c.language.iso_code_639_1.name.lower(): float(c.value) for c in confidences}
    id_, ms, en = scores.get("id", 0.0), scores.get("ms", 0.0), scores.get("en", 0.0)
    top = max(("id", id_), ("ms", ms), ("en", en), key=lambda kv: kv[1])
    if top[0] == "ms" and ms - id_ < MALAY_MARGIN:
        top = ("id", id_ + ms)
    if top[1] < MIN_CONFIDENCE:
        return "id" if id_ + ms >= 0.5 else "und"
    return top[0]


def detect(texts: Sequence[str]) -> list[str]:
    """ISO 639-1 codes ``id`` / ``ms`` / ``en`` or ``und`` for each text, in order (parallel in batch)."""
    cleaned = [_clean(t or "") for t in texts]
    result = ["und"] * len(cleaned)
    todo = [i for i, t in enumerate(cleaned) if len(_LETTER.findall(t)) >= MIN_LETTERS]
    if not todo:
        return result
    detector = _detector()
    batch = [cleaned[i] for i in todo]
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
