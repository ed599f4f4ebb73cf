from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel, ValidationError

from pantau.election import load_election
from pantau.errors import ConfigError
from pantau.settings import ApiSettings, Settings


def _fields(model: type[BaseModel], prefix: str = "") -> list[tuple[str, str | None]]:
    out = []
    for name, field in model.model_fields.items():
        out.append((prefix + name, field.description))
        ann = field.annotation
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            out.extend(_fields(ann, prefix + name + "."))
    return out


def test_every_setting_is_described() -> None:
    missing = [name for name, desc in _fields(Settings) if not desc]
    assert missing == []


def test_nested_settings_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PANTAU_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("PANTAU_CRAWL__CONCURRENCY_PER_DOMAIN", "1")
    cfg = Settings()
    assert cfg.crawl.concurrency_per_domain == 1
    assert cfg.db_url.endswith("pantau.db") and str(tmp_path) in cfg.db_url


def test_placeholder_secret_is_refused() -> None:
    with pytest.raises(ValidationError, match="placeholder"):
        ApiSettings(secret_key="changeme")  # type: ignore[arg-type]


def test_default_election_is_configuration(tmp_path: Path) -> None:
    election = load_election(Settings().election_file)
    assert len(election.candidates) == 3
    assert election.tags_for("Dukung Raka Wiratama dan PSRB!") == ["paslon-01", "psrb"]
    assert election.tags_for("Barakallah") == []


def test_broken_election_file_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "e.yaml"
    bad.write_text("candidates: [{name: x}]")
    with pytest.raises(ConfigError, match="e.yaml"):
        load_election(bad)
