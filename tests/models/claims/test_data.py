"""Reading claim files: JSONL and CSV, bad rows counted and skipped, missing files named."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.claims.data import LoadReport, load_factchecks, load_queries, normalize_rating
from pantau.errors import ConfigError


def test_jsonl_with_bad_rows_skipped(tmp_path: Path) -> None:
    path = tmp_path / "fc.jsonl"
    path.write_text(
        '{"id": "a", "claim": "Klaim satu", "rating": "SALAH"}\n'
        "not json\n"
        '{"id": "b"}\n'
        '{"id": "a", "claim": "duplikat"}\n'
        "\n"
        '{"id": "c", "claim": "Klaim tiga", "rating": "Menyesatkan", "url": "https://contoh.id/x"}\n',
        encoding="utf-8",
    )
    report = LoadReport()
    fcs = load_factchecks(path, report)
    assert [(f.id, f.rating_normalized) for f in fcs] == [("a", "false"), ("c", "misleading")]
    assert (report.read, report.skipped) == (5, 3)


def test_csv_queries(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_text("text,factcheck_id\nsatu,a\ndua,\n,b\n", encoding="utf-8")
    report = LoadReport()
    assert load_queries(path, report) == [("satu", "a"), ("dua", None)]
    assert report.skipped == 1


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="nope.jsonl"):
        load_factchecks(tmp_path / "nope.jsonl")


@pytest.mark.parametrize(
    ("published", "normalized"),
    [
        ("SALAH", "false"),
        ("[HOAKS]", "false"),
        ("Menyesatkan", "misleading"),
        ("Benar", "true"),
        ("satire", "satire"),
        ("Sebagian benar", "mixed"),
        ("clarification", "other"),
        (None, "other"),
    ],
)
def test_normalize_rating(published: str | None, normalized: str) -> None:
    assert normalize_rating(published) == normalized
