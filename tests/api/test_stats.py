"""Counts over time and top lists."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from .conftest import POSTS, bearer


def get(client: TestClient, env: dict[str, Any], url: str, role: str = "journalist", **params: Any) -> Any:
    resp = client.get(url, params=params, headers=bearer(env["keys"][role]))
    assert resp.status_code == 200, resp.text
    return resp.json()


def test_timeline_by_label_platform_and_tag(client: TestClient, env: dict[str, Any]) -> None:
    days = get(client, env, "/v1/stats/timeline", by="label", interval="day")
    assert sum(b["total"] for b in days["buckets"]) == len(POSTS)
    assert sum(b["counts"].get("hoax", 0) for b in days["buckets"]) == 5
    assert days["buckets"][0]["start"] == "2029-02-10T00:00:00Z"
    hours = get(
        client,
        env,
        "/v1/stats/timeline",
        by="platform",
        interval="hour",
        published_from="2029-02-10",
        published_to="2029-02-10",
    )
    assert [b["start"][11:13] for b in hours["buckets"]] == ["08", "09", "10", "13"]
    assert hours["buckets"][2]["counts"] == {"x": 2}
    tags = get(client, env, "/v1/stats/timeline", by="tag", platform="telegram")
    assert sum(b["counts"].get("paslon-02", 0) for b in tags["buckets"]) == 3
    paid = get(client, env, "/v1/stats/timeline", by="label", task="endorsement")
    assert sum(b["counts"].get("undisclosed_paid_political", 0) for b in paid["buckets"]) == 2


def test_top_accounts_pseudonymised_for_journalists(client: TestClient, env: dict[str, Any]) -> None:
    jr = get(client, env, "/v1/stats/top-accounts", flagged_only=True)["items"]
    fc = get(client, env, "/v1/stats/top-accounts", role="factchecker", flagged_only=True)["items"]
    assert jr[0]["author"]["handle"] == "relawan_nusantara" and jr[0]["flagged"] == 2
    ordinary = [i for i in jr if i["author"]["kind"] == "ordinary"]
    assert ordinary and all(i["author"]["handle"].startswith("anon-") for i in ordinary)
    assert any(i["author"]["handle"] == "akun_anonim_1" for i in fc)
    assert all(i["flagged"] > 0 for i in jr)


def test_top_hashtags_and_factchecks(client: TestClient, env: dict[str, Any]) -> None:
    tags = get(client, env, "/v1/stats/top-hashtags", limit=2)["items"]
    assert tags == [{"hashtag": "pemilu2029", "posts": 3}, {"hashtag": "tintapemilu", "posts": 2}]
    fcs = get(client, env, "/v1/stats/top-factchecks")["items"]
    assert fcs[0]["factcheck"]["id"] == "fc-surat" and fcs[0]["posts"] >= 2
    only_x = get(client, env, "/v1/stats/top-factchecks", platform="x")["items"]
    assert [i["factcheck"]["id"] for i in only_x] == ["fc-tinta"]
