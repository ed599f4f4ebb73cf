"""The labelling page's service calls: what a labeller sees, submit, skip and undo."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from labeling import queue, service
from labeling.projects import create_project
from pantau.errors import ConfigError, Conflict, NotFound, PermissionDenied
from pantau.store import Store
from pantau.store.tables import AuditRow, LabelRow
from tests.labeling.conftest import T0, add_posts, add_user


def setup_project(store: Store, author_kind: str = "ordinary", n: int = 3, overlap: int = 2) -> None:
    add_posts(store, n, author_kind=author_kind)
    proj = create_project(store, "uji", "hoax", overlap=overlap, gold_every=0, random_fraction=0.0)
    queue.refresh(store, proj.id, now=T0)


def test_labellers_see_no_identity_of_ordinary_authors(store: Store) -> None:
    setup_project(store, "ordinary")
    task = service.next_item(store, "uji", add_user(store, "v"), now=T0)
    assert task is not None
    assert task.author.handle is None and task.author.name is None and task.url is None
    assert "warga_" not in str(task.as_dict())
    assert task.text.startswith("Pesan ")
    assert task.labels == ("hoax", "not_hoax")


def test_labellers_see_monitored_accounts_by_name(store: Store) -> None:
    setup_project(store, "influencer")
    task = service.next_item(store, "uji", add_user(store, "v"), now=T0)
    assert task is not None
    assert task.author.kind == "influencer" and task.author.handle and task.url


def test_labellers_are_blind_to_other_labels_and_the_model(store: Store) -> None:
    setup_project(store, n=1)
    a, b = add_user(store, "a"), add_user(store, "b")
    first = service.next_item(store, "uji", a, now=T0)
    assert first is not None
    service.submit(store, "uji", a, first.assignment_id, "hoax", note="jelas hoaks", now=T0)
    seen = service.next_item(store, "uji", b, now=T0)
    assert seen is not None
    shown = str(seen.as_dict())
    assert "jelas hoaks" not in shown and "hoax-test-1" not in shown and "score" not in shown
    assert set(seen.as_dict()) >= {"text", "labels", "assignment_id", "expires_at"}


def test_journalists_may_not_label(store: Store) -> None:
    setup_project(store)
    with pytest.raises(PermissionDenied, match="journalist"):
        service.next_item(store, "uji", add_user(store, "wartawan", role="journalist"), now=T0)


def test_disabled_users_may_not_label(store: Store) -> None:
    setup_project(store)
    with pytest.raises(PermissionDenied, match="disabled"):
        service.next_item(store, "uji", add_user(store, "mantan", disabled=True), now=T0)


def test_an_unknown_label_is_refused_with_the_choices(store: Store) -> None:
    setup_project(store)
    user = add_user(store, "v")
    task = service.next_item(store, "uji", user, now=T0)
    assert task is not None
    with pytest.raises(ConfigError, match="'mungkin'.*hoax, not_hoax"):
        service.submit(store, "uji", user, task.assignment_id, "mungkin", now=T0)


def test_submitting_twice_is_a_conflict(store: Store) -> None:
    setup_project(store)
    user = add_user(store, "v")
    task = service.next_item(store, "uji", user, now=T0)
    assert task is not None
    service.submit(store, "uji", user, task.assignment_id, "hoax", now=T0)
    with pytest.raises(Conflict, match="undo"):
        service.submit(store, "uji", user, task.assignment_id, "not_hoax", now=T0)


def test_nobody_can_submit_someone_elses_assignment(store: Store) -> None:
    setup_project(store)
    a, b = add_user(store, "a"), add_user(store, "b")
    task = service.next_item(store, "uji", a, now=T0)
    assert task is not None
    with pytest.raises(NotFound, match="not yours"):
        service.submit(store, "uji", b, task.assignment_id, "hoax", now=T0)


def test_undo_takes_back_the_last_label_and_serves_the_item_again(store: Store) -> None:
    setup_project(store)
    user = add_user(store, "v")
    first = service.next_item(store, "uji", user, now=T0)
    assert first is not None
    service.submit(store, "uji", user, first.assignment_id, "hoax", note="catatan", now=T0)
    following = service.next_item(store, "uji", user, now=T0)
    assert following is not None and following.item_id != first.item_id

    later = T0 + timedelta(seconds=5)
    undone = service.undo(store, "uji", user, now=later)
    assert (undone.label, undone.note, undone.task.item_id) == ("hoax", "catatan", first.item_id)
    assert service.next_item(store, "uji", user, now=later).item_id == first.item_id  # type: ignore[union-attr]
    with store.session() as s:
        assert s.scalars(select(LabelRow)).all() == []
        assert s.scalars(select(AuditRow).where(AuditRow.action == "label.undo")).one()

    service.submit(store, "uji", user, undone.task.assignment_id, "not_hoax", now=later)
    with store.session() as s:
        assert [r.label for r in s.scalars(select(LabelRow))] == ["not_hoax"]


def test_undo_with_nothing_labelled_says_so(store: Store) -> None:
    setup_project(store)
    with pytest.raises(NotFound, match="nothing to undo"):
        service.undo(store, "uji", add_user(store, "v"), now=T0)


def test_notes_are_trimmed_and_capped(store: Store) -> None:
    setup_project(store)
    user = add_user(store, "v")
    task = service.next_item(store, "uji", user, now=T0)
    assert task is not None
    service.submit(store, "uji", user, task.assignment_id, "hoax", note="  " + "x" * 5000, now=T0)
    with store.session() as s:
        assert len(s.scalars(select(LabelRow)).one().note or "") == service.MAX_NOTE_CHARS


def test_progress_counts_the_users_work(store: Store) -> None:
    setup_project(store, n=3, overlap=1)
    user = add_user(store, "v")
    task = service.next_item(store, "uji", user, now=T0)
    assert task is not None
    service.submit(store, "uji", user, task.assignment_id, "hoax", now=T0)
    skip = service.next_item(store, "uji", user, now=T0)
    assert skip is not None
    service.skip(store, "uji", user, skip.assignment_id, now=T0)
    assert service.user_progress(store, "uji", user) == {"labelled": 1, "skipped": 1, "open_slots": 2}
