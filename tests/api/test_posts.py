"""Search, pagination, facets, post detail, similar posts and pseudonymisation."""

from __future__ import annotations

import json
from typing import Any

from fastapi.testclient import TestClient

from api.schemas import SearchPage

from .conftest import POSTS, assert_error, bearer


def get(client: TestClient, env: dict[str, Any], url: str, role: str = "factchecker", **params: Any) -> Any:
    resp = client.get(url, params=params, headers=bearer(env["keys"][role]))
    assert resp.status_code == 200, resp.text
    return resp.json()


def test_search_text_filters_and_facets(client: TestClient, env: dict[str, Any]) -> None:
    page = get(client, env, "/v1/posts/search", q="hoaks", facet=["label", "platform"])
    assert page["total"] == 5 and len(page["hits"]) == 5
    assert page["facets"]["label"]["hoax:hoax"] == 5
    assert sum(page["facets"]["platform"].values()) == 5
    assert all("<mark>" in h["snippet_html"] for h in page["hits"])
    tele = get(client, env, "/v1/posts/search", q="hoaks", platform="telegram", sort="risk")
    assert {h["platform"] for h in tele["hits"]} == {"telegram"} and tele["total"] == 3
    risks = [h["risk"] for h in tele["hits"]]
    assert risks == sorted(risks, reverse=True)
    paid = get(client, env, "/v1/posts/search", label="endorsement:undisclosed_paid_political")
    assert paid["total"] == 2
    tagged = get(client, env, "/v1/posts/search", tag=["paslon-01", "paslon-03"])
    assert tagged["total"] == 3
    window = get(client, env, "/v1/posts/search", published_from="2029-02-12", published_to="2029-02-12")
    assert window["total"] == 2  # 50 and 51 hours after 10 Feb 08:00
    matched = get(client, env, "/v1/posts/search", factcheck_id="fc-tinta")
    assert matched["total"] == 2
    risky = get(client, env, "/v1/posts/search", min_risk=0.9, has_claim_match=True)
    assert all(h["risk"] >= 0.9 and h["factcheck_ids"] for h in risky["hits"])


def test_cursor_pagination_walks_every_post_once(client: TestClient, env: dict[str, Any]) -> None:
    for sort in ("date", "date_asc", "risk", "relevance"):
        seen: list[str] = []
        cursor = None
        while True:
            params: dict[str, Any] = {"limit": 5, "sort": sort}
            if sort == "relevance":
                params["q"] = "pemilu OR paslon OR hoaks OR surat"
            if cursor:
                params["cursor"] = cursor
            page = get(client, env, "/v1/posts/search", **params)
            seen += [h["id"] for h in page["hits"]]
            cursor = page["next_cursor"]
            if not cursor:
                break
        assert len(seen) == len(set(seen)) == page["total"], sort
        if sort != "relevance":
            assert len(seen) == len(POSTS)


def test_journalists_see_pseudonyms_for_ordinary_authors(client: TestClient, env: dict[str, Any]) -> None:
    fc = {h["id"]: h for h in get(client, env, "/v1/posts/search", limit=50)["hits"]}
    jr = {h["id"]: h for h in get(client, env, "/v1/posts/search", role="journalist", limit=50)["hits"]}
    assert fc.keys() == jr.keys()
    for pid, hit in jr.items():
        if hit["author"]["kind"] in ("ordinary", "unknown"):
            assert hit["author"]["pseudonymised"] and hit["author"]["handle"].startswith("anon-")
            assert hit["url"] is None and hit["author"]["display_name"] is None
            assert fc[pid]["author"]["handle"] != hit["author"]["handle"]
        else:
            assert hit["author"] == fc[pid]["author"]
    # stable: the same account (platform + handle) gets the same pseudonym on every post
    by_real: dict[tuple[str, str], set[str]] = {}
    for pid, hit in jr.items():
        by_real.setdefault((hit["platform"], fc[pid]["author"]["handle"]), set()).add(hit["author"]["handle"])
    assert len(by_real[("telegram", "relawan_nusantara")]) == 1
    assert all(len(v) == 1 for v in by_real.values())
    assert "warga_biasa_77" not in str(jr)


def test_post_detail_from_the_store(client: TestClient, env: dict[str, Any]) -> None:
    first = get(client, env, f"/v1/posts/{env['ids'][0]}")
    tasks = {p["task"] for p in first["predictions"]}
    assert {"hoax", "endorsement", "language", "claims"} <= tasks
    hoax = next(p for p in first["predictions"] if p["task"] == "hoax")
    assert hoax["label"] == "hoax" and hoax["reasons"] and hoax["model_version"] == "hoax-test"
    assert first["claim_matches"][0]["factcheck_id"] == "fc-surat"
    assert first["claim_matches"][0]["factcheck"]["publisher"] == "Cek Fakta Nusantara"
    assert first["evidence"]["status"] == 200 and len(first["evidence"]["sha256"]) == 64
    assert first["risk"] is not None and first["cluster"] is None
    copy = get(client, env, f"/v1/posts/{env['ids'][2]}")
    assert copy["cluster"]["size"] == 2 and copy["cluster"]["accounts"] == 2
    assert set(copy["cluster"]["post_ids"]) == set(env["ids"][2:4])
    journalist = get(client, env, f"/v1/posts/{env['ids'][2]}", role="journalist")
    assert journalist["author"]["pseudonymised"] and journalist["url"] is None


