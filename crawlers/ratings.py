"""Fact-check ratings as published ("SALAH", "Hoaks", "Partly false") → :data:`pantau.records.RATINGS`."""

from __future__ import annotations

import re
import unicodedata

# Checked in order: the first group with a matching phrase wins, so "sebagian benar" is mixed before
# "benar" could make it true, and "tidak benar" is false.
_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("satire", ("satire", "satir", "parodi", "parody", "humor")),
    (
        "mixed",
        (
            "sebagian benar",
            "sebagian salah",
            "setengah benar",
            "partly true",
            "partly false",
            "partially true",
            "partially false",
            "half true",
            "mixture",
            "mixed",
            "campuran",
        ),
    ),
    (
        "misleading",
        (
            "menyesatkan",
            "misleading",
            "konteks keliru",
            "konteks yang salah",
            "salah konteks",
            "false context",
            "missing context",
            "kurang konteks",
            "out of context",
            "manipulated",
            "dimanipulasi",
            "manipulasi",
            "konten yang dimanipulasi",
            "cherry",
            "exaggerat",
            "dilebih",
        ),
    ),
    (
        "false",
        (
            "tidak benar",
            "salah",
            "hoaks",
            "hoax",
            "false",
            "keliru",
            "palsu",
            "fitnah",
            "disinformasi",
            "disinformation",
            "misinformasi",
            "misinformation",
            "fabricated",
            "fake",
            "konten palsu",
            "konten tiruan",
            "pants on fire",
            "incorrect",
            "bohong",
        ),
    ),
    (
        "unproven",
        ("belum terbukti", "tidak terbukti", "unproven", "unverified", "belum terverifikasi", "tidak jelas"),
    ),
    ("true", ("benar", "true", "fakta", "akurat", "accurate", "correct", "sahih", "valid")),
)

_BRACKETS = re.compile(r"[\[\]\(\)\"'“”‘’:]")


def normalize_rating(rating: str | None) -> str:
    """One of RATINGS for a published rating; ``other`` when the words say nothing we know.

    >>> normalize_rating("[SALAH]"), normalize_rating("Sebagian benar"), normalize_rating("KLARIFIKASI")
    ('false', 'mixed', 'other')
    """
    if not rating:
        return "other"
    text = unicodedata.normalize("NFKC", rating).casefold()
    text = " ".join(_BRACKETS.sub(" ", text).split())
    for label, phrases in _RULES:
        if any(_contains_phrase(text, phrase) for phrase in phrases):
            return label
    return "other"


_PREFIXES = ("exaggerat", "dilebih", "cherry")


def _contains_phrase(text: str, phrase: str) -> bool:
    # stems such as "exaggerat" match the start of a word; other phrases must be whole words
    end = "" if phrase in _PREFIXES else r"(?!\w)"
    return re.search(r"(?<!\w)" + re.escape(phrase) + end, text) is not None


def rating_from_scale(value: object, best: object, worst: object) -> str | None:
    """A rating from ClaimReview numbers (``ratingValue`` between ``worstRating`` and ``bestRating``)."""
    try:
        v, b, w = float(str(value)), float(str(best)), float(str(worst))
    except (TypeError, ValueError):
        return None
    if b == w:
        return None
    position = (v - w) / (b - w)
    if not 0 <= position <= 1:
        return None
    if position <= 0.25:
        return "false"
    if position < 0.5:
        return "misleading"
    if position < 0.75:
        return "mixed"
    return "true"
