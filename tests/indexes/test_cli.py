"""`pantau index rebuild | stats | search` and `pantau status` over a processed store."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from indexes.cli import parse_filters
from indexes.service import open_index
from pantau.cli import build_app
from pantau.errors import QuerySyntaxError
from pantau.process import run_process
from pantau.settings import Settings
from pantau.store import Store
from tests.pantau.fake_scorer import FakeScorer
from tests.pantau.test_process import add_posts

runner = CliRunner()


@pytest.fixture
def processed(settings: Settings, store: Store) -> list[str]:
    ids = add_posts(store, 12)
    run_process(settings, store, scorer=FakeScorer(), progress=False)
    return ids


def invoke(*args: str) -> dict:  # type: ignore[type-arg]
    result = runner.invoke(build_app(), list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_search_with_filters_facets_and_cursor(processed: list[str]) -> None:
    data = invoke(
        "index", "search", "menang", "-f", "platform=telegram", "--facet", "label", "--limit", "2", "--json"
    )
    assert data["total"] == 3 and len(data["hits"]) == 2 and data["next_cursor"]
    assert "<mark>memenangkan</mark>" in data["hits"][0]["snippet_html"]
    assert data["facets"]["label"]["hoax:not_hoax"] == 3
    more = invoke(
        "index",
        "search",
        "menang",
        "-f",
        "platform=telegram",
        "--limit",
        "2",
        "--cursor",
        data["next_cursor"],
        "--json",
    )
    assert len(more["hits"]) == 1 and more["next_cursor"] is None
    risky = invoke("index", "search", "-f", "score=risk:0.85..", "--sort", "risk", "--json")
    assert risky["total"] == 3


def test_bad_query_is_one_red_line(processed: list[str]) -> None:
    result = runner.invoke(build_app(), ["index", "search", '"surat suara'])
    assert result.exit_code == 1 and "unclosed quote" in result.output and "Traceback" not in result.output
    result = runner.invoke(build_app(), ["index", "search", "x", "--sort", "loudest"])
    assert result.exit_code == 1 and "'loudest'" in result.output


def test_rebuild_and_stats(settings: Settings, processed: list[str]) -> None:
    index = open_index(settings)
    index.clear()
    index.close()
    assert invoke("index", "stats", "--json")["documents"] == 0
    rebuilt = invoke("index", "rebuild", "--json")
    assert rebuilt["indexed"] == 12 and rebuilt["documents"] == 12
    status = invoke("status", "--json")
    assert status["index"]["documents"] == 12 and status["index"]["size_bytes"] > 0
    assert status["predictions"]["hoax"] == {"hoax": 3, "not_hoax": 9}


def test_parse_filters() -> None:
    f = parse_filters(
        [
            "platform=x",
            "platform=news",
            "label=hoax:hoax",
            "score=hoax:0.5..0.9",
            "claim=yes",
            "from=2029-01-01",
            "tag=paslon-01",
            "author=@Relawan_Nusantara",
        ]
    )
    assert [a.handle for a in f.authors] == ["relawan_nusantara"]
    assert f.platforms == ["x", "news"] and f.labels == {"hoax": ["hoax"]} and f.has_claim_match is True
    assert f.scores[0].min == 0.5 and f.scores[0].max == 0.9 and f.tags == ["paslon-01"]
    for bad in [
        "platform",
        "colour=red",
        "label=hoax",
        "score=hoax:a..b",
        "from=kemarin",
        "score=volume:0.1..",
    ]:
        with pytest.raises(QuerySyntaxError):
            parse_filters([bad])
