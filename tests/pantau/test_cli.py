from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from pantau.cli import build_app

runner = CliRunner()


def test_status_json_has_the_documented_shape(data_dir: Path) -> None:
    result = runner.invoke(build_app(), ["status", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["posts"] == {"total": 0, "by_platform": {}, "by_source": {}}
    assert data["factchecks"]["total"] == 0
    assert "predictions" in data and "backend" in data["index"] and "documents" in data["index"]


def test_every_command_explains_itself(data_dir: Path) -> None:
    app = build_app()
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    import typer.main

    group = typer.main.get_command(app)
    for name, cmd in group.commands.items():  # type: ignore[attr-defined]
        assert cmd.help, f"command {name!r} has no help text"
        sub = runner.invoke(app, [name, "--help"])
        assert sub.exit_code == 0, f"{name} --help failed: {sub.output}"


def test_bad_setting_is_one_red_line_not_a_traceback(data_dir: Path, monkeypatch: object) -> None:
    import pytest

    from pantau.settings import get_settings

    mp = pytest.MonkeyPatch()
    mp.setenv("PANTAU_DATABASE_URL", "nonsense://")
    get_settings.cache_clear()
    try:
        result = runner.invoke(build_app(), ["status"])
    finally:
        mp.undo()
        get_settings.cache_clear()
    assert result.exit_code == 1
    assert "nonsense://" in result.output and "Traceback" not in result.output
