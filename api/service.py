"""The ``serve`` service (``pantau serve``, ``pantau demo``): run the API with uvicorn."""

from __future__ import annotations

import logging

import uvicorn

from api.app import create_app
from pantau.settings import Settings


def serve(settings: Settings, host: str, port: int, workers: int = 1) -> None:
    """Run the API and web pages on ``host:port`` until interrupted.

    ``workers > 1`` starts that many processes (tantivy's search holds the GIL, so one process uses one
    core); each builds its app from the environment's settings, and rate limits count per process."""
    if host not in ("127.0.0.1", "localhost", "::1"):
        logging.getLogger("api").warning(
            "serving on %s: the API is reachable from other machines — put TLS in front of it", host
        )
    level = settings.log_level.lower()
    if workers > 1:
        uvicorn.run(
            "api.app:app_from_env",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level=level,
            proxy_headers=False,
        )
        return
    uvicorn.run(create_app(settings), host=host, port=port, log_level=level, proxy_headers=False)
