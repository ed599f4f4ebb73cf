"""Fact-checks: list, search, detail, match; and classify."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from .conftest import assert_error, bearer


def test_list_search_and_paginate(client: TestClient, env: dict[str, Any]) -> None:
    h = bearer(env["keys"]["volunteer"])
    page = client.get("/v1/factchecks", params={"limit": 2}, headers=h).json()
    assert [f["id"] for f in page["items"]] == ["fc-bansos", "fc-surat"] and page["next_cursor"]
    rest = client.get("/v1/factchecks", params={"limit": 2, "cursor": page["next_cursor"]}, headers=h).json()
    assert [f["id"] for f in rest["items"]] == ["fc-tinta"] and rest["next_cursor"] is None
    found = client.get("/v1/factchecks", params={"q": "TINTA babi"}, headers=h).json()
    assert [f["id"] for f in found["items"]] == ["fc-tinta"]
    assert client.get("/v1/factchecks", params={"q": "100%_"}, headers=h).json()["items"] == []
    misleading = client.get("/v1/factchecks", params={"rating": "misleading"}, headers=h).json()
    assert [f["id"] for f in misleading["items"]] == ["fc-bansos"]


def test_detail_counts_matching_posts(client: TestClient, env: dict[str, Any]) -> None:
    h = bearer(env["keys"]["journalist"])
    fc = client.get("/v1/factchecks/fc-tinta", headers=h).json()
    assert fc["matched_posts"] == 2 and set(fc["recent_post_ids"]) == set(env["ids"][2:4])
    assert_error(client.get("/v1/factchecks/nope", headers=h), 404, "not_found")


def test_match_a_text(client: TestClient, env: dict[str, Any]) -> None:
    h = bearer(env["keys"]["volunteer"])
    out = client.post(
        "/v1/factchecks/match", json={"text": "katanya tinta pemilu ada babinya", "k": 3}, headers=h
    )
    data = out.json()
    assert data["matches"][0]["factcheck"]["id"] == "fc-tinta" and data["matches"][0]["above_threshold"]
    assert data["threshold"] == 0.5 and data["model_version"] == "claims-test"
    none = client.post("/v1/factchecks/match", json={"text": "cuaca cerah"}, headers=h).json()
    assert none["matches"] == []
    assert_error(client.post("/v1/factchecks/match", json={"text": ""}, headers=h), 422)


def test_classify_any_text(client: TestClient, env: dict[str, Any]) -> None:
    h = bearer(env["keys"]["journalist"])
    body = {
        "text": "Tinta pemilu ada babinya! Dapat amplop juga",
        "platform": "telegram",
        "author_kind": "ordinary",
    }
    data = client.post("/v1/classify", json=body, headers=h).json()
    assert data["hoax"]["label"] == "hoax" and data["hoax"]["reasons"]
    assert data["endorsement"]["label"] == "undisclosed_paid_political" and data["endorsement"]["reasons"]
    assert [m["factcheck"]["id"] for m in data["claim_matches"]] == ["fc-tinta"]
    assert data["model_versions"]["hoax"] == "hoax-test" and data["language"] == "id"
    err = assert_error(client.post("/v1/classify", json={"text": "x", "platform": "myspace"}, headers=h), 422)
    assert "body.platform" in err["message"]
    assert_error(client.post("/v1/classify", json={"txt": "x"}, headers=h), 422)
