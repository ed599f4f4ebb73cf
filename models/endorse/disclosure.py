"""Table-driven detection of paid-promotion disclosures and promotional cues in raw post text.

Everything is data: regex tables :data:`DISCLOSURES`, :data:`DENIALS` and :data:`PROMO_CUES`
(:mod:`models.endorse.markers`), hashtag tables and word lists (:mod:`models.endorse.tags`); the
functions here only run them.

How a text is read:

* Matching runs on a folded copy (:func:`models.endorse.textview.fold`: lower case, NFKC so fullwidth
  and mathematical letters are plain, invisible characters removed); markers are reported with the span
  and text *as written*.
* Every hashtag is read once: its body is de-disguised (:func:`~models.endorse.textview.canon_word`:
  ``#ikl4n``, ``#i.k.l.a.n``, ``#Iklaaan``, ``#$ponsored``, ``#3ndorse``) and looked up. Spaced tags
  (``#I K L A N``, ``#A D``, ``# iklan``) are joined first. A tag counts only as a whole tag: ``#ad``
  but not ``#adidas`` nor ``bad#ad``; compounds count only with a strong stem (``#PaidPartnerX``,
  ``#KolaborasiBerbayar``), never a bare ``#iklan…`` (``#IklanNyataBukanJanji`` is a slogan).
* A disclosure word written in disguise outside a hashtag (``ikl4n``, ``i k l a n``, ``[ i.k.l.a.n ]``)
  is a label: nobody disguises the word "iklan" except to label a post while dodging filters.
* ``#kolaborasi`` / ``#collab`` are **not** disclosures (creators collaborate unpaid); they are cues.
  ``#kerjasama`` **is** one: Indonesian influencer practice uses it for paid work.
* A bare word "iklan" is not a disclosure ("iklan di TV semalam jelek"); "iklan kampanye/politik" counts in
  label position (start of the text or a line, in brackets, after a bar or dash), after "ini (adalah)",
  or followed by "dari/oleh/dibayar"; "ini iklan" counts only at the end of a clause ("ini iklan ya").
* Partnership phrases ("bekerja sama / kolaborasi / bermitra dengan X", "in collaboration with X") count in
  label position, after "<konten/video/…> ini", or when X is the campaign side (tim pemenangan, TKN,
  partai, koalisi…): "kami bekerja sama dengan warga" is not a disclosure. "didukung oleh" likewise needs
  label position or a content noun ("capres itu didukung oleh rakyat" is support, not sponsorship).
* A marker being *talked about* is not a disclosure: one in quotation marks ("cek tulisan 'paid
  partnership'") or right after a meta word ("pasang #iklan", "hashtag #ad", "label iklan").
* Denials ("bukan endorse", "gak dibayar", "tidak menerima bayaran", "murni dari hati", "no sponsor",
  ``#bukanendorse``) are their own kind and never count as disclosure; a disclosure pattern overlapping a
  denial (the "endorse" in "bukan endorse") is dropped. A post with only denials is the classic
  undisclosed-endorsement tell, which is why they are reported.

Speed: a regex runs only when one of its trigger words is among the text's words (one ``\\w+`` pass and
a set intersection), and hashtags are found in one pass; plain posts with no candidate marker cost a few
microseconds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from models.endorse.gates import CHARACTER_GATES, CLOSINGS, GATES, OPENINGS
from models.endorse.markers import DENIALS, DISCLOSURES, PROMO_CUES, Pattern
from models.endorse.tags import (
    DENIAL_TAG_WORDS,
    DISCLOSURE_TAGS,
    META_WORDS,
    OBFUSCATED_WORDS,
    QUOTES,
    TAG_NEGATIONS,
    TAG_PREFIXES,
    TAG_SUFFIXES,
)
from models.endorse.textview import LEET, View, canon_word, fold, squeeze
from models.text.anchored import found_at_openings, found_before_closings

__all__ = [
    "DENIALS",
    "DISCLOSURES",
    "PROMO_CUES",
    "Cue",
    "Marker",
    "Pattern",
    "find_disclosures",
    "has_disclosure",
    "promo_cues",
    "tag_marker",
]

MarkerKind = Literal["hashtag", "phrase", "label", "denial"]


@dataclass(frozen=True)
class Marker:
    """One disclosure (or denial) found in a text."""

    kind: MarkerKind
    name: str  # the pattern's name, e.g. "hashtag_ad"
    text: str  # the matched text as written
    span: tuple[int, int]
    language: str  # "id", "en" or "any"

    @property
    def is_disclosure(self) -> bool:
        return self.kind != "denial"


@dataclass(frozen=True)
class Cue:
    """A promotional cue: a call to action, a giveaway, a campaign hashtag, a link-in-bio."""

    kind: str  # "call_to_action", "link", "giveaway", "campaign_hashtag", "commercial"
    name: str
    text: str
    span: tuple[int, int]


_FLAGS = re.MULTILINE
#: what a label-position match may start with that is not part of the marker
_LEADING = " \t\r\n|•·—–-:"
#: the words trigger lists are checked against (triggers are lower-case ASCII words)
_WORD_RE = re.compile(r"[a-z]+")
#: a hashtag: '#' not glued to a word, an optional space, then word characters and look-alikes
_TAG_RE = re.compile(r"#(?<![\w#&]#)[ \t]?((?:[\w@$]|[.\-·*!|](?=[\w@$]))+)")
#: a hashtag written letter by letter: "#I K L A N", "#A D"
_SPACED_TAG_RE = re.compile(r"#(?<![\w#&]#)[ \t]?((?:[^\W\d_][ \t.]){1,14}[^\W\d_])(?![\w@$])")
_LOOK = r"[\s.\-_·*•]{0,2}"
_LOOKALIKES: dict[str, str] = {}
for _code, _letter in LEET.items():
    _LOOKALIKES[str(_letter)] = _LOOKALIKES.get(str(_letter), "") + chr(_code)
_LETTER = {c: "[" + re.escape(c + _LOOKALIKES.get(c, "")) + "]" for c in "abcdefghijklmnopqrstuvwxyz"}
_OBFUSCATED_RE = re.compile(
    r"(?<![\w@$])(?:" + "|".join(_LOOK.join(_LETTER[c] for c in w) for w in OBFUSCATED_WORDS) + r")(?![\w@$])"
)
#: cheap tests for a disguised word: a look-alike between letters, or letters spaced out one by one
_LOOKALIKE_HINT = re.compile(r"[0-9@$!|](?<=[a-z].)(?=[a-z])")
_SPACED_HINT = re.compile(r"[ .\-_·*][a-z][ .\-_·*][a-z][ .\-_·*]")


def _hint_class(code: int) -> int:
    """The class of a byte in those two tests (see :func:`_disguise_hint`)."""
    ch = chr(code)
    if "a" <= ch <= "z":
        return ord("a")
    if ch in "0123456789@$!|":  # what _LOOKALIKE_HINT looks for between letters
        return ord("0")
    return ord(" ") if ch in " .-_*" else ord("#")  # _SPACED_HINT's separators (but "·", not ASCII)


_HINT_CLASSES = bytes(map(_hint_class, range(256)))
_TAG_NAME: dict[str, str] = {body: name for name, bodies in DISCLOSURE_TAGS.items() for body in bodies}
_TAG_SQUEEZED: dict[str, str] = {squeeze(b): n for b, n in _TAG_NAME.items() if len(squeeze(b)) >= 3}
_TAG_LANGUAGE = {
    "hashtag_ad": "en",
    "hashtag_paid": "en",
    "hashtag_partner": "en",
    "hashtag_iklan": "id",
    "hashtag_kerjasama": "id",
}
_DENIAL_WORDS = frozenset(DENIAL_TAG_WORDS)
_NEGATIONS = sorted(TAG_NEGATIONS, key=len, reverse=True)

Compiled = list[tuple[Pattern, re.Pattern[str], frozenset[str], frozenset[str]]]


def _compile(patterns: list[Pattern]) -> Compiled:
    return [(p, re.compile(p.regex, _FLAGS), frozenset(p.triggers), frozenset(p.also)) for p in patterns]


def _skip(words: frozenset[str], triggers: frozenset[str], also: frozenset[str]) -> bool:
    """Whether a pattern cannot match: a trigger group none of whose words is among the text's words."""
    return bool(triggers and words.isdisjoint(triggers)) or bool(also and words.isdisjoint(also))


