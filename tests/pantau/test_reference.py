from __future__ import annotations

from pathlib import Path

from pantau.reference import settings_markdown

DOCS = Path(__file__).resolve().parents[2] / "docs" / "reference" / "settings.md"


def test_settings_reference_is_up_to_date() -> None:
    assert DOCS.read_text(encoding="utf-8") == settings_markdown(), (
        "docs/reference/settings.md is stale: run `python -m pantau.reference > docs/reference/settings.md`"
    )


def test_every_environment_variable_is_documented() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for var in ("PANTAU_DATA_DIR", "PANTAU_DATABASE_URL", "PANTAU_INDEX__ES_URL", "PANTAU_KEYS__YOUTUBE"):
        assert f"`{var}`" in text
