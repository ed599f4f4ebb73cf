"""``pantau coordination backfill`` and ``pantau coordination clusters`` through the real CLI, on a store
holding a coordinated campaign that was stored without being clustered."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pantau.cli import build_app
from pantau.records import AccountKind, Author, Post, content_hash, post_id
from pantau.settings import Settings, get_settings
from pantau.store import Store

runner = CliRunner()
SCRIPT = "Tinta pemilu 2029 mengandung babi, jangan mau dicelup di TPS besok pagi [bold]x[/bold]"


def _store_campaign(store: Store) -> None:
    at = datetime(2029, 2, 12, 9, 0, tzinfo=UTC)
    for i in range(12):
        text = f"{SCRIPT} {i % 2}"
        store.upsert_post(
            Post(
                id=post_id("x", f"cli-{i}"),
                platform="x",
                source_id="x_demo",
                platform_post_id=f"cli-{i}",
                author=Author(handle=f"akun_{i}", kind=AccountKind.ordinary),
                published_at=at + timedelta(seconds=30 * i),
                text=text,
                content_hash=content_hash(text),
            )
        )


@pytest.fixture
def lexical(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    """A store whose narratives use the lexical grouping (no embedding model to load)."""
    monkeypatch.setenv("PANTAU_MODELS__EMBEDDER", "none")
    get_settings.cache_clear()
    store = Store.open(get_settings())
    yield store
    store.close()


def test_backfill_then_clusters(lexical: Store) -> None:
    store = lexical
    _store_campaign(store)
    app = build_app()
    empty = runner.invoke(app, ["coordination", "clusters", "--json"])
    assert empty.exit_code == 0, empty.output
    assert json.loads(empty.stdout) == {"clusters": []}
    done = runner.invoke(app, ["coordination", "backfill", "--json"])
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["clustered"] == 12
    again = runner.invoke(app, ["coordination", "backfill", "--json"])
    assert json.loads(again.stdout)["clustered"] == 0
    listed = json.loads(runner.invoke(app, ["coordination", "clusters", "--json"]).stdout)["clusters"]
    assert len(listed) == 1 and listed[0]["coordinated"] and listed[0]["accounts"] == 12
    table = runner.invoke(app, ["coordination", "clusters"])
    assert table.exit_code == 0
    assert "[bold]x[" in table.stdout  # post text is shown literally, never as Rich markup


def test_bad_options_are_one_red_line(settings: Settings) -> None:
    result = runner.invoke(build_app(), ["coordination", "backfill", "--batch-size", "0"])
    assert result.exit_code == 1
    assert "--batch-size must be at least 1, got 0" in result.output
    result = runner.invoke(build_app(), ["coordination", "clusters", "--limit", "0"])
    assert result.exit_code == 1 and "limit must be between 1 and 500" in result.output
