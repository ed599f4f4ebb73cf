"""Twenty labellers at once on a real SQLite file in WAL mode: no label lost, none counted twice."""

from __future__ import annotations

import sqlite3
import threading
from collections import Counter
from pathlib import Path

from sqlalchemy import func, select

from labeling import queue, service
from labeling.projects import create_project
from pantau.store import Store
from pantau.store.tables import LabelItemRow, LabelRow
from tests.labeling.conftest import add_posts, add_user

LABELLERS = 20
ITEMS = 60
K = 3


def test_twenty_labellers_label_every_item_exactly_k_times(tmp_path: Path) -> None:
    db = tmp_path / "pantau.db"
    setup = Store(f"sqlite:///{db}", tmp_path / "evidence")
    users = [add_user(setup, f"relawan{i:02d}") for i in range(LABELLERS)]
    add_posts(setup, ITEMS)
    proj = create_project(
        setup, "serentak", "hoax", overlap=K, gold_every=0, batch_size=ITEMS, random_fraction=0.1
    )
    report = queue.refresh(setup, proj.id, seed=7)
    assert (report.added_active, report.added_random) == (ITEMS - 6, 6)
    setup.close()
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"

    # each thread opens its own Store (own engine and connections), as separate API workers would
    submitted: dict[int, list[int]] = {u: [] for u in users}
    errors: list[BaseException] = []
    start = threading.Barrier(LABELLERS)

    def labeller(user_id: int) -> None:
        store = Store(f"sqlite:///{db}", tmp_path / "evidence", auto_migrate=False)
        try:
            start.wait()
            while True:
                task = service.next_item(store, "serentak", user_id)
                if task is None:
                    return
                label = "hoax" if (task.item_id + user_id) % 2 else "not_hoax"
                done = service.submit(store, "serentak", user_id, task.assignment_id, label)
                submitted[user_id].append(done.item_id)
        except BaseException as exc:  # surfaced by the assertion below
            errors.append(exc)
        finally:
            store.close()

    threads = [threading.Thread(target=labeller, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not any(t.is_alive() for t in threads)
    assert errors == []

    check = Store(f"sqlite:///{db}", tmp_path / "evidence", auto_migrate=False)
    with check.session() as s:
        labels = s.execute(select(LabelRow.item_id, LabelRow.user_id)).all()
        per_item = dict(s.execute(select(LabelItemRow.id, LabelItemRow.n_labels)).all())
        slots = s.scalar(select(func.sum(LabelItemRow.open_slots)))
    check.close()

    # every item got exactly k labels, and the stored counter agrees
    counts = Counter(item for item, _ in labels)
    assert len(counts) == ITEMS
    assert set(counts.values()) == {K}
    assert set(per_item.values()) == {K}
    assert slots == 0
    # none twice by one person
    assert len(set(labels)) == len(labels) == ITEMS * K
    # none lost: every accepted submit is stored, and nothing else is
    accepted = {(item, user) for user, items in submitted.items() for item in items}
    assert accepted == set(labels)
    assert sum(len(v) for v in submitted.values()) == ITEMS * K
    # the work was actually shared out
    assert sum(1 for v in submitted.values() if v) > LABELLERS // 2
