"""Indonesian analysis: inflected forms share a stem, and index and query agree."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexes import analysis
from indexes.analysis import MAX_TOKEN_CHARS, WORD_RE, fold, stem, stem_words, stems, word_spans, words


@pytest.mark.parametrize(
    ("word", "root"),
    [
        ("memenangkan", "menang"),
        ("kemenangan", "menang"),
        ("dimenangkan", "menang"),
        ("pemenang", "menang"),
        ("kecurangan", "curang"),
        ("menyebarkan", "sebar"),
        ("pendukungnya", "dukung"),
        ("pemilihan", "pilih"),
        ("dicoblos", "coblos"),
    ],
)
def test_inflected_forms_share_a_stem(word: str, root: str) -> None:
    assert stem(word) == root


def test_words_fold_case_split_punctuation_and_keep_digits() -> None:
    assert words("KPU: Pemilu_2029, #HoaksPemilu berita-berita") == [
        "kpu",
        "pemilu",
        "2029",
        "hoakspemilu",
        "berita",
        "berita",
    ]


def test_short_words_numbers_and_names_are_not_mangled() -> None:
    assert stems("TPS 12 di Jakarta") == ["tps", "12", "di", "jakarta"]


def test_overlong_tokens_are_dropped() -> None:
    assert words("a" * 41 + " ok") == ["ok"]


def test_word_spans_point_into_the_original_text() -> None:
    text = "Paslon  MEMENANGKAN debat"
    spans = word_spans(text)
    assert [(text[s:e], w) for s, e, w in spans] == [
        ("Paslon", "paslon"),
        ("MEMENANGKAN", "memenangkan"),
        ("debat", "debat"),
    ]


_ASCII = st.text(alphabet=st.characters(max_codepoint=127), max_size=120)


@settings(max_examples=300, deadline=None)
@given(_ASCII, st.integers(min_value=0, max_value=60))
def test_ascii_fast_path_gives_the_general_paths_tokens(text: str, run: int) -> None:
    # the general path: NFC, casefold, the Unicode word pattern, the length cap
    text = text + " " + "Ab" * run
    expected = [w for w in WORD_RE.findall(fold(text)) if len(w) <= MAX_TOKEN_CHARS]
    assert words(text) == expected


def test_ascii_and_unicode_texts_tokenise_alike() -> None:
    assert words("Pemilu_2029: KPU-curang!! #Hoaks") == ["pemilu", "2029", "kpu", "curang", "hoaks"]
    assert words("Pemilu_2029: KPU-curang!! #Hoaks 🙏") == ["pemilu", "2029", "kpu", "curang", "hoaks"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["memenangkan", "kecurangan", "tps", "2029", "dicoblos", "x"]) | st.text()))
def test_stem_words_is_stem_of_each_token(texts: list[str]) -> None:
    tokens = [w for t in texts for w in words(t)]
    assert stem_words(tokens) == [stem(w) for w in tokens]
    assert stem_words(tokens) == [stem(w) for w in tokens]  # again, from the cache


def test_the_stem_cache_is_emptied_when_full_and_answers_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(analysis, "STEM_CACHE_WORDS", 2)
    monkeypatch.setattr(analysis, "_STEMS", {})
    first = ["memenangkan", "kecurangan", "pendukungnya"]
    assert stem_words(first) == ["menang", "curang", "dukung"]
    assert stem_words(["dimenangkan", "memenangkan"]) == ["menang", "menang"]
    assert analysis._STEMS == {"dimenangkan": "menang"}  # it was full at the miss: emptied, then filled
