from __future__ import annotations

import threading
from pathlib import Path

import pytest

from pantau.settings import Settings, get_settings
from pantau.up import cycle, schedule


def _sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    empty = tmp_path / "sources.yaml"
    empty.write_text("sources: []\n", encoding="utf-8")
    monkeypatch.setenv("PANTAU_CRAWL__SOURCES_FILE", str(empty))
    monkeypatch.setenv("PANTAU_MODELS__EMBEDDER", "none")
    get_settings.cache_clear()
    return get_settings()


def test_a_cycle_crawls_then_processes(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = cycle(_sources(tmp_path, monkeypatch))
    assert report["crawl"] == {}
    assert report["process"]["scored"] == 0 and report["process"]["failed"] == 0


def test_a_failing_cycle_is_logged_and_the_schedule_goes_on(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    bad = tmp_path / "broken.yaml"
    bad.write_text("sources: [{id: 'Bad Id!', kind: feed}]\n", encoding="utf-8")
    monkeypatch.setenv("PANTAU_CRAWL__SOURCES_FILE", str(bad))
    get_settings.cache_clear()
    stop = threading.Event()
    runs = threading.Thread(target=schedule, args=(get_settings(), 0.05, stop))
    runs.start()
    threading.Event().wait(0.5)
    stop.set()
    runs.join(timeout=5)
    assert not runs.is_alive()
    failures = [r for r in caplog.records if r.name == "pantau.up" and "cycle failed" in r.getMessage()]
    assert len(failures) >= 2 and "broken.yaml" in failures[0].getMessage()
