"""``pantau up``: serve the API and web pages while crawling and processing on a schedule."""

from __future__ import annotations

import logging
import threading
from typing import Any

from pantau import plugins
from pantau.errors import PantauError
from pantau.process import run_process
from pantau.settings import Settings
from pantau.store import Store

log = logging.getLogger("pantau.up")


def cycle(settings: Settings) -> dict[str, Any]:
    """One crawl of every enabled source, then one ``process`` run; returns both reports."""
    store = Store.open(settings)
    try:
        crawled = plugins.service("crawl")(settings, store, None, None)
        processed = run_process(settings, store, progress=False)
    finally:
        store.close()
    return {"crawl": crawled, "process": processed}


def schedule(settings: Settings, interval_s: float, stop: threading.Event) -> None:
    """Run :func:`cycle` every ``interval_s`` seconds until ``stop`` is set. A failed cycle is logged and
    the next one runs on time: one bad source or batch never stops the service."""
    while not stop.is_set():
        try:
            report = cycle(settings)
            log.info(
                "cycle done: %d sources crawled, %d posts scored",
                len(report["crawl"]),
                report["process"].get("scored", 0),
            )
        except PantauError as exc:
            log.error("cycle failed: %s", exc)
        stop.wait(interval_s)


def up(settings: Settings, host: str, port: int, interval_s: float) -> None:
    """Serve until interrupted, with :func:`schedule` in a background thread."""
    stop = threading.Event()
    worker = threading.Thread(
        target=schedule, args=(settings, interval_s, stop), name="pantau-up", daemon=True
    )
    worker.start()
    try:
        plugins.service("serve")(settings, host, port)
    finally:
        stop.set()
        worker.join(timeout=5)
