"""Snippets: stemmed and phrase matches highlighted, the densest window chosen, HTML escaped."""

from __future__ import annotations

import random

from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

from indexes.analysis import WORD_RE, fold, stem, word_spans
from indexes.highlight import _wordless_non_ascii, match_spans, snippet


def test_inflected_forms_and_phrases_are_marked() -> None:
    text = "Kemenangan paslon: surat suara dihitung; MEMENANGKAN suara rakyat"
    spans = match_spans(text, {"menang"}, [("surat", "suara")])
    assert [text[s:e] for s, e in spans] == ["Kemenangan", "surat", "suara", "MEMENANGKAN"]


def test_partial_words_are_not_marked() -> None:
    text = "Surabaya bukan sura"
    assert [text[s:e] for s, e in match_spans(text, {"sura"}, [])] == ["sura"]


def test_long_text_gets_the_densest_window() -> None:
    text = "awal " * 200 + "hoaks kecurangan hoaks " + "akhir " * 200
    plain, offsets, html_ = snippet(text, {"hoaks", "curang"}, [], width=80)
    assert plain.startswith("…") and plain.endswith("…") and len(plain) < 140
    assert [plain[s:e] for s, e in offsets] == ["hoaks", "kecurangan", "hoaks"]
    assert html_.count("<mark>") == 3


def test_html_is_escaped() -> None:
    _, _, html_ = snippet('<img src=x onerror="alert(1)"> hoaks & fitnah', {"hoaks"}, [])
    assert html_ == "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; <mark>hoaks</mark> &amp; fitnah"


def _reference_spans(text: str, stems: set[str], phrases: list[tuple[str, ...]]) -> list[tuple[int, int]]:
    """Every word analysed one by one: what the fast paths of match_spans must agree with."""
    spans = word_spans(text)
    hit = {(s, e) for s, e, _ in _words(text) if stem(fold(text[s:e])) in stems}
    folded = [w for _, _, w in spans]
    for phrase in phrases:
        for i in range(len(folded) - len(phrase) + 1):
            if tuple(folded[i : i + len(phrase)]) == phrase:
                hit.update((spans[j][0], spans[j][1]) for j in range(i, i + len(phrase)))
    return sorted(hit)


def _words(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in WORD_RE.finditer(text)]


def test_fast_paths_agree_with_analysing_every_word() -> None:
    rng = random.Random(5)
    vocab = [
        "menang",
        "kemenangan",
        "MEMENANGKAN",
        "pemenang",
        "surat",
        "Suara",
        "hoaks",
        "kecurangan",
        "menulis",
        "tulis",
        "penyanyi",
        "nyanyi",
        "mempengaruhi",
        "pengaruh",
        "belajar",
        "a",
        "kpu",
        "Pemilu2029",
        "ke_curangan",
        "naïve",
        "Ünïcode",
        "ß",
    ] + ["x" * 45, "y" * 41, "z" * 40]
    wanted_stems = [
        "menang",
        "suara",
        "curang",
        "tulis",
        "nyanyi",
        "aruh",
        "ajar",
        "a",
        "kpu",
        "pemilu2029",
    ] + [
        "x" * 45,
        "z" * 40,
    ]
    phrase_words = ["surat", "suara", "menang", "a", "z" * 40, "x" * 45, "naïve"]
    seps = [" ", "  ", ", ", ".", "\n", "-", "_", "(", "<b>", "&", "…", "\x02", "\x03", "🙂", "“", "”", "—"]
    for _ in range(3000):
        text = "".join(rng.choice(seps) + rng.choice(vocab) for _ in range(rng.randint(0, 20)))
        kind = rng.random()
        if kind < 0.33:  # ASCII
            text = "".join(c for c in text if c.isascii())
        elif kind < 0.66:  # ASCII words among emoji and typographic punctuation
            text = "".join(c for c in text if c.isascii() or not c.isalnum())
        stems = set(rng.sample(wanted_stems, rng.randint(0, 3)))
        phrases = [
            tuple(rng.choice(phrase_words) for _ in range(rng.randint(1, 3)))
            for _ in range(rng.randint(0, 2))
        ]
        assert match_spans(text, stems, phrases) == _reference_spans(text, stems, phrases), (text, stems)


def test_a_stem_past_its_first_letter_is_part_of_the_word() -> None:
    # the ASCII path looks for stem[1:] in the text (see _ascii_stem_spans): check the rule on the
    # dictionary's roots with prefixes, infixes and suffixes
    roots = sorted(w for w in StemmerFactory().get_words() if w.isascii() and w.isalpha())
    prefixes = [""] + [
        "me",
        "mem",
        "men",
        "meng",
        "meny",
        "menge",
        "pe",
        "pem",
        "pen",
        "peng",
        "peny",
        "penge",
        "ber",
        "be",
        "ter",
        "te",
        "di",
        "ke",
        "se",
        "per",
        "memper",
        "diper",
        "ku",
        "kau",
        "bel",
        "mempe",
    ]
    suffixes = [""] + ["kan", "an", "i", "nya", "lah", "kah", "ku", "mu", "pun", "kannya", "annya", "tah"]
    rng = random.Random(11)
    for _ in range(3000):
        root = rng.choice(roots)
        if rng.random() < 0.3:
            root = root[0] + rng.choice(["em", "el", "er", "in"]) + root[1:]
        word = rng.choice(prefixes) + root + rng.choice(suffixes)
        assert stem(word)[1:] in word, word


def test_emoji_and_quotes_keep_the_fast_path_letters_and_marks_do_not() -> None:
    assert _wordless_non_ascii("“Hoaks” 🙂 — kecurangan…") == " Hoaks      kecurangan "
    assert _wordless_non_ascii("naïve") is None
    assert _wordless_non_ascii("cafe\u0301") is None  # a combining accent joins the word once normalised
    text = "“Kemenangan” 🙂 paslon—MEMENANGKAN!"
    assert [text[s:e] for s, e in match_spans(text, {"menang"}, [])] == ["Kemenangan", "MEMENANGKAN"]
