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


# --- the datasheet's counts are the files' counts ---------------------------------------------------------
def _datasheet_sections() -> dict[str, str]:
    """``models/data/seed/DATASHEET.md`` by section, keyed by the first file name in the heading."""
    import re

    from models.training.data import SEED_DIR

    text = (SEED_DIR / "DATASHEET.md").read_text(encoding="utf-8")
    sections: dict[str, str] = {}
    for part in text.split("\n## ")[1:]:
        heading, _, body = part.partition("\n")
        name = re.match(r"[\w.]+\.(csv|jsonl)", heading)
        if name:
            sections[name.group(0)] = body
    return sections


def _table_rows(section: str) -> list[list[str]]:
    rows = []
    for line in section.splitlines():
        if line.startswith("|") and not set(line) <= set("|-: "):
            rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    return rows


def _n(cell: str) -> int:
    return int(cell.replace(",", "").strip("* "))


def _seed_rows(name: str) -> list[dict[str, str]]:
    import csv

    from models.training.data import SEED_DIR

    with (SEED_DIR / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_datasheet_hoax_counts_match_the_files():
    import re
    from collections import Counter

    sections = _datasheet_sections()
    for name in ("hoax_a.csv", "hoax_b.csv"):
        rows = _seed_rows(name)
        by_split = Counter((r["label"], r["split"]) for r in rows)
        by_category = Counter((r["category"], r["label"], r["split"]) for r in rows)
        seen_labels, seen_categories = set(), set()
        for cells in _table_rows(sections[name]):
            label = cells[0].strip("`* ")
            if len(cells) == 4 and label in ("hoax", "not_hoax", "all") and cells[1][0].isdigit():
                train = sum(by_split[(lab, "train")] for lab in ("hoax", "not_hoax") if label in (lab, "all"))
                held = sum(
                    by_split[(lab, "heldout")] for lab in ("hoax", "not_hoax") if label in (lab, "all")
                )
                assert [_n(c) for c in cells[1:]] == [train, held, train + held], (name, cells)
                seen_labels.add(label)
            category = re.match(r"`(\w+)`", cells[0])
            if len(cells) == 5 and category:
                key = (category.group(1), cells[1])
                got = [by_category[(*key, "train")] + by_category[(*key, "heldout")]]
                got += [by_category[(*key, "train")], by_category[(*key, "heldout")]]
                assert [_n(c) for c in cells[2:]] == got, (name, cells)
                seen_categories.add(key)
        assert seen_labels == {"hoax", "not_hoax", "all"}, name
        assert seen_categories == {(c, lab) for c, lab, _ in by_category}, name


def test_datasheet_endorsement_counts_match_the_files():
    import re
    from collections import Counter

    section = _datasheet_sections()["endorsement.csv"]
    rows = _seed_rows("endorsement.csv")
    by_split = Counter((r["label"], r["split"]) for r in rows)
    labelled = 0
    for cells in _table_rows(section):
        if len(cells) == 5 and cells[4].endswith("%"):
            label = cells[0].strip("`* ")
            keep = [r for r in rows if label in (r["label"], "all")]
            train = sum(r["split"] == "train" for r in keep)
            assert [_n(c) for c in cells[1:4]] == [train, len(keep) - train, len(keep)], cells
            labelled += 1
    assert labelled == 6
    first = [r for r in rows if int(r["id"].split("-")[1]) <= 1265]  # the category/account tables' rows
    by_category = Counter((r["label"], r["category"], r["split"]) for r in first)
    listed = {}
    for label, items in re.findall(r"^- `(\w+)`: (`.*)$", section, flags=re.M):
        for category, total, held in re.findall(r"`(\w+)` (\d+) \((\d+)\)", items):
            listed[(label, category)] = (int(total), int(held))
    assert listed == {
        (lab, cat): (
            by_category[(lab, cat, "train")] + by_category[(lab, cat, "heldout")],
            by_category[(lab, cat, "heldout")],
        )
        for lab, cat, _ in by_category
    }
    kinds = Counter((r["label"], r["account_kind"]) for r in first)
    table = [cells for cells in _table_rows(section) if len(cells) == 7]
    header = [c.strip("`* ") for c in table[0][1:]]
    assert header[0] == "influencer"
    for cells in table[1:]:
        label = cells[0].strip("`* ")
        got = [
            sum(n for (lab, k), n in kinds.items() if k == kind and label in (lab, "all")) for kind in header
        ]
        assert [_n(c) for c in cells[1:]] == got, cells
    assert by_split and len(table) == 7


def test_datasheet_challenge_and_claims_counts_match_the_files():
    import json
    from collections import Counter

    from models.training.data import SEED_DIR

    sections = _datasheet_sections()
    rows = _seed_rows("endorsement_challenge.csv")
    seen = 0
    for cells in _table_rows(sections["endorsement_challenge.csv"]):
        if len(cells) == 3 and cells[1].isdigit():
            label = cells[0].strip("`")
            keep = [r for r in rows if r["label"] == label]
            assert int(cells[1]) == len(keep), cells
            listed = dict(item.rsplit(" ", 1) for item in cells[2].split(", "))
            assert {k: int(v) for k, v in listed.items()} == Counter(r["category"] for r in keep), cells
            seen += 1
    assert seen == 5

    def jsonl(name: str) -> list[dict]:
        lines = (SEED_DIR / name).read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines if line.strip()]

    factchecks, queries = jsonl("claims_factchecks.jsonl"), jsonl("claims_queries.jsonl")
    table = {cells[0].strip("`"): cells for cells in _table_rows(sections["claims_factchecks.jsonl"])}
    assert _n(table["claims_factchecks.jsonl"][1]) == len(factchecks)
    assert _n(table["claims_queries.jsonl"][1]) == len(queries)
    ratings = Counter(f["rating"] for f in factchecks)
    tagged = sum(f["claim"].startswith(("[", "HOAKS:")) for f in factchecks)
    assert table["claims_factchecks.jsonl"][2] == (
        f"{len(factchecks) - tagged} untagged + {tagged} verdict-tagged; ratings as published: "
        + ", ".join(f"{r} {n}" for r, n in ratings.items())
    )
    long = [len(q["text"]) > 200 for q in queries]  # the long chain messages are 247+ characters
    matched = [q["factcheck_id"] is not None for q in queries]
    counts = Counter(zip(matched, long, strict=True))
    assert table["claims_queries.jsonl"][2] == (
        f"{counts[True, False] + counts[True, True]} with a fact-check ({counts[True, False]} short, "
        f"{counts[True, True]} long) + {counts[False, False] + counts[False, True]} with none "
        f"({counts[False, False]} short, {counts[False, True]} long)"
    )
