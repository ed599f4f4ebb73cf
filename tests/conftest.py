"""Fixtures shared by every test package: a fresh data directory, settings and store per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pantau.settings import Settings, get_settings
from pantau.store import Store

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh PANTAU_DATA_DIR; `get_settings()` sees it for the duration of the test."""
    path = tmp_path / "data"
    monkeypatch.setenv("PANTAU_DATA_DIR", str(path))
    monkeypatch.delenv("PANTAU_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    yield path
    get_settings.cache_clear()


@pytest.fixture
def settings(data_dir: Path) -> Settings:
    return get_settings()


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    s = Store.open(settings)
    yield s
    s.close()


@pytest.fixture
def shared_data() -> Path:
    """../shared/data, or a clean skip when this checkout has none."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared development data not found at {SHARED_DATA}")
    return SHARED_DATA
