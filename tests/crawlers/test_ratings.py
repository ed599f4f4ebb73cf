"""Published ratings → pantau's normalised ratings."""

from __future__ import annotations

import pytest

from crawlers.ratings import normalize_rating, rating_from_scale
from pantau.records import RATINGS


@pytest.mark.parametrize(
    ("rating", "expected"),
    [
        ("[SALAH]", "false"),
        ("Hoaks", "false"),
        ("HOAX", "false"),
        ("DISINFORMASI", "false"),
        ("Tidak benar", "false"),
        ("False", "false"),
        ("Menyesatkan", "misleading"),
        ("MISLEADING", "misleading"),
        ("Konteks keliru", "misleading"),
        ("Sebagian benar", "mixed"),
        ("Partly false", "mixed"),
        ("Benar", "true"),
        ("Fakta", "true"),
        ("Belum terbukti", "unproven"),
        ("Satire", "satire"),
        ("KLARIFIKASI", "other"),
        (None, "other"),
        ("", "other"),
    ],
)
def test_normalize_rating(rating: str | None, expected: str) -> None:
    assert normalize_rating(rating) == expected
    assert expected in RATINGS


def test_rating_from_scale() -> None:
    assert rating_from_scale(1, 5, 1) == "false"
    assert rating_from_scale("5", "5", "1") == "true"
    assert rating_from_scale(3, 5, 1) == "mixed"
    assert rating_from_scale(None, 5, 1) is None
    assert rating_from_scale(9, 5, 1) is None
