"""Narratives: fact-check matches first, else similar clusters; growth per day; trending order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from sqlalchemy import insert, select

from models.coordination.coordinator import Coordinator
from models.coordination.narratives import growth_of, lexical_vectors
from models.coordination.service import list_narratives, narrative_detail
from pantau.errors import NotFound
from pantau.records import FactCheck, Post
from pantau.settings import Settings
from pantau.store import Store
from pantau.store.tables import ClaimMatchRow, NarrativePostRow
from tests.models.coordination.streams import T0, campaign, chatter, post

HOAX = (
    "Surat suara di TPS 12 Bekasi sudah dicoblos untuk paslon 02 sebelum hari pemungutan, sebarkan sekarang!"
)
HOAX_AGAIN = (
    "Sebarkan sekarang! Surat suara di TPS 12 Bekasi sudah dicoblos untuk paslon 02 sebelum hari pemungutan"
)


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"models": settings.models.model_copy(update={"embedder": "none"})})


def stored(store: Store, posts: list[Post]) -> list[Post]:
    for p in posts:
        store.upsert_post(p)
    return posts


def match(store: Store, posts: list[Post], factcheck_id: str) -> None:
    with store.session() as s:
        s.execute(
            insert(ClaimMatchRow),
            [
                {
                    "post_id": p.id,
                    "factcheck_id": factcheck_id,
                    "model_version": "claims-1",
                    "similarity": 0.8,
                    "rank": 1,
                    "created_at": datetime.now(UTC),
                }
                for p in posts
            ],
        )


def test_posts_matching_a_factcheck_form_its_narrative(settings: Settings, store: Store) -> None:
    store.upsert_factcheck(
        FactCheck(id="fc-bekasi", claim="Surat suara sudah dicoblos di Bekasi", rating_normalized="false")
    )
    posts = stored(
        store, [post(f"m{i}", HOAX + f" {i}", f"warga{i}", T0 + timedelta(hours=i)) for i in range(3)]
    )
    match(store, posts, "fc-bekasi")
    Coordinator.open(settings, store).update(posts)
    (narrative,) = list_narratives(store)
    assert narrative["id"] == "fc_fc-bekasi" and narrative["kind"] == "factcheck"
    assert narrative["label"] == "Surat suara sudah dicoblos di Bekasi" and narrative["posts"] == 3
    assert narrative["first_seen"] == T0.isoformat()


def test_narrate_after_clustering_uses_claim_matches_written_in_between(
    settings: Settings, store: Store
) -> None:
    """``pantau process`` clusters before scoring and narrates after the claim matches are written."""
    store.upsert_factcheck(
        FactCheck(id="fc-bekasi", claim="Surat suara sudah dicoblos di Bekasi", rating_normalized="false")
    )
    posts = stored(
        store, [post(f"n{i}", HOAX + f" {i}", f"warga{i}", T0 + timedelta(hours=i)) for i in range(3)]
    )
    coordinator = Coordinator.open(settings, store)
    coordinator.update(posts, narratives=False)
    assert list_narratives(store) == []
    match(store, posts, "fc-bekasi")
    assert coordinator.narrate(posts) == {"fc_fc-bekasi"}
    (narrative,) = list_narratives(store)
    assert narrative["id"] == "fc_fc-bekasi" and narrative["posts"] == 3
    assert coordinator.narrate(posts) == {"fc_fc-bekasi"} and list_narratives(store)[0]["posts"] == 3
    unknown = post("never-clustered", HOAX, "orang", T0)
    assert coordinator.narrate([unknown]) == set()


def test_a_repeated_claim_without_a_factcheck_becomes_a_narrative_and_a_rewording_joins_it(
    settings: Settings, store: Store
) -> None:
    first = stored(store, [post(f"a{i}", HOAX, f"akun{i}", T0 + timedelta(minutes=30 * i)) for i in range(4)])
    coordinator = Coordinator.open(settings, store)
    coordinator.update(first + stored(store, chatter(5)))
    narratives = list_narratives(store)
    assert [n["posts"] for n in narratives] == [4]
    later = stored(
        store, [post(f"b{i}", HOAX_AGAIN, f"lain{i}", T0 + timedelta(days=2, minutes=i)) for i in range(3)]
    )
    coordinator.update(later)
    narratives = list_narratives(store)
    assert len(narratives) == 1 and narratives[0]["posts"] == 7, "the reworded hoax found its old narrative"
    detail = narrative_detail(store, narratives[0]["id"])
    assert len(detail["posts"]) == 7 and detail["platforms"] == {"x": 7}
    assert detail["daily"] == {"2029-02-01": 4, "2029-02-03": 3}


def test_trending_puts_the_fastest_growing_narrative_first(settings: Settings, store: Store) -> None:
    steady = stored(
        store,
        [
            post(f"s{d}-{i}", HOAX, f"s{d}{i}", T0 + timedelta(days=d, minutes=i))
            for d in range(6)
            for i in range(3)
        ],
    )
    rising = stored(store, campaign(12, start=T0 + timedelta(days=5)))
    coordinator = Coordinator.open(settings, store)
    coordinator.update(steady)
    coordinator.update(rising)
    order = [n["posts"] for n in list_narratives(store)]
    assert order == [12, 18]
    with store.session() as s:
        assert len(list(s.scalars(select(NarrativePostRow)))) == 30


def test_unknown_narrative_is_not_found(store: Store) -> None:
    with pytest.raises(NotFound, match="nope"):
        narrative_detail(store, "nope")


def test_growth_and_lexical_vectors() -> None:
    assert growth_of({}, 3) == (0, 0.0)
    assert growth_of({"2029-01-01": 3, "2029-01-05": 6}, 2) == (6, 7.0)
    assert growth_of({"2029-01-01": 3, "2029-01-02": 3}, 1, today="2029-01-02") == (3, 1.0)
    vectors = lexical_vectors([HOAX, HOAX_AGAIN, "nonton bola timnas menang lagi"])
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0)
    assert vectors[0] @ vectors[1] > 0.8 > vectors[0] @ vectors[2]
