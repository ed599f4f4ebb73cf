"""What one crawl (or import) run shares: settings, the store, the sources, the election lists."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from pantau import __version__
from pantau.election import Election, load_election
from pantau.records import Source
from pantau.settings import Settings
from pantau.store import Store

#: written into every evidence row so a report can tell which crawler fetched a page
CRAWLER_VERSION = f"pantau-crawlers/{__version__}"


@cache
def _election(path: Path) -> Election:
    return load_election(path)


@dataclass
class RunContext:
    """Shared state of one run; spiders and pipelines reach it through the spider."""

    settings: Settings
    store: Store
    sources: dict[str, Source]
    #: per source id, the state a spider left at the end of its last *completed* crawl
    checkpoints: dict[str, dict[str, Any]] = field(default_factory=dict)
    crawler_version: str = CRAWLER_VERSION

    @property
    def election(self) -> Election:
        return _election(self.settings.election_file)

    def naive_timezone(self, source_id: str) -> str:
        """Timezone for dates printed without one (source option ``timezone``, default Asia/Jakarta)."""
        source = self.sources.get(source_id)
        if source is not None and isinstance(source.options.get("timezone"), str):
            return str(source.options["timezone"])
        return "Asia/Jakarta"
