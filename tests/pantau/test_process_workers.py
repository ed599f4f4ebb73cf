"""Scoring worker processes: a worker that dies or crashes is reported by name (never a hang), nothing
half-done is written, an unpicklable scorer is scored in the main process, and ``auto`` stays in-process
for small runs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import func, select

from pantau.errors import ConfigError, PantauError
from pantau.process import AUTO_MIN_POSTS, resolve_workers, run_process
from pantau.process_workers import score_batch, takes_context
from pantau.records import Author, Post, PostScores, post_id
from pantau.settings import Settings
from pantau.store import Store
from pantau.store.tables import PostRow, PredictionRow
from tests.pantau.fake_scorer import FakeScorer

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _importable_scorers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers unpickle injected scorers by module name: the repository root must be on their path."""
    monkeypatch.syspath_prepend(str(REPO))


class DyingScorer(FakeScorer):
    """Ends its process abruptly (as an out-of-memory kill would) on a post containing ``die_on``."""

    def __init__(self, die_on: str) -> None:
        super().__init__()
        self.die_on = die_on

    def score(self, posts: list[Post]) -> list[PostScores]:
        if any(self.die_on in p.text for p in posts):
            os._exit(3)
        return super().score(posts)


class CrashingScorer(FakeScorer):
    """Raises an unexpected error (not a bad-post error) on a post containing ``crash_on``."""

    def __init__(self, crash_on: str) -> None:
        super().__init__()
        self.crash_on = crash_on

    def score(self, posts: list[Post]) -> list[PostScores]:
        if any(self.crash_on in p.text for p in posts):
            raise RuntimeError("model state corrupted")
        return super().score(posts)


class ContextScorer(FakeScorer):
    """Accepts coordination context (as the real scorer does)."""

    def score(
        self, posts: list[Post], context: dict[str, dict[str, object]] | None = None
    ) -> list[PostScores]:
        return super().score(posts)


def add_posts(store: Store, n: int) -> None:
    for i in range(n):
        text = "Bawaslu memeriksa laporan" if i == n - 1 else f"Paslon 01 berkampanye di kota nomor {i}"
        store.upsert_post(
            Post(
                id=post_id("telegram", f"w{i}"),
                platform="telegram",
                source_id="kanal_test",
                platform_post_id=f"w{i}",
                author=Author(handle=f"akun{i % 5}"),
                text=text,
            )
        )


def counts(store: Store) -> tuple[int, int]:
    with store.session() as s:
        preds = int(s.scalar(select(func.count()).select_from(PredictionRow)) or 0)
        pending = int(s.scalar(select(func.count()).where(PostRow.indexed_at.is_(None))) or 0)
    return preds, pending


def test_a_dying_worker_is_named_and_the_rerun_completes(settings: Settings, store: Store) -> None:
    add_posts(store, 20)
    with pytest.raises(
        PantauError, match=r"scoring worker pantau-score-\d \(pid \d+\) died with exit code 3"
    ):
        run_process(settings, store, scorer=DyingScorer("Bawaslu"), progress=False, batch_size=4, workers=2)
    preds, pending = counts(store)
    assert preds % 4 == 0 and pending > 0, "only whole batches were written"
    report = run_process(settings, store, scorer=FakeScorer(), progress=False, workers=0)
    assert counts(store) == (4 * 20, 0) and report["scored"] == 20 - preds // 4


def test_an_unexpected_error_in_a_worker_is_raised_with_its_name(settings: Settings, store: Store) -> None:
    add_posts(store, 12)
    with pytest.raises(
        PantauError, match=r"scoring worker pantau-score-\d failed on batch \d+: RuntimeError"
    ):
        run_process(
            settings, store, scorer=CrashingScorer("Bawaslu"), progress=False, batch_size=4, workers=1
        )


def test_an_unpicklable_scorer_is_scored_in_the_main_process(settings: Settings, store: Store) -> None:
    add_posts(store, 6)
    scorer = FakeScorer()
    scorer.hook = lambda: None  # type: ignore[attr-defined]  # lambdas cannot be pickled
    report = run_process(settings, store, scorer=scorer, progress=False, batch_size=2, workers=2)
    assert report["workers"] == 0 and report["scored"] == 6 and scorer.calls == 3


def test_auto_uses_workers_only_for_large_runs(store: Store) -> None:
    versions = FakeScorer().versions
    add_posts(store, 5)
    assert resolve_workers("auto", store, versions, 256) == 0
    assert resolve_workers(3, store, versions, 256) == 3
    assert resolve_workers("0", store, versions, 256) == 0
    assert AUTO_MIN_POSTS >= 1000
    with pytest.raises(ConfigError, match="models.workers"):
        resolve_workers("many", store, versions, 256)
    with pytest.raises(ConfigError, match="at least 0"):
        resolve_workers(-1, store, versions, 256)


def test_settings_refuse_a_bad_worker_count() -> None:
    with pytest.raises(ValueError, match="workers"):
        Settings(models={"workers": 100})  # type: ignore[arg-type]
    assert Settings(models={"workers": "2"}).models.workers == 2  # type: ignore[arg-type]


def test_score_batch_passes_context_and_skips_a_bad_post() -> None:
    posts = [
        Post(id=f"p{i}", platform="x", source_id="s", text=t)
        for i, t in enumerate(["halo", "Bawaslu memeriksa", "hoaks"])
    ]
    scores, failed = score_batch(FakeScorer(fail_on="Bawaslu"), posts, None)
    assert [s.post_id for s in scores] == ["p0", "p2"] and [pid for pid, _ in failed] == ["p1"]
    assert takes_context(ContextScorer()) and not takes_context(FakeScorer())
    scores, failed = score_batch(ContextScorer(), posts, {"p0": {"coordinated": True}})
    assert len(scores) == 3 and not failed


def test_workers_run_at_a_lower_priority_than_the_main_process(settings: Settings) -> None:
    import pickle

    from pantau.process_workers import WORKER_NICENESS, ScoringPool

    pool = ScoringPool(1, settings, pickle.dumps(FakeScorer()), dict(FakeScorer().versions))
    try:
        pool.wait_ready()
        pid = pool.procs[0].pid
        assert pid is not None
        assert os.getpriority(os.PRIO_PROCESS, pid) == os.getpriority(os.PRIO_PROCESS, 0) + WORKER_NICENESS
    finally:
        pool.close()
