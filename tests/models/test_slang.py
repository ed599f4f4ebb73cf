"""The slang lexicon: size, format, and the loader's refusal of malformed files."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.text.slang import HEADER, LEXICON_PATH, expand, lexicon, load_lexicon
from pantau.errors import ConfigError


def test_lexicon_has_at_least_500_entries() -> None:
    assert len(lexicon()) >= 500


def test_file_format_header_three_cells_no_duplicates() -> None:
    lines = LEXICON_PATH.read_text(encoding="utf-8").splitlines()
    assert tuple(lines[0].split("\t")) == HEADER
    keys = []
    for line in lines[1:]:
        cells = line.split("\t")
        assert len(cells) == 3, line
        assert cells[0] == cells[0].strip().lower() and " " not in cells[0], line
        assert cells[1].strip(), line
        assert cells[0] != cells[1], f"identity entry {line!r} adds nothing"
        keys.append(cells[0])
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize(
    ("slang", "standard"),
    [
        ("gk", "tidak"),
        ("ga", "tidak"),
        ("gak", "tidak"),
        ("nggak", "tidak"),
        ("ngga", "tidak"),
        ("yg", "yang"),
        ("bgt", "banget"),
        ("sm", "sama"),
        ("org", "orang"),
        ("dgn", "dengan"),
        ("krn", "karena"),
        ("utk", "untuk"),
        ("tp", "tapi"),
        ("udh", "sudah"),
        ("blm", "belum"),
        ("gmn", "bagaimana"),
        ("knp", "kenapa"),
        ("aja", "saja"),
        ("gue", "saya"),
        ("gw", "saya"),
        ("pemlu", "pemilu"),
        ("tsp", "tps"),
        ("kpuu", "kpu"),
        ("suratsuara", "surat suara"),
        ("paslon", "pasangan calon"),
        ("nyoblos", "mencoblos"),
    ],
)
def test_known_entries(slang: str, standard: str) -> None:
    assert expand(slang) == standard


def test_unknown_word_is_itself() -> None:
    assert expand("demokrasi") == "demokrasi"


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("slang\tstandard\n", "header"),
        ("slang\tstandard\tnote\ngk\ttidak\n", "3 tab-separated"),
        ("slang\tstandard\tnote\ngk\ttidak\tx\ngk\tenggak\tx\n", "duplicate"),
        ("slang\tstandard\tnote\nGK\ttidak\tx\n", "lower-case"),
    ],
)
def test_malformed_files_are_refused_with_the_line(tmp_path: Path, content: str, fragment: str) -> None:
    path = tmp_path / "slang.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=fragment):
        load_lexicon(path)
