"""Domain errors. Every error pantau raises on purpose is a :class:`PantauError`.

::

    PantauError
    ├── ConfigError            bad settings, sources.yaml, election file, CLI option
    ├── InvalidRecord          a post / fact-check / row that fails validation (counted, skipped)
    ├── NotFound               an id that does not exist
    ├── Conflict               a write that clashes with stored state
    ├── StoreError             the SQL store cannot be opened or migrated
    ├── CrawlError             a crawl could not start or a source failed as a whole
    ├── ModelError             a model cannot be trained, loaded or applied
    ├── SearchError            the search index failed
    │   └── QuerySyntaxError   a malformed user query (answered with 400, never 500)
    ├── AuthError              missing, unknown, expired or revoked credentials (401)
    ├── PermissionDenied       a role that may not do this (403)
    └── RateLimited            too many requests for one key (429, carries ``retry_after``)

The API maps these to HTTP in one place; the CLI prints the message in one red line and exits 1.
Messages name the thing, the bad value and what to do.
"""

from __future__ import annotations


class PantauError(Exception):
    """Base of every error pantau raises on purpose."""

    #: HTTP status the API answers with; subclasses override.
    status_code: int = 500
    #: short machine-readable code used in the JSON error body.
    code: str = "error"


class ConfigError(PantauError):
    """A setting, configuration file or option has a bad value."""

    status_code = 400
    code = "config_error"


class InvalidRecord(PantauError):
    """A record (post, fact-check, imported row) failed validation."""

    status_code = 422
    code = "invalid_record"


class NotFound(PantauError):
    """The requested object does not exist."""

    status_code = 404
    code = "not_found"


class Conflict(PantauError):
    """The write clashes with what is stored."""

    status_code = 409
    code = "conflict"


class StoreError(PantauError):
    """The SQL store cannot be opened, migrated or written."""

    status_code = 503
    code = "store_error"


class CrawlError(PantauError):
    """A crawl could not start, or a whole source failed."""

    status_code = 502
    code = "crawl_error"


class ModelError(PantauError):
    """A model cannot be trained, loaded or applied."""

    status_code = 500
    code = "model_error"


class SearchError(PantauError):
    """The search backend failed."""

    status_code = 503
    code = "search_error"


class QuerySyntaxError(SearchError):
    """A user query could not be parsed; the message says where and why."""

    status_code = 400
    code = "query_syntax"


class AuthError(PantauError):
    """Credentials are missing, unknown, expired or revoked."""

    status_code = 401
    code = "unauthorized"


class PermissionDenied(PantauError):
    """The caller's role may not do this."""

    status_code = 403
    code = "forbidden"


class RateLimited(PantauError):
    """Too many requests for one key; retry after ``retry_after`` seconds."""

    status_code = 429
    code = "rate_limited"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
