from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

from pantau.store.engine import MIGRATIONS_DIR, alembic_config, make_engine, migrate
from pantau.store.tables import metadata


def test_migrations_form_one_linear_chain() -> None:
    engine = make_engine("sqlite://")
    script = ScriptDirectory.from_config(alembic_config(engine))
    assert len(script.get_heads()) == 1
    revisions = list(script.walk_revisions())
    assert [r.revision for r in reversed(revisions)] == [f"{i:04d}" for i in range(1, len(revisions) + 1)]
    files = sorted(p.name[:4] for p in (MIGRATIONS_DIR / "versions").glob("*.py"))
    assert files == [r.revision for r in reversed(revisions)]


def test_migrated_schema_equals_the_table_definitions(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'm.db'}")
    migrate(engine)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def test_downgrade_to_base_and_back(tmp_path: Path) -> None:
    from alembic import command

    engine = make_engine(f"sqlite:///{tmp_path / 'd.db'}")
    migrate(engine)
    command.downgrade(alembic_config(engine), "base")
    migrate(engine)
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []


def _indexes(engine: Engine, table: str) -> set[str]:
    with engine.connect() as conn:
        return {str(ix["name"]) for ix in inspect(conn).get_indexes(table)}


def test_0006_drops_the_indexes_ingest_paid_for_and_downgrade_restores_them(tmp_path: Path) -> None:
    from alembic import command

    engine = make_engine(f"sqlite:///{tmp_path / 'p.db'}")
    migrate(engine, "0005")
    dropped_posts = {
        f"ix_posts_{c}" for c in ("platform", "source_id", "content_hash", "indexed_at", "author_handle")
    }
    dropped_preds = {"ix_predictions_post_id", "ix_predictions_task", "ix_predictions_label"}
    assert dropped_posts <= _indexes(engine, "posts")
    assert dropped_preds <= _indexes(engine, "predictions")
    migrate(engine)
    assert not dropped_posts & _indexes(engine, "posts")
    assert {"ix_posts_source_author_hash", "ix_posts_platform_author"} <= _indexes(engine, "posts")
    assert _indexes(engine, "predictions") == {"ix_predictions_task_label"}
    command.downgrade(alembic_config(engine), "0005")
    assert dropped_posts <= _indexes(engine, "posts")
    assert "ix_posts_platform_author" not in _indexes(engine, "posts")
    assert _indexes(engine, "predictions") == dropped_preds
