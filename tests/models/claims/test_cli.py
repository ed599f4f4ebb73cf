"""``pantau claims eval`` through the real CLI root."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from models.claims.calibrate import SEED_DIR
from pantau.cli import build_app


def test_claims_eval_json_shape(data_dir: Path) -> None:
    result = CliRunner().invoke(
        build_app(),
        [
            "claims",
            "eval",
            "--factchecks",
            str(SEED_DIR / "claims_factchecks.jsonl"),
            "--queries",
            str(SEED_DIR / "claims_queries.jsonl"),
            "--embedder",
            "none",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout[result.stdout.index("{") :])
    assert {"recall_at_1", "recall_at_5", "mrr", "n"} <= data.keys()
    assert isinstance(data["n"], int) and 0.0 <= data["recall_at_1"] <= 1.0


def test_claims_eval_table(data_dir: Path) -> None:
    result = CliRunner().invoke(
        build_app(),
        [
            "claims",
            "eval",
            "--factchecks",
            str(SEED_DIR / "claims_factchecks.jsonl"),
            "--queries",
            str(SEED_DIR / "claims_queries.jsonl"),
            "--embedder",
            "none",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "recall_at_1" in result.output


def test_missing_file_is_one_clear_error(data_dir: Path, tmp_path: Path) -> None:
    missing = tmp_path / "tidak-ada.jsonl"
    result = CliRunner().invoke(
        build_app(),
        ["claims", "eval", "--factchecks", str(missing), "--queries", str(missing), "--json"],
    )
    assert result.exit_code == 1
    assert "tidak-ada.jsonl" in result.output
    assert "Traceback" not in result.output
