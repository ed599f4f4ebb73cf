"""Reading labelled files: bad files name the file and the column, bad rows are skipped with their row."""

from __future__ import annotations

import json

import pytest

from models.training.data import read_labeled
from models.training.metrics import classification_scores
from pantau.errors import InvalidRecord


def test_bad_rows_are_skipped_with_file_row_and_column(tmp_path):
    path = tmp_path / "labels.csv"
    path.write_text("text,label\nBerita bohong,hoax\n,not_hoax\nBerita benar,maybe\nKPU rapat,not_hoax\n")
    data = read_labeled(path, "hoax")
    assert data.labels == ["hoax", "not_hoax"]
    assert data.skipped == [
        f"{path}:3: column 'text' is empty",
        f"{path}:4: column 'label' has 'maybe'; hoax labels are hoax, not_hoax",
    ]


def test_missing_column_names_file_and_column(tmp_path):
    path = tmp_path / "labels.csv"
    path.write_text("headline,label\nx,hoax\n")
    with pytest.raises(InvalidRecord, match=r"labels\.csv: no 'text' column"):
        read_labeled(path, "hoax")


def test_jsonl_with_a_broken_line(tmp_path):
    path = tmp_path / "labels.jsonl"
    rows = [{"text": "Yuk dukung", "label": "organic_political", "account_kind": "ordinary"}, "oops"]
    path.write_text(json.dumps(rows[0]) + "\n{broken\n" + json.dumps(rows[1]) + "\n")
    data = read_labeled(path, "endorsement")
    assert len(data.examples) == 1 and data.examples[0].account_kind == "ordinary"
    assert data.skipped[0].startswith(f"{path}:2: not valid JSON")
    assert data.skipped[1] == f"{path}:3: not a JSON object"


def test_unknown_file_type_and_missing_file(tmp_path):
    with pytest.raises(InvalidRecord, match="no such file"):
        read_labeled(tmp_path / "nope.csv", "hoax")
    (tmp_path / "x.xlsx").write_bytes(b"PK")
    with pytest.raises(InvalidRecord, match="unknown file type"):
        read_labeled(tmp_path / "x.xlsx", "hoax")


def test_split_and_hash(hoax_csv):
    data = read_labeled(hoax_csv, "hoax")
    train, held = data.where(heldout=False), data.where(heldout=True)
    assert len(train.examples) + len(held.examples) == len(data.examples)
    assert data.data_hash() == read_labeled(hoax_csv, "hoax").data_hash()
    assert train.data_hash() != data.data_hash()


def test_scores_shape():
    scores = classification_scores(["a", "a", "b", "b"], ["a", "b", "b", "b"], ["a", "b", "c"])
    assert scores["n"] == 4 and scores["per_label"]["a"] == {
        "precision": 1.0,
        "recall": 0.5,
        "f1": 0.6667,
        "support": 2,
    }
    assert scores["macro_f1"] == pytest.approx((0.6667 + 0.8) / 2, abs=1e-3)  # c never occurs: not averaged


def test_expected_calibration_error():
    from models.training.metrics import expected_calibration_error

    assert expected_calibration_error([0.9] * 10, [True] * 9 + [False]) == pytest.approx(0.0, abs=1e-9)
    assert expected_calibration_error([1.0, 1.0], [False, False]) == 1.0
    assert expected_calibration_error([], []) == 0.0
