"""Normalisation of Indonesian social-media text into model features.

:func:`normalize` returns space-separated tokens. Decisions (documented in ``docs/models.md``):

* Unicode NFKC, then case folding (after camel-case hashtags are split, which needs the case).
* URLs become ``<url>`` followed by a domain token ``dom_example_com`` (``www.`` dropped): the domain is a
  strong, neutral hoax signal (blogspot mirrors, look-alike news sites). Nothing in a URL is fetched.
* ``@handle`` becomes ``<mention>`` (handles are people, not features).
* ``#IndonesiaMaju`` becomes ``<hashtag> indonesia maju``: the marker keeps "this was a hashtag", the words
  stay features; camel case and digits are split.
* Emoji become one token per class (``<emoji_laugh>``, ``<emoji_love>``, ``<emoji_angry>``, ``<emoji_sad>``,
  ``<emoji_shock>``, ``<emoji_hand>``, ``<emoji_flag>``, ``<emoji>``), from a compact Unicode table (the
  ``emoji`` package is not a dependency). Hand signs (☝ ✌ 🤟 …) are one class on purpose: "salam dua jari"
  style salutes name a ballot number, and a model must not tell them apart. Keycap digits (``2️⃣``) are
  ballot numbers and become ``<nomor_urut>``.
* Elongations collapse: ``bangettt`` → ``banget`` (a doubled letter is kept when the dictionary knows the
  word: ``maaaaf`` → ``maaf``), ``wkwkwkwk`` → ``wkwk``, ``hahahaha`` → ``haha``, ``!!!!`` → ``!``.
* Ballot-number expressions (``paslon 02``, ``no. urut 1``, ``nomor dua``, ``coblos 3``, ``nomor urut tiga``,
  a bare ``01``…``09``) become ``<nomor_urut>``: the number itself never survives, for neutrality.
* Reduplication ``berita2`` / ``berita-berita`` → ``berita berita``.
* Slang and abbreviations expand through the lexicon (:mod:`models.text.slang`).
* Other numbers become ``<angka>`` unless ``keep_numbers=True`` (the claim matcher keeps them).
* Punctuation is dropped except ``!``, ``?`` and ``%``.
* ``stem=True`` applies the Sastrawi (Nazief–Adriani) stemmer to word tokens, with a cache.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache
from itertools import product
from typing import Any

from models.text.slang import lexicon

_URL = re.compile(
    r"(?i)\b(?:https?://|www\.)[^\s<>\"'()]+"
    r"|\b[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){0,4}\.(?:com|id|net|org|co|ly|me)/\S*"
)
_MENTION = re.compile(r"(?<![\w@])@([A-Za-z0-9_.]{1,30})")
_HASHTAG = re.compile(r"(?<![\w#])#([\w<>]+)")
_CAMEL = re.compile(r"<[a-z_]+>|[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+|[^\W\d_]+")
_KEYCAP = re.compile("[0-9#*]\ufe0f?\u20e3")
_SPECIAL = re.compile(r"<[a-z_]+>")

_NUM_WORDS = (
    "dua puluh|sebelas|sepuluh|(?:dua|tiga|empat|lima|enam|tujuh|delapan|sembilan) belas|"
    "satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan"
)
_NUM = rf"(?:ke-?\s*)?(?:\d{{1,2}}|{_NUM_WORDS})"
_NO = r"(?:nomor|nomer|nmr|no\.?)(?:\s*urut)?|urutan|urut"
# Triggers that may be glued to the number ("paslon02", "no.1", "coblos#3").
_TIGHT = rf"(?:paslon|pasangan\s+calon|capres|cawapres|coblos|nyoblos|mencoblos|dicoblos|contreng|{_NO})"
# Triggers that need a space before the number ("pilih 2", not the reduplication "pilih2").
_LOOSE = r"(?:pilih|pilihlah|calon|partai|caleg|salam)"
_BALLOT = re.compile(
    rf"(?<![\w<])(?:{_TIGHT}(?:\s+(?:{_NO}))?\s*[:.#-]?\s*{_NUM}|{_LOOSE}(?:\s+(?:{_NO}))?\s+[:#]?\s*{_NUM})"
    r"(?![\w>])"
)
_BARE_BALLOT = re.compile(r"(?<![\w/.:,<-])0[1-9](?![\w/.:,>-])")
_NUMBER = re.compile(r"(?<![\w<])\d+(?:[.,]\d+)*")
_REPEAT_PUNCT = re.compile(r"([!?.,])\1+")
_TRIPLE = re.compile(r"([^\W\d_])\1{2,}")
_LAUGH = re.compile(r"^a?(?:(?:wk|kw)+w?k?|(?:ha)+h?|(?:he)+h?|(?:hi)+h?|(?:xi)+x?|(?:ck)+)$")
_TOKEN = re.compile(r"<[a-z_]+>|dom_\w+|\d+(?:[.,]\d+)*|[^\W\d_]+(?:-[^\W_]+)*\d*|[!?%]")
_WORD = re.compile(r"[^\W\d_]{3,}")
# a run of three equal word characters: only then can elongation matter to the ballot patterns
_TRIPLE_HINT = re.compile(r"(\w)\1\1")
#: the same test for case-folded ASCII text, where ``\w`` is one of these (a plain class scans faster)
_TRIPLE_HINT_ASCII = re.compile(r"([a-z0-9_])\1\1")


#: what ``str.split()`` splits ASCII text at, besides the space
_ASCII_BREAKS = "\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f"


def _single_spaced(text: str) -> bool:
    """Whether ``" ".join(text.split()) == text`` — for ASCII texts, told by a few substring tests
    instead of splitting and joining (most posts are one line of single-spaced words)."""
    if not text.isascii() or text[:1] == " " or text[-1:] == " " or "  " in text:
        return False
    return not any(ch in text for ch in _ASCII_BREAKS)


def _has_triple_ascii(text: str) -> bool:
    """``_TRIPLE_HINT_ASCII.search(text)`` for an ASCII text, with the regex run only where some
    character occurs three times in a row (rare): the text as one big integer, one byte per character,
    XORed with itself shifted by a byte is zero where a character repeats the one before it; ORed with
    that shifted again, zero where it repeats the two before it."""
    raw = text.encode("ascii")
    x = int.from_bytes(raw, "big")
    y = x ^ (x >> 8)  # byte i: raw[i] ^ raw[i - 1]
    z = y | (y >> 8)  # byte i (from 2 on): zero iff raw[i - 2] == raw[i - 1] == raw[i]
    if z.to_bytes(len(raw), "big").find(b"\0", 2) < 0:
        return False
    return _TRIPLE_HINT_ASCII.search(text) is not None


#: every number word of the ballot patterns contains one of these
_NUMBER_WORDS = (
    "satu",
    "dua",
    "tiga",
    "empat",
    "lima",
    "enam",
    "tujuh",
    "delapan",
    "sembilan",
    "sepuluh",
    "sebelas",
)
_WWW = re.compile(r"(?i)www\.")
_DIGIT = re.compile(r"\d")
_REDUP = re.compile(r"^([^\W\d_]{3,})2$")

# Emoji classes: (class, characters). Everything else in the emoji ranges is plain <emoji>.
_EMOJI_CLASSES: tuple[tuple[str, str], ...] = (
    ("laugh", "😂🤣😆😹😅😄😁😀😃😸"),
    ("love", "❤♥💕💖💗💓💞💘😍🥰😘😻💯👍👏🙌🤗😊🙂☺😇✨🎉🥳"),
    ("angry", "😡😠🤬👎💢😤👿😾🖕"),
    ("sad", "😢😭😞😔☹🙁💔😿😥😓😩😫"),
    ("shock", "😱😮😲🤯😨😳🙀😯😦😧⁉‼"),
    ("hand", "☝✌🤟👌🤞✊👊🤘🖐✋🤙👆👉🫵"),
    ("pray", "🙏🤲"),
    ("think", "🤔🧐🤨😏🙄"),
)
_EMOJI_CLASS = {ch: name for name, chars in _EMOJI_CLASSES for ch in chars}
_EMOJI_RANGES = ((0x1F000, 0x1FAFF), (0x2600, 0x27BF), (0x2B00, 0x2BFF), (0x2190, 0x21FF), (0x3030, 0x303D))
_EMOJI_IGNORE = {0xFE0F, 0xFE0E, 0x200D, 0x20E3} | set(range(0x1F3FB, 0x1F400))


_EMOJI_EXTRA = (0x203C, 0x2049, 0x00A9, 0x00AE)


def _is_emoji(cp: int) -> bool:
    return any(lo <= cp <= hi for lo, hi in _EMOJI_RANGES) or cp in _EMOJI_EXTRA


def _char_class(codes: set[int], ranges: tuple[tuple[int, int], ...]) -> str:
    return (
        "["
        + "".join(f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in ranges)
        + "".join(f"\\U{cp:08x}" for cp in sorted(codes))
        + "]+"
    )


#: runs of characters the emoji pass acts on (every other character is copied as it is)
_EMOJI_RUN = re.compile(
    _char_class(
        {ord(ch) for ch in _EMOJI_CLASS} | _EMOJI_IGNORE | set(_EMOJI_EXTRA),
        (*_EMOJI_RANGES, (0x1F1E6, 0x1F1FF)),
    )
)


def _emoji_pass(text: str) -> str:
    """Replace emoji with class tokens; runs of the same class collapse to one token."""
    if text.isascii():
        return text
    return _EMOJI_RUN.sub(_emoji_run, text)


def _emoji_run(match: re.Match[str]) -> str:
    """One run of emoji (and emoji modifiers) → class tokens (a plain character before it ends a run)."""
    out: list[str] = []
    last = ""
    for ch in match.group(0):
        cp = ord(ch)
        if cp in _EMOJI_IGNORE:
            continue
        if 0x1F1E6 <= cp <= 0x1F1FF:
            name = "flag"
        elif ch in _EMOJI_CLASS:
            name = _EMOJI_CLASS[ch]
        elif _is_emoji(cp):
            name = "emoji" if cp != 0x2022 else ""
        else:
            out.append(ch)
            last = ""
            continue
        if name and name != last:
            out.append(f" <emoji_{name}> " if name != "emoji" else " <emoji> ")
        last = name
    return "".join(out)


def _url_token(match: re.Match[str]) -> str:
    url = match.group(0)
    host = (
        re.sub(r"(?i)^(?:https?://)?(?:www\.)?", "", url).split("/", 1)[0].split(":", 1)[0].split("?", 1)[0]
    )
    host = re.sub(r"[^a-z0-9]+", "_", host.lower()).strip("_")
    return f" <url> dom_{host} " if host else " <url> "


def _split_hashtag(match: re.Match[str]) -> str:
    parts = _CAMEL.findall(match.group(1))
    return " <hashtag> " + " ".join(parts) + " "


#: markers normalize() emits (entity tokens come from models.text.entities.mask_entities)
SPECIAL_TOKENS = frozenset(
    {"<url>", "<mention>", "<hashtag>", "<nomor_urut>", "<angka>", "<kandidat>", "<partai>", "<entitas>"}
    | {"<emoji>"}
    | {f"<emoji_{name}>" for name, _ in _EMOJI_CLASSES}
    | {"<emoji_flag>"}
)

_LOCK = threading.Lock()
_STATE: dict[str, Any] = {}


def _vocabulary() -> frozenset[str]:
    """Words whose doubled letters are real (Sastrawi root words + the slang lexicon), read once."""
    vocab = _STATE.get("vocab")
    if vocab is None:
        with _LOCK:
            vocab = _STATE.get("vocab")
            if vocab is None:
                from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

                words = set(StemmerFactory().get_words_from_file())
                lex = lexicon()
                words.update(lex)
                words.update(w for value in lex.values() for w in value.split())
                vocab = frozenset(w for w in words if w)
                _STATE["vocab"] = vocab
    return frozenset(vocab)


@lru_cache(maxsize=65536)
def _deelongate(word: str) -> str:
    """Collapse runs of 3+ equal letters to one, or to two when that spells a known word."""
    laugh = _LAUGH.match(word)
    if laugh and len(word) >= 4:
        core = word[1:] if word.startswith("a") and not word.startswith("ha") else word
        return core[:2] * 2
    runs = list(_TRIPLE.finditer(word))
    if not runs:
        return word
    vocab = _vocabulary()
    pieces: list[str] = []
    pos = 0
    for run in runs:
        pieces.append(word[pos : run.start()])
        pos = run.end()
    tail = word[pos:]
    best = ""
    # try fewer doubled letters first (most elongations are single letters: bangettt → banget)
    for widths in sorted(product((1, 2), repeat=min(len(runs), 4)), key=sum):
        candidate = (
            "".join(
                piece + run.group(1) * (widths[i] if i < len(widths) else 1)
                for i, (piece, run) in enumerate(zip(pieces, runs, strict=True))
            )
            + tail
        )
        if not best:
            best = candidate
        if candidate in vocab:
            return candidate
    return best


@lru_cache(maxsize=200_000)
def _stem_word(word: str) -> str:
    stemmer = _STATE.get("stemmer")
    if stemmer is None:
        with _LOCK:
            stemmer = _STATE.get("stemmer")
            if stemmer is None:
                from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

                stemmer = StemmerFactory().create_stemmer()
                _STATE["stemmer"] = stemmer
    stemmed = str(stemmer.stem(word))
    return stemmed or word


def _expand(token: str, lex: dict[str, str]) -> list[str]:
    if token.startswith("<"):
        # only our own markers are tokens; "<script>" written in a post is just the word "script"
        return [token] if token in SPECIAL_TOKENS else _expand(token[1:-1], lex)
    if token.startswith("dom_"):
        return [token]
    if token in lex:
        return lex[token].split()
    redup = _REDUP.match(token)
    if redup:
        base = lex.get(redup.group(1), redup.group(1))
        return [*base.split(), *base.split()]
    if "-" in token:
        return [w for part in token.split("-") if part for w in _expand(part, lex)]
    return [token]


def normalize(text: str, *, stem: bool = False, keep_numbers: bool = False) -> str:
    """Model-ready tokens of ``text``, space-separated (see the module docstring for every rule).

    >>> normalize("Pokoknya coblos paslon 02 bangettt!!! #IndonesiaMaju https://www.contoh.com/x")
    'pokoknya coblos <nomor_urut> banget ! <hashtag> indonesia maju <url> dom_contoh_com'
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    if not _single_spaced(text):
        text = " ".join(text.split())  # one space between words keeps every pattern below linear
    # each pass runs only when its trigger character is there (same output, most posts skip most passes)
    if "/" in text or (("w." in text or "W." in text) and _WWW.search(text)):
        text = _URL.sub(_url_token, text)
    if "@" in text:
        text = _MENTION.sub(" <mention> ", text)
    if "\u20e3" in text:
        text = _KEYCAP.sub(" <nomor_urut> ", text)
    text = _emoji_pass(text)
    if "#" in text:
        text = _HASHTAG.sub(_split_hashtag, text)
    text = text.casefold()
    if "!!" in text or "??" in text or ".." in text or ",," in text:  # what a repeat starts with
        text = _REPEAT_PUNCT.sub(r"\1", text)
    ascii_ = text.isascii()
    elongated = _has_triple_ascii(text) if ascii_ else _TRIPLE_HINT.search(text) is not None
    if elongated:  # before the ballot patterns: "nomorrr 2" is a ballot number
        text = _WORD.sub(_deelongate_match, text)
    has_digit = (
        any(d in text for d in "0123456789") if ascii_ and not elongated else _DIGIT.search(text) is not None
    )
    if has_digit or any(word in text for word in _NUMBER_WORDS):
        text = _BALLOT.sub(" <nomor_urut> ", text)
    if has_digit:
        text = _BARE_BALLOT.sub(" <nomor_urut> ", text)
        if not keep_numbers:
            text = _NUMBER.sub(" <angka> ", text)
    # Tokens never contain spaces, so each space-separated chunk is tokenised, de-elongated (laughter:
    # "wkwkwk" → "wkwk"; unless done above) and expanded on its own, once: chunks repeat across posts,
    # and a cache answers most of them.
    key = (stem, not elongated)
    cache = _CHUNKS[key]
    if len(cache) > _CACHE_SIZE:
        cache.clear()
    get = cache.get
    chunks = text.split()
    found = list(map(get, chunks))
    if None in found:
        for i, words in enumerate(found):
            if words is None:
                found[i] = cache[chunks[i]] = _expand_chunk(chunks[i], *key)
    return " ".join(filter(None, found))


#: (stem, de-elongate) → {space-separated chunk: its tokens after expansion, space-joined}
_CHUNKS: dict[tuple[bool, bool], dict[str, str]] = {(a, b): {} for a in (False, True) for b in (False, True)}
_CACHE_SIZE = 100_000


def _deelongate_match(match: re.Match[str]) -> str:
    return _deelongate(match.group(0))


def _expand_chunk(chunk: str, stem: bool, deelongate: bool) -> str:
    lex = lexicon()
    words: list[str] = []
    for token in _TOKEN.findall(_WORD.sub(_deelongate_match, chunk) if deelongate else chunk):
        for word in _expand(token, lex):
            if stem and word.isalpha():
                word = _stem_word(word)
            words.append(word)
    return " ".join(words)


def tokens(text: str, *, stem: bool = False, keep_numbers: bool = False) -> list[str]:
    """:func:`normalize` split into its tokens."""
    return normalize(text, stem=stem, keep_numbers=keep_numbers).split()
