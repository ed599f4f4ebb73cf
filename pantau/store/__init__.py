"""The SQL store: SQLite (WAL) by default, any SQLAlchemy URL accepted, schema by Alembic."""

from pantau.store.store import Store, UpsertResult

__all__ = ["Store", "UpsertResult"]
