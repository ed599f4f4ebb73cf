"""scrypt passwords: hashing, verification, strength, login, audit."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from api import auth
from api.web.passwords import check_login, hash_password, set_password, verify_password
from pantau.errors import AuthError, ConfigError, NotFound
from pantau.store import Store
from pantau.store.tables import AuditRow


def test_hash_and_verify() -> None:
    stored = hash_password("kata sandi panjang")
    assert stored.startswith("scrypt$16384$8$1$")
    assert verify_password("kata sandi panjang", stored)
    assert not verify_password("kata sandi salah", stored)
    assert not verify_password("x", None) and not verify_password("x", "md5$abc")
    assert hash_password("sama-sama-saja") != hash_password("sama-sama-saja")  # salted


def test_set_password_and_login(store: Store) -> None:
    auth.add_user(store, "redaksi", "factchecker")
    with pytest.raises(ConfigError, match="too short"):
        set_password(store, "redaksi", "pendek")
    with pytest.raises(NotFound):
        set_password(store, "tidak-ada", "cukup-panjang-1")
    set_password(store, "redaksi", "cukup-panjang-1", actor="cli")
    assert check_login(store, "redaksi", "cukup-panjang-1").name == "redaksi"
    for name, pw in (("redaksi", "salah-sekali-1"), ("tidak-ada", "cukup-panjang-1")):
        with pytest.raises(AuthError, match="wrong user name or password"):
            check_login(store, name, pw)
    with store.session() as s:
        actions = list(s.scalars(select(AuditRow.action)))
    assert "user.password" in actions
