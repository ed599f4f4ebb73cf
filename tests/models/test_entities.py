"""Candidate and party names become neutral tokens; mentions say which entity and where."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.text.entities import mask_entities, mentions
from pantau.election import Election, Entity, load_election
from pantau.settings import DEFAULTS_DIR


@pytest.fixture(scope="module")
def election() -> Election:
    return load_election(DEFAULTS_DIR / "election.yaml")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Raka Wiratama menang", "<kandidat> menang"),
        ("raka wiratama menang", "<kandidat> menang"),
        ("RAKA WIRATAMA!", "<kandidat>!"),
        ("Pak Hendra dan Mas Fajar", "<kandidat> dan <kandidat>"),
        ("Hendra-Fajar untuk Indonesia", "<kandidat> untuk Indonesia"),
        ("HendraFajar", "<kandidat>"),
        ("Bu Lestari ke pasar", "<kandidat> ke pasar"),
        ("#PilihRaka sekarang", "#Pilih<kandidat> sekarang"),
        ("#RakaSinta2029", "#<kandidat>2029"),
        ("Partai Suara Rakyat Baru dan PSRB", "<partai> dan <partai>"),
        ("pkbm, pbs, plb", "<partai>, <partai>, <partai>"),
        # whole words only
        ("Rakanda dan Hendrawan", "Rakanda dan Hendrawan"),
        ("plbx", "plbx"),
        ("Mas Bagus datang", "<kandidat> datang"),
    ],
)
def test_mask_entities(election: Election, raw: str, expected: str) -> None:
    assert mask_entities(raw, election) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("hasilnya bagus sekali", "hasilnya bagus sekali"),
        ("fajar menyingsing", "fajar menyingsing"),
        ("Bagus datang", "<kandidat> datang"),
        ("BAGUS datang", "<kandidat> datang"),
        ("Pramono datang, pramono pergi", "<kandidat> datang, <kandidat> pergi"),
    ],
)
def test_one_word_names_that_are_ordinary_words_are_masked_only_when_capitalised(
    raw: str, expected: str
) -> None:
    election = Election("x", (Entity("p3", "candidate", ("Bagus", "Fajar", "Pramono")),))
    assert mask_entities(raw, election) == expected


def test_swapping_candidates_gives_the_same_masked_text(election: Election) -> None:
    texts = [
        mask_entities(f"Saya dukung {name}, pasti menang!", election)
        for name in ("Raka Wiratama", "Hendra Kusumadewa", "Lestari Anggraini")
    ]
    assert len(set(texts)) == 1


def test_mentions_name_entity_and_span(election: Election) -> None:
    text = "Kata Pak Raka, PKBM solid"
    found = mentions(text, election)
    assert [(m.entity_id, m.kind, m.name) for m in found] == [
        ("paslon-01", "candidate", "Pak Raka"),
        ("pkbm", "party", "PKBM"),
    ]
    assert text[found[0].start : found[0].end] == "Pak Raka"


def test_longest_name_wins(election: Election) -> None:
    found = mentions("Raka Wiratama", election)
    assert len(found) == 1 and found[0].name == "Raka Wiratama"


def test_empty_election_masks_nothing() -> None:
    assert mask_entities("Raka Wiratama", Election("kosong")) == "Raka Wiratama"


_PIECES = [
    "Raka", "raka", "RAKA", "Wiratama", "wira tama", "Pak", "pak raka", "Bu", "Sinta", "sinta-maharani",
    "Hendra_Kusumadewa", "hendrafajar", "#Pilih", "#", "PKBM", "pkbm", "Psrb", "PBS", "partai", "Partai",
    "Lentera", "Bangsa", "koalisi", "Koalisi Nusantara", "Maju", "bagus", "Bagus", "FAJAR", "Fajar",
    "Lestari", "lestari-Bagus", "2029", "Anggraini", "KPU", "dukung", "menang", "kata", "yang",
    "K", "\u212a", "ſinta", "İ", "é", "-", "_", " ", "  ", "\n", ".", ",", "!", "@",
]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=12).map("".join))
def test_mentions_equal_the_name_patterns_alone(text: str) -> None:
    from models.text.entities import _scan

    election = load_election(DEFAULTS_DIR / "election.yaml")
    assert mentions(text, election) == _scan(text, election)


def test_mentions_equal_the_name_patterns_alone_on_real_texts(real_texts: list[str]) -> None:
    from models.text.entities import _scan

    election = load_election(DEFAULTS_DIR / "election.yaml")
    for text in real_texts:
        assert mentions(text, election) == _scan(text, election)


def test_a_non_ascii_name_turns_the_word_test_off() -> None:
    election = Election("x", (Entity("p1", "candidate", ("Élodie",)),))
    assert mentions("Dukung ÉLODIE!", election)[0].text == "ÉLODIE"
    assert mentions("dukung elodie", election) == []
