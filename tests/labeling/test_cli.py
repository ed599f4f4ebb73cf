"""``pantau label ...`` through the real CLI root."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from labeling import service
from pantau.cli import build_app
from pantau.settings import Settings
from pantau.store import Store
from tests.labeling.conftest import T0, add_posts, add_user

runner = CliRunner()


def run(*args: str) -> dict:  # type: ignore[type-arg]
    result = runner.invoke(build_app(), ["label", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_create_refresh_label_stats_export(settings: Settings, tmp_path: Path) -> None:
    store = Store.open(settings)
    add_posts(store, 6)
    users = [add_user(store, f"v{i}") for i in range(2)]
    created = run(
        "project", "create", "--task", "hoax", "--name", "pilpres", "-k", "2", "--gold-items", "4", "--json"
    )
    assert created["name"] == "pilpres" and created["queue"]["pool"] == 6
    assert created["gold_items"] in (0, 4)  # 0 only when the checkout has no held-out seed rows
    assert [p["name"] for p in run("project", "list", "--json")["projects"]] == ["pilpres"]

    add_posts(store, 2, start=50)
    assert run("refresh", "--json")["refreshed"][0]["added_active"] == 2

    for user in users:
        while (task := service.next_item(store, "pilpres", user, now=T0)) is not None:
            service.submit(store, "pilpres", user, task.assignment_id, "hoax", now=T0)
    store.close()

    stats = run("stats", "--project", "pilpres", "--json")
    assert stats["items"]["complete"] == 8 and set(stats["labellers"]) == {"v0", "v1"}

    out = tmp_path / "latih.csv"
    exported = run("export", "--project", "pilpres", "--out", str(out), "--json")
    assert exported["rows"] == 8 and exported["round"] == 1 and out.is_file()
    assert out.read_text(encoding="utf-8").startswith("text,label,split,")


def test_human_output_and_errors(settings: Settings) -> None:
    app = build_app()
    result = runner.invoke(
        app, ["label", "project", "create", "--task", "hoax", "--name", "uji", "--no-refresh"]
    )
    assert result.exit_code == 0 and "created project" in result.output
    result = runner.invoke(app, ["label", "stats", "--project", "uji"])
    assert result.exit_code == 0 and "per label" in result.output
    result = runner.invoke(app, ["label", "stats", "--project", "tidak-ada"])
    assert result.exit_code == 1 and "'tidak-ada' does not exist" in result.output
    result = runner.invoke(app, ["label", "project", "create", "--task", "sentimen", "--name", "x"])
    assert result.exit_code == 1 and "unknown task 'sentimen'" in result.output
    result = runner.invoke(app, ["label", "export", "--project", "uji"])
    assert result.exit_code == 1 and "no resolved labels" in result.output
