"""Snippets with highlighted matches, computed the same way for every backend.

A word is highlighted when its stem is one the query looks for, or when it is part of a quoted phrase.
The snippet is the window of about ``width`` characters with the most highlighted words. Post text is
hostile: ``snippet_html`` is HTML-escaped, with only our own ``<mark>`` tags added.

Speed matters here (every hit of every search): words are located with one C-level regex pass over
the distinct words that can match, not by analysing the whole text word by word.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from functools import lru_cache

from indexes.analysis import WORD_RE, fold, stem, word_spans


def _phrase_spans(text: str, phrases: Iterable[tuple[str, ...]]) -> list[tuple[int, int]]:
    spans = word_spans(text)
    folded = [w for _, _, w in spans]
    hit: set[int] = set()
    for phrase in phrases:
        n = len(phrase)
        if not n:
            continue
        for i in range(len(folded) - n + 1):
            if tuple(folded[i : i + n]) == phrase:
                hit.update(range(i, i + n))
    return [(spans[i][0], spans[i][1]) for i in sorted(hit)]


@lru_cache(maxsize=4096)
def _words_pattern(wanted: tuple[str, ...]) -> re.Pattern[str]:
    """Whole-word, case-insensitive alternation of ``wanted`` (longest first). Compiling a pattern costs
    far more than running it, and the pages of one query keep needing the same few word sets."""
    return re.compile(
        r"(?<![^\W_])(?:" + "|".join(re.escape(w) for w in wanted) + r")(?![^\W_])",
        re.IGNORECASE,
    )


def _ascii_stem_spans(text: str, stems: set[str]) -> list[tuple[int, int]]:
    # ASCII text folds by lower() without moving any offset. The distinct words come from one C-level
    # findall; only those whose stem is wanted are located, with str.find and a word-boundary check
    lowered = text.lower()
    size = len(lowered)
    spans: list[tuple[int, int]] = []
    for word in {w for w in set(WORD_RE.findall(lowered)) if stem(w) in stems}:
        at = lowered.find(word)
        while at >= 0:
            end = at + len(word)
            if (at == 0 or not lowered[at - 1].isalnum()) and (end == size or not lowered[end].isalnum()):
                spans.append((at, end))
                at = lowered.find(word, end)
            else:
                at = lowered.find(word, at + 1)
    spans.sort()
    return spans


def _stem_spans(text: str, stems: set[str]) -> list[tuple[int, int]]:
    if text.isascii():
        return _ascii_stem_spans(text, stems)
    wanted = {w for w in set(WORD_RE.findall(fold(text))) if stem(w) in stems}
    if not wanted:
        return []
    pattern = _words_pattern(tuple(sorted(wanted, key=lambda w: (-len(w), w))))
    return [(m.start(), m.end()) for m in pattern.finditer(text) if fold(m.group()) in wanted]


def match_spans(text: str, stems: set[str], phrases: list[tuple[str, ...]]) -> list[tuple[int, int]]:
    """Sorted ``(start, end)`` offsets of the words of ``text`` a query matches."""
    spans = set(_stem_spans(text, stems)) if stems else set()
    if phrases:
        spans.update(_phrase_spans(text, phrases))
    return sorted(spans)


def _window(text: str, spans: list[tuple[int, int]], width: int) -> tuple[int, int]:
    if len(text) <= width:
        return 0, len(text)
    if not spans:
        start, end = 0, width
    else:
        # slide a window over the matches and keep the densest one
        positions = [s for s, _ in spans]
        best, best_start, j = 0, positions[0], 0
        for i, pos in enumerate(positions):
            while positions[j] < pos - width // 2:
                j += 1
            if i - j + 1 > best:
                best, best_start = i - j + 1, positions[j]
        start = max(0, best_start - width // 4)
        end = min(len(text), start + width)
    # do not cut words in half
    while start > 0 and not text[start - 1].isspace() and start > end - width - 20:
        start -= 1
    while end < len(text) and not text[end].isspace() and end < start + width + 20:
        end += 1
    return start, end


def snippet(
    text: str, stems: set[str], phrases: list[tuple[str, ...]], width: int = 220
) -> tuple[str, list[tuple[int, int]], str]:
    """``(snippet, highlight offsets into it, escaped HTML with <mark>)`` of ``text`` for a query."""
    spans = match_spans(text, stems, phrases)
    start, end = _window(text, spans, width)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    offsets = [
        (s - start + len(prefix), e - start + len(prefix)) for s, e in spans if s >= start and e <= end
    ]
    plain = prefix + text[start:end] + suffix
    parts: list[str] = []
    cursor = 0
    for s, e in offsets:
        parts.append(html.escape(plain[cursor:s]))
        parts.append("<mark>" + html.escape(plain[s:e]) + "</mark>")
        cursor = e
    parts.append(html.escape(plain[cursor:]))
    return plain, offsets, "".join(parts)
