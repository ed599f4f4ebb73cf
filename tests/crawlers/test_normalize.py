"""Canonical URLs, counts, dates and entities found in text."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crawlers.normalize import (
    canonical_url,
    clean_text,
    extract_hashtags,
    extract_links,
    extract_mentions,
    parse_count,
    parse_date,
)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTPS://Example.COM:443/a?utm_source=x&id=3#top", "https://example.com/a?id=3"),
        ("http://example.com:8080/?fbclid=abc", "http://example.com:8080/"),
        ("https://www.youtube.com/watch?v=abc&feature=share&si=xyz", "https://www.youtube.com/watch?v=abc"),
        ("https://example.com/p?b=2&a=1&utm_campaign=q", "https://example.com/p?b=2&a=1"),
        ("javascript:alert(1)", None),
        ("mailto:redaksi@example.com", None),
        ("/relatif", None),
        ("", None),
    ],
)
def test_canonical_url(url: str, expected: str | None) -> None:
    assert canonical_url(url) == expected


def test_canonical_url_resolves_relative_links_against_a_base() -> None:
    assert (
        canonical_url("/s/kanal?before=10", base="https://t.me/s/kanal") == "https://t.me/s/kanal?before=10"
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1.2K", 1200),
        ("15", 15),
        ("1,234", 1234),
        ("3,4 rb", 3400),
        ("2 jt", 2_000_000),
        ("2.5M", 2_500_000),
        (7, 7),
        (None, None),
        ("banyak", None),
        (-3, None),
        ("845 views", 845),
    ],
)
def test_parse_count(value: object, expected: int | None) -> None:
    assert parse_count(value) == expected


def test_parse_date_formats_to_utc() -> None:
    assert parse_date("Mon, 14 Jan 2029 09:30:00 +0700") == datetime(2029, 1, 14, 2, 30, tzinfo=UTC)
    assert parse_date("2029-01-14T09:21:07+00:00") == datetime(2029, 1, 14, 9, 21, 7, tzinfo=UTC)
    assert parse_date("2029-01-14T09:21:07Z") == datetime(2029, 1, 14, 9, 21, 7, tzinfo=UTC)
    assert parse_date("2029-01-14 09:00") == datetime(2029, 1, 14, 2, 0, tzinfo=UTC)  # naive: WIB
    assert parse_date("2029-01-14 09:00", "UTC") == datetime(2029, 1, 14, 9, 0, tzinfo=UTC)
    assert parse_date(1704067200) == datetime(2024, 1, 1, tzinfo=UTC)
    assert parse_date("1704067200000") == datetime(2024, 1, 1, tzinfo=UTC)
    assert parse_date(None) is None and parse_date("") is None
    with pytest.raises(ValueError):
        parse_date("kemarin sore")


def test_clean_text_keeps_lines_and_evidence_characters() -> None:
    text = "  Halo\u00a0 dunia \r\n\r\n\r\n baris\tdua \x07\u200b\u202e "
    assert clean_text(text) == "Halo dunia\n\nbaris dua \u200b\u202e".strip()
    assert clean_text("Cafe\u0301") == "Café"  # NFC


def test_entities_from_text() -> None:
    text = "Ayo #Pemilu2029 #pemilu2029 #2029 bareng @kpu_demo. Cek https://a.example/x?utm_medium=y, a@b.id"
    assert extract_hashtags(text) == ["Pemilu2029"]
    assert extract_mentions(text) == ["kpu_demo"]
    assert extract_links(text) == ["https://a.example/x"]
    assert extract_hashtags("&#39; bukan tagar") == []
