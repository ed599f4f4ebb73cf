"""Gates of the disclosure patterns: every match of a gated pattern is found by its gate."""

from __future__ import annotations

import csv
import random
import re
from collections import Counter

import pytest

from models.endorse import disclosure
from models.endorse.gates import CHARACTER_GATES, CLOSINGS, GATES, OPENINGS
from models.endorse.markers import DENIALS, DISCLOSURES, PROMO_CUES
from models.endorse.textview import fold
from models.training.data import SEED_DIR

PATTERNS = {p.name: re.compile(p.regex, re.MULTILINE) for p in (*DISCLOSURES, *DENIALS, *PROMO_CUES)}
#: the words and separators the gated patterns are made of, shuffled into short texts
WORDS = tuple(
    [
        "iklan",
        "ad",
        "ads",
        "advertorial",
        "sponsored",
        "content",
        "bersponsor",
        "promosi",
        "berbayar",
        "kampanye",
        "politik",
        "ini",
        "this",
        "adalah",
        "merupakan",
        "konten",
        "video",
        "a",
        "an",
        "is",
        "juga",
        "sponsor",
        "paid",
        "promote",
        "partnership",
        "endorse",
        "endorsement",
        "endorsean",
        "pp",
        "ya",
        "kok",
        "bekerja",
        "kerja",
        "sama",
        "kerjasama",
        "berkolaborasi",
        "kolaborasi",
        "bermitra",
        "collab",
        "in",
        "collaboration",
        "dengan",
        "bersama",
        "bareng",
        "with",
        "tim",
        "pemenangan",
        "partai",
        "koalisi",
        "tkn",
        "tidak",
        "gak",
        "ga",
        "bukan",
        "di",
        "diendorse",
        "disponsori",
        "sponsori",
        "pilih",
        "coblos",
        "pilihlah",
        "cobloslah",
        "contreng",
        "nyoblos",
        "nomor",
        "no",
        "no.",
        "paslon",
        "nmr",
        "<nomor_urut>",
        "dia",
        "beliau",
        "kandidat",
        "<kandidat>",
        "<partai>",
        "#menang",
        "#pilih02",
        "resmi",
        "dari",
        "oleh",
        "dibayar",
        "brand",
        "teman",
    ]
)
SEPARATORS = [" ", " ", " ", "  ", "\n", "-", " - ", "[", "]", "(", ")", ":", " | ", "\t", "•", "—", ".", ""]


def _texts(n: int) -> list[str]:
    rnd = random.Random(5)
    texts = [
        "".join(rnd.choice(SEPARATORS) + rnd.choice(WORDS) for _ in range(rnd.randint(1, 9)))
        + rnd.choice(SEPARATORS)
        for _ in range(n)
    ]
    for name in ("endorsement.csv", "endorsement_challenge.csv"):
        with (SEED_DIR / name).open(encoding="utf-8") as fh:
            texts.extend(row["text"] for row in csv.DictReader(fh))
    return texts


#: every gate as a regex (a character gate: one of its characters)
ALL_GATES = {**GATES, **{name: f"[{re.escape(chars)}]" for name, chars in CHARACTER_GATES.items()}}


def test_every_gate_belongs_to_a_pattern() -> None:
    assert not set(GATES) & set(CHARACTER_GATES)
    assert set(ALL_GATES) <= set(PATTERNS)
    assert set(disclosure._GATE) == set(ALL_GATES)


def test_a_pattern_matches_only_where_its_gate_does() -> None:
    gates = {name: re.compile(gate, re.MULTILINE) for name, gate in ALL_GATES.items()}
    matched: Counter[str] = Counter()
    for text in _texts(15_000):
        folded = fold(text).text
        for name, gate in gates.items():
            if PATTERNS[name].search(folded):
                matched[name] += 1
                assert gate.search(folded), (name, text)
    assert set(matched) == set(ALL_GATES), f"no match at all for {set(ALL_GATES) - set(matched)}"


def test_gated_and_ungated_runs_find_the_same_markers() -> None:
    texts = _texts(3_000)
    gated = [(disclosure.find_disclosures(t), disclosure.promo_cues(t)) for t in texts]
    saved = dict(disclosure._GATE)
    try:
        disclosure._GATE.clear()
        disclosure._patterns.cache_clear()
        plain = [(disclosure.find_disclosures(t), disclosure.promo_cues(t)) for t in texts]
    finally:
        disclosure._GATE.update(saved)
        disclosure._patterns.cache_clear()
    assert gated == plain


def test_gates_tried_at_their_openings_begin_with_them() -> None:
    for name, openings in OPENINGS.items():
        assert GATES[name].startswith("(?:" + "|".join(map(re.escape, openings)) + ")"), name


def test_gates_searched_before_their_closings_end_with_them_within_their_reach() -> None:
    from re import _parser  # type: ignore[attr-defined]  # the regex parser: a pattern's widest match

    for name, (closings, reach) in CLOSINGS.items():
        gate = GATES[name]
        assert not any(look in gate for look in ("(?=", "(?!", "(?<")), name
        last = gate[gate.rindex("(?:") :]
        assert last.endswith(")") and all(alt.endswith(closings) for alt in last[3:-1].split("|")), name
        assert _parser.parse(gate).getwidth()[1] <= reach, name


@pytest.mark.parametrize("names", [sorted(OPENINGS), sorted(CLOSINGS)], ids=["openings", "closings"])
def test_a_gate_tried_only_where_it_can_match_answers_like_a_search(
    names: list[str], real_texts: list[str]
) -> None:
    gates = {disclosure._GATE[name] for name in names}
    opened: Counter[bool] = Counter()
    for text in [*_texts(3_000), *real_texts]:
        folded = fold(text).text
        for gate in gates:
            shut = disclosure._Gates(folded).shut(gate)
            assert shut == (gate.search(folded) is None), (gate.pattern, text)  # type: ignore[union-attr]
            opened[not shut] += 1
    assert opened[True] and opened[False]
