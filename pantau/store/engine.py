"""Engine creation and migrations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from pantau.errors import StoreError
from pantau.store.checkpoint import track_autocheckpoint

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


#: SQLite's page cache per connection, in KiB (SQLite's default is 2 MiB). Pages are allocated as they are
#: used; at a million posts the ``posts`` table's indexes (eleven then, eight since migration 0006) no longer
#: fit in 2 MiB and every insert re-reads index pages: storing 1,000,000 posts went from 5,016 to 5,696
#: posts/s with 256 MiB
SQLITE_CACHE_KIB = 262_144


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets the API read while a crawl or `process` writes; NORMAL sync is safe under WAL.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    cursor.close()


_JSON_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY


def _json_default(value: Any) -> Any:
    # numbers of other libraries (numpy scalars) as Python numbers; anything else is a programming error
    if isinstance(value, float):
        return float(value)
    if isinstance(value, int):
        return int(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable: {value!r}")


def dumps_json(value: Any) -> str:
    """JSON for the store's JSON columns: compact UTF-8 text, 10× cheaper than :func:`json.dumps` (every
    stored prediction has two JSON columns and every post five, so this is on the hot path)."""
    return orjson.dumps(value, default=_json_default, option=_JSON_OPTIONS).decode()


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets WAL mode, foreign keys and a busy timeout; JSON columns go
    through orjson (:func:`dumps_json`)."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError(f"database URL {url!r} is not a SQLAlchemy URL — check PANTAU_DATABASE_URL") from exc
    kwargs: dict[str, Any] = {"json_serializer": dumps_json, "json_deserializer": orjson.loads}
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"timeout": 30, "check_same_thread": False}
    else:
        kwargs["pool_pre_ping"] = True
    try:
        engine = create_engine(url, **kwargs)
    except (SQLAlchemyError, ImportError) as exc:
        raise StoreError(f"database URL {url!r}: cannot create an engine ({exc})") from exc
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        track_autocheckpoint(engine)
    return engine


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["engine"] = engine
    return cfg


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema up to ``revision``."""
    try:
        command.upgrade(alembic_config(engine), revision)
    except SQLAlchemyError as exc:
        raise StoreError(f"database {engine.url!r}: migration failed ({exc})") from exc
