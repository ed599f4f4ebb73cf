"""The ``serve`` service (``pantau serve``, ``pantau demo``): run the API with uvicorn."""

from __future__ import annotations

import logging

import uvicorn

from api.app import create_app
from pantau.settings import Settings


def serve(settings: Settings, host: str, port: int) -> None:
    """Run the API and web pages on ``host:port`` until interrupted."""
    if host not in ("127.0.0.1", "localhost", "::1"):
        logging.getLogger("api").warning(
            "serving on %s: the API is reachable from other machines — put TLS in front of it", host
        )
    app = create_app(settings)
    uvicorn.run(app, host=host, port=port, log_level=settings.log_level.lower(), proxy_headers=False)
