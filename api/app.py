"""The app factory: ``create_app(settings)`` builds the FastAPI app; nothing is global.

The store and the search index are opened in the app's lifespan and kept on ``app.state.pantau``
(:class:`api.state.AppState`); the models load on the first request that needs them. JSON routes live
under ``/v1``; ``/`` is left free for the server-rendered web pages.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from api import errors
from api.docs_ui import install_docs
from api.middleware import BodyLimitMiddleware, SecurityHeadersMiddleware
from api.pseudonym import Pseudonymizer, load_secret
from api.routes import classify, coordination, factchecks, posts, reviews, stats, system
from api.state import AppState, ScorerFactory
from pantau import __version__
from pantau.settings import Settings
from pantau.store import Store

log = logging.getLogger("api")

DESCRIPTION = """
pantau's API for journalists, fact-checkers and their tools: search flagged election posts, read why
each was flagged, match texts against published fact-checks, count posts over time, record verdicts
and export searches.

**Keys.** Every `/v1` endpoint except `/v1/health` and `/v1/ready` needs an API key, sent as
`Authorization: Bearer pnt_…` or `X-API-Key: pnt_…`. An admin issues one with
`pantau users add NAME --role journalist`.

**Errors** always look like `{"error": {"code": "...", "message": "...", "details": [...]}}`.

**Privacy.** Authors who are not monitored accounts (campaigns, influencers, media, public figures)
appear under a stable pseudonym for journalists and in every export.
"""

TAGS = [
    {"name": "posts", "description": "Search, read and export collected posts."},
    {"name": "reviews", "description": "Fact-checkers' verdicts, their history and ClaimReview."},
    {"name": "factchecks", "description": "Published fact-checks and matching texts against them."},
    {"name": "classify", "description": "Run the models on any text."},
    {"name": "stats", "description": "Counts over time and top lists."},
    {"name": "coordination", "description": "Coordinated clusters, narratives and co-posting partners."},
    {"name": "system", "description": "Health, readiness, identity, audit log."},
]


def create_app(settings: Settings, *, scorer_factory: ScorerFactory | None = None) -> FastAPI:
    """The API app for ``settings``. ``scorer_factory(settings, store)`` replaces the ``scorer`` service
    (tests pass a small deterministic one; by default the promoted models are loaded on first use)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = await run_in_threadpool(Store.open, settings)
        state = AppState(settings, store, Pseudonymizer(load_secret(settings)), scorer_factory)
        await run_in_threadpool(state.open_index)
        app.state.pantau = state
        try:
            yield
        finally:
            state.close()

    app = FastAPI(
        title="pantau API",
        version=__version__,
        description=DESCRIPTION,
        openapi_tags=TAGS,
        lifespan=lifespan,
        docs_url=None,  # served from local files by api.docs_ui (works offline, no CDN)
        redoc_url=None,
        openapi_url="/openapi.json",
        license_info={"name": "Apache-2.0"},
    )
    errors.install(app)
    install_docs(app)
    for module in (posts, reviews, factchecks, classify, stats, coordination, system):
        app.include_router(module.router)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.api.max_body_bytes)
    app.add_middleware(SecurityHeadersMiddleware)
    return app


def app_from_env() -> Any:
    """``uvicorn --factory api.app:app_from_env``: the app for the environment's settings."""
    from pantau.settings import get_settings

    return create_app(get_settings())
