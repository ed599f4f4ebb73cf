"""Storing a chunk of posts at once gives exactly what storing them one by one gives."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import cast

from sqlalchemy import Table, func, select

from pantau.records import Author, Engagement, Post, post_id, utcnow
from pantau.settings import Settings
from pantau.store import Store
from pantau.store.bulk import insert_rows, post_values
from pantau.store.tables import PostRow

POSTS = cast(Table, PostRow.__table__)


def _post(i: int, **kw: object) -> Post:
    fields: dict[str, object] = {
        "id": post_id("x", f"s{i}"),
        "platform": "x",
        "source_id": "x_akun",
        "platform_post_id": f"s{i}",
        "author": Author(handle=f"akun{i % 3}"),
        "text": f"Unggahan nomor {i} soal TPS",
        "engagement": Engagement(likes=i),
    }
    fields.update(kw)
    return Post(**fields)


def _rows(store: Store) -> list[tuple[object, ...]]:
    with store.session() as s:
        return [
            (r.id, r.platform_post_id, r.url, r.text, r.likes, r.content_hash)
            for r in s.scalars(select(PostRow).order_by(PostRow.id))
        ]


def _mixed_chunk() -> tuple[list[Post], list[Post]]:
    first = [_post(i) for i in range(4)] + [_post(9, url="https://x.example/9")]
    chunk = [
        _post(1),  # unchanged
        _post(2, engagement=Engagement(likes=50)),  # engagement refreshed
        _post(3, text="Unggahan nomor 3 diedit"),  # edited
        _post(10),  # new
        _post(11),  # new
        _post(12, url="https://x.example/9", platform_post_id="lain", id=post_id("x", "lain")),  # same URL
        _post(13, platform_post_id=None, id="tanpa-id-1"),  # matched by content when stored twice
        _post(13, platform_post_id=None, id="tanpa-id-2"),
        _post(14, url="https://x.example/14"),
        _post(15, url="https://x.example/14", platform_post_id="s15b", id=post_id("x", "s15b")),  # new twin
    ]
    return first, chunk


def test_a_chunk_stores_what_one_by_one_stores(tmp_path: object) -> None:
    results = []
    rows = []
    for bulk in (False, True):
        store = Store.open(Settings(data_dir=tmp_path / ("bulk" if bulk else "single")))  # type: ignore[operator]
        first, chunk = _mixed_chunk()
        for p in first:
            store.upsert_post(p)
        got = store.upsert_posts(chunk) if bulk else [store.upsert_post(p) for p in chunk]
        results.append([(r.id, r.result.value) for r in got])
        rows.append(_rows(store))
        store.close()
    assert results[0] == results[1]
    assert rows[0] == rows[1]
    assert [r for _, r in results[1]].count("created") == 4


def test_a_chunk_of_new_posts_is_inserted_whole(store: Store) -> None:
    posts = [_post(i) for i in range(300)]
    assert {r.result.value for r in store.upsert_posts(posts)} == {"created"}
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(PostRow)) == 300
    back = store.get_post(posts[7].id)
    skip = {"fetched_at", "content_hash"}  # the store fills the content hash in
    assert back.model_dump(exclude=skip) == posts[7].model_dump(exclude=skip)
    assert {r.result.value for r in store.upsert_posts(posts)} == {"unchanged"}


def _raw(store: Store, table: str) -> list[tuple[object, ...]]:
    with store.session() as s:
        return list(s.connection().exec_driver_sql(f"SELECT * FROM {table} ORDER BY id"))


def test_rows_inserted_in_bulk_are_stored_as_sqlalchemy_stores_them(tmp_path: Path) -> None:
    """The bytes in the database, not the values read back: datetimes, JSON and NULLs alike."""
    now = utcnow()
    rows = [
        post_values(p, now)
        for p in [
            _post(1),
            _post(2, hashtags=["#tps", "#pemilu"], tags=["paslon-01"], links=["https://x.example/a"]),
            _post(3, published_at=datetime(2029, 2, 14, 7, 30, tzinfo=timezone(timedelta(hours=7)))),
            _post(4, url=None, title="Judul", mentions=["@kpu"], media_urls=["https://x.example/m.jpg"]),
        ]
    ]
    stored = []
    for bulk in (False, True):
        store = Store.open(Settings(data_dir=tmp_path / str(bulk)))
        with store.session() as s:
            if bulk:
                insert_rows(s, POSTS, rows, same=("updated_at",))
            else:
                s.execute(POSTS.insert(), rows)
        stored.append(_raw(store, "posts"))
        store.close()
    assert stored[0] == stored[1] and len(stored[0]) == 4
