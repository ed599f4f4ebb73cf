"""The admin's source switches (table ``web_source_switches``, set on the web admin page) win over
``enabled`` in sources.yaml when a crawl runs every enabled source; a source named explicitly is crawled
whatever its switch says; ``sources.enabled`` (what status shows) keeps the override across crawls."""

from __future__ import annotations

import shutil
from typing import Any

from sqlalchemy import select

from crawlers.service import switched
from pantau.records import Source, utcnow
from pantau.store.tables import PostRow, SourceRow, SourceSwitchRow

from .conftest import FIXTURES, Env


def _sources(env: Env, *, second_enabled: bool = True) -> list[dict[str, Any]]:
    shutil.copy(FIXTURES / "exports" / "x_export.jsonl", env.folder / "x_export.jsonl")
    return [
        {"id": "ekspor_x", "kind": "import", "platform": "x", "url": "x_export.jsonl"},
        {
            "id": "ekspor_x_dua",
            "kind": "import",
            "platform": "x",
            "url": "x_export.jsonl",
            "enabled": second_enabled,
        },
    ]


def _switch(env: Env, source_id: str, enabled: bool) -> None:
    """What the admin page stores when an admin flips a source's switch."""
    with env.store.session() as s:
        s.merge(
            SourceSwitchRow(source_id=source_id, enabled=enabled, changed_by="admin-1", changed_at=utcnow())
        )


def _enabled(env: Env, source_id: str) -> bool:
    with env.store.session() as s:
        row = s.get(SourceRow, source_id)
        assert row is not None
        return row.enabled


def _posts(env: Env, source_id: str) -> int:
    with env.store.session() as s:
        return len(list(s.scalars(select(PostRow.id).where(PostRow.source_id == source_id))))


def test_switched_off_source_is_skipped_with_a_message(env: Env) -> None:
    entries = _sources(env)
    first = env.crawl(*entries)
    assert first["ekspor_x"]["status"] == "ok" and first["ekspor_x_dua"]["status"] == "ok"
    _switch(env, "ekspor_x", False)
    report = env.crawl(*entries)
    assert report["ekspor_x"]["status"] == "skipped"
    assert "switched off in the admin page" in report["ekspor_x"]["message"]
    assert report["ekspor_x"]["stored"] == 0
    assert report["ekspor_x_dua"]["status"] == "ok"
    # sources.yaml still says enabled: the override stays visible in status
    assert _enabled(env, "ekspor_x") is False
    assert env.store.source_switches() == {"ekspor_x": False}


def test_naming_a_switched_off_source_still_crawls_it(env: Env) -> None:
    entries = _sources(env)
    env.store.upsert_source(Source(**{**entries[0], "url": str(env.folder / "x_export.jsonl")}))
    _switch(env, "ekspor_x", False)
    report = env.crawl(*entries, ids=["ekspor_x"])
    assert set(report) == {"ekspor_x"} and report["ekspor_x"]["status"] == "ok"
    assert _posts(env, "ekspor_x") > 0
    assert _enabled(env, "ekspor_x") is False  # crawling it once does not switch it back on


def test_switched_on_source_runs_although_sources_yaml_disables_it(env: Env) -> None:
    entries = _sources(env, second_enabled=False)
    assert "ekspor_x_dua" not in env.crawl(*entries)
    _switch(env, "ekspor_x_dua", True)
    report = env.crawl(*entries)
    assert report["ekspor_x_dua"]["status"] == "ok"
    assert _enabled(env, "ekspor_x_dua") is True


def test_switched_selection_is_plain_data() -> None:
    a = Source(id="a", kind="import", platform="x", url="a.csv")
    b = Source(id="b", kind="import", platform="x", url="b.csv", enabled=False)
    c = Source(id="c", kind="import", platform="x", url="c.csv")
    run, off = switched([a, b, c], {"a": False, "b": True})
    assert [s.id for s in run] == ["b", "c"] and [s.id for s in off] == ["a"]
    assert switched([a, b, c], {}) == ([a, c], [])
