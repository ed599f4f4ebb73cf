"""`pantau process`: scoring, writing and indexing are idempotent, resumable and follow promotions —
scoring in the main process (``workers=0``) and in two worker processes (``workers=2``) alike."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from indexes.base import Query
from indexes.service import open_index
from pantau.process import run_process
from pantau.records import Author, FactCheck, Post, post_id
from pantau.settings import Settings
from pantau.store import Store
from pantau.store.tables import ClaimMatchRow, PostRow, PredictionRow
from tests.pantau.fake_scorer import FakeScorer

REPO = Path(__file__).resolve().parents[2]
TEXTS = [
    "Hoaks: surat suara sudah dicoblos di TPS 5",
    "Paslon 01 memenangkan debat di Jakarta",
    "Promo kaos kampanye paslon 02 #ad",
    "Bawaslu memeriksa laporan pelanggaran",
]


@pytest.fixture(autouse=True)
def _importable_fake_scorer(monkeypatch: pytest.MonkeyPatch) -> None:
    """Scoring workers are fresh interpreters that unpickle the injected FakeScorer by module name
    (``tests.pantau.fake_scorer``), so the repository root must be on their path."""
    monkeypatch.syspath_prepend(str(REPO))


def add_posts(store: Store, n: int, start: int = 0) -> list[str]:
    store.upsert_factcheck(
        FactCheck(id="fc-surat", claim="Surat suara sudah dicoblos", rating_normalized="false")
    )
    ids = []
    for i in range(start, start + n):
        pid = post_id("telegram", f"m{i}")
        post = Post(
            id=pid,
            platform="telegram",
            source_id="kanal_test",
            platform_post_id=f"m{i}",
            author=Author(handle=f"akun{i % 5}"),
            text=f"{TEXTS[i % len(TEXTS)]} nomor {i}",
        )
        ids.append(store.upsert_post(post).id)
    return ids


def prediction_keys(store: Store) -> list[tuple[str, str, str]]:
    with store.session() as s:
        return [
            tuple(r)
            for r in s.execute(select(PredictionRow.post_id, PredictionRow.task, PredictionRow.model_version))
        ]


def assert_complete(settings: Settings, store: Store, n: int, hoax_version: str = "hoax-1") -> None:
    keys = prediction_keys(store)
    per_task = Counter((post, task) for post, task, _ in keys)
    assert len(keys) == 4 * n and set(per_task.values()) == {1}, "one row per post and task"
    assert {v for _, task, v in keys if task == "hoax"} == {hoax_version}
    with store.session() as s:
        assert s.scalar(select(func.count()).where(PostRow.indexed_at.is_(None))) == 0
    index = open_index(settings)
    try:
        assert index.count() == n
        everything = index.search(Query(limit=500))
        assert len({h.id for h in everything.hits}) == everything.total == n
    finally:
        index.close()


@pytest.mark.parametrize("workers", [0, 2])
def test_process_scores_writes_and_indexes(settings: Settings, store: Store, workers: int) -> None:
    ids = add_posts(store, 12)
    report = run_process(settings, store, scorer=FakeScorer(), progress=False, batch_size=5, workers=workers)
    assert report["scored"] == 12 and report["indexed"] == 12 and report["batches"] == 3
    assert report["workers"] == workers
    assert set(report["seconds"]) >= {"score", "write", "index", "mark", "total"}
    assert_complete(settings, store, 12)
    with store.session() as s:
        matches = s.scalars(select(ClaimMatchRow.post_id)).all()
        langs = set(s.scalars(select(PostRow.language)))
    assert sorted(matches) == sorted(ids[0::4]) and langs == {"id"}
    index = open_index(settings)
    try:
        hoaxes = index.search(Query(filters={"labels": {"hoax": ["hoax"]}}, facets=["label"]))
        assert hoaxes.total == 3 and hoaxes.facets["label"]["claims:matched"] == 3
        assert all(h.document.risk >= 0.9 for h in hoaxes.hits)
    finally:
        index.close()


@pytest.mark.parametrize("workers", [0, 2])
def test_second_run_does_nothing(settings: Settings, store: Store, workers: int) -> None:
    add_posts(store, 8)
    run_process(settings, store, scorer=FakeScorer(), progress=False, batch_size=3, workers=workers)
    before = prediction_keys(store)
    scorer = FakeScorer()
    report = run_process(settings, store, scorer=scorer, progress=False, workers=workers)
    assert report["scored"] == 0 and report["indexed"] == 0 and scorer.calls == 0
    assert report["skipped"] == 8
    assert prediction_keys(store) == before


def test_promoting_a_model_rescores(settings: Settings, store: Store) -> None:
    add_posts(store, 6)
    run_process(settings, store, scorer=FakeScorer(), progress=False)
    report = run_process(settings, store, scorer=FakeScorer(hoax_version="hoax-2"), progress=False)
    assert report["scored"] == 6
    assert_complete(settings, store, 6, hoax_version="hoax-2")


def test_edited_post_is_rescored_and_reindexed(settings: Settings, store: Store) -> None:
    ids = add_posts(store, 4)
    run_process(settings, store, scorer=FakeScorer(), progress=False)
    edited = store.get_post(ids[1]).model_copy(
        update={"text": "Hoaks baru tentang kotak suara", "content_hash": ""}
    )
    store.upsert_post(edited)
    report = run_process(settings, store, scorer=FakeScorer(), progress=False)
    assert report["scored"] == 1
    index = open_index(settings)
    try:
        doc = index.get(ids[1])
        assert doc is not None and "kotak suara" in doc.text and doc.labels["hoax"] == "hoax"
    finally:
        index.close()


@pytest.mark.parametrize("workers", [0, 2])
def test_a_post_that_cannot_be_scored_is_counted_and_skipped(
    settings: Settings, store: Store, workers: int
) -> None:
    add_posts(store, 8)
    report = run_process(
        settings, store, scorer=FakeScorer(fail_on="Bawaslu"), progress=False, batch_size=3, workers=workers
    )
    assert report["failed"] == 2 and report["scored"] == 6 and report["indexed"] == 6
    report = run_process(settings, store, scorer=FakeScorer(), progress=False)
    assert report["scored"] == 2
    assert_complete(settings, store, 8)


CHILD = """
import sys
from pantau.settings import get_settings
from pantau.store import Store
from pantau.process import run_process
from tests.pantau.fake_scorer import FakeScorer
settings = get_settings()
store = Store.open(settings)
print("started", flush=True)
run_process(
    settings, store, scorer=FakeScorer(delay_s=0.05), progress=False, batch_size=7, workers=int(sys.argv[1])
)
print("finished", flush=True)
"""


@pytest.mark.slow
@pytest.mark.parametrize("workers", [0, 2])
def test_kill_mid_run_then_resume_loses_and_duplicates_nothing(
    settings: Settings, store: Store, workers: int
) -> None:
    n = 300
    add_posts(store, n)
    env = {**os.environ, "PANTAU_DATA_DIR": str(settings.data_dir), "PYTHONPATH": str(REPO)}
    child = subprocess.Popen([sys.executable, "-c", textwrap.dedent(CHILD), str(workers)], cwd=REPO, env=env)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            done = len(prediction_keys(store)) // 4
            if done >= 40:
                break
            assert child.poll() is None, "the child finished before it could be killed"
            time.sleep(0.02)
        child.send_signal(signal.SIGKILL)
        child.wait(10)
    finally:
        if child.poll() is None:
            child.kill()
    partial = len(prediction_keys(store)) // 4
    assert 0 < partial < n, "killed mid-run"
    report = run_process(settings, store, scorer=FakeScorer(), progress=False)
    assert report["scored"] + partial >= n
    assert_complete(settings, store, n)


@pytest.mark.slow
def test_kill_the_real_pantau_process_command_then_resume(settings: Settings, store: Store) -> None:
    """The same, with the real `pantau process` command and the default models (claim matching lexical
    only, to keep the test bounded: sentence embeddings cost seconds per batch on 2 cores)."""
    n = 150
    add_posts(store, n)
    env = {**os.environ, "PANTAU_DATA_DIR": str(settings.data_dir), "PANTAU_MODELS__EMBEDDER": "none"}
    pantau = str(Path(sys.executable).with_name("pantau"))
    child = subprocess.Popen(
        [pantau, "process", "--batch-size", "10"], cwd=REPO, env=env, stdout=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 300  # the first run trains the default models
        while time.monotonic() < deadline and child.poll() is None:
            if len(prediction_keys(store)) >= 4 * 20:
                break
            time.sleep(0.05)
        if child.poll() is not None:
            pytest.skip("`pantau process` finished before it could be killed (machine too fast)")
        child.send_signal(signal.SIGKILL)
        child.wait(10)
    finally:
        if child.poll() is None:
            child.kill()
    partial = len(prediction_keys(store)) // 4
    assert 0 < partial < n
    done = subprocess.run([pantau, "process", "--json"], cwd=REPO, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    keys = prediction_keys(store)
    assert len(keys) == len(set(keys)) == 4 * n
    with store.session() as s:
        assert s.scalar(select(func.count()).where(PostRow.indexed_at.is_(None))) == 0
    index = open_index(settings)
    try:
        assert index.count() == n
    finally:
        index.close()
