"""The write transaction: one row per (post, task), added language/claims rows, replaced on re-write;
dropping a task's rows makes posts pending again."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from pantau.process_select import pending_batches
from pantau.process_write import (
    complete_predictions,
    drop_predictions,
    load_scored,
    mark_indexed,
    write_scores,
)
from pantau.records import Author, Post, PostScores, Prediction, post_id, utcnow
from pantau.store import Store
from pantau.store.tables import PostRow, PredictionRow
from tests.pantau.fake_scorer import FakeScorer


def stored(store: Store, n: int) -> list[Post]:
    posts = [
        Post(
            id=post_id("telegram", f"t{i}"),
            platform="telegram",
            source_id="kanal",
            platform_post_id=f"t{i}",
            author=Author(handle="akun"),
            text="Hoaks surat suara tercoblos" if i == 0 else "Bawaslu memeriksa laporan",
        )
        for i in range(n)
    ]
    for p in posts:
        store.upsert_post(p)
    return posts


def test_complete_predictions_adds_language_and_claims_rows_with_promoted_versions() -> None:
    versions = {"language": "lang-9", "hoax": "hoax-9", "claims": "claims-9"}
    ps = PostScores(
        post_id="p1",
        language="id",
        predictions=[Prediction(post_id="other", task="hoax", model_version="old", label="hoax", score=0.8)],
    )
    by_task = {p.task: p for p in complete_predictions(ps, versions)}
    assert set(by_task) == {"language", "hoax", "claims"}
    assert by_task["hoax"].post_id == "p1" and by_task["hoax"].model_version == "hoax-9"
    assert by_task["language"].label == "id" and by_task["claims"].label == "none"


def test_rewriting_replaces_rows_and_dropping_makes_posts_pending(store: Store) -> None:
    posts = stored(store, 3)
    scorer = FakeScorer()
    versions = dict(scorer.versions)
    for _ in range(2):
        out = write_scores(store, scorer.score(posts), versions)
    assert [len(ps.predictions) for ps in out] == [4, 4, 4]
    with store.session() as s:
        keys = Counter(s.execute(select(PredictionRow.post_id, PredictionRow.task)))
    assert len(keys) == 12 and set(keys.values()) == {1}
    assert not [pid for b in pending_batches(store, versions, 10) for pid, needs in b if needs]
    assert drop_predictions(store, [posts[1].id], "endorsement") == 1
    needing = [pid for b in pending_batches(store, versions, 10) for pid, needs in b if needs]
    assert needing == [posts[1].id]
    (post, scores, review), *_ = load_scored(store, [posts[0].id])
    assert post.id == posts[0].id and review is None
    assert {p.task for p in scores.predictions} == {"language", "hoax", "endorsement", "claims"}


def test_written_rows_read_back_with_their_values_and_utc_times(store: Store) -> None:
    posts = stored(store, 2)
    scorer = FakeScorer()
    versions = dict(scorer.versions)
    out = write_scores(store, scorer.score(posts), versions)
    (_, scores, _), _ = load_scored(store, [p.id for p in posts])
    written = {p.task: p for p in out[0].predictions}
    assert len({pred.created_at for pred in scores.predictions}) == 1  # one batch, one time
    for pred in scores.predictions:
        assert pred.created_at.tzinfo is not None
        assert (pred.label, pred.score, pred.reasons) == (
            written[pred.task].label,
            written[pred.task].score,
            written[pred.task].reasons,
        )


def _languages(store: Store) -> dict[str, str | None]:
    with store.session() as s:
        return dict(s.execute(select(PostRow.id, PostRow.language)).tuples().all())


def test_the_detected_language_reaches_the_post_with_its_indexed_mark(store: Store) -> None:
    posts = stored(store, 3)
    scorer = FakeScorer()
    since = utcnow()
    written = write_scores(store, scorer.score(posts), dict(scorer.versions))
    assert {ps.language for ps in written} == {"id"}
    assert set(_languages(store).values()) == {None}  # not yet: the mark writes it
    # in between (a run killed before the mark), the language prediction stands in for it
    assert {scores.language for _, scores, _ in load_scored(store, [p.id for p in posts])} == {"id"}
    edited = posts[2].model_copy(update={"text": "Bawaslu memeriksa laporan baru"})
    store.upsert_post(edited)  # edited after `since`: stays pending, neither marked nor given a language
    mark_indexed(store, [p.id for p in posts], since, {p.id: "id" for p in posts})
    assert _languages(store) == {posts[0].id: "id", posts[1].id: "id", posts[2].id: None}
    with store.session() as s:
        marked = {pid for pid, at in s.execute(select(PostRow.id, PostRow.indexed_at)) if at is not None}
    assert marked == {posts[0].id, posts[1].id}
