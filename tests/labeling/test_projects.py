"""Projects and their Indonesian guidelines."""

from __future__ import annotations

import pytest

from labeling import service
from labeling.projects import archive_project, create_project, get_project, guidelines, list_projects
from models.training.base import TASK_LABELS
from pantau.errors import ConfigError, Conflict, NotFound
from pantau.store import Store
from tests.labeling.conftest import add_user


@pytest.mark.parametrize("task", sorted(TASK_LABELS))
def test_guidelines_define_every_label_with_examples_and_borderline_cases(task: str) -> None:
    text = guidelines(task)
    for label in TASK_LABELS[task]:
        assert f"`{label}`" in text
    assert "Contoh" in text and "Kasus batas" in text
    assert "fiktif" in text


def test_a_project_takes_its_tasks_labels_and_records_the_guidelines_version(store: Store) -> None:
    proj = create_project(store, "endorse-1", "endorsement", overlap=2)
    assert proj.labels == TASK_LABELS["endorsement"] and proj.overlap == 2
    assert len(proj.guidelines_sha256) == 64
    assert get_project(store, "endorse-1") == get_project(store, proj.id)
    assert [p.name for p in list_projects(store)] == ["endorse-1"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": "Bad Name", "task": "hoax"}, "lowercase"),
        ({"name": "x", "task": "sentiment"}, "unknown task 'sentiment'"),
        ({"name": "x", "task": "hoax", "overlap": 0}, "overlap=0"),
        ({"name": "x", "task": "hoax", "random_fraction": 1.5}, "random_fraction=1.5"),
    ],
)
def test_bad_settings_are_refused_by_name_and_value(
    store: Store, kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        create_project(store, **kwargs)  # type: ignore[arg-type]


def test_names_are_unique(store: Store) -> None:
    create_project(store, "uji", "hoax")
    with pytest.raises(Conflict, match="'uji' already exists"):
        create_project(store, "uji", "endorsement")


def test_an_unknown_project_is_not_found(store: Store) -> None:
    with pytest.raises(NotFound, match="'tidak-ada'"):
        get_project(store, "tidak-ada")


def test_an_archived_project_serves_nothing(store: Store) -> None:
    create_project(store, "uji", "hoax")
    archive_project(store, "uji")
    assert list_projects(store) == []
    with pytest.raises(Conflict, match="archived"):
        service.next_item(store, "uji", add_user(store, "v"))
