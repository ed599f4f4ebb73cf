"""The Coordinator on a real SQLite store: cluster ids on posts, cluster rows, edges, idempotency, merges."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from models.coordination.coordinator import Coordinator
from models.coordination.minhash import normalize_for_dedup
from pantau.errors import ConfigError
from pantau.records import Post
from pantau.settings import Settings
from pantau.store import Store
from pantau.store.tables import AccountEdgeRow, CoordClusterRow, PostRow
from tests.models.coordination.streams import SCRIPT, T0, campaign, chatter, news_shares, post


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"models": settings.models.model_copy(update={"embedder": "none"})})


def stored(store: Store, posts: list[Post]) -> list[Post]:
    for p in posts:
        store.upsert_post(p)
    return posts


def table(store: Store, row: type) -> list:
    with store.session() as s:
        return list(s.scalars(select(row)))


def cluster_ids(store: Store) -> dict[str, str | None]:
    with store.session() as s:
        return dict(s.execute(select(PostRow.id, PostRow.cluster_id)).all())


def test_update_writes_cluster_ids_rows_and_edges(settings: Settings, store: Store) -> None:
    buzz = stored(store, campaign(20))
    organic = stored(store, news_shares(30) + chatter(10))
    result = Coordinator.open(settings, store).update(buzz + organic)
    assert set(result) == {p.id for p in buzz + organic}
    assert len({result[p.id] for p in buzz}) == 1
    assert cluster_ids(store) == result, "every post carries its cluster id, singletons their own"
    rows = {r.id: r for r in table(store, CoordClusterRow)}
    campaign_row = rows[result[buzz[0].id]]
    assert campaign_row.coordinated and campaign_row.accounts == 20 and campaign_row.platforms == {"x": 20}
    assert campaign_row.sample_text and normalize_for_dedup(campaign_row.sample_text)
    assert not rows[result[organic[0].id]].coordinated
    edges = table(store, AccountEdgeRow)
    assert len(edges) == 20 * 19 // 2 and {e.weight for e in edges} == {1}


def test_sending_the_same_posts_again_is_idempotent(settings: Settings, store: Store) -> None:
    posts = stored(store, campaign(15) + chatter(5))
    coordinator = Coordinator.open(settings, store)
    first = coordinator.update(posts)
    snapshot = [(r.id, r.posts, r.score) for r in table(store, CoordClusterRow)]
    assert coordinator.update(posts) == first
    assert Coordinator.open(settings, store).update(posts) == first, "after a restart too"
    assert [(r.id, r.posts, r.score) for r in table(store, CoordClusterRow)] == snapshot
    assert len(table(store, AccountEdgeRow)) == 15 * 14 // 2


def test_incremental_batches_equal_one_batch_in_the_tables(
    settings: Settings, store: Store, tmp_path: Path
) -> None:
    posts = sorted(
        campaign(20) + campaign(12, prefix="b", start=T0 + timedelta(days=1)) + news_shares(20) + chatter(20),
        key=lambda p: p.published_at,
    )
    stored(store, posts)
    coordinator = Coordinator.open(settings, store)
    for start in range(0, len(posts), 9):
        coordinator.update(posts[start : start + 9])
    incremental = (
        cluster_ids(store),
        sorted((r.id, r.posts, r.score, r.coordinated) for r in table(store, CoordClusterRow)),
        sorted((e.account_a, e.account_b, e.weight) for e in table(store, AccountEdgeRow)),
    )
    other = Settings(data_dir=tmp_path / "other", models={"embedder": "none"})
    other_store = Store.open(other)
    try:
        stored(other_store, posts)
        Coordinator.open(other, other_store).update(posts)
        batch = (
            cluster_ids(other_store),
            sorted((r.id, r.posts, r.score, r.coordinated) for r in table(other_store, CoordClusterRow)),
            sorted((e.account_a, e.account_b, e.weight) for e in table(other_store, AccountEdgeRow)),
        )
    finally:
        other_store.close()
    assert incremental == batch


def test_accounts_in_two_campaigns_get_weight_two(settings: Settings, store: Store) -> None:
    other = "Lestari dan Bagus membawa perubahan nyata untuk petani dan nelayan, harga pupuk turun drastis!"
    first = campaign(12, prefix="buzz")
    second = [
        p.model_copy(update={"id": p.id + "x", "platform_post_id": p.platform_post_id + "x"})
        for p in campaign(12, prefix="buzz", script=other, start=T0 + timedelta(hours=5))
    ]
    stored(store, first + second)
    Coordinator.open(settings, store).update(first + second)
    with store.session() as s:
        assert (
            s.scalar(select(func.count()).select_from(CoordClusterRow).where(CoordClusterRow.coordinated))
            == 2
        )
        weights = set(s.scalars(select(AccountEdgeRow.weight)))
    assert weights == {2}


def test_a_bridging_post_merges_clusters_and_moves_their_posts(settings: Settings, store: Store) -> None:
    words = SCRIPT.split()
    head = [post(f"h{i}", " ".join(words[:18]), f"h{i}", T0 + timedelta(seconds=i)) for i in range(12)]
    tail = [post(f"t{i}", " ".join(words[12:]), f"t{i}", T0 + timedelta(seconds=i)) for i in range(12)]
    stored(store, head + tail)
    coordinator = Coordinator.open(settings, store)
    first = coordinator.update(head + tail)
    assert len(set(first.values())) == 2 and len(table(store, CoordClusterRow)) == 2
    bridge = stored(store, [post("bridge", SCRIPT, "jembatan", T0 + timedelta(seconds=30))])
    coordinator.update(bridge)
    assert len(set(cluster_ids(store).values())) == 1
    rows = table(store, CoordClusterRow)
    assert len(rows) == 1 and rows[0].posts == 25 and rows[0].coordinated
    assert len(table(store, AccountEdgeRow)) == 25 * 24 // 2


def test_config_file_overrides_and_bad_values_are_refused(settings: Settings, store: Store) -> None:
    directory = settings.data_dir / "coordination"
    directory.mkdir(parents=True)
    (directory / "config.yaml").write_text("min_accounts: 25\n")
    assert Coordinator.open(settings, store).config.min_accounts == 25
    (directory / "config.yaml").write_text("min_acounts: 25\n")
    with pytest.raises(ConfigError, match="min_acounts"):
        Coordinator.open(settings, store)
    (directory / "config.yaml").write_text("threshold: 0.2\nevidence_threshold: 0.3\n")
    with pytest.raises(ConfigError, match="evidence_threshold"):
        Coordinator.open(settings, store)
