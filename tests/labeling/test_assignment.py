"""Assignment, overlap and release, as specifications (real SQLite store, no web imports)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from labeling import assignment, gold, queue, service
from labeling.assignment import wants_gold
from labeling.projects import Project, create_project
from pantau.errors import Conflict
from pantau.store import Store
from pantau.store.tables import LabelAssignmentRow, LabelItemRow
from tests.labeling.conftest import T0, add_posts, add_user


def make_project(store: Store, n_posts: int = 4, **kw: object) -> Project:
    add_posts(store, n_posts)
    options: dict[str, object] = {"overlap": 2, "gold_every": 0, "random_fraction": 0.0, "lease_seconds": 600}
    options.update(kw)
    proj = create_project(store, "uji", "hoax", **options)  # type: ignore[arg-type]
    queue.refresh(store, proj.id, now=T0)
    return proj


def label_all(store: Store, user: int, label: str = "hoax") -> list[int]:
    items = []
    while (task := service.next_item(store, "uji", user, now=T0)) is not None:
        service.submit(store, "uji", user, task.assignment_id, label, now=T0)
        items.append(task.item_id)
    return items


def test_each_item_is_served_to_exactly_k_labellers(store: Store) -> None:
    make_project(store, 4, overlap=2)
    users = [add_user(store, f"v{i}") for i in range(4)]
    served = [label_all(store, u) for u in users]
    assert [len(s) for s in served] == [4, 4, 0, 0]
    with store.session() as s:
        assert {row.n_labels for row in s.scalars(select(LabelItemRow))} == {2}


def test_an_item_is_never_served_twice_to_the_same_person(store: Store) -> None:
    make_project(store, 3, overlap=3)
    user = add_user(store, "v")
    items = label_all(store, user)
    assert sorted(items) == sorted(set(items))
    assert service.next_item(store, "uji", user, now=T0) is None


def test_a_skipped_item_goes_to_someone_else_and_not_back(store: Store) -> None:
    make_project(store, 1, overlap=1)
    a, b = add_user(store, "a"), add_user(store, "b")
    task = service.next_item(store, "uji", a, now=T0)
    assert task is not None
    service.skip(store, "uji", a, task.assignment_id, now=T0)
    assert service.next_item(store, "uji", a, now=T0) is None
    again = service.next_item(store, "uji", b, now=T0)
    assert again is not None and again.item_id == task.item_id


def test_asking_again_before_submitting_returns_the_same_item(store: Store) -> None:
    make_project(store, 3)
    user = add_user(store, "v")
    first = service.next_item(store, "uji", user, now=T0)
    second = service.next_item(store, "uji", user, now=T0 + timedelta(seconds=30))
    assert first is not None and second is not None
    assert (first.assignment_id, first.item_id) == (second.assignment_id, second.item_id)


def test_an_abandoned_assignment_is_released_after_the_lease(store: Store) -> None:
    make_project(store, 1, overlap=1, lease_seconds=60)
    a, b = add_user(store, "a"), add_user(store, "b")
    held = service.next_item(store, "uji", a, now=T0)
    assert held is not None
    assert service.next_item(store, "uji", b, now=T0 + timedelta(seconds=59)) is None
    taken = service.next_item(store, "uji", b, now=T0 + timedelta(seconds=61))
    assert taken is not None and taken.item_id == held.item_id
    with store.session() as s:
        assert s.get(LabelAssignmentRow, held.assignment_id).state == "expired"  # type: ignore[union-attr]
    # the one who abandoned it does not get it back
    assert service.next_item(store, "uji", a, now=T0 + timedelta(seconds=62)) is None


def test_a_late_label_is_kept_while_a_slot_is_free(store: Store) -> None:
    make_project(store, 1, overlap=2, lease_seconds=60)
    a = add_user(store, "a")
    task = service.next_item(store, "uji", a, now=T0)
    assert task is not None
    service.next_item(store, "uji", add_user(store, "b"), now=T0 + timedelta(minutes=5))  # releases a's lease
    done = service.submit(store, "uji", a, task.assignment_id, "hoax", now=T0 + timedelta(minutes=6))
    assert done.item_id == task.item_id


def test_a_late_label_is_refused_once_the_item_has_its_k_labels(store: Store) -> None:
    make_project(store, 1, overlap=1, lease_seconds=60)
    a, b = add_user(store, "a"), add_user(store, "b")
    late = service.next_item(store, "uji", a, now=T0)
    assert late is not None
    later = T0 + timedelta(minutes=2)
    task = service.next_item(store, "uji", b, now=later)
    assert task is not None
    service.submit(store, "uji", b, task.assignment_id, "hoax", now=later)
    with pytest.raises(Conflict, match="already has its 1 labels"):
        service.submit(store, "uji", a, late.assignment_id, "hoax", now=later)


def test_partly_labelled_items_are_finished_before_new_ones_start(store: Store) -> None:
    make_project(store, 3, overlap=2)
    a, b = add_user(store, "a"), add_user(store, "b")
    first = service.next_item(store, "uji", a, now=T0)
    assert first is not None
    nxt = service.next_item(store, "uji", b, now=T0)
    assert nxt is not None and nxt.item_id == first.item_id


def test_every_nth_item_is_gold_when_gold_is_configured(store: Store) -> None:
    proj = make_project(store, 6, overlap=1, gold_every=3)
    gold.seed_gold(store, proj.id, limit=4)
    user = add_user(store, "v")
    kinds = []
    while (task := service.next_item(store, "uji", user, now=T0)) is not None:
        with store.session() as s:
            kinds.append(s.get(LabelItemRow, task.item_id).kind)  # type: ignore[union-attr]
        service.submit(store, "uji", user, task.assignment_id, "hoax", now=T0)
    assert [k == "gold" for k in kinds[:9]] == [False, False, True] * 3
    assert kinds.count("gold") == 3  # the queue ran out after the 6 posts; gold is not served on its own


def test_gold_rhythm() -> None:
    assert [wants_gold(n, 4) for n in range(8)] == [False, False, False, True] * 2
    assert not any(wants_gold(n, 0) for n in range(5))


def test_leases_run_for_the_configured_time() -> None:
    assert assignment.lease_expiry(T0, 900) == T0 + timedelta(minutes=15)
