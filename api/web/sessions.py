"""Signed-cookie sessions for the web pages (no server-side session store).

The cookie holds a small JSON object, its issue time and an HMAC-SHA256 over both, keyed by a key
derived from the API secret (``settings.api.secret_key``, else ``DATA_DIR/secret_key`` with mode 0600 —
the same secret :mod:`api.pseudonym` uses, with a different derivation label, so neither key reveals the
other). A cookie whose signature does not verify, or that is older than ``max_age``, is ignored: the
visitor simply gets a fresh, empty session.

The cookie is ``HttpOnly``, ``SameSite=Lax``, ``Path=/`` and ``Secure`` when the request came over https.
Nothing secret is stored in it: the user id, how they logged in (and the key id for key logins, so a
revoked key ends the session at its next request), the CSRF token and the language.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
import time
from http.cookies import SimpleCookie
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

COOKIE = "pantau_session"
SCOPE_KEY = "pantau.web_session"
#: a working day and a bit: a newsroom shift logs in once
DEFAULT_MAX_AGE = 12 * 3600


def derive_key(secret: bytes, label: str) -> bytes:
    """A purpose-specific key from the API secret."""
    return hmac.new(secret, f"pantau-web:{label}".encode(), hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SessionCodec:
    """Signs and verifies session cookie values."""

    def __init__(self, key: bytes, max_age: int = DEFAULT_MAX_AGE) -> None:
        self._key = key
        self.max_age = max_age

    def _sign(self, payload: str, issued: str) -> str:
        return _b64(hmac.new(self._key, f"{payload}.{issued}".encode("ascii"), hashlib.sha256).digest())

    def encode(self, data: dict[str, Any], now: float | None = None) -> str:
        """``payload.issued.signature``."""
        payload = _b64(json.dumps(data, separators=(",", ":"), sort_keys=True).encode("utf-8"))
        issued = str(int(now if now is not None else time.time()))
        return f"{payload}.{issued}.{self._sign(payload, issued)}"

    def decode(self, value: str, now: float | None = None) -> dict[str, Any] | None:
        """The session data, or None when the value is malformed, forged or expired."""
        parts = value.split(".")
        if len(parts) != 3 or len(value) > 4096:
            return None
        payload, issued, signature = parts
        if not hmac.compare_digest(signature, self._sign(payload, issued)):
            return None
        try:
            age = (now if now is not None else time.time()) - int(issued)
            data = json.loads(_unb64(payload))
        except (ValueError, binascii.Error, UnicodeDecodeError):
            return None
        if age < -60 or age > self.max_age or not isinstance(data, dict):
            return None
        return data


class WebSession(dict[str, Any]):
    """The session of one request; writing to it (or :meth:`clear`) re-issues the cookie."""

    def __init__(self, data: dict[str, Any] | None = None) -> None:
        super().__init__(data or {})
        self.modified = False

    def __setitem__(self, key: str, value: Any) -> None:
        super().__setitem__(key, value)
        self.modified = True

    def __delitem__(self, key: str) -> None:
        super().__delitem__(key)
        self.modified = True

    def clear(self) -> None:
        super().clear()
        self.modified = True

    def update(self, *args: Any, **kwargs: Any) -> None:
        super().update(*args, **kwargs)
        self.modified = True

    def pop(self, key: str, *default: Any) -> Any:
        if key in self:
            self.modified = True
        return super().pop(key, *default)

    def csrf_token(self) -> str:
        """This session's CSRF token (created on first use)."""
        token = self.get("csrf")
        if not isinstance(token, str) or len(token) < 32:
            token = secrets.token_urlsafe(32)
            self["csrf"] = token
        return token


def read_cookie(scope: Scope, name: str) -> str | None:
    """The value of cookie ``name`` in the request headers."""
    for key, value in scope.get("headers", []):
        if key == b"cookie":
            jar: SimpleCookie = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # noqa: BLE001 - http.cookies raises CookieError on junk; ignore the header
                continue
            if name in jar:
                return jar[name].value
    return None


def cookie_header(value: str, *, max_age: int, secure: bool) -> bytes:
    """A ``Set-Cookie`` header value for the session cookie."""
    parts = [f"{COOKIE}={value}", "Path=/", f"Max-Age={max_age}", "HttpOnly", "SameSite=Lax"]
    if secure:
        parts.append("Secure")
    return "; ".join(parts).encode("latin-1")


class SessionMiddleware:
    """Loads the session of web requests into ``scope["pantau.web_session"]`` and writes the cookie
    back when the session changed. Paths for which ``is_web(path)`` is false are passed through."""

    def __init__(self, app: ASGIApp, codec: SessionCodec, is_web: Any) -> None:
        self.app = app
        self.codec = codec
        self.is_web = is_web

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.is_web(scope.get("path", "")):
            await self.app(scope, receive, send)
            return
        raw = read_cookie(scope, COOKIE)
        session = WebSession(self.codec.decode(raw) if raw else None)
        scope[SCOPE_KEY] = session
        secure = scope.get("scheme") == "https"

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start" and session.modified:
                headers = list(message.get("headers", []))
                if session:
                    value = cookie_header(
                        self.codec.encode(dict(session)), max_age=self.codec.max_age, secure=secure
                    )
                else:
                    value = cookie_header("", max_age=0, secure=secure)
                headers.append((b"set-cookie", value))
                message = dict(message, headers=headers)
            await send(message)

        await self.app(scope, receive, send_with_cookie)