_DISCLOSURES, _DENIALS, _CUES = _compile(DISCLOSURES), _compile(DENIALS), _compile(PROMO_CUES)
_TABLES = {"disclosures": _DISCLOSURES, "denials": _DENIALS, "cues": _CUES}
#: every word of any trigger group: a text's other words cannot make a pattern run
_TRIGGER_WORDS = frozenset(w for table in _TABLES.values() for _, _, t, a in table for w in t | a)
#: bytes that are not ASCII lower-case letters → space (UTF-8 multi-byte sequences are all ≥ 0x80)
_NOT_WORD = bytes(b if 97 <= b <= 122 else 32 for b in range(256))


@lru_cache(maxsize=4)
def _read(text: str) -> tuple[View, frozenset[str]]:
    """(matching copy, trigger words) of ``text``. Cached for the last few texts: the scorer reads each
    post's raw text for disclosures and its masked text for cues, and the masked text of a post that
    names nobody is the raw text itself."""
    view = fold(text)
    return view, _present(view.text)


def _present(folded: str) -> frozenset[str]:
    """The trigger words among ``folded``'s ``[a-z]+`` words (one translate and split, no regex)."""
    raw = folded.encode("utf-8", "surrogatepass").translate(_NOT_WORD).decode("ascii")
    return _TRIGGER_WORDS.intersection(raw.split())


