"""How the core reaches the other packages without importing them.

Packages declare entry points in ``pyproject.toml``:

``pantau.cli``
    Sub-commands of the ``pantau`` CLI. An entry point that loads a :class:`typer.Typer` becomes a
    command group (``pantau models ...``); one that loads a function becomes a command
    (``pantau crawl``).

``pantau.services``
    Functions the core orchestrates (``pantau demo``, ``pantau process``, ``pantau status``). Each name
    has a fixed contract, documented where it is implemented and in ``docs/architecture.md``:

    ``crawl(settings, store, source_ids=None, sources_file=None) -> dict``
        crawl configured sources, return a per-source report.
    ``demo_site(settings) -> ContextManager[DemoSite]``
        serve the bundled offline demo site on 127.0.0.1; ``DemoSite`` has ``base_url`` and
        ``sources_file``.
    ``scorer(settings, store) -> Scorer``
        the promoted models, ready to score: ``scorer.versions`` maps task → model version and
        ``scorer.score(posts: list[Post]) -> list[PostScores]`` scores a batch (language, hoax and
        endorsement predictions with reasons, claim matches).
    ``search_index(settings) -> SearchIndex``
        the configured search backend, opened.
    ``index_status(settings) -> dict``
        ``{"backend": ..., "documents": N, ...}`` of the configured search index.
    ``serve(settings, host, port) -> None``
        run the API and web pages until interrupted.
"""

from __future__ import annotations

from functools import cache
from importlib.metadata import EntryPoint, entry_points
from typing import Any

from pantau.errors import ConfigError


@cache
def _group(group: str) -> dict[str, EntryPoint]:
    return {ep.name: ep for ep in entry_points(group=group)}


def cli_entry_points() -> list[EntryPoint]:
    return sorted(_group("pantau.cli").values(), key=lambda ep: ep.name)


def has_service(name: str) -> bool:
    return name in _group("pantau.services")


def service(name: str) -> Any:
    """Load the service ``name``; :class:`ConfigError` when no installed package provides it."""
    ep = _group("pantau.services").get(name)
    if ep is None:
        raise ConfigError(
            f"no installed package provides the service {name!r} — reinstall pantau with `make setup`"
        )
    try:
        return ep.load()
    except ImportError as exc:
        raise ConfigError(f"service {name!r} ({ep.value}) cannot be imported: {exc}") from exc
