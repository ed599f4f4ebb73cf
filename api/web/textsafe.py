"""Showing hostile post text safely: invisible characters made visible, links only for http(s).

Post text is written by whoever we monitor, so it is treated as hostile. HTML escaping is Jinja2's job
(autoescape is on and no template marks post text safe); this module handles what escaping does not:

* **bidi overrides and isolates** (U+202A–U+202E, U+2066–U+2069, U+200E/U+200F, U+061C) can make a
  URL or a name read differently from what it is (``moc.elgoog`` shown as ``google.com``);
* **zero-width and other format characters** (U+200B, U+2060, U+FEFF, tag characters, soft hyphen …)
  hide words from filters and make look-alike handles;
* **control characters** other than newline and tab.

For display each of these is replaced by a visible marker (``⟦U+202E⟧``); the stored text is never
changed. A zero-width joiner between two pictographs (emoji sequences such as 👩‍💻) is kept.

Links are made only for ``http``/``https`` URLs with a host; anything else (``javascript:``,
``data:``, ``vbscript:``, protocol-relative ``//host``) stays plain text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

MAX_URL_CHARS = 2000
#: characters that look like nothing but change how text reads
BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
ZWJ = "\u200d"
URL_RE = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)
TRAILING = ".,;:!?)]}'\"»”’"

SegmentKind = Literal["text", "marker", "link"]


@dataclass(frozen=True)
class Segment:
    """A piece of text to display: plain ``text``, an invisible character's ``marker``, or a ``link``."""

    kind: SegmentKind
    text: str
    #: marker: the character's code point and name; link: the URL
    detail: str = ""


def _pictographic(ch: str) -> bool:
    return unicodedata.category(ch) == "So" or ch == "\ufe0f" or "\U0001f3fb" <= ch <= "\U0001f3ff"


def is_hidden(ch: str, prev: str = "", nxt: str = "") -> bool:
    """Whether ``ch`` is invisible or reorders text (and is not a ZWJ inside an emoji sequence)."""
    if ch in "\n\t":
        return False
    if ch == ZWJ and prev and nxt and _pictographic(prev) and _pictographic(nxt):
        return False
    if ch in BIDI:
        return True
    category = unicodedata.category(ch)
    return category in ("Cf", "Cc", "Co", "Cs", "Zl", "Zp")


def describe(ch: str) -> str:
    """``U+202E RIGHT-TO-LEFT OVERRIDE``."""
    return f"U+{ord(ch):04X} {unicodedata.name(ch, 'UNNAMED')}"


def marker(ch: str) -> str:
    """The visible stand-in for an invisible character."""
    return f"⟦U+{ord(ch):04X}⟧"


def _plain_segments(text: str) -> list[Segment]:
    out: list[Segment] = []
    buf: list[str] = []
    for i, ch in enumerate(text):
        prev = text[i - 1] if i else ""
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if is_hidden(ch, prev, nxt):
            if buf:
                out.append(Segment("text", "".join(buf)))
                buf = []
            out.append(Segment("marker", marker(ch), describe(ch)))
        else:
            buf.append(ch)
    if buf:
        out.append(Segment("text", "".join(buf)))
    return out


def clean(text: str | None) -> str:
    """``text`` with every invisible or reordering character replaced by its visible marker (for
    places that take a plain string: titles, attributes, table cells)."""
    if not text:
        return ""
    return "".join(s.text for s in _plain_segments(text))


def safe_url(url: str | None) -> str | None:
    """``url`` when it is an absolute http(s) URL with a host and nothing invisible in it, else None."""
    if not url or len(url) > MAX_URL_CHARS:
        return None
    if any(is_hidden(ch) or ch.isspace() for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url


def segments(text: str | None, *, links: bool = True) -> list[Segment]:
    """``text`` cut into plain text, visible markers for invisible characters, and (when ``links``)
    http(s) links. Example::

        >>> [s.kind for s in segments("lihat https://kpu.example/x\u202e!")]
        ['text', 'link', 'marker', 'text']
    """
    if not text:
        return []
    if not links:
        return _plain_segments(text)
    out: list[Segment] = []
    pos = 0
    for match in URL_RE.finditer(text):
        start, end = match.span()
        url = match.group()
        cut = next((i for i, ch in enumerate(url) if is_hidden(ch)), len(url))
        url, end = url[:cut], start + cut
        while url and url[-1] in TRAILING:
            url = url[:-1]
            end -= 1
        if start > pos:
            out.extend(_plain_segments(text[pos:start]))
        if safe_url(url):
            out.append(Segment("link", url, url))
        else:
            out.extend(_plain_segments(url))
        pos = end
    if pos < len(text):
        out.extend(_plain_segments(text[pos:]))
    return out


def highlighted(snippet: str, offsets: list[tuple[int, int]]) -> list[tuple[Segment, bool]]:
    """A search snippet cut at its highlight ``offsets``: ``(segment, marked)`` pairs, invisible
    characters made visible, no links (the template wraps marked ones in ``<mark>``)."""
    out: list[tuple[Segment, bool]] = []
    pos = 0
    for start, end in sorted(offsets):
        start, end = max(start, pos), min(end, len(snippet))
        if start >= end:
            continue
        out.extend((s, False) for s in _plain_segments(snippet[pos:start]))
        out.extend((s, True) for s in _plain_segments(snippet[start:end]))
        pos = end
    out.extend((s, False) for s in _plain_segments(snippet[pos:]))
    return out


def hidden_count(text: str | None) -> int:
    """How many invisible or reordering characters ``text`` holds (a warning badge shows it)."""
    return sum(1 for s in segments(text, links=False) if s.kind == "marker")


def shorten(text: str | None, limit: int = 280) -> str:
    """``text`` cut at a word boundary near ``limit`` characters, with an ellipsis."""
    if not text:
        return ""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut) + "…"
