"""`pantau process` clusters each batch through the ``coordinator`` service BEFORE scoring it, passes each
post's coordination context to the scorer, and re-scores posts whose cluster became coordinated later
(a real store, index and coordinator)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from pantau import plugins
from pantau.process import run_process
from pantau.records import FactCheck, Post, PostScores
from pantau.settings import Settings
from pantau.store import Store
from pantau.store.tables import CoordClusterRow, NarrativePostRow, PostRow, PredictionRow
from tests.models.coordination.streams import T0, campaign, chatter, post
from tests.pantau.fake_scorer import FakeScorer


def test_process_clusters_every_batch_and_reruns_change_nothing(settings: Settings, store: Store) -> None:
    settings = settings.model_copy(update={"models": settings.models.model_copy(update={"embedder": "none"})})
    assert plugins.has_service("coordinator")
    for p in campaign(15) + chatter(10):
        store.upsert_post(p)
    report = run_process(settings, store, scorer=FakeScorer(), progress=False, batch_size=7)
    assert report["clustered"] == 25 and "cluster" in report["seconds"]
    with store.session() as s:
        assert s.scalar(select(PostRow.id).where(PostRow.cluster_id.is_(None)).limit(1)) is None
        (row,) = s.scalars(select(CoordClusterRow))
        assert row.coordinated and row.accounts == 15
    again = run_process(settings, store, scorer=FakeScorer(), progress=False, batch_size=7)
    assert again.get("clustered", 0) == 0
    with store.session() as s:
        assert len(list(s.scalars(select(CoordClusterRow)))) == 1


class ContextScorer(FakeScorer):
    """A scorer that accepts coordination context, as the real one does, and remembers the last context
    each post was scored with."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: dict[str, dict[str, Any] | None] = {}

    def score(self, posts: list[Post], context: dict[str, dict[str, Any]] | None = None) -> list[PostScores]:
        for p in posts:
            self.seen[p.id] = (context or {}).get(p.id)
        return super().score(posts)


def test_batches_are_clustered_before_scoring_and_late_coordination_rescores(
    settings: Settings, store: Store
) -> None:
    settings = settings.model_copy(update={"models": settings.models.model_copy(update={"embedder": "none"})})
    posts = campaign(15) + chatter(10)
    for p in posts:
        store.upsert_post(p)
    scorer = ContextScorer()
    report = run_process(settings, store, scorer=scorer, progress=False, batch_size=7, workers=0)
    in_campaign = {p.id for p in posts[:15]}
    # each campaign post's final endorsement score saw its cluster as coordinated — those scored before
    # the cluster crossed the threshold were made pending again and re-scored in the same run
    assert all((scorer.seen[pid] or {}).get("coordinated") for pid in in_campaign)
    assert report["recoordinated"] > 0 and report["scored"] == 25 + report["recoordinated"]
    with store.session() as s:
        keys = list(s.execute(select(PredictionRow.post_id, PredictionRow.task)))
        assert s.scalar(select(PostRow.id).where(PostRow.indexed_at.is_(None)).limit(1)) is None
    assert len(keys) == len(set(keys)) == 4 * 25
    again = run_process(settings, store, scorer=ContextScorer(), progress=False, workers=0)
    assert again["scored"] == 0


def test_with_scoring_workers_contexts_travel_with_the_batch(
    settings: Settings, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[3]))  # workers unpickle the scorer
    settings = settings.model_copy(update={"models": settings.models.model_copy(update={"embedder": "none"})})
    for p in campaign(15) + chatter(10):
        store.upsert_post(p)
    report = run_process(settings, store, scorer=ContextScorer(), progress=False, batch_size=7, workers=2)
    assert report["workers"] == 2 and report["recoordinated"] > 0
    with store.session() as s:
        keys = list(s.execute(select(PredictionRow.post_id, PredictionRow.task)))
    assert len(keys) == len(set(keys)) == 4 * 25


def test_posts_join_the_narrative_of_the_factcheck_their_first_scoring_matched(
    settings: Settings, store: Store
) -> None:
    """Clustering runs before scoring, yet narratives follow the claim matches that scoring writes."""
    settings = settings.model_copy(update={"models": settings.models.model_copy(update={"embedder": "none"})})
    store.upsert_factcheck(
        FactCheck(id="fc-surat", claim="Surat suara sudah dicoblos sebelum hari H", rating_normalized="false")
    )
    posts = [
        post(f"s{i}", f"Katanya surat suara di TPS {i} sudah dicoblos duluan, cek dulu", f"warga{i}", T0)
        for i in range(4)
    ]
    for p in posts + chatter(6):
        store.upsert_post(p)
    run_process(settings, store, scorer=FakeScorer(), progress=False, batch_size=3, workers=0)
    with store.session() as s:
        members = set(
            s.scalars(select(NarrativePostRow.post_id).where(NarrativePostRow.narrative_id == "fc_fc-surat"))
        )
    assert members == {p.id for p in posts}
