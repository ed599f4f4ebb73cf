"""Snippets: stemmed and phrase matches highlighted, the densest window chosen, HTML escaped."""

from __future__ import annotations

from indexes.highlight import match_spans, snippet


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
