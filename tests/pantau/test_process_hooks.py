"""The index buffer commits per size, or once its oldest post has waited long enough."""

from __future__ import annotations

from indexes.service import open_index
from pantau.process_hooks import IndexBuffer, Stages
from pantau.process_write import load_scored, write_scores
from pantau.records import utcnow
from pantau.settings import Settings
from pantau.store import Store
from pantau.store.tables import PostRow
from tests.pantau.fake_scorer import FakeScorer
from tests.pantau.test_process_write import stored


def _scored(store: Store, n: int) -> list:  # type: ignore[type-arg]
    posts = stored(store, n)
    scorer = FakeScorer()
    write_scores(store, scorer.score(posts), dict(scorer.versions))
    return load_scored(store, [p.id for p in posts])


def _buffer(store: Store, index: object, size: int, wait: float) -> tuple[IndexBuffer, dict]:  # type: ignore[type-arg]
    report = {"indexed": 0}
    return IndexBuffer(store, index, size, report, Stages(["index", "mark"]), max_wait_s=wait), report


def test_the_buffer_commits_when_full_and_not_before(settings: Settings, store: Store) -> None:
    items = _scored(store, 5)
    with open_index(settings) as index:
        buffer, report = _buffer(store, index, 4, 3600.0)
        buffer.add(items[:3], utcnow())
        assert report["indexed"] == 0 and index.count() == 0
        buffer.add(items[3:], utcnow())
        assert report["indexed"] == 5 and index.count() == 5
    with store.session() as s:
        assert all(row.indexed_at is not None for row in s.query(PostRow))


def test_the_buffer_commits_a_post_that_waited_too_long(settings: Settings, store: Store) -> None:
    items = _scored(store, 2)
    with open_index(settings) as index:
        buffer, report = _buffer(store, index, 1000, 0.0)
        buffer.add(items[:1], utcnow())
        assert report["indexed"] == 1 and index.count() == 1
        buffer.add(items[1:], utcnow())
        assert index.count() == 2 and not buffer.items
