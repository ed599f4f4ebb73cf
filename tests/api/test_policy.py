"""The permission matrix over every endpoint: each role, no key, an unknown key, a revoked key and an
expired key. A route added without an entry here fails ``test_every_route_is_in_the_matrix``."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from api import auth
from api.policy import MATRIX, Permission, Role, allowed, permissions
from pantau.records import utcnow
from pantau.store import Store
from pantau.store.tables import ApiKeyRow, CoordClusterRow, NarrativeRow

from .conftest import ROLES, assert_error, bearer

P = Permission
PUBLIC = None
# (method, path template, permission (None: no key needed), json body, success status)
ENDPOINTS: list[tuple[str, str, Permission | None, Any, int]] = [
    ("GET", "/v1/posts/search?q=hoaks", P.posts_search, None, 200),
    ("GET", "/v1/posts/export?format=csv", P.export, None, 200),
    ("GET", "/v1/posts/{post}", P.posts_read, None, 200),
    ("GET", "/v1/posts/{post}/similar", P.posts_read, None, 200),
    ("GET", "/v1/posts/{post}/reviews", P.reviews_read, None, 200),
    ("POST", "/v1/posts/{post}/reviews", P.reviews_write, {"verdict": "misleading", "note": "cek"}, 201),
    ("GET", "/v1/posts/{reviewed}/claimreview", P.reviews_read, None, 200),
    ("DELETE", "/v1/reviews/{review}", P.reviews_write, None, 204),
    ("GET", "/v1/factchecks", P.factchecks_read, None, 200),
    ("GET", "/v1/factchecks/fc-tinta", P.factchecks_read, None, 200),
    ("POST", "/v1/factchecks/match", P.factchecks_read, {"text": "tinta pemilu ada babinya"}, 200),
    ("POST", "/v1/classify", P.classify, {"text": "tinta pemilu ada babinya"}, 200),
    ("GET", "/v1/stats/timeline", P.stats_read, None, 200),
    ("GET", "/v1/stats/top-accounts", P.stats_read, None, 200),
    ("GET", "/v1/stats/top-hashtags", P.stats_read, None, 200),
    ("GET", "/v1/stats/top-factchecks", P.stats_read, None, 200),
    ("GET", "/v1/clusters", P.coordination_read, None, 200),
    ("GET", "/v1/clusters/{cluster}", P.coordination_read, None, 200),
    ("GET", "/v1/narratives", P.coordination_read, None, 200),
    ("GET", "/v1/narratives/{narrative}", P.coordination_read, None, 200),
    ("GET", "/v1/accounts/x/akun_anonim_1/partners", P.coordination_read, None, 200),
    ("GET", "/v1/audit", P.audit_read, None, 200),
    ("GET", "/v1/me", "any", None, 200),  # type: ignore[list-item]
    ("GET", "/v1/health", PUBLIC, None, 200),
    ("GET", "/v1/ready", PUBLIC, None, 200),
]


def _template(path: str) -> str:
    return (
        path.split("?")[0]
        .replace("{post}", "{post_id}")
        .replace("{reviewed}", "{post_id}")
        .replace("{review}", "{review_id}")
        .replace("fc-tinta", "{factcheck_id}")
        .replace("{cluster}", "{cluster_id}")
        .replace("{narrative}", "{narrative_id}")
        .replace("/x/akun_anonim_1/", "/{platform}/{handle}/")
    )


def test_every_route_is_in_the_matrix(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    routes = {(method.upper(), path) for path, item in paths.items() for method in item}
    covered = {(method, _template(path)) for method, path, *_ in ENDPOINTS}
    assert routes == covered


def _call(
    c: TestClient, env: dict[str, Any], method: str, path: str, body: Any, headers: dict[str, str]
) -> Any:
    ids = env["ids"]
    review = None
    if "{review}" in path or "{reviewed}" in path:
        fc = env["keys"]["factchecker"]
        made = c.post(f"/v1/posts/{ids[1]}/reviews", json={"verdict": "not_hoax"}, headers=bearer(fc))
        assert made.status_code == 201, made.text
        review = made.json()["id"]
    cluster = narrative = None
    if "{cluster}" in path or "{narrative}" in path:
        store = Store.open(env["settings"])
        try:
            with store.session() as s:
                cluster = s.scalar(select(CoordClusterRow.id).limit(1))
                narrative = s.scalar(select(NarrativeRow.id).limit(1))
        finally:
            store.close()
    url = path.format(post=ids[0], reviewed=ids[1], review=review, cluster=cluster, narrative=narrative)
    return c.request(method, url, json=body, headers=headers)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "path", "permission", "body", "ok"), ENDPOINTS, ids=[f"{m} {p}" for m, p, *_ in ENDPOINTS]
)
def test_role_matrix(
    client: TestClient,
    env: dict[str, Any],
    role: str,
    method: str,
    path: str,
    permission: Any,
    body: Any,
    ok: int,
) -> None:
    resp = _call(client, env, method, path, body, bearer(env["keys"][role]))
    if permission is None or permission == "any" or allowed(role, permission):
        if method == "DELETE" and role not in ("admin", "factchecker"):
            pytest.fail("unreachable: only reviewers may delete")
        if method == "DELETE" and role == "admin":
            ok = 204  # admins may remove anyone's review
        assert resp.status_code == ok, resp.text
    else:
        err = assert_error(resp, 403, "forbidden")
        assert permission.value in err["message"]


@pytest.mark.parametrize(
    ("method", "path", "permission", "body", "ok"), ENDPOINTS, ids=[f"{m} {p}" for m, p, *_ in ENDPOINTS]
)
@pytest.mark.parametrize("credential", ["none", "unknown", "revoked", "expired", "malformed"])
def test_without_a_valid_key_only_health_answers(
    client: TestClient,
    env: dict[str, Any],
    credential: str,
    method: str,
    path: str,
    permission: Any,
    body: Any,
    ok: int,
) -> None:
    store = Store.open(env["settings"])
    try:
        issued = auth.add_user(store, f"tmp-{credential}-{uuid.uuid4().hex[:8]}", "admin", actor="test")
        if credential == "revoked":
            auth.revoke(store, issued.prefix, actor="test")
        if credential == "expired":
            with store.session() as s:
                s.execute(
                    update(ApiKeyRow)
                    .where(ApiKeyRow.prefix == issued.prefix)
                    .values(expires_at=utcnow() - timedelta(seconds=1))
                )
    finally:
        store.close()
    headers = {
        "none": {},
        "unknown": bearer("pnt_AAAAAAAA_" + "x" * 43),
        "revoked": bearer(issued.key),
        "expired": {"X-API-Key": issued.key},
        "malformed": {"Authorization": "Basic dXNlcjpwYXNz"},
    }[credential]
    resp = _call(client, env, method, path, body, headers)
    if permission is None:
        assert resp.status_code == ok
    else:
        err = assert_error(resp, 401, "unauthorized")
        assert resp.headers["WWW-Authenticate"].startswith("Bearer")
        if credential in ("revoked", "expired"):
            assert credential in err["message"]


def test_matrix_is_data_with_admin_holding_everything() -> None:
    assert MATRIX[Role.admin] == frozenset(Permission)
    assert not allowed("journalist", P.reviews_write)
    assert not allowed("journalist", P.authors_identify)
    assert not allowed("volunteer", P.export)
    assert not allowed("nobody", P.classify)
    assert permissions("nobody") == []
    assert "reviews:write" in permissions("factchecker")
