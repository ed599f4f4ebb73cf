"""Candidate and party names → neutral tokens, and where each name was found (for reasons).

Names come from configuration (:class:`pantau.election.Election`), never from model vocabulary. Every
configured name and alias is matched whole-word and case-insensitively, longest name first, so
"Raka Wiratama" is one mention rather than "Raka" plus a stray surname. Names glued into hashtags
(``#PilihRaka``, ``#RakaWiratama2029``) are found too: inside a hashtag a name may touch other letters at
a camel-case boundary, which is how such hashtags are written.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from pantau.election import Election, Entity

TOKENS = {"candidate": "<kandidat>", "party": "<partai>"}


@dataclass(frozen=True)
class EntityMention:
    """One configured name found in a text."""

    entity_id: str
    kind: str  # "candidate" or "party"
    name: str  # the configured name that matched
    text: str  # the text as written
    start: int
    end: int


def _name_pattern(name: str) -> str:
    # spaces and hyphens in a configured name match any run of spaces, hyphens or underscores
    parts = [re.escape(p) for p in re.split(r"[\s\-_]+", name.strip()) if p]
    return r"[\s\-_]{0,3}".join(parts) if len(parts) > 1 else parts[0]


@lru_cache(maxsize=16)
def _compile(election: Election) -> tuple[re.Pattern[str], re.Pattern[str], dict[str, tuple[Entity, str]]]:
    by_key: dict[str, tuple[Entity, str]] = {}
    for entity in election.entities:
        for name in entity.names:
            key = re.sub(r"[\s\-_]+", "", name).casefold()
            by_key.setdefault(key, (entity, name))
    names = sorted({n for e in election.entities for n in e.names}, key=len, reverse=True)
    if not names:
        never = re.compile(r"(?!x)x")
        return never, never, by_key
    common = _common_words()
    # a one-word name that is also an ordinary word ("Bagus" = good, "Fajar" = dawn) matches only when
    # capitalised, so "bagus sekali" stays a feature while "Mas Bagus"/"BAGUS" are masked
    # names grouped by first letter (longest first within a group; names with different first letters
    # never compete for one position), each group behind a one-character test: the same matches as one
    # flat alternation, found without trying every name at every position
    groups: dict[str, list[str]] = {}
    for n in names:
        head = next(p for p in re.split(r"[\s\-_]+", n.strip()) if p)[0].lower()
        pattern = (
            _proper(n) if n.casefold() in common and " " not in n.strip() else rf"(?i:{_name_pattern(n)})"
        )
        groups.setdefault(head, []).append(pattern)
    alternation = "|".join(rf"(?=(?i:{re.escape(h)}))(?:{'|'.join(ps)})" for h, ps in groups.items())
    heads = "".join(re.escape(h) for h in groups)
    words = re.compile(rf"(?<!\w)(?=(?i:[{heads}]))(?:{alternation})(?!\w)")
    # inside a hashtag: a name may start at a capital letter after other letters and end before a capital
    # letter or a digit (#PilihRaka, #RakaWiratama2029); never inside a lower-case word
    glued = re.compile(
        rf"(?<=[a-z0-9])(?=[A-Z])(?:{alternation})(?=[A-Z0-9]|\b)|(?<=#)(?:{alternation})(?=[A-Z0-9])"
    )
    return words, glued, by_key


def _proper(name: str) -> str:
    head, rest = name[0], name[1:]
    return rf"(?:{re.escape(head.upper())}(?i:{re.escape(rest)}))"


@lru_cache(maxsize=1)
def _common_words() -> frozenset[str]:
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    from models.text.slang import lexicon

    words = {w for w in StemmerFactory().get_words_from_file() if w}
    return frozenset(words | set(lexicon()) | {w for v in lexicon().values() for w in v.split()})


@lru_cache(maxsize=16)
def _needles(election: Election) -> tuple[str, ...] | None:
    """Lower-case words of which every match of a configured name holds one (a part of each name), or
    None when a name is not ASCII.

    An ASCII text holding none of them, case-insensitively, names nobody: one ``in`` per word instead of
    the name patterns tried at every position. Only for ASCII names and texts: case-insensitive regex
    matching also pairs some non-ASCII letters with ASCII ones (the Kelvin sign with "k").
    """
    names = [n for e in election.entities for n in e.names]
    if not all(n.isascii() for n in names):
        return None
    parts = [[p.lower() for p in _SEPARATORS.split(n.strip())] for n in names]
    shared = Counter(p for ps in parts for p in set(ps))
    # one part per name, the one most names share (then the longest): few words to look for
    picked = {max(ps, key=lambda p: (shared[p], len(p))) for ps in parts}
    # a word holding another needle adds nothing: the shorter one is found wherever it is
    return tuple(sorted(w for w in picked if not any(o != w and o in w for o in picked)))


_GLUE_HINT = re.compile(r"[a-z0-9][A-Z]")
_SEPARATORS = re.compile(r"[\s\-_]+")


def _lookup(matched: str, by_key: dict[str, tuple[Entity, str]]) -> tuple[Entity, str] | None:
    return by_key.get(_key(matched))


@lru_cache(maxsize=65536)
def _key(matched: str) -> str:
    return _SEPARATORS.sub("", matched).casefold()


def mentions(text: str, election: Election) -> list[EntityMention]:
    """Every candidate/party name in ``text`` with its entity, configured name and span, in text order."""
    needles = _needles(election)
    if needles is not None and text.isascii():
        low = text.lower()
        if not any(needle in low for needle in needles):
            return []
    return _scan(text, election)


def _scan(text: str, election: Election) -> list[EntityMention]:
    """:func:`mentions` by the name patterns alone (no needle test)."""
    words, glued, by_key = _compile(election)
    found: list[EntityMention] = []
    for match in words.finditer(text):  # whole-word matches never overlap one another
        hit = _lookup(match.group(0), by_key)
        if hit is not None:
            found.append(
                EntityMention(hit[0].id, hit[0].kind, hit[1], match.group(0), match.start(), match.end())
            )
    # the glued pattern needs a "#" or a lower-case letter or digit followed by a capital (a text whose
    # cased characters are all lower case has no capital: str.islower answers without a scan per position)
    if "#" not in text and (text.islower() or not _GLUE_HINT.search(text)):
        return found
    covered = bytearray(len(text))  # linear overlap check, whatever the number of mentions
    for m in found:
        covered[m.start : m.end] = b"\x01" * (m.end - m.start)
    for match in glued.finditer(text):
        if any(covered[match.start() : match.end()]):
            continue
        hit = _lookup(match.group(0), by_key)
        if hit is None:
            continue
        found.append(
            EntityMention(hit[0].id, hit[0].kind, hit[1], match.group(0), match.start(), match.end())
        )
        covered[match.start() : match.end()] = b"\x01" * (match.end() - match.start())
    return sorted(found, key=lambda m: m.start)


def mask_entities(text: str, election: Election) -> str:
    """``text`` with every configured candidate name replaced by ``<kandidat>`` and party by ``<partai>``.

    >>> from pantau.election import Election, Entity
    >>> e = Election("x", (Entity("p1", "candidate", ("Raka Wiratama", "Raka")),))
    >>> mask_entities("Dukung raka wiratama! #PilihRaka", e)
    'Dukung <kandidat>! #Pilih<kandidat>'
    """
    out: list[str] = []
    pos = 0
    for mention in mentions(text, election):
        out.append(text[pos : mention.start])
        out.append(TOKENS.get(mention.kind, "<entitas>"))
        pos = mention.end
    out.append(text[pos:])
    return "".join(out)
