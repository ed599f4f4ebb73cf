from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import event

from pantau.errors import NotFound, StoreError
from pantau.records import (
    Author,
    Engagement,
    FactCheck,
    Post,
    PostScores,
    Prediction,
    content_hash,
    post_id,
    utcnow,
)
from pantau.store import Store, UpsertResult


def make_post(n: int = 1, **kw: object) -> Post:
    data: dict[str, object] = {
        "id": post_id("telegram", f"chan/{n}"),
        "platform": "telegram",
        "source_id": "tg_demo",
        "platform_post_id": f"chan/{n}",
        "url": f"https://t.me/chan/{n}",
        "author": Author(handle="chan", display_name="Kanal"),
        "published_at": datetime(2029, 1, 2, 3, 4, tzinfo=UTC),
        "text": f"Pesan nomor {n} soal surat suara",
        "engagement": Engagement(views=10),
    }
    data.update(kw)
    return Post(**data)  # type: ignore[arg-type]


def test_sqlite_store_runs_in_wal_mode(store: Store) -> None:
    db = store.engine.url.database
    assert db is not None
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_store_connections_get_the_larger_page_cache(store: Store) -> None:
    from sqlalchemy import text

    from pantau.store.engine import SQLITE_CACHE_KIB

    with store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA cache_size")).scalar() == -SQLITE_CACHE_KIB


def test_upsert_creates_once_and_recrawl_updates_engagement(store: Store) -> None:
    assert store.upsert_post(make_post()).result is UpsertResult.created
    assert store.upsert_post(make_post()).result is UpsertResult.unchanged
    again = store.upsert_post(make_post(engagement=Engagement(views=99)))
    assert again.result is UpsertResult.updated
    assert store.get_post(make_post().id).engagement.views == 99
    assert store.status()["posts"]["total"] == 1


def test_same_url_under_another_id_is_the_same_post(store: Store) -> None:
    store.upsert_post(make_post())
    copy = make_post(id="other", platform_post_id=None)
    assert store.upsert_post(copy).result is UpsertResult.unchanged
    assert store.status()["posts"]["total"] == 1


def test_idless_post_dedupes_on_author_and_content_hash(store: Store) -> None:
    base = make_post(platform_post_id=None, url=None, id="a")
    store.upsert_post(base.model_copy(update={"content_hash": content_hash(base.text)}))
    reformatted = base.model_copy(update={"id": "b", "text": "  PESAN nomor 1   soal surat suara "})
    assert store.upsert_post(reformatted).result is UpsertResult.unchanged
    other_author = reformatted.model_copy(update={"id": "c", "author": Author(handle="buzzer2")})
    assert store.upsert_post(other_author).result is UpsertResult.created


def test_times_come_back_in_utc(store: Store) -> None:
    wib = timezone(timedelta(hours=7))
    store.upsert_post(make_post(published_at=datetime(2029, 1, 2, 10, 0, tzinfo=wib)))
    got = store.get_post(make_post().id).published_at
    assert got == datetime(2029, 1, 2, 3, 0, tzinfo=UTC)
    assert got is not None and got.tzinfo is not None


def test_evidence_is_content_addressed_and_compressed(store: Store) -> None:
    body = b"<html>bukti</html>" * 100
    ev = store.put_evidence(
        body, url="http://x/", status=200, fetched_at=datetime.now(UTC), crawler_version="t"
    )
    path = store.evidence_path(ev.sha256)
    assert path.exists() and path.stat().st_size < len(body)
    again = store.put_evidence(
        body, url="http://x/", status=200, fetched_at=datetime.now(UTC), crawler_version="t"
    )
    assert again.sha256 == ev.sha256
    meta, raw = store.get_evidence(ev.sha256)
    assert raw == body and meta.size == len(body)


def test_missing_things_raise_not_found(store: Store) -> None:
    with pytest.raises(NotFound, match="post nope"):
        store.get_post("nope")
    with pytest.raises(NotFound, match="evidence"):
        store.get_evidence("0" * 64)


def test_factcheck_upsert_matches_by_url(store: Store) -> None:
    fc = FactCheck(id="fc1", claim="Klaim palsu", url="https://cek.example/1", rating="SALAH")
    assert store.upsert_factcheck(fc).result is UpsertResult.created
    same = fc.model_copy(update={"id": "fc-other", "rating_normalized": "false"})
    assert store.upsert_factcheck(same).result is UpsertResult.updated
    assert [f.rating_normalized for f in store.list_factchecks()] == ["false"]


def test_failed_transaction_rolls_back(store: Store) -> None:
    with pytest.raises(RuntimeError), store.session() as s:
        store.upsert_post(make_post(), s)
        raise RuntimeError("boom")
    assert store.status()["posts"]["total"] == 0


