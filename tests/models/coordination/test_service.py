"""Service functions the API will call: ordering, detail, partners, endorsement features, errors."""

from __future__ import annotations

from datetime import timedelta

import pytest

from models.coordination.coordinator import Coordinator
from models.coordination.service import (
    account_partners,
    backfill,
    cluster_detail,
    coordination_features,
    list_clusters,
)
from pantau.errors import ConfigError, NotFound
from pantau.records import AccountKind, Post
from pantau.settings import Settings
from pantau.store import Store
from tests.models.coordination.streams import T0, campaign, chatter, news_shares


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"models": settings.models.model_copy(update={"embedder": "none"})})


@pytest.fixture
def world(settings: Settings, store: Store) -> dict[str, list[Post]]:
    other = "Lestari dan Bagus membawa perubahan nyata untuk petani dan nelayan, harga pupuk turun drastis!"
    posts = {
        "big": campaign(40, prefix="buzz"),
        "small": campaign(
            12, prefix="inf", script=other, start=T0 + timedelta(hours=3), kind=AccountKind.influencer
        ),
        "news": news_shares(30),
        "chat": chatter(10),
    }
    everything = [p for group in posts.values() for p in group]
    for p in everything:
        store.upsert_post(p)
    Coordinator.open(settings, store).update(everything)
    return posts


def test_clusters_come_most_coordinated_first(store: Store, world: dict[str, list[Post]]) -> None:
    clusters = list_clusters(store)
    assert [c["accounts"] for c in clusters] == [40, 12]
    assert clusters[0]["score"] >= clusters[1]["score"]
    everything = list_clusters(store, coordinated_only=False)
    assert len(everything) == 3 and not everything[-1]["coordinated"]
    assert list_clusters(store, limit=1, offset=1)[0]["accounts"] == 12


def test_cluster_detail_lists_posts_accounts_and_edges(store: Store, world: dict[str, list[Post]]) -> None:
    cid = list_clusters(store)[1]["id"]
    detail = cluster_detail(store, cid)
    assert len(detail["posts"]) == 12 and all(p["in_burst"] for p in detail["posts"])
    assert detail["coordinated_accounts"][0] == "x:inf0"
    assert len(detail["edges"]) == 12 * 11 // 2
    times = [p["published_at"] for p in detail["posts"]]
    assert times == sorted(times)


def test_account_partners_are_the_accounts_it_co_posted_with(
    store: Store, world: dict[str, list[Post]]
) -> None:
    partners = account_partners(store, "x:buzz3")
    assert len(partners) == 39 and {p["weight"] for p in partners} == {1}
    assert "x:buzz3" not in {p["account"] for p in partners}
    assert account_partners(store, "x:reader1") == []


def test_endorsement_features_count_influencers_posting_one_script(
    store: Store, world: dict[str, list[Post]]
) -> None:
    features = coordination_features(store, world["small"][0].id)
    assert features["in_coordinated_cluster"] and features["in_burst"]
    assert features["influencers_in_cluster"] == 12 and features["cluster_accounts"] == 12
    organic = coordination_features(store, world["news"][0].id)
    assert not organic["in_coordinated_cluster"] and organic["coordination_score"] < 0.5
    lonely = coordination_features(store, world["chat"][0].id)
    assert lonely["cluster_posts"] == 1 and lonely["cluster_id"] is not None


def test_bad_arguments_and_unknown_ids_raise_domain_errors(
    store: Store, world: dict[str, list[Post]]
) -> None:
    with pytest.raises(NotFound, match="c_nope"):
        cluster_detail(store, "c_nope")
    with pytest.raises(NotFound, match="nope"):
        coordination_features(store, "nope")
    with pytest.raises(ConfigError, match="limit"):
        list_clusters(store, limit=0)
    with pytest.raises(ConfigError, match="platform:handle"):
        account_partners(store, "buzz3")


def test_backfill_clusters_posts_that_process_never_saw(settings: Settings, store: Store) -> None:
    for p in campaign(12, prefix="old") + chatter(5):
        store.upsert_post(p)
    assert backfill(settings, store, batch_size=5) == 17
    assert backfill(settings, store) == 0, "nothing left to do"
    assert [c["accounts"] for c in list_clusters(store)] == [12]
    with pytest.raises(ConfigError, match="batch_size"):
        backfill(settings, store, batch_size=0)
