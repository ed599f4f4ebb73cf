"""tantivy specifics: the index lives on disk, carries a schema version and rebuilds when it changes."""

from __future__ import annotations

import json
import time
from pathlib import Path

from indexes.base import Query
from indexes.tantivy_index import META_FILE, TantivyIndex, read_meta
from indexes.tantivy_schema import SCHEMA_VERSION, date_key, risk_key
from tests.indexes.conftest import make_docs


def test_documents_survive_reopening(tmp_path: Path) -> None:
    index = TantivyIndex(tmp_path / "index")
    index.upsert(make_docs(12))
    index.close()
    again = TantivyIndex(tmp_path / "index")
    assert again.count() == 12 and not again.rebuilt
    assert read_meta(tmp_path / "index")["schema_version"] == SCHEMA_VERSION
    assert again.stats()["size_bytes"] > 0


def test_schema_version_change_recreates_the_index(tmp_path: Path) -> None:
    index = TantivyIndex(tmp_path / "index")
    index.upsert(make_docs(5))
    index.close()
    meta = tmp_path / "index" / META_FILE
    meta.write_text(json.dumps({"schema_version": SCHEMA_VERSION - 1}))
    again = TantivyIndex(tmp_path / "index")
    assert again.rebuilt and again.count() == 0
    assert read_meta(tmp_path / "index")["schema_version"] == SCHEMA_VERSION


def test_two_handles_share_one_directory(tmp_path: Path) -> None:
    writer, reader = TantivyIndex(tmp_path / "index"), TantivyIndex(tmp_path / "index")
    writer.upsert(make_docs(4))
    reader.upsert(make_docs(3, seed=2, prefix="q"))  # the writer lock was released after each upsert
    writer.close()
    reader.close()
    assert TantivyIndex(tmp_path / "index").count() == 7


def test_a_reader_sees_another_handles_commits_within_seconds(tmp_path: Path) -> None:
    # what every `pantau serve` worker relies on while `pantau process` (another process) writes
    reader = TantivyIndex(tmp_path / "index")
    assert reader.count() == 0
    writer = TantivyIndex(tmp_path / "index")
    writer.upsert(make_docs(5))
    deadline = time.monotonic() + 10
    while reader.count() < 5 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert reader.count() == 5
    assert reader._writer is None  # searching never took the writer lock
    writer.close()
    reader.close()


def test_sort_keys_order_by_value_then_break_ties() -> None:
    assert date_key("a", 100) < date_key("a", 101)
    assert risk_key(0.5, 10) < risk_key(0.5, 11) < risk_key(0.6, 0)


def test_relevance_pages_are_pinned_to_one_snapshot(tmp_path: Path) -> None:
    index = TantivyIndex(tmp_path / "index")
    index.upsert(make_docs(40))
    first = index.search(Query(text="catatan", limit=10))
    index.upsert(make_docs(40, seed=9, prefix="late"))
    second = index.search(Query(text="catatan", limit=10, cursor=first.next_cursor))
    assert second.total == first.total == 40
    assert not {h.id for h in first.hits} & {h.id for h in second.hits}


def test_files_of_another_schema_are_recreated(tmp_path: Path) -> None:
    import tantivy

    data = tmp_path / "index" / "tantivy"
    data.mkdir(parents=True)
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("something_else", stored=True)
    tantivy.Index(sb.build(), path=str(data))
    (tmp_path / "index" / META_FILE).write_text(json.dumps({"schema_version": SCHEMA_VERSION}))
    index = TantivyIndex(tmp_path / "index")
    assert index.rebuilt and index.count() == 0
    index.upsert(make_docs(2))
    assert index.count() == 2
