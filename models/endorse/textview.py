"""A matching copy of a post's text that undoes typographic disguises, with offsets back to the original.

Disclosure markers are matched on :func:`fold` ``(text)``: Unicode compatibility forms folded (NFKC:
fullwidth ``＃ｉｋｌａｎ`` and mathematical ``𝗶𝗸𝗹𝗮𝗻`` become ``#iklan``; small capitals ``ɪᴋʟᴀɴ`` and
Cyrillic look-alikes ``іklаn`` are mapped to their Latin letters), invisible characters removed
(zero-width space / joiners, word joiner, BOM, soft hyphen) and case folded. Every character of the copy
remembers the index of the character it came from, so a marker found in the copy is reported with its span
and text *as written*. Plain texts (NFKC-stable, no invisible characters, lower-casing keeps the length),
which are nearly all, take a fast path without a per-character table.

:func:`canon_word` undoes the disguises that only make sense inside one word or hashtag: look-alike
digits and symbols (``ikl4n``, ``sp0ns0red``, ``#$ponsored``, ``Ikl@n``), separators between letters
(``i.k.l.a.n``, ``i k l a n``) and stretched letters (``iklaaan``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

#: invisible characters that are dropped from the matching copy
INVISIBLE = "\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff"
#: letters NFKC keeps but that read as Latin ones: small capitals and Cyrillic look-alikes
LOOKALIKE_LETTERS = dict(
    zip(
        "ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘʀꜱᴛᴜᴠᴡʏᴢаеорсухіѕјкАВЕКМНОРСТХІЅЈ",
        "abcdefghijklmnoprstuvwyzaeopcyxisjkabekmhopctxisj",
        strict=True,
    )
)
_SPECIAL_RE = re.compile(f"[{INVISIBLE}{''.join(LOOKALIKE_LETTERS)}]")
#: look-alike characters inside a word → the letter they stand for
LEET = str.maketrans(
    {"4": "a", "@": "a", "1": "i", "!": "i", "|": "i", "3": "e", "0": "o", "$": "s", "5": "s", "7": "t"}
)
_SEPARATORS_RE = re.compile(r"[\s.\-_·*•]+")
_STRETCH_RE = re.compile(r"(\w)\1{2,}")
_REPEAT_RE = re.compile(r"(\w)\1+")


@dataclass(frozen=True)
class View:
    """The matching copy of a text: ``text`` and, when it differs in layout, ``offsets[i]`` = the index in
    the original of the copy's character ``i`` (``None``: the copy is aligned with the original)."""

    text: str
    offsets: tuple[int, ...] | None = None

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of the copy's ``[start, end)``."""
        if self.offsets is None or start >= end:
            return start, end
        return self.offsets[start], self.offsets[end - 1] + 1


def fold(text: str) -> View:
    """The matching copy of ``text`` (see the module docstring)."""
    plain = text.isascii() or (unicodedata.is_normalized("NFKC", text) and not _SPECIAL_RE.search(text))
    if plain:
        low = text.lower()
        if len(low) == len(text):
            return View(low)
    chars: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        if ch in INVISIBLE:
            continue
        if ch.isascii():
            chars.append(ch.lower())
            offsets.append(i)
            continue
        ch = LOOKALIKE_LETTERS.get(ch, ch)
        for out in unicodedata.normalize("NFKC", ch).lower():
            chars.append(out)
            offsets.append(i)
    return View("".join(chars), tuple(offsets))


def canon_word(word: str) -> str:
    """``word`` (a hashtag body or one token, already folded) with look-alikes, separators and stretched
    letters undone: ``ikl4n`` / ``i.k.l.a.n`` / ``iklaaan`` → ``iklan``.

    >>> [canon_word(w) for w in ("ikl4n", "i.k.l.a.n", "iklaaan", "$p0ns0red", "3ndorse")]
    ['iklan', 'iklan', 'iklan', 'sponsored', 'endorse']
    """
    return _STRETCH_RE.sub(r"\1", _SEPARATORS_RE.sub("", word.lower().translate(LEET)))


def squeeze(word: str) -> str:
    """Every run of one repeated character shortened to one (``iklann`` → ``iklan``)."""
    return _REPEAT_RE.sub(r"\1", word)
