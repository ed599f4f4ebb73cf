"""``/v1/clusters``, ``/v1/narratives``, account partners and the cluster/narrative on post detail, over a
store where the real :class:`~models.coordination.coordinator.Coordinator` clustered a hand-built
campaign: twelve accounts posting one script within four minutes (one of them an influencer, one with a
hostile handle)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from models.coordination.coordinator import Coordinator
from pantau.records import AccountKind, Author, Post, content_hash, post_id
from pantau.settings import Settings
from pantau.store import Store

from .conftest import BASE, DemoScorer, assert_error, bearer, make_settings, seed

SCRIPT = (
    "Surat suara sudah dicoblos untuk paslon 02 di gudang KPU kecamatan, sebarkan sebelum dihapus! "
    "<script>alert('klaster')</script>"
)
HOSTILE = "<img src=x onerror=alert(1)>"
CAMPAIGN_AT = BASE + timedelta(days=3)


def campaign_posts() -> list[Post]:
    """Twelve accounts posting one script, 20 seconds apart."""
    posts = []
    for i in range(12):
        handle = {0: "Selebgram_Raka", 5: HOSTILE}.get(i, f"buzzer_{i:02d}")
        kind = AccountKind.influencer if i == 0 else AccountKind.ordinary
        text = f"{SCRIPT} #{i % 3}"
        pid = post_id("x", f"camp-{i}")
        posts.append(
            Post(
                id=pid,
                platform="x",
                source_id="x_demo",
                platform_post_id=f"camp-{i}",
                url=f"https://x.example/{handle}/camp-{i}",
                author=Author(handle=handle, display_name=f"Akun {i}", kind=kind),
                published_at=CAMPAIGN_AT + timedelta(seconds=20 * i),
                text=text,
                hashtags=["#suarasudahdicoblos"],
                content_hash=content_hash(text),
            )
        )
    return posts


def seed_campaign(settings: Settings) -> dict[str, Any]:
    """The demo store of ``tests/api/conftest.py`` plus the campaign, clustered by the real coordinator.
    Returns post ids, keys, the campaign's post ids and its cluster id."""
    env = seed(settings)
    store = Store.open(settings)
    try:
        posts = campaign_posts()
        for post in posts:
            store.upsert_post(post)
        clusters = Coordinator.open(settings, store).update(posts)
    finally:
        store.close()
    assert len(set(clusters.values())) == 1
    return {**env, "campaign": [p.id for p in posts], "cluster": next(iter(clusters.values()))}


