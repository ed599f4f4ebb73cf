"""The fact-checkers' web workspace: server-rendered pages on the API app.

``install_web(app, settings)`` mounts the pages, the static files (one CSS and one JS file, no CDN),
the signed-cookie sessions and the web security headers on an app built by
:func:`api.app.create_app`. Pages live outside ``/v1``; the JSON API is untouched.

Pages: ``/login``, ``/`` (dashboard), ``/queue``, ``/search``, ``/saved``, ``/inbox``, ``/posts/{id}``
(and ``/posts/{id}/evidence.zip``), ``/factchecks``, ``/factchecks/{id}``, ``/admin``, ``/admin/audit``,
the volunteer labelling pages under ``/label`` (:mod:`api.web.routes.labeling`), and ``/clusters/{id}``,
``/narratives/{id}`` (:mod:`api.web.routes.coordination`).
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.staticfiles import StaticFiles

from api.pseudonym import load_secret
from api.ratelimit import RateLimiter
from api.web.core import STATIC_DIR
from api.web.routes import admin, coordination, factchecks, labeling, posts, search, session, triage
from api.web.security import WebHeadersMiddleware
from api.web.sessions import SessionCodec, SessionMiddleware, derive_key
from pantau.settings import Settings

API_PREFIXES = ("/v1", "/docs", "/redoc", "/openapi.json")
LOGIN_ATTEMPTS_PER_MINUTE = 10


def is_web(path: str) -> bool:
    """Whether ``path`` belongs to the web pages (everything but the JSON API and its docs)."""
    return not path.startswith(API_PREFIXES)


def install_web(app: FastAPI, settings: Settings) -> None:
    """Add the web pages, static files, sessions and security headers to ``app``."""
    codec = SessionCodec(derive_key(load_secret(settings), "session"))
    # password guessing: at most LOGIN_ATTEMPTS_PER_MINUTE tries per user name (or key prefix)
    app.state.web_login_limiter = RateLimiter(LOGIN_ATTEMPTS_PER_MINUTE)
    for module in (session, triage, search, posts, coordination, factchecks, admin, labeling):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="web-static")
    app.add_middleware(SessionMiddleware, codec=codec, is_web=is_web)
    app.add_middleware(WebHeadersMiddleware, is_web=is_web)
