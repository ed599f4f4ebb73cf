"""Security headers of the web pages and the CSRF check.

Every web response (pages, static files, redirects, errors) carries the strict policy :data:`WEB_CSP`:
scripts and styles only from our own origin (no inline code anywhere — the templates hold none), no
plugins, no framing, forms only to ourselves. The API's own middleware sets a JSON policy first; this
one replaces it on web paths.

CSRF: each session has a random token (:meth:`api.web.sessions.WebSession.csrf_token`) that every
form carries in a hidden ``csrf_token`` field; :func:`check_csrf` compares it in constant time on every
POST, and also refuses a POST whose ``Origin`` header names another site.
"""

from __future__ import annotations

import hmac
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.web.sessions import WebSession
from pantau.errors import PermissionDenied

WEB_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
HEADERS = (
    (b"content-security-policy", WEB_CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=()"),
)
REPLACED = {name for name, _ in HEADERS}


class WebHeadersMiddleware:
    """Sets :data:`HEADERS` (replacing any already present) on responses to web paths; pages are never
    cached by shared caches (``Cache-Control: no-store`` unless the response set its own)."""

    def __init__(self, app: ASGIApp, is_web: object) -> None:
        self.app = app
        self.is_web = is_web

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.is_web(scope.get("path", "")):  # type: ignore[operator]
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in REPLACED]
                headers.extend(HEADERS)
                if not any(k.lower() == b"cache-control" for k, _ in headers):
                    headers.append((b"cache-control", b"no-store"))
                message = dict(message, headers=headers)
            await send(message)

        await self.app(scope, receive, with_headers)


def same_origin(origin: str | None, host: str | None) -> bool:
    """Whether an ``Origin`` header (when sent) names the host the request was made to."""
    if not origin:
        return True
    if origin == "null" or not host:
        return False
    return urlsplit(origin).netloc.lower() == host.lower()


def check_csrf(
    session: WebSession, token: str | None, origin: str | None = None, host: str | None = None
) -> None:
    """Refuse a form post without this session's token (or from another origin):
    :class:`PermissionDenied`."""
    expected = session.get("csrf")
    if not isinstance(expected, str) or not token or not hmac.compare_digest(expected, token):
        raise PermissionDenied(
            "the form's security token is missing or out of date — reload the page and try again"
        )
    if not same_origin(origin, host):
        raise PermissionDenied(f"form posted from another site ({origin!r}) — refused")