def test_hostile_text_is_data(client: TestClient, env: dict[str, Any]) -> None:
    post = get(client, env, f"/v1/posts/{env['ids'][10]}")
    assert post["text"].startswith("<script>")
    page = get(client, env, "/v1/posts/search", q="tautan aneh")
    assert "<script>" not in page["hits"][0]["snippet_html"]
    assert "&lt;script&gt;" in page["hits"][0]["snippet_html"] or "script" not in page["hits"][0]["snippet"]


def test_similar_posts(client: TestClient, env: dict[str, Any]) -> None:
    hits = get(client, env, f"/v1/posts/{env['ids'][2]}/similar", k=3)["hits"]
    assert hits and hits[0]["id"] == env["ids"][3] and env["ids"][2] not in {h["id"] for h in hits}
    resp = client.get("/v1/posts/nope/similar", headers=bearer(env["keys"]["admin"]))
    assert_error(resp, 404, "not_found")


def test_search_json_is_the_search_page(env: dict[str, Any]) -> None:
    # the hot path serialises plain values; it must give the very bytes of the SearchPage model
    from api.auth import Authenticator
    from api.pseudonym import Pseudonymizer, load_secret
    from api.services import posts as post_service
    from api.state import AppState
    from indexes.base import Query
    from indexes.service import open_index
    from pantau.store import Store

    store = Store.open(env["settings"])
    index = open_index(env["settings"])
    try:
        state = AppState(env["settings"], store, Pseudonymizer(load_secret(env["settings"])))
        for role in ("journalist", "factchecker"):
            viewer = state.viewer(Authenticator(store).authenticate(env["keys"][role]))
            for query in (
                Query(text="hoaks surat", facets=["label", "day"]),
                Query(sort="risk", limit=3),
                Query(text='"tinta pemilu"', highlight=False),
            ):
                fast = json.loads(post_service.search_json(index, query, viewer))
                page = json.loads(post_service.search(index, query, viewer).model_dump_json())
                assert fast.pop("took_ms") >= 0 and page.pop("took_ms") >= 0  # timings differ
                assert fast == page
                assert SearchPage.model_validate(dict(fast, took_ms=0.0)).total == page["total"]
        state.close()
    finally:
        index.close()


def _handles(client: TestClient, env: dict[str, Any], role: str, **params: Any) -> list[str]:
    hits = get(client, env, "/v1/posts/search", role=role, limit=100, **params)["hits"]
    return [h["author"]["handle"] for h in hits]


def test_author_filter_follows_the_pseudonym_rule(client: TestClient, env: dict[str, Any]) -> None:
    # a monitored account by handle (any case, '@' optional), for every role
    for role in ("journalist", "factchecker"):
        assert set(_handles(client, env, role, author="@Relawan_Nusantara")) == {"relawan_nusantara"}
    # an ordinary account: fact-checkers may name its handle ...
    assert set(_handles(client, env, "factchecker", author="warga_biasa_77")) == {"warga_biasa_77"}
    # ... journalists may not (that would tie the handle to its pseudonym): nothing matches
    assert _handles(client, env, "journalist", author="warga_biasa_77") == []
    # they name it by the pseudonym they were shown
    shown = get(client, env, "/v1/posts/search", role="journalist", limit=100)["hits"]
    anon = next(
        h["author"]["handle"]
        for h in shown
        if h["author"]["pseudonymised"] and h["platform"] == "telegram" and "dicoblos duluan" in h["text"]
    )
    assert set(_handles(client, env, "journalist", author=anon)) == {anon}
    assert set(_handles(client, env, "factchecker", author=anon)) == {"warga_biasa_77"}
    both = _handles(client, env, "journalist", author=[anon, "relawan_nusantara"])
    assert set(both) == {anon, "relawan_nusantara"}
    # an unknown pseudonym matches nothing; a bad value is a 400 naming the parameter
    assert _handles(client, env, "journalist", author="anon-0000000000000000") == []
    bad = client.get("/v1/posts/search", params={"author": " "}, headers=bearer(env["keys"]["journalist"]))
    assert "author" in assert_error(bad, 400, "query_syntax")["message"]


def test_export_author_filter_follows_the_same_rule(client: TestClient, env: dict[str, Any]) -> None:
    def rows(role: str, **params: Any) -> list[dict[str, Any]]:
        resp = client.get("/v1/posts/export", params=params, headers=bearer(env["keys"][role]))
        assert resp.status_code == 200, resp.text
        return [json.loads(line) for line in resp.text.splitlines()]

    assert rows("journalist", author="warga_biasa_77") == []
    found = rows("factchecker", author="warga_biasa_77")
    assert found and all(r["author_pseudonymised"] and r["author_handle"].startswith("anon-") for r in found)
