"""Export: a training file with provenance, label rounds, and the loop back into training."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from labeling import export, queue, service
from labeling.projects import create_project
from models.training.data import read_labeled
from pantau.errors import InvalidRecord, NotFound
from pantau.settings import Settings
from pantau.store import Store
from tests.labeling.conftest import T0, add_posts, add_user


def labelled_project(
    store: Store, n: int = 10, *, author_kind: str = "ordinary", random_fraction: float = 0.2
) -> None:
    add_posts(store, n, author_kind=author_kind)
    proj = create_project(store, "uji", "hoax", overlap=3, gold_every=0, random_fraction=random_fraction)
    queue.refresh(store, proj.id, now=T0, seed=1)
    users = [add_user(store, f"v{i}") for i in range(3)]
    for i, user in enumerate(users):
        while (task := service.next_item(store, "uji", user, now=T0)) is not None:
            # v0 and v1 agree (odd items hoax); v2 dissents on every third item
            label = "hoax" if task.item_id % 2 else "not_hoax"
            if i == 2 and task.item_id % 3 == 0:
                label = "not_hoax" if label == "hoax" else "hoax"
            service.submit(store, "uji", user, task.assignment_id, label, now=T0)


def test_training_rows_carry_text_label_and_provenance(store: Store) -> None:
    labelled_project(store)
    rows = export.training_rows(store, "uji")
    assert len(rows) == 10
    first = rows[0]
    assert set(first) == set(export.COLUMNS)
    assert first["resolution"] == "majority" and first["n_labels"] == 3 and first["project"] == "uji"
    assert {r["split"] for r in rows} == {"train", "heldout"}
    assert all((r["split"] == "heldout") == (r["item_kind"] == "random_eval") for r in rows)
    dissent = [r for r in rows if r["item_id"] % 3 == 0]
    assert dissent and all(r["agreement"] == pytest.approx(2 / 3, abs=1e-3) for r in dissent)


def test_export_pseudonymises_ordinary_authors(store: Store) -> None:
    labelled_project(store, 4)
    assert all(r["author"] == "" for r in export.training_rows(store, "uji"))


def test_export_names_monitored_accounts(store: Store) -> None:
    labelled_project(store, 4, author_kind="official_campaign")
    assert all(r["author"].startswith("warga_") for r in export.training_rows(store, "uji"))


def test_written_file_is_read_by_the_training_code_and_records_rounds(store: Store, tmp_path: Path) -> None:
    labelled_project(store)
    first = export.write_training_file(store, "uji", tmp_path / "r1.csv", actor="admin")
    assert (first.round, first.rows) == (1, 10)
    data = read_labeled(first.path, "hoax")
    assert len(data.examples) == 10 and data.skipped == []
    assert len(data.where(heldout=True).examples) == 2  # the random slice is evaluation only
    with (tmp_path / "r1.csv").open(encoding="utf-8") as fh:
        assert {row["round"] for row in csv.DictReader(fh)} == {"1"}

    second = export.write_training_file(store, "uji", tmp_path / "r2.jsonl")
    assert second.round == 2
    assert json.loads((tmp_path / "r2.jsonl").read_text(encoding="utf-8").splitlines()[0])["round"] == 2

    export.record_model(store, "uji", 1, "hoax-sklearn-x", {"heldout": {"macro_f1": 0.8, "n": 2}})
    rounds = export.rounds(store, "uji")
    assert [r["round"] for r in rounds] == [1, 2]
    assert rounds[0]["model_version"] == "hoax-sklearn-x" and rounds[0]["macro_f1"] == {"heldout": 0.8}
    assert rounds[0]["label_counts"] == first.label_counts and rounds[0]["file_sha256"]


def test_export_for_training_writes_under_the_data_dir(store: Store, settings: Settings) -> None:
    labelled_project(store, 4)
    result = export.export_for_training(store, settings, "uji")
    assert result.path == settings.data_dir / "labels" / "uji" / "round-001.csv" and result.path.is_file()


def test_nothing_to_export_is_a_clear_error(store: Store, tmp_path: Path) -> None:
    create_project(store, "kosong", "hoax")
    with pytest.raises(InvalidRecord, match="'kosong' has no resolved labels"):
        export.write_training_file(store, "kosong", tmp_path / "x.csv")
    assert not (tmp_path / "x.csv").exists()


def test_recording_a_model_for_a_missing_round_is_not_found(store: Store) -> None:
    create_project(store, "uji", "hoax")
    with pytest.raises(NotFound, match="round 3"):
        export.record_model(store, "uji", 3, "v", {})


@pytest.mark.slow
def test_a_model_trains_from_an_exported_round(store: Store, settings: Settings, tmp_path: Path) -> None:
    from models.training.train import train_model

    labelled_project(store, 60, random_fraction=0.2)
    result = export.export_for_training(store, settings, "uji")
    info = train_model(settings, "hoax", [result.path], use_seed=False, out=tmp_path / "model")
    assert info.metrics["heldout"]["n"] == 12
    export.record_model(store, "uji", result.round, info.version, info.metrics)
    assert export.rounds(store, "uji")[0]["model_version"] == info.version
