"""``pantau crawl`` and ``pantau import`` through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from pantau.cli import build_app
from pantau.settings import Settings

EXPORTS = Path(__file__).parent / "fixtures" / "exports"
runner = CliRunner()


def test_help_texts() -> None:
    app = build_app()
    result = runner.invoke(app, ["crawl", "--help"])
    assert result.exit_code == 0 and "robots.txt" in result.output and "--sources" in result.output
    result = runner.invoke(app, ["import", "--help"])
    assert result.exit_code == 0 and "--platform" in result.output and "--map" in result.output


def test_import_prints_a_table_with_bad_rows(settings: Settings) -> None:
    result = runner.invoke(build_app(), ["import", str(EXPORTS / "bad_rows.csv"), "--platform", "instagram"])
    assert result.exit_code == 0, result.output
    assert "Bad rows (4)" in result.output and "empty_text" in result.output


def test_import_json(settings: Settings) -> None:
    args = ["import", str(EXPORTS / "x_export.jsonl"), "--platform", "x", "--source-id", "x_uji", "--json"]
    result = runner.invoke(build_app(), args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["source_id"] == "x_uji" and data["stored"] == 2 and data["bad_rows"] == 2
    assert [e["row"] for e in data["row_errors"]] == [3, 4]


def test_import_bad_option_is_one_red_line(settings: Settings) -> None:
    args = ["import", str(EXPORTS / "x_export.jsonl"), "--platform", "x", "--map", "text"]
    result = runner.invoke(build_app(), args)
    assert result.exit_code == 1 and "expected COLUMN=FIELD" in " ".join(result.output.split())
    assert "Traceback" not in result.output


def test_crawl_command(settings: Settings, site: Any, tmp_path: Path) -> None:
    sources = tmp_path / "s.yaml"
    sources.write_text(
        "sources:\n"
        f"  - {{id: kampanye, kind: feed, platform: web, url: '{site.base_url}/kampanye/atom.xml',"
        " options: {download_delay_s: 0}}\n",
        encoding="utf-8",
    )
    result = runner.invoke(build_app(), ["crawl", "--sources", str(sources), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["kampanye"]["stored"] == 1
    result = runner.invoke(build_app(), ["crawl", "--sources", str(sources), "tidak_ada"])
    assert result.exit_code == 1 and "known sources: kampanye" in " ".join(result.output.split())
