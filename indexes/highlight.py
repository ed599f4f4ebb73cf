"""Snippets with highlighted matches, computed the same way for every backend.

A word is highlighted when its stem is one the query looks for, or when it is part of a quoted phrase.
The snippet is the window of about ``width`` characters with the most highlighted words. Post text is
hostile: ``snippet_html`` is HTML-escaped, with only our own ``<mark>`` tags added.

Speed matters here (every hit of every search): no text is analysed word by word. In ASCII text (the
common case) only the words that contain a wanted stem past its first letter are looked at, a word's
stem is looked up once (the stem table), and phrases are found with one regex; other text is searched
with one C-level regex pass over the distinct words that can match.
"""

from __future__ import annotations

import html
import re
import threading
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from indexes.analysis import MAX_TOKEN_CHARS, WORD_RE, fold, stem, word_spans


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


#: ASCII bytes → themselves lower-cased when a letter or digit, else a space: ``text.translate`` of an
#: ASCII text gives its words (the same as ``WORD_RE`` on the lower-cased text) at their offsets
_FLAT = bytes(c if c < 128 and chr(c).isalnum() else 32 for c in range(256)).lower()
_LONG = MAX_TOKEN_CHARS + 1
_OPEN, _CLOSE = "\x02", "\x03"
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _flat(text: str) -> str:
    """An ASCII text lower-cased, every character that is not a letter or digit made a space."""
    return text.encode("ascii").translate(_FLAT).decode("ascii")


@lru_cache(maxsize=1024)
def _phrase_pattern(phrase: tuple[str, ...]) -> re.Pattern[str] | None:
    """Where ``phrase`` starts in a flattened ASCII text (a zero-width match, so occurrences may
    overlap), one group per word. Words of more than ``MAX_TOKEN_CHARS`` are not words to
    :func:`word_spans`, so they may stand between the phrase's words; ``None`` when the phrase cannot
    occur in ASCII text at all."""
    if not phrase or any(len(w) > MAX_TOKEN_CHARS or not (w.isascii() and w.isalnum()) for w in phrase):
        return None
    gap = rf"(?: +[a-z0-9]{{{_LONG},}})* +"
    body = gap.join(f"({re.escape(w)})" for w in phrase)
    return re.compile(rf"(?<![a-z0-9])(?={body}(?![a-z0-9]))")


def _ascii_phrase_spans(flat: str, phrases: Iterable[tuple[str, ...]]) -> list[tuple[int, int]]:
    hit: set[tuple[int, int]] = set()
    for phrase in phrases:
        pattern = _phrase_pattern(phrase)
        if pattern is None or phrase[0] not in flat:
            continue
        for m in pattern.finditer(flat):
            hit.update(m.span(g) for g in range(1, len(phrase) + 1))
    return sorted(hit)


@lru_cache(maxsize=4096)
def _words_pattern(wanted: tuple[str, ...]) -> re.Pattern[str]:
    """Whole-word, case-insensitive alternation of ``wanted`` (longest first). Compiling a pattern costs
    far more than running it, and the pages of one query keep needing the same few word sets."""
    return re.compile(
        r"(?<![^\W_])(?:" + "|".join(re.escape(w) for w in wanted) + r")(?![^\W_])",
        re.IGNORECASE,
    )


class _StemTable:
    """Every word seen so far with its stem, in both directions: the words of a text whose stem a query
    wants are then found with set operations, and only words never seen before are stemmed (the same
    :func:`indexes.analysis.stem` as always, so the answer is the same). Dropped and started again when
    it holds ``MAX_WORDS`` words; a reader keeps the table it started with."""

    MAX_WORDS = 200_000

    def __init__(self) -> None:
        self.stem_of: dict[str, str] = {}
        self.words_of: dict[str, set[str]] = {}


_table = _StemTable()
_table_lock = threading.Lock()


def _wanted(distinct: set[str], stems: set[str]) -> set[str]:
    """The words of ``distinct`` whose stem is in ``stems``."""
    global _table
    table = _table
    new = distinct.difference(table.stem_of)
    if new:
        with _table_lock:
            if len(_table.stem_of) + len(new) > _StemTable.MAX_WORDS:
                _table = _StemTable()
            table = _table
            for word in new:
                root = stem(word)
                # the reverse entry first: a word in stem_of is always in words_of (readers rely on it)
                table.words_of.setdefault(root, set()).add(word)
                table.stem_of[word] = root
    wanted: set[str] = set()
    for root in stems:
        words = table.words_of.get(root)
        if words:
            wanted.update(distinct.intersection(words))
    return wanted


