"""Snippets with highlighted matches, computed the same way for every backend.

A word is highlighted when its stem is one the query looks for, or when it is part of a quoted phrase.
The snippet is the window of about ``width`` characters with the most highlighted words. Post text is
hostile: ``snippet_html`` is HTML-escaped, with only our own ``<mark>`` tags added.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from indexes.analysis import stem, word_spans


def _phrase_hits(spans: list[tuple[int, int, str]], phrases: Iterable[tuple[str, ...]]) -> set[int]:
    hit: set[int] = set()
    folded = [w for _, _, w in spans]
    for phrase in phrases:
        n = len(phrase)
        if not n:
            continue
        for i in range(len(folded) - n + 1):
            if tuple(folded[i : i + n]) == phrase:
                hit.update(range(i, i + n))
    return hit


def snippet(
    text: str, stems: set[str], phrases: list[tuple[str, ...]], width: int = 220
) -> tuple[str, list[tuple[int, int]], str]:
    """``(snippet, highlight offsets into it, escaped HTML with <mark>)`` of ``text`` for a query."""
    spans = word_spans(text)
    marked = {i for i, (_, _, w) in enumerate(spans) if stem(w) in stems} if stems else set()
    marked |= _phrase_hits(spans, phrases)
    if len(text) <= width:
        start, end = 0, len(text)
    elif not marked:
        start, end = 0, width
    else:
        # slide a window over the marked words and keep the densest one
        positions = sorted(spans[i][0] for i in marked)
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
    fragment = text[start:end]
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    offsets = [
        (s - start + len(prefix), e - start + len(prefix))
        for i, (s, e, _) in enumerate(spans)
        if i in marked and s >= start and e <= end
    ]
    plain = prefix + fragment + suffix
    parts: list[str] = []
    cursor = 0
    for s, e in offsets:
        parts.append(html.escape(plain[cursor:s]))
        parts.append("<mark>" + html.escape(plain[s:e]) + "</mark>")
        cursor = e
    parts.append(html.escape(plain[cursor:]))
    return plain, offsets, "".join(parts)
