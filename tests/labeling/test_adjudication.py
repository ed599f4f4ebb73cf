"""Adjudication: a fact-checker settles disagreements; their label is final."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from labeling import adjudication, queue, service
from labeling.export import training_rows
from labeling.projects import create_project
from pantau.errors import Conflict, NotFound, PermissionDenied
from pantau.store import Store
from pantau.store.tables import AuditRow
from tests.labeling.conftest import T0, add_posts, add_user


def two_opinions(store: Store) -> tuple[int, int]:
    """One item labelled hoax by one volunteer and not_hoax by another; returns (item id, 2nd volunteer)."""
    add_posts(store, 1)
    proj = create_project(store, "uji", "hoax", overlap=2, gold_every=0, random_fraction=0.0)
    queue.refresh(store, proj.id, now=T0)
    item = 0
    user = 0
    for name, label in (("a", "hoax"), ("b", "not_hoax")):
        user = add_user(store, name)
        task = service.next_item(store, "uji", user, now=T0)
        assert task is not None
        service.submit(store, "uji", user, task.assignment_id, label, note=f"alasan {name}", now=T0)
        item = task.item_id
    return item, user


def test_disagreements_show_votes_and_notes_but_not_who(store: Store) -> None:
    item, _ = two_opinions(store)
    checker = add_user(store, "pemeriksa", role="factchecker")
    [d] = adjudication.disagreements(store, "uji", checker)
    assert d.item_id == item and d.votes == {"hoax": 1, "not_hoax": 1}
    assert sorted(d.notes) == ["alasan a", "alasan b"]
    assert d.needs_decision  # a 1–1 tie cannot be exported without a decision
    assert "'a'" not in repr(d) and "user" not in repr(d)


def test_volunteer_cannot_adjudicate(store: Store) -> None:
    item, volunteer = two_opinions(store)
    with pytest.raises(PermissionDenied):
        adjudication.adjudicate(store, "uji", volunteer, item, "hoax")
    with pytest.raises(PermissionDenied):
        adjudication.disagreements(store, "uji", volunteer)


def test_an_adjudicated_label_is_exported_and_audited(store: Store) -> None:
    item, _ = two_opinions(store)
    assert training_rows(store, "uji") == []
    checker = add_user(store, "pemeriksa", role="factchecker")
    adjudication.adjudicate(store, "uji", checker, item, "hoax", note="cek fakta resmi")
    [row] = training_rows(store, "uji")
    assert (row["label"], row["resolution"]) == ("hoax", "adjudicated")
    assert adjudication.disagreements(store, "uji", checker) == []
    again = adjudication.adjudicate(store, "uji", checker, item, "not_hoax")
    assert again.replaced == "hoax"
    with store.session() as s:
        assert len(s.scalars(select(AuditRow).where(AuditRow.action == "label.adjudicate")).all()) == 2


def test_undo_after_adjudication_is_refused(store: Store) -> None:
    item, volunteer = two_opinions(store)
    adjudication.adjudicate(store, "uji", add_user(store, "pemeriksa", role="admin"), item, "hoax")
    with pytest.raises(Conflict, match="adjudicated"):
        service.undo(store, "uji", volunteer, now=T0)


def test_adjudicating_an_item_of_another_project_is_not_found(store: Store) -> None:
    two_opinions(store)
    create_project(store, "lain", "hoax")
    with pytest.raises(NotFound, match="'lain'"):
        adjudication.adjudicate(store, "lain", add_user(store, "pemeriksa", role="factchecker"), 1, "hoax")
