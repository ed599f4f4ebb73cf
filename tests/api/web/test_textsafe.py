"""Hostile text for display: invisible characters made visible, links only for http(s)."""

from __future__ import annotations

from api.web.textsafe import clean, hidden_count, highlighted, safe_url, segments, shorten


def kinds(text: str) -> list[str]:
    return [s.kind for s in segments(text)]


def test_bidi_override_is_shown_as_a_marker_and_the_stored_text_is_untouched() -> None:
    text = "transfer ke \u202ekcab.example\u202c sekarang"
    out = segments(text)
    assert [s.text for s in out if s.kind == "marker"] == ["⟦U+202E⟧", "⟦U+202C⟧"]
    assert "RIGHT-TO-LEFT OVERRIDE" in out[1].detail
    assert text == "transfer ke \u202ekcab.example\u202c sekarang"
    assert "\u202e" not in clean(text)


def test_zero_width_characters_are_marked_but_emoji_joiners_are_kept() -> None:
    assert hidden_count("pa\u200bslon 0\u2060 2\ufeff") == 3
    assert hidden_count("👩\u200d💻 mantap") == 0
    assert hidden_count("a\u200db") == 1  # a joiner between letters is a trick, not an emoji


def test_only_http_links_become_links() -> None:
    assert kinds("lihat https://kpu.example/hasil.") == ["text", "link", "text"]
    assert segments("lihat https://kpu.example/hasil.")[1].text == "https://kpu.example/hasil"
    for bad in (
        "javascript:alert(1)",
        "data:text/html,<script>x</script>",
        "vbscript:msgbox",
        "//evil.example",
    ):
        assert "link" not in kinds(f"klik {bad}"), bad
        assert safe_url(bad) is None
    assert safe_url("https://x.example/a b") is None
    assert safe_url("http://x.example/\u202egnp.exe") is None


def test_a_link_stops_at_an_invisible_character() -> None:
    out = segments("https://bank.example/\u202elogin")
    assert out[0].kind == "link" and out[0].text == "https://bank.example/"
    assert out[1].kind == "marker"


def test_highlighted_snippet_pieces() -> None:
    pieces = highlighted("surat suara dicoblos", [(0, 5), (6, 11)])
    assert [(s.text, m) for s, m in pieces] == [
        ("surat", True),
        (" ", False),
        ("suara", True),
        (" dicoblos", False),
    ]


def test_shorten() -> None:
    assert shorten("a" * 10, 20) == "a" * 10
    assert shorten("kata " * 100, 50).endswith("…")
