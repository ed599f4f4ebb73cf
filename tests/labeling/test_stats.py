"""The stats page's numbers, and who may see which."""

from __future__ import annotations

import pytest

from labeling import gold, queue, service
from labeling.projects import create_project
from labeling.stats import project_stats
from pantau.errors import PermissionDenied
from pantau.store import Store
from tests.labeling.conftest import T0, add_posts, add_user


def busy_project(store: Store) -> None:
    add_posts(store, 8)
    proj = create_project(store, "uji", "hoax", overlap=2, gold_every=3, random_fraction=0.0)
    gold.add_gold(store, proj.id, [gold.GoldRow(f"g{i}", f"emas {i}", "hoax") for i in range(4)])
    queue.refresh(store, proj.id, now=T0)
    for name in ("ani", "budi"):
        user = add_user(store, name)
        while (task := service.next_item(store, "uji", user, now=T0)) is not None:
            service.submit(
                store, "uji", user, task.assignment_id, "hoax" if task.item_id % 2 else "not_hoax", now=T0
            )


def test_admins_see_agreement_per_project_label_and_labeller(store: Store) -> None:
    busy_project(store)
    data = project_stats(store, "uji", role="admin")
    assert data["items"]["complete"] == 8 and data["items"]["gold"] == 4
    assert data["agreement"]["alpha"] == pytest.approx(1.0)
    assert set(data["agreement"]["per_label"]) == {"hoax", "not_hoax"}
    assert set(data["labellers"]) == {"ani", "budi"}
    assert data["labellers"]["ani"]["gold"]["n"] >= 2
    assert data["gold"]["accuracy_mean"] is not None
    assert data["resolutions"] == {"majority": 8}


def test_factcheckers_see_project_numbers_but_no_labeller_stats(store: Store) -> None:
    busy_project(store)
    data = project_stats(store, "uji", role="factchecker")
    assert "labellers" not in data and "per_labeller" not in data["agreement"]
    assert "accuracy_mean" not in data["gold"] and "ani" not in str(data)


def test_volunteers_see_no_stats_page(store: Store) -> None:
    busy_project(store)
    with pytest.raises(PermissionDenied):
        project_stats(store, "uji", role="volunteer")
