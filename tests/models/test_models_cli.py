"""``pantau models ...`` through the real CLI root."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from pantau.cli import build_app

runner = CliRunner()


def _json(result):
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_train_eval_list_promote(data_dir, hoax_csv):
    app = build_app()
    trained = _json(
        runner.invoke(
            app, ["models", "train", "--task", "hoax", "--data", str(hoax_csv), "--no-seed", "--json"]
        )
    )
    version = trained["version"]
    assert trained["metrics"]["heldout"]["n"] == 12
    listed = _json(runner.invoke(app, ["models", "list", "--json"]))
    assert [m["version"] for m in listed["models"]] == [version] and not listed["models"][0]["promoted"]
    # eval without --model uses the promoted model: none yet → one red line, exit 1
    result = runner.invoke(app, ["models", "eval", "--task", "hoax", "--data", str(hoax_csv), "--json"])
    assert result.exit_code == 1 and "no promoted hoax model" in result.output
    result = runner.invoke(app, ["models", "promote", version])
    assert result.exit_code == 0 and version in result.stdout
    scores = _json(
        runner.invoke(app, ["models", "eval", "--task", "hoax", "--data", str(hoax_csv), "--json"])
    )
    assert scores["model"] == version and scores["n"] == 12 and scores["rows"] == "heldout"
    assert 0.0 <= scores["macro_f1"] <= 1.0
    assert set(scores["per_label"]) == {"hoax", "not_hoax"}
    assert set(scores["per_label"]["hoax"]) == {"precision", "recall", "f1", "support"}
    by_dir = _json(
        runner.invoke(
            app,
            [
                "models",
                "eval",
                "--task",
                "hoax",
                "--data",
                str(hoax_csv),
                "--all-rows",
                "--model",
                trained["path"],
                "--json",
            ],
        )
    )
    assert by_dir["n"] == 48 and by_dir["rows"] == "all"


def test_eval_bad_file_is_one_line_naming_the_file(data_dir, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("tweet,label\nhalo,hoax\n")
    result = runner.invoke(build_app(), ["models", "eval", "--task", "hoax", "--data", str(bad), "--json"])
    assert result.exit_code == 1
    assert "bad.csv" in result.output and "'text'" in result.output and "Traceback" not in result.output


def test_unknown_task_and_kind(data_dir, hoax_csv):
    app = build_app()
    result = runner.invoke(app, ["models", "train", "--task", "spam", "--data", str(hoax_csv), "--no-seed"])
    assert result.exit_code == 1 and "unknown task 'spam'" in result.output
    result = runner.invoke(
        app, ["models", "train", "--task", "hoax", "--kind", "svm", "--data", str(hoax_csv)]
    )
    assert result.exit_code == 1 and "--kind 'svm'" in result.output


def test_ensure_default_reports_the_promoted_versions(trained_settings):
    app = build_app()
    versions = _json(runner.invoke(app, ["models", "ensure-default", "--json"]))
    assert set(versions) == {"hoax", "endorsement"}
    assert versions["hoax"].startswith("hoax-sklearn-")
    listed = runner.invoke(app, ["models", "list"])
    assert listed.exit_code == 0 and "★" in listed.stdout