_GATE_RES: dict[str, re.Pattern[str]] = {g: re.compile(g, _FLAGS) for g in set(GATES.values())}
#: gate → the literals its matches start with (:data:`models.endorse.gates.OPENINGS`)
_OPENINGS: dict[re.Pattern[str], tuple[str, ...]] = {_GATE_RES[GATES[n]]: w for n, w in OPENINGS.items()}
#: gate → (the literals its matches end with, their longest span) (:data:`models.endorse.gates.CLOSINGS`)
_CLOSINGS: dict[re.Pattern[str], tuple[tuple[str, ...], int]] = {
    _GATE_RES[GATES[n]]: closing for n, closing in CLOSINGS.items()
}
#: pattern name → its gate (:mod:`models.endorse.gates`); patterns sharing a gate share the object
_GATE: dict[str, re.Pattern[str] | str] = {
    **{name: _GATE_RES[g] for name, g in GATES.items()},
    **CHARACTER_GATES,
}
Gate = re.Pattern[str] | str | None
Runnable = tuple[tuple[Pattern, re.Pattern[str], Gate], ...]


def _bits(table: Compiled) -> tuple[dict[str, int], dict[str, int], int, int]:
    """Pattern bit masks of a table: (word → patterns it triggers, word → patterns whose ``also``
    group it fills, patterns without triggers, patterns without an ``also`` group)."""
    trig: dict[str, int] = {}
    also: dict[str, int] = {}
    free_trig = free_also = 0
    for i, (_, _, t, a) in enumerate(table):
        for w in t:
            trig[w] = trig.get(w, 0) | 1 << i
        for w in a:
            also[w] = also.get(w, 0) | 1 << i
        free_trig |= 0 if t else 1 << i
        free_also |= 0 if a else 1 << i
    return trig, also, free_trig, free_also


_BITS = {name: _bits(table) for name, table in _TABLES.items()}


