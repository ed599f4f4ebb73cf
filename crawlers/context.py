"""What one crawl (or import) run shares: settings, the store, the sources, the election lists."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from crawlers.writer import BatchWriter
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


@cache
def _tagger(path: Path) -> tuple[re.Pattern[str], dict[str, list[str]], list[str]]:
    """One alternation of every configured name (longest first) and the entities each name stands for."""
    election = _election(path)
    by_name: dict[str, list[str]] = {}
    for entity in election.entities:
        for name in entity.names:
            by_name.setdefault(name.casefold(), []).append(entity.id)
    names = sorted(by_name, key=len, reverse=True)
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in names) + r")(?!\w)", re.IGNORECASE)
    return pattern, by_name, [e.id for e in election.entities]


@dataclass
class RunContext:
    """Shared state of one run; spiders and pipelines reach it through the spider."""

    settings: Settings
    store: Store
    sources: dict[str, Source]
    #: per source id, the state a spider left at the end of its last *completed* crawl
    checkpoints: dict[str, dict[str, Any]] = field(default_factory=dict)
    crawler_version: str = CRAWLER_VERSION
    #: records per transaction of the crawl writer (1 = every record on its own)
    commit_batch: int = 50
    _writer: BatchWriter | None = field(default=None, repr=False)

    @property
    def writer(self) -> BatchWriter:
        """The process's one :class:`~crawlers.writer.BatchWriter` (created on first use)."""
        if self._writer is None:
            self._writer = BatchWriter(self.store, self.crawler_version, self.commit_batch)
        return self._writer

    @property
    def election(self) -> Election:
        return _election(self.settings.election_file)

    def tags_for(self, text: str) -> list[str]:
        """Ids of the candidates and parties a text names, as :meth:`pantau.election.Election.tags_for`
        does, in one pass over the text."""
        pattern, by_name, order = _tagger(self.settings.election_file)
        if not by_name:
            return []
        found = {entity for m in pattern.finditer(text) for entity in by_name.get(m.group(0).casefold(), [])}
        return [entity for entity in order if entity in found]

    def naive_timezone(self, source_id: str) -> str:
        """Timezone for dates printed without one (source option ``timezone``, default Asia/Jakarta)."""
        source = self.sources.get(source_id)
        if source is not None and isinstance(source.options.get("timezone"), str):
            return str(source.options["timezone"])
        return "Asia/Jakarta"
