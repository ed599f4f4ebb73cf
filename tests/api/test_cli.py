"""``pantau users ...``: keys printed once, JSON output, list, revoke, another key."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from api.auth import Authenticator
from pantau.cli import build_app
from pantau.settings import get_settings
from pantau.store import Store

runner = CliRunner()


def test_add_prints_the_key_once_as_json(data_dir: Path) -> None:
    result = runner.invoke(build_app(), ["users", "add", "rina", "--role", "journalist", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"name", "role", "key"} and data["name"] == "rina" and data["role"] == "journalist"
    store = Store.open(get_settings())
    try:
        assert Authenticator(store).authenticate(data["key"]).name == "rina"
    finally:
        store.close()
    listed = runner.invoke(build_app(), ["users", "list", "--json"])
    assert data["key"] not in listed.stdout  # never shown again
    users = json.loads(listed.stdout)["users"]
    assert users[0]["name"] == "rina" and users[0]["keys"][0]["prefix"] == data["key"][:12]


def test_key_revoke_and_errors(data_dir: Path) -> None:
    app = build_app()
    assert (
        runner.invoke(
            app, ["users", "add", "dewi", "--role", "factchecker", "--expires-days", "30"]
        ).exit_code
        == 0
    )
    second = json.loads(runner.invoke(app, ["users", "key", "dewi", "--json"]).stdout)
    revoked = runner.invoke(app, ["users", "revoke", second["key"][:12], "--json"])
    assert json.loads(revoked.stdout) == {"revoked": [second["key"][:12]]}
    result = runner.invoke(app, ["users", "add", "dewi", "--role", "admin"])
    assert result.exit_code == 1 and "already exists" in result.output
    result = runner.invoke(app, ["users", "add", "x", "--role", "editor"])
    assert result.exit_code == 1 and "role 'editor'" in result.output
    result = runner.invoke(app, ["users", "revoke", "nobody"])
    assert result.exit_code == 1
    assert "1 key(s)" in runner.invoke(app, ["users", "revoke", "dewi"]).output
