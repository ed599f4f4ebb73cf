"""Active-learning queues: uncertainty, diversity, the random slice, and new batches flowing in."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest
from sqlalchemy import select

from labeling import queue, service
from labeling.projects import create_project
from pantau.errors import ConfigError
from pantau.store import Store
from pantau.store.tables import LabelItemRow, PredictionRow
from tests.labeling.conftest import T0, add_posts, add_user


def items(store: Store) -> list[LabelItemRow]:
    with store.session() as s:
        return list(s.scalars(select(LabelItemRow).order_by(LabelItemRow.priority.desc())))


def test_uncertainty_peaks_at_one_half() -> None:
    assert queue.uncertainty(0.5) == 1.0
    assert queue.uncertainty(0.0) == queue.uncertainty(1.0) == 0.0
    assert queue.uncertainty(0.75) == pytest.approx(0.5)
    with pytest.raises(ConfigError):
        queue.uncertainty(1.5)


def test_multi_label_uncertainty_is_one_minus_the_top_two_margin() -> None:
    probs = {
        "organic_political": 0.45,
        "commercial_endorsement": 0.40,
        "undisclosed_paid_political": 0.05,
        "disclosed_paid_political": 0.05,
        "other": 0.05,
    }
    assert queue.prediction_uncertainty(0.05, probs) == pytest.approx(0.95)
    assert queue.prediction_uncertainty(0.8, {"hoax": 0.8, "not_hoax": 0.2}) == pytest.approx(
        queue.uncertainty(0.8)
    )
    assert queue.prediction_uncertainty(0.8, {}) == pytest.approx(0.4)


def test_diversity_walk_skips_near_copies_of_what_it_already_picked() -> None:
    texts = ["surat suara dicoblos duluan di gudang"] * 3 + ["tinta pemilu berbahaya bagi kulit"]
    scores = np.array([0.9, 0.9, 0.9, 0.6])
    order = queue.diverse_order(scores, queue.features(texts), 2)
    assert order[0] == 0 and order[1] == 3


def test_without_diversity_weight_the_walk_is_pure_uncertainty() -> None:
    scores = np.array([0.1, 0.9, 0.5])
    assert queue.diverse_order(scores, queue.features(["a b", "a b", "a b"]), 3, beta=0.0) == [1, 2, 0]


def test_the_most_uncertain_posts_are_served_first(store: Store) -> None:
    add_posts(store, 20, score=lambda i: i / 19)  # post 9/10 have p ≈ 0.5
    proj = create_project(store, "uji", "hoax", batch_size=5, random_fraction=0.0, gold_every=0)
    report = queue.refresh(store, proj.id, now=T0)
    assert (report.added_active, report.added_random, report.pool) == (5, 0, 20)
    top = items(store)[0]
    assert top.uncertainty is not None and top.uncertainty > 0.9


def test_a_random_slice_is_kept_and_flagged_for_evaluation(store: Store) -> None:
    add_posts(store, 40, score=lambda i: 0.5)
    proj = create_project(store, "uji", "hoax", batch_size=20, random_fraction=0.25, gold_every=0)
    report = queue.refresh(store, proj.id, now=T0, seed=3)
    assert (report.added_active, report.added_random) == (15, 5)
    kinds = [row.kind for row in items(store)]
    assert kinds.count("random_eval") == 5
    # spread through the batch, not parked at the end
    assert "random_eval" in kinds[:10]


def test_refresh_is_idempotent_and_new_crawl_batches_flow_in(store: Store) -> None:
    add_posts(store, 5)
    proj = create_project(store, "uji", "hoax", batch_size=100, random_fraction=0.0, gold_every=0)
    assert queue.refresh(store, proj.id, now=T0).added_active == 5
    assert queue.refresh(store, proj.id, now=T0).added_active == 0
    add_posts(store, 3, start=100)
    second = queue.refresh(store, proj.id, now=T0)
    assert (second.batch, second.added_active) == (2, 3)
    newest = items(store)[0]
    assert newest.batch == 2  # newer batches are served first


def test_the_labelling_service_pulls_new_posts_by_itself(store: Store) -> None:
    create_project(store, "uji", "hoax", random_fraction=0.0, gold_every=0, refresh_every_s=60)
    user = add_user(store, "v")
    assert service.next_item(store, "uji", user, now=T0) is None
    add_posts(store, 2)
    assert service.next_item(store, "uji", user, now=T0 + timedelta(seconds=10)) is None  # not due yet
    task = service.next_item(store, "uji", user, now=T0 + timedelta(seconds=61))
    assert task is not None


def test_the_latest_prediction_decides_the_uncertainty(store: Store) -> None:
    [pid] = add_posts(store, 1, score=lambda i: 0.99)
    with store.session() as s:
        s.add(
            PredictionRow(
                post_id=pid,
                task="hoax",
                model_version="v2",
                label="hoax",
                score=0.5,
                probabilities={},
                reasons=[],
                created_at=T0 + timedelta(hours=1),
            )
        )
    proj = create_project(store, "uji", "hoax", random_fraction=0.0, gold_every=0)
    queue.refresh(store, proj.id, now=T0)
    [item] = items(store)
    assert (item.uncertainty, item.model_version) == (1.0, "v2")


def test_posts_without_a_prediction_for_the_task_are_not_queued(store: Store) -> None:
    add_posts(store, 3, task="endorsement")
    proj = create_project(store, "uji", "hoax", gold_every=0)
    assert queue.refresh(store, proj.id, now=T0).pool == 0
