"""API keys: generation, hashing at rest, expiry, revocation and look-up.

A key looks like ``pnt_Ab3dE6gH_<43 random characters>``. Its first 12 characters (``pnt_`` and an
8-character id) are the *prefix*: stored in clear so a key can be named in ``pantau users list`` and
revoked without being shown again. The whole key is stored only as its SHA-256 (keys are 256-bit random,
so a fast hash is enough — there is nothing to brute-force). A key is printed once, when it is issued.

Every change (user added, key issued, key revoked) is written to the audit log in the same transaction.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
import sqlite3
import string
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update

from api.policy import Role
from api.services import audit
from pantau.errors import AuthError, ConfigError, Conflict, NotFound, StoreError
from pantau.records import utcnow
from pantau.store import Store
from pantau.store.tables import ApiKeyRow, UserRow

log = logging.getLogger("api")

KEY_SCHEME = "pnt_"
PREFIX_LEN = len(KEY_SCHEME) + 8
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@\-]{0,127}$")
_ALPHABET = string.ascii_letters + string.digits
#: last_used_at is written at most this often per key (a write per request would serialise SQLite)
TOUCH_EVERY_S = 60.0
#: a cached key look-up is trusted this long at most (and, with SQLite, only while nothing was committed)
CACHE_TTL_S = 5.0
CACHE_MAX = 10_000


@dataclass(frozen=True)
class IssuedKey:
    """A key as issued: the only moment the clear key exists."""

    name: str
    role: str
    key: str
    prefix: str
    expires_at: datetime | None


@dataclass(frozen=True)
class Principal:
    """The authenticated caller of one request."""

    user_id: int
    name: str
    role: Role
    key_id: int
    key_prefix: str
    expires_at: datetime | None


def hash_key(key: str) -> str:
    """SHA-256 of a key, the only form stored."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def generate_key() -> tuple[str, str, str]:
    """A new key: ``(key, prefix, hash)``."""
    ident = "".join(secrets.choice(_ALPHABET) for _ in range(8))
    key = f"{KEY_SCHEME}{ident}_{secrets.token_urlsafe(32)}"
    return key, key[:PREFIX_LEN], hash_key(key)


def _check_name(name: str) -> str:
    if not NAME_RE.match(name):
        raise ConfigError(
            f"user name {name!r} is not valid: use 1-128 letters, digits, '.', '_', '-' or '@', "
            "starting with a letter or digit"
        )
    return name


def _check_role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise ConfigError(
            f"role {role!r} is unknown; use one of {', '.join(r.value for r in Role)}"
        ) from None


def _expiry(expires_days: int | None) -> datetime | None:
    if expires_days is None:
        return None
    if expires_days < 1:
        raise ConfigError(f"--expires-days {expires_days}: must be at least 1 (or leave it out)")
    return utcnow() + timedelta(days=expires_days)


def _new_key_row(user_id: int, expires_at: datetime | None) -> tuple[str, ApiKeyRow]:
    key, prefix, digest = generate_key()
    return key, ApiKeyRow(
        user_id=user_id, prefix=prefix, key_hash=digest, created_at=utcnow(), expires_at=expires_at
    )


def add_user(
    store: Store, name: str, role: str, *, expires_days: int | None = None, actor: str | None = None
) -> IssuedKey:
    """Create a user with one key; :class:`Conflict` when the name is taken."""
    _check_name(name)
    role_ = _check_role(role)
    expires_at = _expiry(expires_days)
    with store.session() as s:
        if s.scalars(select(UserRow).where(UserRow.name == name)).first() is not None:
            raise Conflict(f"user {name!r} already exists — issue another key with `pantau users key {name}`")
        user = UserRow(name=name, role=role_.value, created_at=utcnow(), disabled=False)
        s.add(user)
        s.flush()
        key, row = _new_key_row(user.id, expires_at)
        s.add(row)
        audit.record(
            s,
            actor=actor,
            action="user.add",
            object_type="user",
            object_id=name,
            details={"role": role_.value, "key_prefix": row.prefix},
        )
        audit.record(
            s,
            actor=actor,
            action="key.issue",
            object_type="api_key",
            object_id=row.prefix,
            details={"user": name, "expires_at": expires_at.isoformat() if expires_at else None},
        )
        return IssuedKey(name, role_.value, key, row.prefix, expires_at)


