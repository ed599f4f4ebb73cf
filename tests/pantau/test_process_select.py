"""Pending selection and fast loading: records built without validation equal validated ones."""

from __future__ import annotations

from datetime import UTC, datetime

from pantau.process_select import count_pending, count_to_score, load_posts, pending_batches
from pantau.records import AccountKind, Author, Engagement, Post, Prediction, post_id, record
from pantau.store import Store
from pantau.store.store import row_to_post
from pantau.store.tables import PostRow

VERSIONS = {"language": "lang-1", "hoax": "hoax-1"}


def add(store: Store, n: int) -> list[str]:
    ids = []
    for i in range(n):
        post = Post(
            id=post_id("x", f"s{i}"),
            platform="x",
            source_id="akun_test",
            platform_post_id=f"s{i}",
            author=Author(handle=f"akun{i}", display_name="Akun", kind=AccountKind.influencer),
            published_at=datetime(2029, 1, 2, 3, 4, tzinfo=UTC),
            title="Judul" if i % 2 else None,
            text=f"Paslon 02 kampanye di Medan #{i}",
            hashtags=["pemilu2029"],
            links=["https://berita.example.id/a"],
            engagement=Engagement(views=10 * i, likes=i),
            tags=["paslon-02"],
        )
        ids.append(store.upsert_post(post).id)
    return ids


def test_load_posts_equals_the_validated_records_in_the_given_order(store: Store) -> None:
    ids = add(store, 5)
    wanted = [ids[3], "missing", ids[0], ids[4]]
    fast = load_posts(store, wanted)
    with store.session() as s:
        slow = [row_to_post(s.get(PostRow, i)) for i in wanted if s.get(PostRow, i) is not None]  # type: ignore[arg-type]
    assert fast == slow and [p.id for p in fast] == [ids[3], ids[0], ids[4]]
    assert fast[0].published_at is not None and fast[0].published_at.tzinfo is not None
    assert load_posts(store, []) == []


def test_pending_batches_cover_every_post_once_and_counts_agree(store: Store) -> None:
    ids = add(store, 7)
    batches = list(pending_batches(store, VERSIONS, 3))
    assert [len(b) for b in batches] == [3, 3, 1]
    assert sorted(pid for b in batches for pid, needs in b if needs) == sorted(ids)
    assert count_pending(store, VERSIONS) == 7
    assert count_to_score(store, VERSIONS, 4) == 4 and count_to_score(store, VERSIONS, 100) == 7


def test_record_equals_model_construct_and_falls_back_when_fields_are_missing() -> None:
    now = datetime(2029, 1, 1, tzinfo=UTC)
    fields = {
        "post_id": "p",
        "task": "hoax",
        "model_version": "v",
        "label": "hoax",
        "score": 0.9,
        "probabilities": {"hoax": 0.9},
        "reasons": [],
        "created_at": now,
    }
    assert record(Prediction, dict(fields)) == Prediction(**fields)
    partial = record(Prediction, {k: v for k, v in fields.items() if k != "reasons"})
    assert partial.reasons == [] and partial == Prediction(**fields)