def _runnable(table: str, present: frozenset[str]) -> Runnable:
    """The patterns of ``table``, in order, that may match a text holding the trigger words ``present``
    (see :func:`_skip`), with their gates."""
    trig, also, want_trig, want_also = _BITS[table]
    for word in present:
        want_trig |= trig.get(word, 0)
        want_also |= also.get(word, 0)
    return _patterns(table, want_trig & want_also)


@lru_cache(maxsize=4096)
def _patterns(table: str, mask: int) -> Runnable:
    """The patterns of ``table`` whose bit is set in ``mask``, in order, with their gates."""
    return tuple(
        (p, regex, _GATE.get(p.name)) for i, (p, regex, _, _) in enumerate(_TABLES[table]) if mask >> i & 1
    )


class _Gates:
    """Gate answers for one text, each gate searched at most once."""

    __slots__ = ("folded", "seen")

    def __init__(self, folded: str) -> None:
        self.folded = folded
        self.seen: dict[re.Pattern[str], bool] = {}

    def shut(self, gate: Gate) -> bool:
        """Whether ``gate`` (a regex, or characters of which one must occur) finds nothing: then its
        pattern cannot match."""
        if gate is None:
            return False
        if isinstance(gate, str):
            return not any(ch in self.folded for ch in gate)
        open_ = self.seen.get(gate)
        if open_ is None:
            openings, closings = _OPENINGS.get(gate), _CLOSINGS.get(gate)
            if openings:
                open_ = found_at_openings(gate, self.folded, openings)
            elif closings:
                open_ = found_before_closings(gate, self.folded, *closings)
            else:
                open_ = gate.search(self.folded) is not None
            self.seen[gate] = open_
        return not open_


def tag_marker(body: str) -> tuple[MarkerKind, str] | None:
    """(kind, pattern name) of a hashtag body (without ``#``), or None when the tag discloses nothing.

    >>> tag_marker("Ikl@n"), tag_marker("NotSponsored"), tag_marker("IklanNyataBukanJanji")
    (('hashtag', 'hashtag_iklan'), ('denial', 'hashtag_notsponsored'), None)
    """
    word = canon_word(body)
    for neg in _NEGATIONS:
        rest = word[len(neg) :]
        if word.startswith(neg) and rest and (rest in _DENIAL_WORDS or _disclosure_tag(rest)):
            return "denial", "hashtag_notsponsored"
    name = _disclosure_tag(word)
    return ("hashtag", name) if name else None


def _disclosure_tag(word: str) -> str | None:
    name = _TAG_NAME.get(word) or _TAG_SQUEEZED.get(squeeze(word))
    if name:
        return name
    for name, stems in TAG_PREFIXES.items():
        if word.startswith(stems):
            return name
    for name, stems in TAG_SUFFIXES.items():
        if word.endswith(stems) and len(word) > min(len(s) for s in stems):
            return name
    return None


class _Found:
    """Matches collected on one view, kept free of overlaps (first claim wins)."""

    def __init__(self, text: str, view: View) -> None:
        self.text = text
        self.view = view
        self.covered = bytearray(len(view.text))
        self.markers: list[Marker] = []

    def claim(self, start: int, end: int) -> bool:
        if start >= end or any(self.covered[start:end]):
            return False
        self.covered[start:end] = b"\x01" * (end - start)
        return True

    def add(self, kind: MarkerKind, name: str, start: int, end: int, language: str) -> None:
        raw = self.view.text[start:end]
        start += len(raw) - len(raw.lstrip(_LEADING))
        end -= len(raw) - len(raw.rstrip())
        if kind != "denial" and _is_mentioned(self.view.text, start, end):
            return
        if not self.claim(start, end):
            return
        a, b = self.view.source_span(start, end)
        self.markers.append(Marker(kind, name, self.text[a:b], (a, b), language))


def _is_mentioned(folded: str, start: int, end: int) -> bool:
    """Whether the marker at ``[start, end)`` is quoted or follows a meta word ("pasang #iklan")."""
    before = folded[max(0, start - 2) : start].strip()
    if before[-1:] and before[-1] in QUOTES and folded[end : end + 1] in tuple(QUOTES):
        return True
    words = _WORD_RE.findall(folded[max(0, start - 24) : start])
    return bool(set(words[-2:]) & META_WORDS)


