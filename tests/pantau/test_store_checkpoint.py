"""During a bulk write the WAL is checkpointed by a background thread, not by the writer's commits."""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import text

from pantau.records import Author, Post, post_id
from pantau.store import Store
from pantau.store.checkpoint import AUTOCHECKPOINT_PAGES, background_checkpoints


def _autocheckpoint(store: Store) -> int:
    with store.session() as s:
        return int(s.execute(text("PRAGMA wal_autocheckpoint")).scalar_one())


def _posts(start: int, n: int) -> list[Post]:
    return [
        Post(
            id=post_id("x", f"c{i}"),
            platform="x",
            source_id="x_akun",
            platform_post_id=f"c{i}",
            author=Author(handle=f"akun{i % 7}"),
            text=f"Unggahan nomor {i}: surat suara sudah dicoblos di TPS {i % 50} " * 8,
        )
        for i in range(start, start + n)
    ]


def test_commits_stop_checkpointing_inside_the_block_and_start_again_after(store: Store) -> None:
    assert _autocheckpoint(store) == AUTOCHECKPOINT_PAGES
    with store.bulk_writes() as thread:
        assert thread is not None and thread.is_alive()
        assert _autocheckpoint(store) == 0
    assert not thread.is_alive()
    assert _autocheckpoint(store) == AUTOCHECKPOINT_PAGES


def test_the_thread_copies_the_writes_back_and_a_last_checkpoint_leaves_nothing_behind(store: Store) -> None:
    with background_checkpoints(store.engine, interval_s=0.01) as thread:
        assert thread is not None
        for start in range(0, 3000, 300):  # ten transactions, several hundred pages
            store.upsert_posts(_posts(start, 300))
        deadline = time.monotonic() + 30
        while thread.runs < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert thread.runs >= 2
    assert thread.last is not None
    busy, frames, copied = thread.last
    assert busy == 0 and frames > 0 and copied == frames  # the last checkpoint copied every frame back
    with store.session() as s:
        assert s.execute(text("SELECT count(*) FROM posts")).scalar_one() == 3000


def test_an_inner_block_shares_the_outer_thread(store: Store) -> None:
    with store.bulk_writes() as outer, store.bulk_writes() as inner:
        assert outer is not None and inner is None
        assert _autocheckpoint(store) == 0
    assert _autocheckpoint(store) == AUTOCHECKPOINT_PAGES


def test_a_database_in_memory_has_no_thread(tmp_path: Path) -> None:
    store = Store("sqlite://", tmp_path / "evidence")
    try:
        with store.bulk_writes() as thread:
            assert thread is None
            store.upsert_posts(_posts(0, 5))
    finally:
        store.close()
