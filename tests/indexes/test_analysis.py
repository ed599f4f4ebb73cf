"""Indonesian analysis: inflected forms share a stem, and index and query agree."""

from __future__ import annotations

import pytest

from indexes.analysis import stem, stems, word_spans, words


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
