"""Passwords for the web login: scrypt hashes in ``users.password_hash``.

Format: ``scrypt$n$r$p$<salt b64>$<hash b64>`` (n=2**14, r=8, p=1, 16-byte salt, 32-byte hash), so the
cost can be raised later and old hashes still verify. Setting a password is audited; the password
itself is never logged or stored.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from sqlalchemy import select

from api.services import audit
from pantau.errors import AuthError, ConfigError, NotFound
from pantau.store import Store
from pantau.store.tables import UserRow

N, R, P = 2**14, 8, 1
MIN_LENGTH = 10
MAX_LENGTH = 1024


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=32, maxmem=64 * 1024 * 1024
    )


def hash_password(password: str) -> str:
    """A new scrypt hash of ``password``."""
    salt = secrets.token_bytes(16)
    digest = _scrypt(password, salt, N, R, P)
    enc = base64.b64encode
    return f"scrypt${N}${R}${P}${enc(salt).decode()}${enc(digest).decode()}"


def verify_password(password: str, stored: str | None) -> bool:
    """Whether ``password`` matches the stored hash (False for a missing or malformed hash)."""
    if not stored or len(password) > MAX_LENGTH:
        return False
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = _scrypt(password, base64.b64decode(salt), int(n), int(r), int(p))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def check_strength(password: str) -> None:
    """:class:`ConfigError` for a password that is too short or too long."""
    if len(password) < MIN_LENGTH:
        raise ConfigError(f"password is too short ({len(password)} characters): use at least {MIN_LENGTH}")
    if len(password) > MAX_LENGTH:
        raise ConfigError(f"password is too long ({len(password)} characters): use at most {MAX_LENGTH}")


def set_password(store: Store, name: str, password: str, *, actor: str | None = None) -> None:
    """Set (or replace) the web password of user ``name``; :class:`NotFound` when there is none."""
    check_strength(password)
    hashed = hash_password(password)
    with store.session() as s:
        user = s.scalars(select(UserRow).where(UserRow.name == name)).first()
        if user is None:
            raise NotFound(
                f"user {name!r} does not exist — add it with `pantau users add {name} --role ROLE`"
            )
        user.password_hash = hashed
        audit.record(s, actor=actor, action="user.password", object_type="user", object_id=name)


def check_login(store: Store, name: str, password: str) -> UserRow:
    """The user whose name and password match; :class:`AuthError` with one message for every failure
    (so the page does not tell which of the two was wrong)."""
    with store.session() as s:
        user = s.scalars(select(UserRow).where(UserRow.name == name[:128])).first()
    # hash even for unknown users, so the answer takes as long either way
    ok = verify_password(password, user.password_hash if user is not None else None)
    if user is None:
        _scrypt(password[:MAX_LENGTH], b"0" * 16, N, R, P)
    if user is None or not ok:
        raise AuthError("wrong user name or password")
    if user.disabled:
        raise AuthError(f"user {user.name!r} is disabled")
    return user
