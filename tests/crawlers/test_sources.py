"""Loading and validating sources files."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawlers.service import crawl
from crawlers.sources import DEFAULT_SOURCES_FILE, load_sources, select_sources
from pantau.errors import ConfigError
from pantau.records import SourceKind
from pantau.settings import Settings
from pantau.store import Store


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_sources_file_is_valid_and_all_disabled() -> None:
    sources = load_sources(DEFAULT_SOURCES_FILE)
    assert {s.kind for s in sources} == set(SourceKind)
    assert sources and not any(s.enabled for s in sources)
    assert select_sources(sources, None, DEFAULT_SOURCES_FILE) == []


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("{id: Bad Id, kind: feed, platform: news, url: http://x}", "source 'Bad Id': field 'id'"),
        ("{id: a, kind: rss, platform: news, url: http://x}", "source 'a': field 'kind'"),
        ("{id: a, kind: feed, platform: friendster, url: http://x}", "source 'a': field 'platform'"),
        ("{id: a, kind: feed, platform: news}", "source 'a': field 'url' is required"),
        ("{id: a, kind: telegram, platform: telegram}", "field 'url' or 'handle'"),
        ("{id: a, kind: feed, platform: news, url: http://x, colour: red}", "source 'a': field 'colour'"),
        ("{id: a, kind: feed, platform: news, url: http://x, account_kind: buzzer}", "field 'account_kind'"),
        ("{id: a, kind: factcheck_api, platform: factcheck}", "field 'options.api'"),
        ("{kind: feed, platform: news, url: http://x}", "source #1: field 'id'"),
    ],
)
def test_errors_name_the_file_the_source_and_the_field(tmp_path: Path, row: str, message: str) -> None:
    path = write(tmp_path, f"sources:\n  - {row}\n")
    with pytest.raises(ConfigError) as info:
        load_sources(path)
    assert str(path) in str(info.value) and message in str(info.value)


def test_duplicate_ids_and_bad_files(tmp_path: Path) -> None:
    row = "{id: a, kind: feed, platform: news, url: http://x}"
    with pytest.raises(ConfigError, match="'id' is used twice"):
        load_sources(write(tmp_path, f"sources:\n  - {row}\n  - {row}\n"))
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_sources(write(tmp_path, "sources: [\n"))
    with pytest.raises(ConfigError, match="top-level `sources:` list"):
        load_sources(write(tmp_path, "- a\n"))
    with pytest.raises(ConfigError, match="cannot read it"):
        load_sources(tmp_path / "missing.yaml")


def test_unknown_source_ids_list_the_known_ones(tmp_path: Path, settings: Settings, store: Store) -> None:
    path = write(
        tmp_path, "sources:\n  - {id: kabar, kind: feed, platform: news, url: http://x, enabled: false}\n"
    )
    with pytest.raises(ConfigError, match="unknown source id 'kabr'.*known sources: kabar"):
        crawl(settings, store, ["kabr"], path)
    assert crawl(settings, store, None, path) == {}  # nothing enabled: nothing crawled
