"""Posts and scores survive the trip to the scoring workers unchanged."""

from __future__ import annotations

import pickle
from datetime import UTC, datetime

from pantau.process_codec import pack_post, pack_scores, unpack_post, unpack_scores
from pantau.records import AccountKind, Author, ClaimMatch, Engagement, Post, PostScores, Prediction


def _post() -> Post:
    return Post(
        id="p1",
        platform="x",
        source_id="x_akun",
        url="https://x.example/p/1",
        platform_post_id="1",
        author=Author(handle="@relawan", display_name="Relawan 01 <b>", kind=AccountKind.influencer),
        published_at=datetime(2029, 1, 5, 7, 30, 1, 123456, tzinfo=UTC),
        title=None,
        text="Ayo dukung paslon 01! #iklan 🙏",
        language="id",
        hashtags=["iklan"],
        mentions=["kpu"],
        links=["https://kpu.example"],
        media_urls=[],
        forwarded_from="kanal",
        engagement=Engagement(views=10, likes=2),
        tags=["paslon-01"],
        content_hash="abc",
        evidence_sha256="e" * 64,
    )


def test_a_post_round_trips_through_pickle() -> None:
    post = _post()
    back = unpack_post(pickle.loads(pickle.dumps(pack_post(post))))
    assert back.model_dump() == post.model_dump()
    assert back.author.kind is AccountKind.influencer
    assert back.published_at == post.published_at and back.published_at.tzinfo is not None


def test_a_post_with_defaults_round_trips() -> None:
    post = Post(id="p2", platform="telegram", source_id="tg", text="halo")
    assert unpack_post(pack_post(post)).model_dump() == post.model_dump()


def test_scores_round_trip_with_reasons_and_matches() -> None:
    scores = PostScores(
        post_id="p1",
        language="id",
        predictions=[
            Prediction(
                post_id="p1",
                task="hoax",
                model_version="hoax-1",
                label="hoax",
                score=0.91,
                probabilities={"hoax": 0.91, "not_hoax": 0.09},
                reasons=[{"kind": "ngram", "feature": "video lama", "weight": 0.4}],
            )
        ],
        claim_matches=[
            ClaimMatch(post_id="p1", factcheck_id="fc-9", similarity=0.7, rank=1, model_version="c")
        ],
    )
    back = unpack_scores(pickle.loads(pickle.dumps(pack_scores(scores))))
    assert back.model_dump() == scores.model_dump()
    assert isinstance(back.predictions[0], Prediction) and isinstance(back.claim_matches[0], ClaimMatch)
