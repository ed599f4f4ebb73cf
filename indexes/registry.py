"""Search backends by name. ``settings.index.backend`` picks one; packages may register more."""

from __future__ import annotations

from collections.abc import Callable

from indexes.base import SearchIndex
from pantau.errors import ConfigError
from pantau.settings import Settings

Factory = Callable[[Settings], SearchIndex]

_BACKENDS: dict[str, Factory] = {}


def register(name: str, factory: Factory) -> None:
    """Make ``factory(settings) -> SearchIndex`` available as backend ``name``."""
    _BACKENDS[name] = factory


def backends() -> list[str]:
    """Names of the registered backends."""
    return sorted(_BACKENDS)


def create(settings: Settings) -> SearchIndex:
    """Open the backend the settings name; :class:`ConfigError` for an unknown one."""
    name = settings.index.backend
    factory = _BACKENDS.get(name)
    if factory is None:
        raise ConfigError(f"index backend {name!r} is unknown; use one of {', '.join(backends())}")
    return factory(settings)


def _tantivy(settings: Settings) -> SearchIndex:
    from indexes.tantivy_index import TantivyIndex

    return TantivyIndex(settings.index_dir)


def _elasticsearch(settings: Settings) -> SearchIndex:
    from indexes.es_index import ElasticsearchIndex

    return ElasticsearchIndex.from_settings(settings)


register("tantivy", _tantivy)
register("elasticsearch", _elasticsearch)
