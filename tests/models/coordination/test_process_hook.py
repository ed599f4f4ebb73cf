"""`pantau process` clusters each batch through the ``coordinator`` service (a real store and index)."""

from __future__ import annotations

from sqlalchemy import select

from pantau import plugins
from pantau.process import run_process
from pantau.settings import Settings
from pantau.store import Store
from pantau.store.tables import CoordClusterRow, PostRow
from tests.models.coordination.streams import campaign, chatter
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
