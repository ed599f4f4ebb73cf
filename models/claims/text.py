"""Text preparation for claim matching: rating tags off fact-check headlines, boilerplate off posts,
and the sentence windows long posts are scored by.

Fact-checkers put their verdict into the headline (``[SALAH] …``, ``[HOAKS] …``, ``(DISINFORMASI) …``,
``HOAKS: …``). The tag says nothing about the claim, is shared by thousands of headlines, and pulls every
tagged headline's embedding towards every other, so it is removed before indexing (the rating stays in
:attr:`pantau.records.FactCheck.rating`). Posts carry chain-message boilerplate that is not the claim
(URLs, "sebarkan!", "forwarded as received", "[HOAKS]"-style labels, emoji runs); it is removed before
scoring. Long posts are also cut into sentence windows (:func:`sentence_windows`), because a fact-check
headline usually repeats one or two sentences of a long message, not all of it.
"""

from __future__ import annotations

import re

_VERDICTS = (
    r"salah|hoaks|hoax|hoaxs|disinformasi|misinformasi|malinformasi|fitnah|keliru|menyesatkan|palsu|"
    r"konten\s+(?:yang\s+)?menyesatkan|konten\s+palsu|konten\s+dimanipulasi|konteks\s+(?:yang\s+)?keliru|"
    r"koneksi\s+yang\s+salah|satire|satir|parodi|klarifikasi|benar|fakta|cek\s+fakta|sebagian\s+benar|"
    r"misleading|false|fake|partly\s+false|missing\s+context"
)
#: one or more verdict tags at the start of a headline, bracketed (``[SALAH]``, ``(HOAKS)``) or as a
#: ``HOAKS:`` / ``HOAKS -`` prefix; a combined tag like ``[SALAH/HOAKS]`` counts as one
_LEADING_TAGS = re.compile(
    rf"^\s*(?:(?:[\[\(【]\s*(?:{_VERDICTS})(?:\s*[/,|]\s*(?:{_VERDICTS}))*\s*[\]\)】]"
    rf"|(?:{_VERDICTS})\s*[:|–—-])\s*[:|–—-]?\s*)+",
    re.IGNORECASE,
)
#: the same bracketed tags anywhere (posts quoting a fact-check, or a headline ending in ``[HOAKS]``)
_BRACKET_TAGS = re.compile(
    rf"[\[\(【]\s*(?:{_VERDICTS}|viral|penting|info|breaking|urgent)(?:\s*[/,|]\s*(?:{_VERDICTS}))*\s*[?!]*\s*[\]\)】]",
    re.IGNORECASE,
)
_URL = re.compile(
    r"(?i)\b(?:https?://|www\.)\S+|\b[\w-]{1,63}(?:\.[\w-]{1,63}){0,4}\.(?:com|id|net|org|co|ly|me)/\S*"
)
_BOILERPLATE = re.compile(
    r"(?i)\b(?:forwarded(?:\s+as\s+received|\s+many\s+times)?|diteruskan(?:\s+(?:dari|sebanyak)[^.!?\n]{0,30})?"
    r"|copas(?:\s+dari\s+(?:grup|group|wa)(?:\s+sebelah)?)?|copy\s*paste|dari\s+grup\s+sebelah"
    r"|(?:tolong\s+|mohon\s+|segera\s+)?(?:sebarkan|viralkan|bagikan|share(?:kan)?)(?:\s+(?:ke|kepada)"
    r"\s+(?:semua|keluarga|teman|grup)[a-z\s]{0,20})?(?:\s*!+)?"
    r"|assalamu'?alaikum(?:\s+(?:wr\.?\s*wb\.?|warahmatullahi\s+wabarakatuh))?"
    r"|selamat\s+(?:pagi|siang|sore|malam)(?:\s+(?:semua|sahabat|teman|bapak|ibu)[a-z\s]{0,15})?)"
)
_EMOJI_RUN = re.compile(
    "[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe0f\u200d\U0001f1e6-\U0001f1ff]{2,}"
)
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")


def strip_rating_tags(claim: str) -> str:
    """A fact-check headline without its verdict tags (``"[SALAH] Surat suara …"`` → ``"Surat suara …"``).

    The headline itself is returned when nothing but tags would be left.
    """
    stripped = _BRACKET_TAGS.sub(" ", _LEADING_TAGS.sub("", claim))
    stripped = " ".join(stripped.split())
    return stripped or claim.strip()


def clean_post(text: str) -> str:
    """A post without what is not its claim: URLs, chain-message boilerplate, verdict labels, emoji runs.

    The text itself is returned when nothing would be left.
    """
    cleaned = _URL.sub(" ", text)
    cleaned = _BRACKET_TAGS.sub(" ", cleaned)
    cleaned = _BOILERPLATE.sub(" ", cleaned)
    cleaned = _EMOJI_RUN.sub(" ", cleaned)
    # spaces collapse, line breaks stay (they end sentences for :func:`sentence_windows`)
    lines = (" ".join(line.split()) for line in cleaned.splitlines())
    cleaned = "\n".join(line for line in lines if line)
    return cleaned or text.strip()


def sentence_windows(text: str, low: int = 20, high: int = 60) -> list[str]:
    """Consecutive sentences joined into windows of ``low``..``high`` words (a longer sentence is cut
    into ``high``-word pieces overlapping by half); a short text is one window."""
    if low < 1 or high < low:
        raise ValueError(f"sentence windows need 1 <= low <= high, got low={low}, high={high}")
    out: list[str] = []
    current: list[str] = []
    for sentence in _SENTENCE_END.split(text):
        words = sentence.split()
        if len(words) > high:
            if current:
                out.append(" ".join(current))
                current = []
            step = max(high // 2, 1)
            start = 0
            while start + high < len(words):
                out.append(" ".join(words[start : start + high]))
                start += step
            words = words[start:]
        current += words
        if len(current) >= low:
            out.append(" ".join(current))
            current = []
    if current:
        if out and len(current) < low // 2:
            out[-1] = f"{out[-1]} {' '.join(current)}"
        else:
            out.append(" ".join(current))
    return out or [text]


def first_words(text: str, n: int = 40) -> str:
    """The first ``n`` words: where a circulated message or a write-up states its claim."""
    return " ".join(text.split()[:n])
