"""Signed session cookies: forged, tampered and expired cookies are ignored."""

from __future__ import annotations

from api.web.sessions import SessionCodec, WebSession, derive_key


def test_round_trip_and_tamper() -> None:
    codec = SessionCodec(derive_key(b"x" * 32, "session"), max_age=100)
    value = codec.encode({"uid": 3, "csrf": "t"}, now=1000)
    assert codec.decode(value, now=1050) == {"uid": 3, "csrf": "t"}
    payload, issued, sig = value.split(".")
    assert codec.decode(f"{payload}.{int(issued) + 500}.{sig}", now=1050) is None  # time changed
    other = SessionCodec(derive_key(b"y" * 32, "session")).encode({"uid": 1}, now=1000)
    assert codec.decode(other, now=1050) is None  # another secret
    assert codec.decode(value, now=1200) is None  # expired
    assert codec.decode("garbage", now=1000) is None


def test_derived_keys_differ_by_purpose() -> None:
    assert derive_key(b"s" * 32, "session") != derive_key(b"s" * 32, "other")


def test_session_tracks_changes_and_keeps_one_csrf_token() -> None:
    session = WebSession({"uid": 1})
    assert not session.modified
    token = session.csrf_token()
    assert session.modified and session.csrf_token() == token and len(token) >= 32
