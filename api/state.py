"""What one app holds for its lifetime (``app.state.pantau``): settings, store, index, auth, limits,
pseudonyms and the lazily loaded models."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from api.auth import Authenticator, Principal
from api.policy import Permission, allowed
from api.pseudonym import Pseudonymizer, is_monitored
from api.ratelimit import RateLimiter
from api.schemas import AuthorOut
from indexes.base import SearchIndex
from pantau import plugins
from pantau.errors import PantauError, SearchError
from pantau.settings import Settings
from pantau.store import Store
from pantau.store.tables import FactCheckRow

if TYPE_CHECKING:
    from api.services.authors import PseudonymDirectory

log = logging.getLogger("api")

ScorerFactory = Any  # (settings, store) -> Scorer, see pantau.plugins
#: how often the API checks whether fact-checks changed (and the claim matcher must be rebuilt)
FACTCHECK_CHECK_S = 30.0


@dataclass(frozen=True)
class Viewer:
    """Who is looking, as far as privacy is concerned."""

    principal: Principal | None
    identify: bool
    pseudonyms: Pseudonymizer

    def author(self, platform: str, handle: str | None, name: str | None, kind: str | None) -> AuthorOut:
        """The author as this viewer may see it: monitored accounts in clear, others pseudonymised
        unless the viewer has ``authors:identify``."""
        return AuthorOut.model_construct(**self.author_fields(platform, handle, name, kind))

    def author_fields(
        self, platform: str, handle: str | None, name: str | None, kind: str | None
    ) -> dict[str, Any]:
        """:meth:`author` as the plain dict of :class:`api.schemas.AuthorOut`'s fields (the search hot
        path serialises these without building models)."""
        kind_ = kind or "unknown"
        if self.identify or is_monitored(kind_):
            return {"handle": handle, "display_name": name, "kind": kind_, "pseudonymised": False}
        return {
            "handle": self.pseudonyms.pseudonym(handle, platform),
            "display_name": None,
            "kind": kind_,
            "pseudonymised": True,
        }

    def hides(self, kind: str | None) -> bool:
        """Whether fields that identify the author (URL, display name) are withheld."""
        return not self.identify and not is_monitored(kind)

    @property
    def sees_reviewers(self) -> bool:
        return self.principal is not None and allowed(self.principal.role, Permission.reviews_write)


class AppState:
    """Resources of one app; created by :func:`api.app.create_app`, opened in its lifespan."""

    def __init__(
        self,
        settings: Settings,
        store: Store,
        pseudonyms: Pseudonymizer,
        scorer_factory: ScorerFactory | None = None,
    ) -> None:
        self.settings = settings
        self.store = store
        self.pseudonyms = pseudonyms
        self.authenticator = Authenticator(store)
        self.limiter = RateLimiter(settings.api.rate_limit_per_minute)
        self._index: SearchIndex | None = None
        self._index_error: str | None = None
        self._scorer: Any = None
        self._scorer_version: tuple[int, str] | None = None
        self._checked_at = 0.0
        self._scorer_factory = scorer_factory
        self._lock = threading.Lock()
        self._directory: Any = None

    @property
    def pseudonym_directory(self) -> PseudonymDirectory:
        """pseudonym → account, for the ``author=`` filter (built on first use)."""
        if self._directory is None:
            from api.services.authors import PseudonymDirectory

            with self._lock:
                if self._directory is None:
                    self._directory = PseudonymDirectory(self.store, self.pseudonyms)
        directory: PseudonymDirectory = self._directory
        return directory

    def open_index(self) -> None:
        """Open the configured search index (errors are kept for readiness and retried on use)."""
        try:
            self._index = plugins.service("search_index")(self.settings)
            self._index_error = None
        except PantauError as exc:
            self._index_error = str(exc)
            log.error("search index unavailable: %s", exc)

    def search_index(self) -> SearchIndex:
        """The open index; :class:`SearchError` (503) when it cannot be opened."""
        if self._index is None:
            with self._lock:
                if self._index is None:
                    self.open_index()
        if self._index is None:
            raise SearchError(f"the search index is not available ({self._index_error}) — try again later")
        return self._index

    @property
    def index_error(self) -> str | None:
        return self._index_error

    def scorer(self) -> Any:
        """The promoted models, loaded on first use (``plugins.service("scorer")``). The claim matcher is
        built from the fact-checks stored at load time, so the models are reloaded when the fact-checks
        changed (checked at most every :data:`FACTCHECK_CHECK_S` seconds)."""
        now = time.monotonic()
        if self._scorer is not None and now - self._checked_at < FACTCHECK_CHECK_S:
            return self._scorer
        with self._lock:
            self._checked_at = now
            version = self._factcheck_version()
            if self._scorer is None or version != self._scorer_version:
                factory = self._scorer_factory or plugins.service("scorer")
                self._scorer = factory(self.settings, self.store)
                self._scorer_version = version
        return self._scorer

    def _factcheck_version(self) -> tuple[int, str]:
        with self.store.session() as s:
            n, last = s.execute(select(func.count(), func.max(FactCheckRow.updated_at))).one()
        return int(n or 0), str(last)

    def viewer(self, principal: Principal | None, *, export: bool = False) -> Viewer:
        """The privacy view of ``principal`` (exports always pseudonymise)."""
        identify = (
            not export and principal is not None and allowed(principal.role, Permission.authors_identify)
        )
        return Viewer(principal, identify, self.pseudonyms)

    def close(self) -> None:
        self.authenticator.close()
        if self._index is not None:
            self._index.close()
            self._index = None
        self.store.close()
