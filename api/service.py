"""The ``serve`` service (``pantau serve``, ``pantau demo``): run the API and web pages with uvicorn."""

from __future__ import annotations

import logging

import uvicorn
from fastapi import FastAPI

from api.app import create_app
from pantau.settings import Settings, get_settings

log = logging.getLogger("api")


def full_app(settings: Settings) -> FastAPI:
    """The JSON API plus the web pages (when the ``api.web`` package is installed)."""
    app = create_app(settings)
    try:
        from api.web import install_web
    except ImportError as exc:  # the API alone still works
        log.warning("web pages unavailable (%s); serving the JSON API only", exc)
        return app
    install_web(app, settings)
    return app


def full_app_from_env() -> FastAPI:
    """``uvicorn --factory api.service:full_app_from_env`` (each worker process builds its own app)."""
    return full_app(get_settings())


def serve(settings: Settings, host: str, port: int, workers: int = 1) -> None:
    """Run the API and web pages on ``host:port`` until interrupted.

    ``workers > 1`` starts that many processes (tantivy's search holds the GIL, so one process uses one
    core); each builds its app from the environment's settings, and rate limits count per process.
    ``api.access_log`` (``PANTAU_API__ACCESS_LOG``) turns uvicorn's per-request log line on or off; uvicorn
    picks uvloop as the event loop when it is installed (a dependency: see docs/api.md, Capacity)."""
    if host not in ("127.0.0.1", "localhost", "::1"):
        log.warning("serving on %s: the API is reachable from other machines — put TLS in front of it", host)
    level = settings.log_level.lower()
    if workers > 1:
        uvicorn.run(
            "api.service:full_app_from_env",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level=level,
            access_log=settings.api.access_log,
            proxy_headers=False,
        )
        return
    uvicorn.run(
        full_app(settings),
        host=host,
        port=port,
        log_level=level,
        access_log=settings.api.access_log,
        proxy_headers=False,
    )
