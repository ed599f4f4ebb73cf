"""API keys: format, hashed at rest, shown once, revocable, expiring, last use recorded, audited."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text

from api import auth
from api.auth import Authenticator, hash_key
from pantau.errors import AuthError, ConfigError, Conflict, NotFound
from pantau.records import utcnow
from pantau.store import Store
from pantau.store.tables import ApiKeyRow, AuditRow

from .conftest import assert_error, bearer


def test_key_format_and_hash_at_rest(store: Store) -> None:
    issued = auth.add_user(store, "rina", "journalist", actor="test")
    assert issued.key.startswith("pnt_") and len(issued.key) > 50
    assert issued.prefix == issued.key[:12]
    with store.session() as s:
        row = s.scalars(select(ApiKeyRow)).one()
        dump = " ".join(str(v) for v in s.execute(text("SELECT * FROM api_keys")).one())
    assert row.key_hash == hash_key(issued.key) and issued.key not in dump
    assert row.prefix == issued.prefix


def test_names_roles_and_duplicates_are_checked(store: Store) -> None:
    with pytest.raises(ConfigError, match="role 'editor'"):
        auth.add_user(store, "a", "editor")
    with pytest.raises(ConfigError, match="user name"):
        auth.add_user(store, "bad name!", "journalist")
    with pytest.raises(ConfigError, match="expires-days"):
        auth.add_user(store, "b", "journalist", expires_days=0)
    auth.add_user(store, "c", "journalist")
    with pytest.raises(Conflict, match="already exists"):
        auth.add_user(store, "c", "admin")
    with pytest.raises(NotFound):
        auth.issue_key(store, "nobody")
    with pytest.raises(NotFound):
        auth.revoke(store, "nobody")


def test_authenticate_revoke_and_expire(store: Store) -> None:
    authn = Authenticator(store)
    first = auth.add_user(store, "dewi", "factchecker", actor="admin-cli")
    second = auth.issue_key(store, "dewi", expires_days=1, actor="admin-cli")
    assert authn.authenticate(first.key).name == "dewi"
    assert authn.authenticate(second.key).role.value == "factchecker"
    with pytest.raises(AuthError, match="missing"):
        authn.authenticate(None)
    with pytest.raises(AuthError, match="unknown"):
        authn.authenticate(first.key + "x")
    assert auth.revoke(store, first.prefix, actor="admin-cli") == [first.prefix]
    with pytest.raises(AuthError, match="revoked"):
        authn.authenticate(first.key)
    assert authn.authenticate(second.key).key_prefix == second.prefix  # other keys stay valid
    with store.session() as s:
        row = s.scalars(select(ApiKeyRow).where(ApiKeyRow.prefix == second.prefix)).one()
        row.expires_at = utcnow() - timedelta(minutes=1)
    with pytest.raises(AuthError, match="expired"):
        authn.authenticate(second.key)
    third = auth.issue_key(store, "dewi")
    assert auth.revoke(store, "dewi") == [second.prefix, third.prefix]  # by name: every unrevoked key
    with pytest.raises(AuthError, match="revoked"):
        authn.authenticate(third.key)


def test_last_use_is_recorded(store: Store) -> None:
    issued = auth.add_user(store, "eko", "journalist")
    Authenticator(store).authenticate(issued.key)
    listed = auth.list_users(store)
    assert listed[0]["keys"][0]["last_used_at"] is not None
    assert listed[0]["keys"][0]["state"] == "active"


def test_every_key_change_is_audited(store: Store) -> None:
    issued = auth.add_user(store, "fitri", "journalist", actor="ops")
    auth.issue_key(store, "fitri", actor="ops")
    auth.revoke(store, issued.prefix, actor="ops")
    with store.session() as s:
        actions = [(r.action, r.actor) for r in s.scalars(select(AuditRow).order_by(AuditRow.id))]
    assert actions == [("user.add", "ops"), ("key.issue", "ops"), ("key.issue", "ops"), ("key.revoke", "ops")]


def test_both_headers_work_and_revocation_is_immediate(client: TestClient, env: dict[str, Any]) -> None:
    store = Store.open(env["settings"])
    try:
        issued = auth.add_user(store, f"gita-{time.time_ns()}", "journalist")
        assert client.get("/v1/me", headers={"X-API-Key": issued.key}).json()["role"] == "journalist"
        me = client.get("/v1/me", headers=bearer(issued.key)).json()
        assert me["key_prefix"] == issued.prefix and "posts:search" in me["permissions"]
        auth.revoke(store, issued.prefix)
    finally:
        store.close()
    assert_error(client.get("/v1/me", headers=bearer(issued.key)), 401, "unauthorized")


def test_data_dir_secret_is_private(env: dict[str, Any]) -> None:
    secret = Path(env["settings"].data_dir) / "secret_key"
    assert secret.exists() and (secret.stat().st_mode & 0o077) == 0


def test_cached_look_ups_end_with_any_commit_and_with_the_ttl(store: Store) -> None:
    now = [1000.0]
    authn = Authenticator(store, clock=lambda: now[0])
    issued = auth.add_user(store, "fitri", "journalist")
    assert authn.cached(issued.key) is None  # never seen
    assert authn.authenticate(issued.key).name == "fitri"  # writes last use: not cached this time
    assert authn.cached(issued.key) is None
    assert authn.authenticate(issued.key).name == "fitri"
    cached = authn.cached(issued.key)
    assert cached is not None and cached.key_prefix == issued.prefix  # no database read
    now[0] += auth.CACHE_TTL_S + 1
    assert authn.cached(issued.key) is None  # too old
    authn.authenticate(issued.key)
    assert authn.cached(issued.key) is not None
    auth.revoke(store, issued.prefix)  # a commit: the very next request reads the database again
    assert authn.cached(issued.key) is None
    with pytest.raises(AuthError, match="revoked"):
        authn.authenticate(issued.key)
    assert authn.cached(issued.key) is None  # refusals are never cached
    assert authn.cached(None) is None and authn.cached("pnt_unknown") is None
    authn.close()
