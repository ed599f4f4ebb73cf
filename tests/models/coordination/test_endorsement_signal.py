"""Coordination as a signal for undisclosed endorsement (issue 8): ``Coordinator.context``,
``Coordinator.newly_coordinated`` and the scorer's ``context=`` on hand-built streams."""

from __future__ import annotations

from datetime import timedelta

import pytest

from models.coordination.coordinator import Coordinator
from models.endorse.detector import UNDISCLOSED
from models.service import load_scorer
from pantau.records import AccountKind, Post
from pantau.settings import Settings
from pantau.store import Store
from tests.models.coordination.streams import SCRIPT, T0, campaign, chatter, post


@pytest.fixture
def lexical(trained_settings: Settings) -> Settings:
    trained_settings.models.embedder = "none"  # lexical claim matching and narratives keep this fast
    return trained_settings


def stored(store: Store, posts: list[Post]) -> list[Post]:
    for p in posts:
        store.upsert_post(p)
    return posts


#: a paid script that reads like a sincere opinion: on its own the text says little about payment
SOFT_SCRIPT = (
    "Jujur aku baru sadar program Pak Hendra soal harga beras itu masuk akal banget, aku udah baca "
    "dokumennya semalam. Semoga beneran jalan ya, kalian udah baca belum?"
)


def paid_campaign(n: int = 12, *, script: str = SCRIPT, prefix: str = "inf") -> list[Post]:
    """``n`` influencer accounts posting light paraphrases of one paid script within five minutes."""
    return campaign(n, prefix=prefix, script=script, kind=AccountKind.influencer)


def test_context_describes_clustered_posts_and_omits_the_rest(lexical: Settings, store: Store) -> None:
    buzz = stored(store, paid_campaign())
    quiet = stored(store, chatter(5))
    coordinator = Coordinator.open(lexical, store)
    coordinator.update(buzz + quiet)
    ctx = coordinator.context([p.id for p in buzz + quiet] + ["no-such-post"])
    assert set(ctx) == {p.id for p in buzz}, "singletons and unknown ids are absent"
    one = ctx[buzz[0].id]
    assert one["coordinated"] is True and one["in_burst"] is True
    assert one["accounts"] == 12 and one["influencer_accounts"] == 12 and one["posts"] == 12
    assert 0 < one["window_minutes"] <= 5 and 0 < one["coordination_score"] <= 1
    assert len({c["cluster_id"] for c in ctx.values()}) == 1


def test_listed_handles_count_as_influencers(lexical: Settings, store: Store) -> None:
    (lexical.data_dir / "influencers.txt").write_text("# listed\n@Buzz0\nbuzz1\n", encoding="utf-8")
    posts = stored(store, campaign(12))  # account kind unknown
    coordinator = Coordinator.open(lexical, store)
    coordinator.update(posts)
    assert coordinator.context([posts[0].id])[posts[0].id]["influencer_accounts"] == 2


def test_newly_coordinated_names_earlier_posts_once(lexical: Settings, store: Store) -> None:
    posts = stored(store, paid_campaign(14))
    coordinator = Coordinator.open(lexical, store)
    coordinator.update(posts[:6])  # six accounts: not coordinated yet (min_accounts 10)
    assert coordinator.newly_coordinated() == []
    assert not coordinator.context([posts[0].id])[posts[0].id]["coordinated"]
    coordinator.update(posts[6:])  # the cluster crosses the threshold
    assert sorted(coordinator.newly_coordinated()) == sorted(p.id for p in posts[:6])
    assert coordinator.newly_coordinated() == [], "reset on each call"
    late = stored(store, [post("late", SCRIPT + " gas", "late1", T0 + timedelta(minutes=6))])
    coordinator.update(late)
    assert coordinator.newly_coordinated() == [], "already coordinated: nothing new to re-score"


def test_a_lone_earlier_post_joined_by_a_campaign_is_named(lexical: Settings, store: Store) -> None:
    first = stored(
        store, [post("early", SCRIPT, "early1", T0 - timedelta(minutes=1), kind=AccountKind.influencer)]
    )
    coordinator = Coordinator.open(lexical, store)
    coordinator.update(first)
    coordinator.update(stored(store, paid_campaign(12)))
    assert coordinator.newly_coordinated() == [first[0].id]


def test_twelve_influencers_one_script_raise_undisclosed(lexical: Settings, store: Store) -> None:
    buzz = stored(store, paid_campaign(script=SOFT_SCRIPT))
    disclosed = stored(store, paid_campaign(script=SOFT_SCRIPT + " #iklan", prefix="dis"))
    organic = stored(
        store,
        [
            post(
                "o1",
                "Menurutku debat semalam Pak Hendra kurang jelas soal pajak, kalian gimana?",
                "warga1",
                T0,
            ),
            post("o2", "Hari ini hujan deras di Bandung, jangan lupa bawa payung", "warga2", T0),
        ],
    )
    everything = buzz + disclosed + organic
    coordinator = Coordinator.open(lexical, store)
    coordinator.update(everything)
    ctx = coordinator.context([p.id for p in everything])
    scorer = load_scorer(lexical, store)
    plain = {s.post_id: s.predictions[1] for s in scorer.score(everything)}
    signal = {s.post_id: s.predictions[1] for s in scorer.score(everything, context=ctx)}

    for p in buzz:
        before, after = plain[p.id], signal[p.id]
        assert after.probabilities[UNDISCLOSED] > before.probabilities[UNDISCLOSED] + 0.1
        reason = next(r for r in after.reasons if r["kind"] == "coordination")
        assert reason["cluster_id"] == ctx[p.id]["cluster_id"]
        # the disclosed copies join the same cluster: 24 influencer accounts posted one script
        assert reason["influencer_accounts"] == 24 and reason["accounts"] == 24
        assert reason["window_minutes"] == ctx[p.id]["window_minutes"] and reason["detail"]
        assert not any(r["kind"] == "coordination" for r in before.reasons)
    for p in disclosed:
        assert ctx[p.id]["coordinated"], "the disclosed campaign is coordinated too"
        assert signal[p.id].probabilities == plain[p.id].probabilities, "a disclosed post never rises"
        assert not any(r["kind"] == "coordination" for r in signal[p.id].reasons)
    for p in organic:
        assert p.id not in ctx
        assert signal[p.id].probabilities == plain[p.id].probabilities
