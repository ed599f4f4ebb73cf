"""The index buffer commits per size, or once its oldest post has waited long enough."""

from __future__ import annotations

import threading

import pytest

from indexes.service import open_index
from pantau.errors import SearchError
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


class _GatedIndex:
    """A search index whose ``index_posts`` waits for ``gate`` (and fails when told to): what a slow or
    broken backend looks like from the buffer's side."""

    def __init__(self, fail: bool = False) -> None:
        self.gate = threading.Event()
        self.fail = fail
        self.indexed: list[str] = []

    def index_posts(self, items: list) -> int:  # type: ignore[type-arg]
        assert self.gate.wait(30), "the test never opened the gate"
        if self.fail:
            raise SearchError("index refused the batch")
        self.indexed.extend(post.id for post, _, _ in items)
        return len(items)


def _buffer_bg(store: Store, index: object, size: int) -> tuple[IndexBuffer, dict]:  # type: ignore[type-arg]
    report = {"indexed": 0}
    stages = Stages(["index", "index_wait", "mark"])
    return IndexBuffer(store, index, size, report, stages, max_wait_s=3600.0, background=True), report


def _marked(store: Store) -> set[str]:
    with store.session() as s:
        return {row.id for row in s.query(PostRow) if row.indexed_at is not None}


def test_a_background_commit_lets_the_caller_go_on_and_marks_only_after_it_returned(
    store: Store,
) -> None:
    items = _scored(store, 6)
    index = _GatedIndex()
    buffer, report = _buffer_bg(store, index, 3)
    buffer.add(items[:3], utcnow())  # full: handed to the thread, which waits at the gate
    buffer.add(items[3:5], utcnow())  # the caller goes on queueing meanwhile
    assert _marked(store) == set() and report["indexed"] == 0
    index.gate.set()
    buffer.add(items[5:], utcnow())  # full again: waits for the first commit, marks it, hands over the next
    buffer.flush()
    assert index.indexed == [p.id for p, _, _ in items]
    assert report["indexed"] == 6 and _marked(store) == {p.id for p, _, _ in items}
    assert buffer.stages.cpu["index"] > 0 and buffer.stages.wall["index_wait"] > 0
    buffer.close()


def test_a_failed_background_commit_is_raised_and_marks_nothing(store: Store) -> None:
    items = _scored(store, 2)
    index = _GatedIndex(fail=True)
    index.gate.set()
    buffer, _ = _buffer_bg(store, index, 2)
    buffer.add(items, utcnow())
    with pytest.raises(SearchError, match="refused"):
        buffer.flush()
    assert _marked(store) == set()
    buffer.close()


def test_closing_waits_for_the_commit_in_flight_and_leaves_its_posts_pending(store: Store) -> None:
    items = _scored(store, 2)
    index = _GatedIndex()
    buffer, _ = _buffer_bg(store, index, 2)
    buffer.add(items, utcnow())
    threading.Timer(0.2, index.gate.set).start()
    buffer.close()
    assert len(index.indexed) == 2  # the commit finished before close returned
    assert _marked(store) == set()  # pending: the next run re-indexes them (an idempotent upsert)
