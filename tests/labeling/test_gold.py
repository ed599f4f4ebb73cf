"""Gold items from the held-out seed rows."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from labeling import gold
from labeling.projects import create_project
from pantau.errors import ConfigError
from pantau.store import Store
from pantau.store.tables import LabelItemRow


def write_seed(path: Path) -> Path:
    path.write_text(
        "id,text,label,split\n"
        "h1,Hoaks satu,hoax,heldout\n"
        "h2,Hoaks dua,hoax,heldout\n"
        "h3,Hoaks tiga,hoax,heldout\n"
        "n1,Benar satu,not_hoax,heldout\n"
        "t1,Latih,hoax,train\n"
        "x1,,hoax,heldout\n"
        "x2,Label aneh,mungkin,heldout\n",
        encoding="utf-8",
    )
    return path


def test_only_heldout_rows_with_a_known_label_become_gold(tmp_path: Path) -> None:
    rows, skipped = gold.heldout_rows([write_seed(tmp_path / "s.csv")], ("hoax", "not_hoax"))
    assert [r.ref for r in rows] == ["h1", "h2", "h3", "n1"]
    assert len(skipped) == 2 and "mungkin" in skipped[1]


def test_gold_is_balanced_across_labels(tmp_path: Path) -> None:
    rows, _ = gold.heldout_rows([write_seed(tmp_path / "s.csv")], ("hoax", "not_hoax"))
    assert [r.label for r in gold.balanced(rows, 3)] == ["hoax", "not_hoax", "hoax"]


def test_seeding_from_the_shipped_corpus_is_idempotent(store: Store) -> None:
    proj = create_project(store, "uji", "hoax")
    first = gold.seed_gold(store, proj.id, limit=8)
    if first.added == 0:
        pytest.skip("no held-out rows in this checkout's seed corpus")
    again = gold.seed_gold(store, proj.id, limit=8)
    assert (again.added, again.already) == (0, first.added)
    with store.session() as s:
        rows = s.scalars(select(LabelItemRow).where(LabelItemRow.kind == "gold")).all()
    assert {r.gold_label for r in rows} == {"hoax", "not_hoax"}
    assert all(r.open_slots is None and r.post_id is None for r in rows)


def test_gold_with_a_label_outside_the_project_is_refused(store: Store) -> None:
    proj = create_project(store, "uji", "hoax")
    with pytest.raises(ConfigError, match="'organic_political'"):
        gold.add_gold(store, proj.id, [gold.GoldRow("g1", "teks", "organic_political")])
