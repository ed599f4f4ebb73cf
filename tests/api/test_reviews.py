"""Verdicts: recorded with note and URL, audited, reflected in the index, removable, ClaimReview."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from api import auth
from pantau.store import Store

from .conftest import app_client, assert_error, bearer


def test_record_audit_index_and_claimreview(fresh_env: dict[str, Any]) -> None:
    env = fresh_env
    pid = env["ids"][0]
    fc, jr, admin = (bearer(env["keys"][r]) for r in ("factchecker", "journalist", "admin"))
    with app_client(env["settings"]) as c:
        assert_error(c.get(f"/v1/posts/{pid}/claimreview", headers=fc), 404, "not_found")
        body = {
            "verdict": "confirmed_hoax",
            "note": "Foto lama 2019.",
            "factcheck_url": "https://cek.example/a",
        }
        made = c.post(f"/v1/posts/{pid}/reviews", json=body, headers=fc)
        assert made.status_code == 201 and made.json()["reviewer"] == "factchecker-1"
        second = c.post(f"/v1/posts/{pid}/reviews", json={"verdict": "misleading"}, headers=fc).json()
        history = c.get(f"/v1/posts/{pid}/reviews", headers=fc).json()
        assert [r["verdict"] for r in history] == ["misleading", "confirmed_hoax"]
        assert [r["reviewer"] for r in c.get(f"/v1/posts/{pid}/reviews", headers=jr).json()] == [None, None]
        detail = c.get(f"/v1/posts/{pid}", headers=jr).json()
        assert detail["review_status"] == "misleading" and len(detail["reviews"]) == 2
        found = c.get("/v1/posts/search", params={"review_status": "misleading"}, headers=fc).json()
        assert [h["id"] for h in found["hits"]] == [pid]

        ld = c.get(f"/v1/posts/{pid}/claimreview", headers=jr)
        assert ld.headers["content-type"].startswith("application/ld+json")
        data = ld.json()
        assert data["@type"] == "ClaimReview" and data["reviewRating"]["alternateName"] == "Menyesatkan"
        assert data["claimReviewed"].startswith("Hoaks! Surat suara")

        audit = c.get("/v1/audit", params={"object_type": "post", "object_id": pid}, headers=admin).json()
        assert [e["action"] for e in audit["items"]] == ["review.create", "review.create"]
        assert audit["items"][0]["details"]["previous"] == "confirmed_hoax"
        assert audit["items"][0]["actor"] == "factchecker-1"

        # only the author or an admin may remove a review; the audit log keeps what it said
        store = Store.open(env["settings"])
        try:
            other = bearer(auth.add_user(store, "fc-2", "factchecker").key)
        finally:
            store.close()
        assert_error(c.delete(f"/v1/reviews/{second['id']}", headers=other), 403, "forbidden")
        assert c.delete(f"/v1/reviews/{second['id']}", headers=admin).status_code == 204
        assert_error(c.delete(f"/v1/reviews/{second['id']}", headers=admin), 404, "not_found")
        assert c.get(f"/v1/posts/{pid}", headers=fc).json()["review_status"] == "confirmed_hoax"
        found = c.get("/v1/posts/search", params={"review_status": "confirmed_hoax"}, headers=fc).json()
        assert [h["id"] for h in found["hits"]] == [pid]
        entry = c.get("/v1/audit", params={"object_id": pid}, headers=admin).json()["items"][0]
        assert entry["action"] == "review.delete" and entry["details"]["verdict"] == "misleading"
        assert entry["details"]["now"] == "confirmed_hoax"


def test_bad_reviews_are_rejected(client: TestClient, env: dict[str, Any]) -> None:
    fc = bearer(env["keys"]["factchecker"])
    pid = env["ids"][1]
    err = assert_error(client.post(f"/v1/posts/{pid}/reviews", json={"verdict": "fake"}, headers=fc), 422)
    assert "body.verdict" in err["message"]
    bad_url = {"verdict": "not_hoax", "factcheck_url": "javascript:alert(1)"}
    assert (
        "factcheck_url"
        in assert_error(client.post(f"/v1/posts/{pid}/reviews", json=bad_url, headers=fc), 422)["message"]
    )
    extra = {"verdict": "not_hoax", "reviewer": "someone-else"}
    assert_error(client.post(f"/v1/posts/{pid}/reviews", json=extra, headers=fc), 422)
    assert_error(client.post("/v1/posts/missing/reviews", json={"verdict": "not_hoax"}, headers=fc), 404)
    assert_error(client.get("/v1/posts/missing/claimreview", headers=fc), 404)
