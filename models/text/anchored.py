"""Regex searches started only where a literal opening occurs.

A regex whose every match starts with one of a few literals ("sebar", "viral", ...) need not be tried at
every position of a long text: ``str.find`` finds the openings (a fast substring search), and the regex
is matched there alone. Assertions such as ``\\b`` or a lookbehind still see the characters before the
position (``Pattern.match(text, pos)`` does not cut the text), so the answer is the whole-text search's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence


def found_at_openings(regex: re.Pattern[str], text: str, openings: Sequence[str]) -> bool:
    """``regex.search(text) is not None``, for a regex every match of which starts with one of
    ``openings`` (the caller's promise; tests check it for every regex that is searched this way)."""
    for opening in openings:
        at = text.find(opening)
        while at >= 0:
            if regex.match(text, at):
                return True
            at = text.find(opening, at + 1)
    return False


def found_before_closings(regex: re.Pattern[str], text: str, closings: Sequence[str], reach: int) -> bool:
    """``regex.search(text) is not None``, for a regex without lookarounds every match of which ends with
    one of ``closings`` and spans at most ``reach`` characters: searched only in the stretch of ``reach``
    characters that ends with each occurrence of a closing (a match found there is a match of the whole
    text, and every match of the whole text lies in such a stretch)."""
    for closing in closings:
        at = text.find(closing)
        while at >= 0:
            end = at + len(closing)
            if regex.search(text, max(0, end - reach), end):
                return True
            at = text.find(closing, at + 1)
    return False
