from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta, timezone

import pytest

from pantau.errors import NotFound, StoreError
from pantau.records import Author, Engagement, FactCheck, Post, content_hash, post_id
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
