"""Reading and validating ``sources.yaml``.

The file holds one list, ``sources:``, whose rows are :class:`pantau.records.Source` (the schema is
documented in ``docs/sources.md`` and in the comments of ``crawlers/sources.yaml``). Every problem is a
:class:`pantau.errors.ConfigError` naming the file, the source id and the field.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from pantau.errors import ConfigError
from pantau.records import Source, SourceKind
from pantau.settings import Settings

#: the production sources file shipped with the project (every entry disabled by default)
DEFAULT_SOURCES_FILE = Path(__file__).parent / "sources.yaml"

#: fields a source of each kind must have (besides id, kind and platform)
REQUIRED_BY_KIND: dict[SourceKind, tuple[tuple[str, ...], ...]] = {
    SourceKind.feed: (("url",),),
    SourceKind.youtube: (("url", "handle"),),
    SourceKind.telegram: (("url", "handle"),),
    SourceKind.factcheck: (("url",),),
    SourceKind.factcheck_api: (),
    SourceKind.import_file: (("url",),),
}

FACTCHECK_APIS = ("google", "mafindo")


def sources_file_for(settings: Settings, sources_file: Path | None = None) -> Path:
    """The sources file to use: the argument, then ``settings.crawl.sources_file``, then the default."""
    return sources_file or settings.crawl.sources_file or DEFAULT_SOURCES_FILE


def load_sources(path: Path) -> list[Source]:
    """All sources in ``path`` (enabled or not), validated; raises :class:`ConfigError`."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"sources file {path}: cannot read it ({exc.strerror or exc})") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"sources file {path}: not valid YAML ({exc})") from exc
    if data is None:
        return []
    rows = data.get("sources") if isinstance(data, dict) else None
    if not isinstance(rows, list):
        raise ConfigError(f"sources file {path}: expected a top-level `sources:` list")
    sources: list[Source] = []
    seen: set[str] = set()
    for index, row in enumerate(rows, start=1):
        source = _parse_row(path, index, row)
        if source.id in seen:
            raise ConfigError(f"sources file {path}: source {source.id!r}: field 'id' is used twice")
        seen.add(source.id)
        sources.append(source)
    return sources


def _parse_row(path: Path, index: int, row: Any) -> Source:
    if not isinstance(row, dict):
        raise ConfigError(f"sources file {path}: entry #{index} is not a mapping (got {row!r})")
    label = repr(row.get("id")) if row.get("id") is not None else f"#{index}"
    try:
        source = Source.model_validate(row)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"]) or "?"
        value = row.get(str(err["loc"][0])) if err["loc"] else None
        raise ConfigError(
            f"sources file {path}: source {label}: field {field!r}: {err['msg']} (value: {value!r})"
        ) from exc
    for alternatives in REQUIRED_BY_KIND[source.kind]:
        if not any(getattr(source, name) for name in alternatives):
            need = " or ".join(repr(n) for n in alternatives)
            raise ConfigError(
                f"sources file {path}: source {label}: field {need} is required "
                f"for kind {source.kind.value!r}"
            )
    if source.kind is SourceKind.factcheck_api:
        api = source.options.get("api")
        if api not in FACTCHECK_APIS:
            raise ConfigError(
                f"sources file {path}: source {label}: field 'options.api' must be one of "
                f"{', '.join(FACTCHECK_APIS)} (value: {api!r})"
            )
    if source.kind is SourceKind.import_file:
        fmt = source.options.get("format")
        if fmt is not None and fmt not in ("csv", "jsonl"):
            raise ConfigError(
                f"sources file {path}: source {label}: field 'options.format' must be csv or jsonl "
                f"(value: {fmt!r})"
            )
    return source


def select_sources(sources: list[Source], source_ids: list[str] | None, path: Path) -> list[Source]:
    """The sources to crawl: the named ones (enabled or not), or every enabled one."""
    if not source_ids:
        return [s for s in sources if s.enabled]
    by_id = {s.id: s for s in sources}
    unknown = [i for i in source_ids if i not in by_id]
    if unknown:
        known = ", ".join(sorted(by_id)) or "(none)"
        raise ConfigError(
            f"unknown source id {', '.join(repr(u) for u in unknown)} in {path}; known sources: {known}"
        )
    return [by_id[i] for i in dict.fromkeys(source_ids)]
