"""Normalisation of Indonesian social-media text: table-driven cases for every rule."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.text.normalize import normalize, tokens

CASES = [
    # elongation
    ("bangettt", "banget"),
    ("kerennnn bgtttt", "keren banget"),
    ("maaaaf", "maaf"),
    ("wkwkwkwk", "wkwk"),
    ("awkwkwkwk", "wkwk"),
    ("hahahahaha", "haha"),
    ("hehehe", "hehe"),
    ("bohong!!!!", "bohong !"),
    ("serius???", "serius ?"),
    # slang
    ("gk tau yg bener gmn", "tidak tahu yang benar bagaimana"),
    ("ga", "tidak"),
    ("nggak", "tidak"),
    ("udh blm", "sudah belum"),
    ("krn utk org dgn", "karena untuk orang dengan"),
    ("tp knp aja sm", "tapi kenapa saja sama"),
    ("gue gw", "saya saya"),
    ("otw", "dalam perjalanan"),
    ("berita2 hoax", "berita berita hoaks"),
    ("berita-berita", "berita berita"),
    ("pemlu kpu tps", "pemilu kpu tps"),
    # ballot numbers: the number itself never survives
    ("paslon 02", "<nomor_urut>"),
    ("Paslon 02 menang", "<nomor_urut> menang"),
    ("no. urut 1", "<nomor_urut>"),
    ("no urut 3", "<nomor_urut>"),
    ("nomor dua", "<nomor_urut>"),
    ("nomor urut tiga", "<nomor_urut>"),
    ("NOMOR URUT 12", "<nomor_urut>"),
    ("01", "<nomor_urut>"),
    ("coblos 3", "<nomor_urut>"),
    ("coblos02", "<nomor_urut>"),
    ("pilih 2", "<nomor_urut>"),
    ("paslon nomor 1", "<nomor_urut>"),
    ("capres no.2", "<nomor_urut>"),
    ("partai nomor 15", "<nomor_urut>"),
    ("salam dua jari", "<nomor_urut> jari"),
    ("#Coblos02", "<hashtag> <nomor_urut>"),
    ("2\ufe0f\u20e3", "<nomor_urut>"),
    ("nomor urut ke-3", "<nomor_urut>"),
    # not ballot numbers
    ("jam 02.00", "jam <angka>"),
    ("tanggal 02/03", "tanggal <angka> <angka>"),
    ("harga 9.500", "harga <angka>"),
    # urls, mentions, hashtags, emoji
    ("cek https://www.contoh-berita.com/a?b=1 ya", "periksa <url> dom_contoh_berita_com ya"),
    ("@budi_01 katanya", "<mention> katanya"),
    ("#IndonesiaMaju", "<hashtag> indonesia maju"),
    ("#pemilu2029", "<hashtag> pemilu <angka>"),
    ("😂😂😂", "<emoji_laugh>"),
    ("mantap 👍 😡", "mantap <emoji_love> <emoji_angry>"),
    ("☝️ ✌️", "<emoji_hand> <emoji_hand>"),
    ("🇮🇩", "<emoji_flag>"),
    # unicode
    ("ＫＰＵ", "kpu"),
    ("", ""),
]


@pytest.mark.parametrize(("raw", "expected"), CASES)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "coblos 1",
        "coblos 2",
        "coblos 3",
        "paslon 01",
        "paslon 02",
        "paslon 03",
        "nomor satu",
        "nomor dua",
        "nomor tiga",
        "no urut 1",
        "no urut 2",
        "no urut 3",
    ],
)
def test_ballot_numbers_are_indistinguishable(raw: str) -> None:
    assert normalize(f"ayo {raw} sekarang") == "ayo <nomor_urut> sekarang"


def test_keep_numbers_keeps_ordinary_numbers_but_not_ballot_numbers() -> None:
    assert normalize("BBM naik jadi 9.500 paslon 02", keep_numbers=True) == "bbm naik jadi 9.500 <nomor_urut>"


def test_entity_tokens_pass_through() -> None:
    assert (
        normalize("Dukung <kandidat> dan #Pilih<kandidat>")
        == "dukung <kandidat> dan <hashtag> pilih <kandidat>"
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("para pendukungnya menyebarkan berita-berita bohong", "para dukung sebar berita berita bohong"),
        ("pemilihan", "pilih"),
        ("<url> dom_contoh_com", "<url> dom_contoh_com"),
    ],
)
def test_stemming(raw: str, expected: str) -> None:
    assert normalize(raw, stem=True) == expected


def test_tokens_is_split_normalize() -> None:
    assert tokens("Gk bgt!!") == ["tidak", "banget", "!"]


def test_hostile_text_is_only_text() -> None:
    out = normalize("<script>alert(1)</script> javascript:alert(1)")
    assert "<script>" not in out


@pytest.mark.timeout(120)
@pytest.mark.parametrize(
    "hostile",
    ["nomor " + " " * 20000 + "x", "a-" * 20000, "https://" + "a." * 10000, "Raka " * 5000, "1." * 20000],
)
def test_pathological_input_stays_linear(hostile: str) -> None:
    """Patterns are bounded: a crafted post must not stall the pipeline (catastrophic backtracking)."""
    from models.endorse.disclosure import find_disclosures, promo_cues

    normalize(hostile, stem=True)
    find_disclosures(hostile)
    promo_cues(hostile)


@pytest.mark.parametrize(
    "module", ["models.text.normalize", "models.text.entities", "models.endorse.disclosure"]
)
def test_docstring_examples_are_true(module: str) -> None:
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module))
    assert result.failed == 0 and result.attempted > 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("wkwkwkwk mantap", "wkwk mantap"),  # laughter collapses in a post without elongation
        ("wkwkwkwk mantappp", "wkwk mantap"),  # ... and in one with it
        ("pilih nomorrr 2 yaaa", "<nomor_urut> ya"),  # elongation undone before ballot numbers
        ("KWKWKWKKKK gitu", "kwkwkwk begitu"),
        ("“Hoaks!!” kata @budi😂😂 #CekFakta www.contoh.id", None),
    ],
)
def test_repeated_calls_give_the_same_tokens(text: str, expected: str | None) -> None:
    """normalize caches per space-separated chunk: a second call (cache hit) equals the first."""
    first = normalize(text)
    assert normalize(text) == first
    assert normalize(text, stem=True) == normalize(text, stem=True)
    if expected is not None:
        assert first == expected


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="aab0_-. !?\x00\x7f", max_size=40))
def test_triple_test_equals_the_regex(text: str) -> None:
    from models.text.normalize import _TRIPLE_HINT_ASCII, _has_triple_ascii

    assert _has_triple_ascii(text) == (_TRIPLE_HINT_ASCII.search(text) is not None)


def test_triple_test_equals_the_regex_on_real_texts(real_texts: list[str]) -> None:
    from models.text.normalize import _TRIPLE_HINT_ASCII, _has_triple_ascii

    folded = [t.casefold() for t in real_texts if t.isascii()]
    assert sum(_TRIPLE_HINT_ASCII.search(t) is not None for t in folded) > 0  # both answers occur
    for text in folded:
        assert _has_triple_ascii(text) == (_TRIPLE_HINT_ASCII.search(text) is not None)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="ab \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u2003.", max_size=12))
def test_single_spaced_means_split_and_join_change_nothing(text: str) -> None:
    from models.text.normalize import _single_spaced

    if _single_spaced(text):
        assert " ".join(text.split()) == text
    elif text.isascii():  # non-ASCII texts are always split and joined
        assert " ".join(text.split()) != text