def _ascii_stem_spans(flat: str, stems: set[str]) -> list[tuple[int, int]]:
    # Sastrawi finds a root by cutting affixes off a word and, for a nasal prefix (meN-, peN-), putting
    # back one or two letters in front (menulis → tulis, menyanyi → nyanyi): every letter of a stem but
    # its first is a piece of the word. So only words that contain ``stem[1:]`` can match; they are
    # found with str.find in ``flat`` (which keeps every offset of the text, words between spaces) and
    # stemmed through the stem table. tests/indexes/test_highlight.py checks the rule on the
    # dictionary's words and this path against stemming every word.
    cores = {root[1:] for root in stems}
    if "" in cores:
        return _ascii_every_word_spans(flat, stems)
    size = len(flat)
    found: dict[str, list[tuple[int, int]]] = {}
    for core in cores:
        at = flat.find(core)
        while at >= 0:
            start = flat.rfind(" ", 0, at) + 1
            end = flat.find(" ", at + len(core))
            if end < 0:
                end = size
            found.setdefault(flat[start:end], []).append((start, end))
            at = flat.find(core, end)
    spans = {span for word in _wanted(set(found), stems) for span in found[word]}
    return sorted(spans)


def _ascii_every_word_spans(flat: str, stems: set[str]) -> list[tuple[int, int]]:
    # the distinct words come from one C-level split; those whose stem is wanted are located with
    # str.find and a word-boundary check
    size = len(flat)
    spans: list[tuple[int, int]] = []
    for word in _wanted(set(flat.split()), stems):
        at = flat.find(word)
        while at >= 0:
            end = at + len(word)
            if (at == 0 or flat[at - 1] == " ") and (end == size or flat[end] == " "):
                spans.append((at, end))
                at = flat.find(word, end)
            else:
                at = flat.find(word, at + 1)
    spans.sort()
    return spans


def _stem_spans(text: str, stems: set[str]) -> list[tuple[int, int]]:
    wanted = _wanted(set(WORD_RE.findall(fold(text))), stems)
    if not wanted:
        return []
    pattern = _words_pattern(tuple(sorted(wanted, key=lambda w: (-len(w), w))))
    return [(m.start(), m.end()) for m in pattern.finditer(text) if fold(m.group()) in wanted]


def _wordless_non_ascii(text: str) -> str | None:
    """``text`` with its non-ASCII characters made spaces, when none of them can be part of a word or
    change one (emoji, typographic quotes and dashes, ellipses — not letters, digits or combining marks):
    the same words at the same offsets, so the ASCII path gives the same answer. None otherwise."""
    for char in set(_NON_ASCII.findall(text)):
        if char.isalnum() or unicodedata.category(char).startswith("M"):
            return None
    return _NON_ASCII.sub(" ", text)


def match_spans(text: str, stems: set[str], phrases: list[tuple[str, ...]]) -> list[tuple[int, int]]:
    """Sorted ``(start, end)`` offsets of the words of ``text`` a query matches."""
    plain = text if text.isascii() else _wordless_non_ascii(text)
    if plain is not None:
        flat = _flat(plain)
        spans = set(_ascii_stem_spans(flat, stems)) if stems else set()
        if phrases:
            spans.update(_ascii_phrase_spans(flat, phrases))
        return sorted(spans)
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
    return plain, offsets, _marked_html(plain, offsets)


def _marked_html(plain: str, offsets: list[tuple[int, int]]) -> str:
    """``plain`` HTML-escaped, with ``<mark>`` around each of ``offsets``."""
    if not offsets:
        return html.escape(plain)
    parts: list[str] = []
    cursor = 0
    if _OPEN in plain or _CLOSE in plain:
        for s, e in offsets:
            parts.append(html.escape(plain[cursor:s]))
            parts.append("<mark>" + html.escape(plain[s:e]) + "</mark>")
            cursor = e
        parts.append(html.escape(plain[cursor:]))
        return "".join(parts)
    # one escape of the whole snippet: placeholders (control characters html.escape leaves alone and the
    # text does not contain) stand for the tags until then
    for s, e in offsets:
        parts += (plain[cursor:s], _OPEN, plain[s:e], _CLOSE)
        cursor = e
    parts.append(plain[cursor:])
    return html.escape("".join(parts)).replace(_OPEN, "<mark>").replace(_CLOSE, "</mark>")