def issue_key(
    store: Store, name: str, *, expires_days: int | None = None, actor: str | None = None
) -> IssuedKey:
    """Another key for an existing user (the old ones stay valid until revoked)."""
    expires_at = _expiry(expires_days)
    with store.session() as s:
        user = s.scalars(select(UserRow).where(UserRow.name == name)).first()
        if user is None:
            raise NotFound(
                f"user {name!r} does not exist — add it with `pantau users add {name} --role ROLE`"
            )
        key, row = _new_key_row(user.id, expires_at)
        s.add(row)
        audit.record(
            s,
            actor=actor,
            action="key.issue",
            object_type="api_key",
            object_id=row.prefix,
            details={"user": name, "expires_at": expires_at.isoformat() if expires_at else None},
        )
        return IssuedKey(user.name, user.role, key, row.prefix, expires_at)


def create_user_or_key(store: Store, name: str, role: str, *, actor: str | None = None) -> IssuedKey:
    """A key for ``name``: the user is created with ``role`` when missing (scripts, benchmarks)."""
    with store.session() as s:
        exists = s.scalars(select(UserRow.id).where(UserRow.name == name)).first() is not None
    return issue_key(store, name, actor=actor) if exists else add_user(store, name, role, actor=actor)


def revoke(store: Store, name_or_prefix: str, *, actor: str | None = None) -> list[str]:
    """Revoke one key (by its prefix) or every key of a user (by name); returns the revoked prefixes."""
    now = utcnow()
    with store.session() as s:
        if name_or_prefix.startswith(KEY_SCHEME):
            rows = list(s.scalars(select(ApiKeyRow).where(ApiKeyRow.prefix == name_or_prefix[:PREFIX_LEN])))
            target = "key"
        else:
            user = s.scalars(select(UserRow).where(UserRow.name == name_or_prefix)).first()
            rows = (
                [] if user is None else list(s.scalars(select(ApiKeyRow).where(ApiKeyRow.user_id == user.id)))
            )
            target = "user"
            if user is None:
                raise NotFound(f"no user or key prefix {name_or_prefix!r} — see `pantau users list`")
        if not rows:
            raise NotFound(f"no key with prefix {name_or_prefix!r} — see `pantau users list`")
        revoked = []
        for row in rows:
            if row.revoked_at is None:
                row.revoked_at = now
                revoked.append(row.prefix)
                audit.record(
                    s,
                    actor=actor,
                    action="key.revoke",
                    object_type="api_key",
                    object_id=row.prefix,
                    details={"by": target, "target": name_or_prefix},
                )
        return revoked


def list_users(store: Store) -> list[dict[str, Any]]:
    """Users and their keys (prefixes and dates only — a clear key is never stored)."""
    with store.session() as s:
        users = list(s.scalars(select(UserRow).order_by(UserRow.name)))
        keys = list(s.scalars(select(ApiKeyRow).order_by(ApiKeyRow.id)))
    by_user: dict[int, list[dict[str, Any]]] = {}
    now = utcnow()
    for k in keys:
        state = "revoked" if k.revoked_at else "expired" if k.expires_at and k.expires_at <= now else "active"
        by_user.setdefault(k.user_id, []).append(
            {
                "prefix": k.prefix,
                "state": state,
                "created_at": k.created_at.isoformat(),
                "expires_at": k.expires_at.isoformat() if k.expires_at else None,
                "revoked_at": k.revoked_at.isoformat() if k.revoked_at else None,
                "last_used_at": k.last_used_at.isoformat() if k.last_used_at else None,
            }
        )
    return [
        {"name": u.name, "role": u.role, "disabled": u.disabled, "keys": by_user.get(u.id, [])} for u in users
    ]


class _DataVersion:
    """SQLite's ``PRAGMA data_version`` on a connection of our own: it changes whenever any other
    connection (of this process or another) commits to the database file — a revocation included.
    None for databases that are not a SQLite file (the cache then relies on its TTL alone)."""

    def __init__(self, store: Store) -> None:
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        url = store.engine.url
        self.watching = url.get_backend_name() == "sqlite"
        if self.watching and url.database not in (None, "", ":memory:"):
            try:
                self._conn = sqlite3.connect(url.database or "", check_same_thread=False, timeout=5)
            except sqlite3.Error as exc:  # then nothing is cached
                log.warning("auth cache: cannot watch %s for changes (%s); keys are not cached", url, exc)

    def read(self) -> int | None:
        if self._conn is None:
            return None
        with self._lock:
            try:
                return int(self._conn.execute("PRAGMA data_version").fetchone()[0])
            except sqlite3.Error:
                return None

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