def test_bad_database_url_names_the_value(tmp_path: object) -> None:
    with pytest.raises(StoreError, match="not-a-url"):
        Store("not-a-url", evidence_dir=tmp_path)  # type: ignore[arg-type]


# --------------------------------------------------------------- query plans (indexes pruned in 0006)
VERSIONS = {"hoax": "h1", "language": "l1", "claims": "c1"}
#: a plan line that reads a whole table (or a whole index of it) instead of searching it
WHOLE = re.compile(r"SCAN (posts|predictions|claim_matches)\b")


def _statements(store: Store, work: Callable[[], object]) -> list[tuple[str, Any]]:
    """The SELECT, UPDATE and DELETE statements that ``work`` sends to the database, with parameters."""
    seen: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, params: Any, _ctx: Any, many: bool) -> None:
        if statement.lstrip().split(None, 1)[0].upper() in ("SELECT", "UPDATE", "DELETE"):
            seen.append((statement, params[0] if many else params))

    event.listen(store.engine, "before_cursor_execute", capture)
    try:
        work()
    finally:
        event.remove(store.engine, "before_cursor_execute", capture)
    return seen


def _scans(store: Store, statements: list[tuple[str, Any]], *, bare_only: bool = False) -> list[str]:
    """``EXPLAIN QUERY PLAN`` lines of ``statements`` that scan posts, predictions or claim matches
    (``bare_only``: only scans of the table itself, not of one of its indexes)."""
    found = []
    with store.engine.connect() as conn:
        for statement, params in statements:
            for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", params):
                detail = str(row[3])
                if WHOLE.match(detail) and not (bare_only and " USING " in detail):
                    found.append(f"{detail}: {' '.join(statement.split())[:160]}")
    return found


def test_the_ingest_path_searches_posts_and_predictions_by_index(store: Store) -> None:
    # every statement of storing, scoring, indexing and re-scoring posts must search an index: at a
    # million posts a scan per batch is what a dropped index would silently cost
    from pantau.process_select import pending_batches
    from pantau.process_write import drop_predictions, load_scored, mark_indexed, write_scores

    posts = [make_post(n) for n in range(1, 21)]
    ids = [p.id for p in posts]
    idless = make_post(99, id="idless", platform_post_id=None)  # matched by URL or content
    scores = [
        PostScores(
            post_id=pid,
            language="id",
            predictions=[Prediction(post_id=pid, task="hoax", model_version="h1", label="hoax", score=0.9)],
        )
        for pid in ids
    ]

    def ingest() -> None:
        store.upsert_posts(posts[:10])
        store.upsert_posts([*posts, idless])  # the stored ten and the id-less one go one by one
        store.upsert_post(make_post(3, url=None, engagement=Engagement(views=99)))
        assert set(ids) <= {pid for batch in pending_batches(store, VERSIONS, 8) for pid, _ in batch}
        write_scores(store, scores, VERSIONS)
        assert len(load_scored(store, ids)) == len(ids)
        mark_indexed(store, ids, utcnow())
        assert drop_predictions(store, ids[:2], "hoax") == 2

    statements = _statements(store, ingest)
    assert len(statements) >= 15
    assert _scans(store, statements) == []


def test_status_counts_read_indexes_not_posts_rows(store: Store) -> None:
    # the per-platform and per-source counts lost their own indexes in 0006: the unique platform index
    # and the source/author/hash index must still cover them
    store.upsert_posts([make_post(n) for n in range(1, 6)])
    statements = _statements(store, store.status)
    assert any("GROUP BY posts.source_id" in s for s, _ in statements)
    assert _scans(store, statements, bare_only=True) == []


def test_an_accounts_posts_are_searched_by_platform_and_handle(store: Store) -> None:
    # the coordination pages look accounts up like this; with an index on author_handle alone SQLite
    # searched the unique index's platform prefix instead: a sixth of all posts per lookup
    from sqlalchemy import select

    from pantau.store.tables import PostRow

    store.upsert_posts([make_post(n) for n in range(1, 4)])
    stmt = select(PostRow.author_handle, PostRow.author_kind).where(
        PostRow.platform == "telegram", PostRow.author_handle.in_(["chan", "other"])
    )

    def lookup() -> None:
        with store.session() as s:
            assert s.execute(stmt).all() == [("chan", "unknown")] * 3

    [(statement, params)] = _statements(store, lookup)
    with store.engine.connect() as conn:
        plan = [str(r[3]) for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", params)]
    assert plan == ["SEARCH posts USING INDEX ix_posts_platform_author (platform=? AND author_handle=?)"]
