"""The crawl writer: short transactions, a record with its evidence, replay after a failed batch."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crawlers.items import Fetched
from crawlers.writer import BatchWriter
from pantau.errors import StoreError
from pantau.records import Post, post_id
from pantau.store import Store


def post(n: int, **kw: object) -> Post:
    data: dict[str, object] = {
        "id": post_id("telegram", f"kanal/{n}"),
        "platform": "telegram",
        "source_id": "tg",
        "platform_post_id": f"kanal/{n}",
        "text": f"pesan {n}",
    }
    data.update(kw)
    return Post(**data)  # type: ignore[arg-type]


def fetched(body: bytes) -> Fetched:
    return Fetched(url="https://t.me/s/kanal", status=200, body=body, fetched_at=datetime.now(UTC))


def total(store: Store) -> int:
    return int(store.status()["posts"]["total"])


def test_records_become_visible_at_commit_with_their_evidence(store: Store) -> None:
    writer = BatchWriter(store, "uji/1", batch_size=3, max_seconds=60)
    sha = writer.evidence(fetched(b"<html>halaman</html>"))
    assert writer.evidence(fetched(b"<html>halaman</html>")) == sha  # one row per body per transaction
    for n in range(2):
        writer.upsert(post(n, evidence_sha256=sha))
    assert total(store) == 0  # still in the open transaction
    writer.upsert(post(2, evidence_sha256=sha))  # the third record fills the batch: commit
    assert total(store) == 3
    assert store.get_evidence(sha)[1] == b"<html>halaman</html>"
    writer.upsert(post(3))
    writer.close()
    assert total(store) == 4


def test_a_failing_record_does_not_take_its_batch_down(store: Store) -> None:
    writer = BatchWriter(store, "uji/1", batch_size=50, max_seconds=60)
    for n in range(3):
        writer.upsert(post(n))
    broken = post(9).model_copy(update={"source_id": None})  # NOT NULL violated at flush
    with pytest.raises(StoreError):
        writer.upsert(broken)
    writer.commit()
    assert total(store) == 3  # the three good records were written again, one by one