class Authenticator:
    """Looks keys up and records their last use.

    Successful look-ups are cached in memory for at most :data:`CACHE_TTL_S` seconds, and only while the
    database is unchanged: with SQLite every commit (a revocation, an expiry change, a disabled user —
    and any other write) empties the cache's validity at once, so a revocation takes effect on the next
    request; with another database it takes effect within :data:`CACHE_TTL_S` seconds. Expiry dates are
    checked on every request. Unknown and refused keys are never cached.
    """

    def __init__(self, store: Store, clock: Callable[[], float] = time.monotonic) -> None:
        self.store = store
        self.clock = clock
        self._touched: dict[int, float] = {}
        self._lock = threading.Lock()
        self._cache: dict[str, tuple[Principal, float, int | None]] = {}
        self._version = _DataVersion(store)

    def cached(self, key: str | None) -> Principal | None:
        """The caller behind ``key`` when a fresh cached look-up vouches for it (no database read);
        None means "ask :meth:`authenticate`"."""
        if not key:
            return None
        entry = self._cache.get(hash_key(key))
        if entry is None:
            return None
        principal, at, version = entry
        if self.clock() - at > CACHE_TTL_S:
            return None
        if self._version.watching and (version is None or version != self._version.read()):
            return None
        if principal.expires_at is not None and principal.expires_at <= utcnow():
            return None
        last = self._touched.get(principal.key_id)
        if last is None or time.monotonic() - last >= TOUCH_EVERY_S:
            return None  # last use is due to be written: that is a database write, left to authenticate()
        return principal

    def close(self) -> None:
        """Release the connection that watches the database."""
        self._version.close()

    def authenticate(self, key: str | None) -> Principal:
        """The caller behind ``key``; :class:`AuthError` when it is missing, unknown, expired or revoked."""
        if not key:
            raise AuthError("missing API key: send 'Authorization: Bearer <key>' or 'X-API-Key: <key>'")
        if not key.startswith(KEY_SCHEME) or len(key) > 200:
            raise AuthError("unknown API key: keys start with 'pnt_' — ask an admin for one")
        digest = hash_key(key)
        version = self._version.read()  # before the read: a change after it invalidates the entry
        at = self.clock()
        with self.store.session() as s:
            found = s.execute(
                select(ApiKeyRow, UserRow)
                .join(UserRow, UserRow.id == ApiKeyRow.user_id)
                .where(ApiKeyRow.key_hash == digest)
            ).first()
        if found is None:
            raise AuthError(f"unknown API key {key[:PREFIX_LEN]}… — check it, or ask an admin for a new one")
        row, user = found
        if row.revoked_at is not None:
            raise AuthError(f"API key {row.prefix}… was revoked — ask an admin for a new one")
        if row.expires_at is not None and row.expires_at <= utcnow():
            raise AuthError(f"API key {row.prefix}… expired on {row.expires_at:%Y-%m-%d} — ask for a new one")
        if user.disabled:
            raise AuthError(f"user {user.name!r} is disabled")
        try:
            role = Role(user.role)
        except ValueError:
            raise AuthError(f"user {user.name!r} has an unknown role {user.role!r}") from None
        principal = Principal(user.id, user.name, role, row.id, row.prefix, row.expires_at)
        if not self._touch(row.id):  # our own write would change the data version: cache next time
            if len(self._cache) >= CACHE_MAX:
                self._cache.clear()
            self._cache[digest] = (principal, at, version)
        return principal

    def _touch(self, key_id: int) -> bool:
        """Record the key's last use unless that was done less than TOUCH_EVERY_S ago; True if written."""
        now = time.monotonic()
        with self._lock:
            last = self._touched.get(key_id)
            if last is not None and now - last < TOUCH_EVERY_S:
                return False
            self._touched[key_id] = now
        try:
            with self.store.session() as s:
                s.execute(update(ApiKeyRow).where(ApiKeyRow.id == key_id).values(last_used_at=utcnow()))
        except StoreError as exc:  # a busy database must not fail the request; try again next time
            log.warning("API key %d: last use not recorded (%s)", key_id, exc)
            with self._lock:
                self._touched.pop(key_id, None)
        return True