@pytest.fixture(scope="module")
def camp(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    settings = make_settings(tmp_path_factory.mktemp("coord") / "data")
    return {"settings": settings, **seed_campaign(settings)}


@pytest.fixture(scope="module")
def api(camp: dict[str, Any]) -> Iterator[TestClient]:
    app = create_app(camp["settings"], scorer_factory=lambda s, st: DemoScorer())
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def get(api: TestClient, camp: dict[str, Any], url: str, role: str = "factchecker") -> Any:
    resp = api.get(url, headers=bearer(camp["keys"][role]))
    assert resp.status_code == 200, resp.text
    return resp.json()


def test_clusters_list_the_campaign_first(api: TestClient, camp: dict[str, Any]) -> None:
    page = get(api, camp, "/v1/clusters")
    first = page["items"][0]
    assert first["id"] == camp["cluster"]
    assert first["coordinated"] is True and first["score"] > 0.5
    assert first["accounts"] == 12 and first["platforms"] == {"x": 12}
    assert first["burst"]["accounts"] == 12
    assert page["next_offset"] is None
    everything = get(api, camp, "/v1/clusters?coordinated_only=false&limit=1")
    assert everything["next_offset"] == 1 and len(everything["items"]) == 1


def test_cluster_detail_shows_accounts_times_and_posts(api: TestClient, camp: dict[str, Any]) -> None:
    detail = get(api, camp, f"/v1/clusters/{camp['cluster']}")
    assert [p["id"] for p in detail["member_posts"]] == camp["campaign"]
    handles = {a["author"]["handle"] for a in detail["member_accounts"]}
    assert "Selebgram_Raka" in handles and HOSTILE in handles
    assert all(a["in_burst"] for a in detail["member_accounts"])
    assert len(detail["edges"]) == 12 * 11 // 2
    assert detail["member_posts"][0]["url"].startswith("https://x.example/")


def test_journalist_sees_pseudonyms_except_monitored_accounts(api: TestClient, camp: dict[str, Any]) -> None:
    detail = get(api, camp, f"/v1/clusters/{camp['cluster']}", role="journalist")
    authors = {a["author"]["handle"]: a["author"] for a in detail["member_accounts"]}
    assert authors["Selebgram_Raka"]["pseudonymised"] is False
    hidden = [a for h, a in authors.items() if h != "Selebgram_Raka"]
    assert len(hidden) == 11 and all(a["handle"].startswith("anon-") and a["pseudonymised"] for a in hidden)
    assert not any("buzzer" in e["a"] + e["b"] for e in detail["edges"])
    ordinary = [p for p in detail["member_posts"] if p["author"]["pseudonymised"]]
    assert ordinary and all(p["url"] is None for p in ordinary)
    # the same pseudonym as the posts endpoint gives
    post = get(api, camp, f"/v1/posts/{camp['campaign'][1]}", role="journalist")
    assert post["author"]["handle"] in authors


def test_volunteer_may_not_read_clusters(api: TestClient, camp: dict[str, Any]) -> None:
    resp = api.get("/v1/clusters", headers=bearer(camp["keys"]["volunteer"]))
    assert "coordination:read" in assert_error(resp, 403, "forbidden")["message"]


def test_unknown_cluster_and_narrative_are_404(api: TestClient, camp: dict[str, Any]) -> None:
    key = bearer(camp["keys"]["admin"])
    assert "nope" in assert_error(api.get("/v1/clusters/nope", headers=key), 404)["message"]
    assert "nope" in assert_error(api.get("/v1/narratives/nope", headers=key), 404)["message"]


def test_narratives_trending_and_detail(api: TestClient, camp: dict[str, Any]) -> None:
    items = get(api, camp, "/v1/narratives")["items"]
    mine = [n for n in items if n["posts"] >= 12]
    assert mine, items
    detail = get(api, camp, f"/v1/narratives/{mine[0]['id']}", role="journalist")
    assert detail["first_seen"].startswith(CAMPAIGN_AT.date().isoformat())
    assert sum(detail["daily"].values()) == detail["posts"]
    assert detail["platforms"]["x"] >= 12
    assert detail["top_accounts"] and all(
        a["author"]["pseudonymised"] != (a["author"]["handle"] == "Selebgram_Raka")
        for a in detail["top_accounts"]
    )
    assert {p["id"] for p in detail["member_posts"]} >= set(camp["campaign"])


def test_partners_with_weights_and_pseudonyms_resolve(api: TestClient, camp: dict[str, Any]) -> None:
    out = get(api, camp, "/v1/accounts/x/buzzer_01/partners")
    assert len(out["partners"]) == 11
    assert all(p["weight"] == 1 and p["clusters"] == [camp["cluster"]] for p in out["partners"])
    journalist = get(api, camp, "/v1/accounts/x/buzzer_01/partners", role="journalist")
    pseudonym = journalist["account"]["handle"]
    assert pseudonym.startswith("anon-")
    again = get(api, camp, f"/v1/accounts/x/{pseudonym}/partners", role="journalist")
    assert again["account"]["handle"] == pseudonym and len(again["partners"]) == 11
    assert "Selebgram_Raka" in {p["author"]["handle"] for p in again["partners"]}


def test_unknown_account_is_404(api: TestClient, camp: dict[str, Any]) -> None:
    key = bearer(camp["keys"]["admin"])
    assert_error(api.get("/v1/accounts/x/tidak_ada/partners", headers=key), 404)
    assert_error(api.get("/v1/accounts/x/anon-0000000000000000/partners", headers=key), 404)


def test_post_detail_includes_cluster_and_narrative(api: TestClient, camp: dict[str, Any]) -> None:
    post = get(api, camp, f"/v1/posts/{camp['campaign'][3]}")
    cluster = post["cluster"]
    assert cluster["id"] == camp["cluster"] and cluster["coordinated"] is True
    assert cluster["accounts"] == 12 and cluster["score"] > 0.5 and cluster["platforms"] == {"x": 12}
    assert post["narrative"]["posts"] >= 12 and post["narrative"]["label"]
    lone = get(api, camp, f"/v1/posts/{camp['ids'][0]}")
    assert lone["narrative"] is None or lone["narrative"]["id"] != post["narrative"]["id"]
