"""Labels → training: ``pantau models train --from-labels`` and the admin's "Latih model dari label"
button export a label round, train the default model on it and record the model on the round."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from labeling import export, service
from labeling.projects import create_project
from models.cli import models_app
from models.registry import Registry
from pantau.settings import Settings
from pantau.store import Store
from tests.api.web.conftest import csrf, login
from tests.api.web.test_labeling_pages import PROJECT, project, submit, switch, work  # noqa: F401
from tests.labeling.conftest import add_posts, add_user


def flat(text: str) -> str:
    """CLI output with Rich's line wrapping undone."""
    return " ".join(text.split())


def _label_everything(store: Store, name: str, users: list[int]) -> None:
    """Every user labels every item it is served; odd item ids get a disagreement."""
    for n, user in enumerate(users):
        while (task := service.next_item(store, name, user)) is not None:
            label = "hoax" if "hoaks" in task.text or task.item_id % 3 == 0 else "not_hoax"
            if n == 1 and task.item_id % 2:
                label = "not_hoax" if label == "hoax" else "hoax"
            service.submit(store, name, user, task.assignment_id, label)


def test_models_cli_does_not_import_labeling() -> None:
    code = "import sys, models.cli; print('labeling' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_from_labels_without_resolved_labels_fails_with_one_clear_line(
    settings: Settings, store: Store
) -> None:
    create_project(store, "kosong", "hoax", overlap=2, gold_every=0)
    result = CliRunner().invoke(models_app, ["train", "--from-labels", "kosong"])
    assert result.exit_code == 1
    assert "'kosong' has no resolved labels to export yet" in flat(result.output)
    missing = CliRunner().invoke(models_app, ["train", "--from-labels", "tidak-ada"])
    assert missing.exit_code == 1 and "'tidak-ada' does not exist" in flat(missing.output)
    no_task = CliRunner().invoke(models_app, ["train"])
    assert no_task.exit_code == 1 and "--task is missing" in flat(no_task.output)


@pytest.mark.slow
def test_cli_trains_from_a_label_round_and_records_the_model(settings: Settings, store: Store) -> None:
    add_posts(store, 24)
    users = [add_user(store, "relawan-a"), add_user(store, "relawan-b")]
    create_project(store, "loop", "hoax", overlap=2, gold_every=0, random_fraction=0.25, batch_size=24)
    _label_everything(store, "loop", users)
    result = CliRunner().invoke(models_app, ["train", "--from-labels", "loop", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["label_round"]["round"] == 1 and out["label_round"]["rows"] > 0
    assert Path(out["label_round"]["path"]) == settings.data_dir / "labels" / "loop" / "round-001.csv"
    (recorded,) = export.rounds(store, "loop")
    assert recorded["model_version"] == out["version"]
    assert recorded["macro_f1"]["heldout"] == pytest.approx(out["heldout_macro_f1"])
    assert Registry.from_settings(settings).find(out["version"]).task == "hoax"
    wrong = CliRunner().invoke(models_app, ["train", "--from-labels", "loop", "--task", "endorsement"])
    assert wrong.exit_code == 1 and "whose task is 'hoax'" in flat(wrong.output)


@pytest.mark.slow
@pytest.mark.usefixtures("project")
def test_admin_button_trains_and_the_project_page_lists_the_model(
    web: TestClient, web_env: dict[str, Any]
) -> None:
    for who in ("volunteer", "volunteer-2"):
        switch(web, who)
        n = 0
        while work(web)[1] is not None:
            submit(web, "hoax" if n % 3 == 0 else "not_hoax")
            n += 1
    login(web, "admin")
    page = web.get(f"/label/{PROJECT}")
    assert "Latih model dari label" in page.text and "Belum ada putaran." in page.text
    resp = web.post(f"/label/{PROJECT}/train", data={"csrf_token": csrf(page.text)})
    assert resp.status_code == 200 and resp.url.path == f"/label/{PROJECT}", resp.text[-500:]
    version = re.search(r'<code class="model-version">([^<]+)</code>', resp.text)
    assert version, resp.text[-2000:]
    assert f"model {version.group(1)} dilatih" in resp.text
    assert re.search(r"heldout: \d\.\d{3}", resp.text)
    info = Registry.from_settings(web_env["settings"]).find(version.group(1))
    assert info.task == "hoax" and not info.promoted
