"""The ``author=`` filter of search and export, and the privacy rule it follows.

A caller names accounts by handle (``relawan_nusantara``, ``@relawan_nusantara``; case does not matter)
or by the pseudonym the API showed them (``anon-3f9c1e0a7b2d4c55``). The filter runs in the index
(:class:`indexes.base.AuthorFilter`), so "every flagged post of these accounts" is one query.

The rule: a caller who may not identify authors (``authors:identify`` — journalists) must not learn
anything about an account they are only shown a pseudonym for. So for them a **handle matches only
monitored accounts** (campaigns, influencers, media, public figures — shown in clear anyway); an
ordinary account is reachable **only through its pseudonym**. Otherwise ``author=budi_s`` would answer
"does the private person budi_s post about this, and under which pseudonym" — re-identifying them.
Callers with ``authors:identify`` (admins, fact-checkers) may filter by any handle. Exports follow the
caller's role for the filter; their output is pseudonymised for everyone.

Pseudonyms are keyed hashes (:mod:`api.pseudonym`) and cannot be reversed, so they are looked up in a
directory built from the store's non-monitored accounts: :class:`PseudonymDirectory` keeps it in memory
and rebuilds it when a pseudonym is not found and the directory is older than
:data:`REFRESH_ON_MISS_S` (new accounts appear within that time), or older than :data:`MAX_AGE_S`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from sqlalchemy import select

from api.pseudonym import Pseudonymizer
from api.state import Viewer
from indexes.base import AuthorFilter
from pantau.errors import QuerySyntaxError
from pantau.records import MONITORED_KINDS
from pantau.store import Store
from pantau.store.tables import PostRow

PSEUDONYM_PREFIX = "anon-"
REFRESH_ON_MISS_S = 10.0
MAX_AGE_S = 600.0
MAX_AUTHOR_CHARS = 200


class PseudonymDirectory:
    """pseudonym → ``(platform, handle)`` of the store's accounts that are not monitored."""

    def __init__(
        self, store: Store, pseudonyms: Pseudonymizer, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.store = store
        self.pseudonyms = pseudonyms
        self.clock = clock
        self._map: dict[str, list[tuple[str, str]]] = {}
        self._built_at: float | None = None
        self._lock = threading.Lock()

    def _build(self) -> None:
        monitored = sorted(k.value for k in MONITORED_KINDS)
        with self.store.session() as s:
            rows = s.execute(
                select(PostRow.platform, PostRow.author_handle)
                .where(PostRow.author_handle.is_not(None), PostRow.author_kind.not_in(monitored))
                .distinct()
            ).all()
        found: dict[str, list[tuple[str, str]]] = {}
        for platform, handle in rows:
            name = self.pseudonyms.pseudonym(handle, platform)
            if name is not None and handle is not None:
                found.setdefault(name, []).append((platform, handle))
        self._map = found
        self._built_at = self.clock()

    def resolve(self, pseudonym: str) -> list[tuple[str, str]]:
        """The accounts behind ``pseudonym`` ([] when none is known)."""
        with self._lock:
            now = self.clock()
            age = None if self._built_at is None else now - self._built_at
            if age is None or age > MAX_AGE_S or (pseudonym not in self._map and age > REFRESH_ON_MISS_S):
                self._build()
            return list(self._map.get(pseudonym, []))


def author_filters(values: list[str], viewer: Viewer, directory: PseudonymDirectory) -> list[AuthorFilter]:
    """The index filters for the ``author=`` values of a caller (see the module docstring for the rule)."""
    out: list[AuthorFilter] = []
    for raw in values:
        value = raw.strip()
        if not value or len(value) > MAX_AUTHOR_CHARS:
            raise QuerySyntaxError(f"author={raw!r}: give a handle or an anon-… pseudonym (1–200 characters)")
        if value.startswith(PSEUDONYM_PREFIX):
            accounts = directory.resolve(value)
            out.extend(AuthorFilter(handle=handle, platform=platform) for platform, handle in accounts)
            if not accounts:
                # unknown pseudonym: only a monitored account literally so named could match
                out.append(AuthorFilter(handle=value, monitored_only=True))
            continue
        out.append(AuthorFilter(handle=value, monitored_only=not viewer.identify))
    return out
