"""open_index / index_status: the configured backend, and re-indexing after a schema change."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from indexes import registry
from indexes.service import index_status, open_index
from indexes.tantivy_index import META_FILE, TantivyIndex
from pantau.errors import ConfigError
from pantau.process import run_process
from pantau.settings import Settings
from pantau.store import Store
from pantau.store.tables import PostRow
from tests.pantau.fake_scorer import FakeScorer
from tests.pantau.test_process import add_posts


def test_status_of_the_default_backend(settings: Settings) -> None:
    status = index_status(settings)
    assert status["backend"] == "tantivy" and status["documents"] == 0
    assert set(status) >= {"backend", "documents", "size_bytes", "schema_version"}
    assert isinstance(open_index(settings), TantivyIndex)


def test_schema_change_marks_every_post_for_reindexing(settings: Settings, store: Store) -> None:
    add_posts(store, 6)
    run_process(settings, store, scorer=FakeScorer(), progress=False)
    (settings.index_dir / META_FILE).write_text(json.dumps({"schema_version": 0}))
    index = open_index(settings)
    assert index.count() == 0
    index.close()
    with store.session() as s:
        assert s.scalar(select(func.count()).where(PostRow.indexed_at.is_(None))) == 6
    report = run_process(settings, store, scorer=FakeScorer(), progress=False)
    assert report["scored"] == 0 and report["indexed"] == report["reindexed"] == 6  # no re-scoring


def test_elasticsearch_without_url_is_a_config_error(settings: Settings) -> None:
    cfg = settings.model_copy(
        update={"index": settings.index.model_copy(update={"backend": "elasticsearch"})}
    )
    with pytest.raises(ConfigError, match="ES_URL"):
        registry.create(cfg)
    assert "error" in index_status(cfg)
