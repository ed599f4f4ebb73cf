"""``pantau demo``: the whole pipeline on the bundled offline demo site.

serve the demo site on 127.0.0.1 → crawl it with the demo sources file → process (score, match,
index) → report what was stored → serve the API and web pages (unless ``--no-serve``).
Running it twice adds nothing the second time: crawling is incremental and deduplicated.
"""

from __future__ import annotations

from typing import Any

from pantau import plugins
from pantau.process import run_process
from pantau.settings import Settings
from pantau.store import Store


def run_demo(settings: Settings, store: Store, *, progress: bool = True) -> dict[str, Any]:
    """Crawl the demo site into ``store``, then score and index it; returns the per-stage reports."""
    report: dict[str, Any] = {}
    with plugins.service("demo_site")(settings) as site:
        report["site"] = site.base_url
        report["crawl"] = plugins.service("crawl")(settings, store, None, site.sources_file)
    report["process"] = run_process(settings, store, progress=progress)
    return report
