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


# --- the shipped endorsement corpus and its evaluation-only challenge set --------------------------------
NEAR_DUPLICATE = 0.6  # character 5-gram Jaccard above which two posts count as near-duplicates


def _shingle_matrix(texts: list[str]):
    """Rows = texts, columns = distinct character 5-grams of the lower-cased, space-normalised text."""
    import re

    import numpy as np
    import scipy.sparse as sp

    vocab: dict[str, int] = {}
    indices: list[int] = []
    indptr = [0]
    for text in texts:
        t = re.sub(r"\s+", " ", text.lower()).strip()
        grams = {t[i : i + 5] for i in range(max(1, len(t) - 4))}
        indices.extend(vocab.setdefault(g, len(vocab)) for g in grams)
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float32)
    return sp.csr_matrix((data, indices, indptr), shape=(len(texts), len(vocab)))


def _worst_pair(texts: list[str]) -> tuple[float, int, int]:
    import numpy as np

    m = _shingle_matrix(texts)
    inter = (m @ m.T).toarray()
    sizes = np.asarray(m.sum(axis=1)).ravel()
    jaccard = inter / (sizes[:, None] + sizes[None, :] - inter)
    np.fill_diagonal(jaccard, 0.0)
    i, j = np.unravel_index(int(np.argmax(jaccard)), jaccard.shape)
    return float(jaccard[i, j]), int(i), int(j)


def test_endorsement_seed_and_challenge_have_no_near_duplicates():
    from models.training.data import SEED_DIR

    rows = []
    for name in ("endorsement.csv", "endorsement_challenge.csv"):
        rows += [(name, e.text) for e in read_labeled(SEED_DIR / name, "endorsement").examples]
    score, i, j = _worst_pair([t for _, t in rows])
    assert score < NEAR_DUPLICATE, f"near-duplicates ({score:.2f}): {rows[i]!r} / {rows[j]!r}"


def test_the_challenge_set_is_evaluation_only_and_covers_every_label():
    from models.training.base import ENDORSEMENT_LABELS
    from models.training.data import SEED_DIR, SEED_FILES

    assert "endorsement_challenge.csv" not in SEED_FILES["endorsement"], "never part of the training seed"
    data = read_labeled(SEED_DIR / "endorsement_challenge.csv", "endorsement")
    assert not data.skipped and len(data.examples) >= 300
    assert {e.split for e in data.examples} == {"heldout"}, "even --data FILE never trains on it"
    counts = data.label_counts()
    assert set(counts) == set(ENDORSEMENT_LABELS) and min(counts.values()) >= 30