def find_disclosures(text: str) -> list[Marker]:
    """Disclosure markers and denials in ``text``, in text order.

    Denials have ``kind="denial"`` and never count as disclosure (see :attr:`Marker.is_disclosure`).

    >>> [m.name for m in find_disclosures("Makasih @brand! #ad")]
    ['hashtag_ad']
    >>> [m.kind for m in find_disclosures("ini bukan endorse ya, murni dari hati")]
    ['denial', 'denial']
    >>> [m.text for m in find_disclosures("Mampir ya #Ikl@n")]
    ['#Ikl@n']
    """
    if not text:
        return []
    view, present = _read(text)
    folded = view.text
    found = _Found(text, view)
    gates = _Gates(folded)
    for pattern, regex, gate in _runnable("denials", present):
        if gates.shut(gate):
            continue
        for match in regex.finditer(folded):
            found.add("denial", pattern.name, match.start(), match.end(), pattern.language)
    if "#" in folded:
        _hashtags(found)
    for pattern, regex, gate in _runnable("disclosures", present):
        if gates.shut(gate):
            continue
        for match in regex.finditer(folded):
            found.add(pattern.kind, pattern.name, match.start(), match.end(), pattern.language)  # type: ignore[arg-type]
    if _disguise_hint(folded):
        for match in _OBFUSCATED_RE.finditer(folded):
            if match.group(0) not in OBFUSCATED_WORDS:  # the plain word is the phrase tables' business
                found.add("label", "obfuscated_label", match.start(), match.end(), "any")
    return sorted(found.markers, key=lambda m: m.span)


def _disguise_hint(folded: str) -> bool:
    """``_LOOKALIKE_HINT`` or ``_SPACED_HINT`` finds something in ``folded``; an ASCII text is mapped to
    character classes by one translate and the two patterns become substrings (no regex scan)."""
    if folded.isascii():
        classes = folded.encode("ascii").translate(_HINT_CLASSES)
        return b"a0a" in classes or b" a a " in classes
    return _LOOKALIKE_HINT.search(folded) is not None or _SPACED_HINT.search(folded) is not None


def _hashtags(found: _Found) -> None:
    folded = found.view.text
    for regex in (_SPACED_TAG_RE, _TAG_RE):
        for match in regex.finditer(folded):
            body = match.group(1)
            if regex is _SPACED_TAG_RE and len(body) < 3:
                continue
            hit = tag_marker(body)
            if hit is not None:
                kind, name = hit
                language = "any" if kind == "denial" else _TAG_LANGUAGE.get(name, "any")
                found.add(kind, name, match.start(), match.end(), language)


def has_disclosure(text: str) -> bool:
    """Whether ``text`` carries at least one disclosure marker (denials do not count)."""
    return any(m.is_disclosure for m in find_disclosures(text))


def promo_cues(text: str) -> list[Cue]:
    """Promotional cues in ``text`` (calls to action, link-in-bio, giveaways, campaign hashtags), in order.

    Works on raw text and on text already passed through
    :func:`models.text.entities.mask_entities` (``#Pilih<kandidat>`` is a campaign hashtag).
    """
    if not text:
        return []
    view, present = _read(text)
    folded = view.text
    found: list[Cue] = []
    covered = bytearray(len(folded))
    gates = _Gates(folded)
    for pattern, regex, gate in _runnable("cues", present):
        if gates.shut(gate):
            continue
        for match in regex.finditer(folded):
            start, end = match.start(), match.end()
            if start < end and not any(covered[start:end]):
                covered[start:end] = b"\x01" * (end - start)
                a, b = view.source_span(start, end)
                found.append(Cue(pattern.kind, pattern.name, text[a:b], (a, b)))
    return sorted(found, key=lambda c: c.span)
