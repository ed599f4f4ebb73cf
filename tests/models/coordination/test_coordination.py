"""Coordination scoring, spec-style on hand-built streams run through the clustering engine."""

from __future__ import annotations

import csv
import json
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from models.coordination.clusters import ClusterEngine, PostInput
from models.coordination.config import CoordinationConfig
from models.coordination.coordination import co_posting_pairs, estimate_window, score_cluster, window_score
from models.coordination.coordinator import post_input
from pantau.records import Post
from tests.models.coordination.streams import (
    SCRIPT,
    T0,
    campaign,
    chatter,
    news_shares,
    post,
)


def clusters_of(posts: list[Post], config: CoordinationConfig | None = None) -> ClusterEngine:
    engine = ClusterEngine(config or CoordinationConfig())
    engine.add([post_input(p) for p in sorted(posts, key=lambda p: p.published_at or T0)])
    return engine


def coordinated_roots(engine: ClusterEngine) -> list[int]:
    return [r for r in engine.members if engine.coordination(r).coordinated]


def root_of(engine: ClusterEngine, p: Post) -> int:
    return engine.root(engine.post_node[engine.post_index[p.id]])


def test_twenty_accounts_same_script_within_five_minutes_is_coordinated() -> None:
    posts = campaign(20, timedelta(minutes=5))
    engine = clusters_of(posts + chatter())
    roots = {root_of(engine, p) for p in posts}
    assert len(roots) == 1, "paraphrases land in one cluster"
    result = engine.coordination(roots.pop())
    assert result.coordinated and result.score > 0.7
    assert len(result.accounts) == 20 and result.burst is not None and result.burst.concentration == 1.0


def test_same_news_link_shared_over_a_day_is_not_coordinated() -> None:
    posts = news_shares(60, timedelta(days=1))
    engine = clusters_of(posts)
    assert len({root_of(engine, p) for p in posts}) == 1, "the shares are near-duplicates"
    assert coordinated_roots(engine) == []


def test_a_viral_article_with_a_fast_start_and_a_long_tail_is_not_coordinated() -> None:
    # 15 shares in the first ten minutes, then 45 more over the next six hours
    fast = news_shares(15, timedelta(minutes=10))
    tail = news_shares(45, timedelta(hours=6), start=T0 + timedelta(minutes=10), prefix="late")
    engine = clusters_of(fast + tail)
    result = engine.coordination(root_of(engine, fast[0]))
    assert result.burst is not None and result.burst.accounts >= 10
    assert not result.coordinated, "a third of the accounts in the burst is an organic spread, not a script"


def test_twenty_accounts_over_a_quarter_hour_is_still_coordinated() -> None:
    engine = clusters_of(campaign(20, timedelta(minutes=15)))
    assert len(coordinated_roots(engine)) == 1


def test_nine_accounts_are_below_the_threshold() -> None:
    engine = clusters_of(campaign(9, timedelta(minutes=2)))
    (root,) = engine.members
    result = engine.coordination(root)
    assert not result.coordinated and 0 < result.score < 0.5


def test_many_good_morning_posts_at_once_are_not_coordinated() -> None:
    posts = [
        post(f"pagi-{i}", "Selamat pagi semua 🙏", f"warga{i}", T0 + timedelta(seconds=20 * i))
        for i in range(30)
    ]
    engine = clusters_of(posts)
    assert len(engine.members) == 1
    assert coordinated_roots(engine) == [], "greetings are too short to be a script"


def test_one_account_repeating_itself_is_not_coordinated() -> None:
    posts = [post(f"spam-{i}", SCRIPT, "satu_akun", T0 + timedelta(seconds=30 * i)) for i in range(30)]
    assert coordinated_roots(clusters_of(posts)) == []


def test_retweet_storm_is_not_coordinated_unless_native_shares_count() -> None:
    posts = [
        post(
            f"rt-{i}",
            f"RT @tokoh: {SCRIPT}",
            f"fan{i}",
            T0 + timedelta(seconds=15 * i),
            forwarded_from="tokoh",
        )
        for i in range(30)
    ]
    assert coordinated_roots(clusters_of(posts)) == []
    assert len(coordinated_roots(clusters_of(posts, CoordinationConfig(count_native_shares=True)))) == 1


def test_two_campaigns_with_different_scripts_stay_apart() -> None:
    other = "Lestari dan Bagus membawa perubahan nyata untuk petani dan nelayan, harga pupuk turun drastis!"
    a = campaign(20, prefix="a")
    b = campaign(25, prefix="b", script=other, start=T0 + timedelta(minutes=1))
    engine = clusters_of(a + b)
    assert len(coordinated_roots(engine)) == 2
    assert root_of(engine, a[0]) != root_of(engine, b[0])


def test_a_campaign_reposted_the_next_day_has_two_coordinated_waves() -> None:
    first = campaign(15, prefix="w1")
    second = campaign(15, prefix="w2", start=T0 + timedelta(days=1), seed=2)
    engine = clusters_of(first + second)
    result = engine.coordination(root_of(engine, first[0]))
    assert result.coordinated and len(result.accounts) == 30


def test_score_grows_with_accounts_and_concentration() -> None:
    assert window_score(10, 1.0, 10) == pytest.approx(0.5)
    assert window_score(20, 1.0, 10) == pytest.approx(0.75)
    assert window_score(20, 0.5, 10) == pytest.approx(0.375)


def test_short_texts_and_single_accounts_score_nothing() -> None:
    cfg = CoordinationConfig(min_accounts=3)
    assert not score_cluster([0, 1, 2], [1, 2, 3], cfg, words=2).coordinated
    assert score_cluster([0, 1, 2], [1, 1, 1], cfg, words=10).score == 0.0


def test_co_posting_pairs_are_sorted_unique_and_capped() -> None:
    assert co_posting_pairs(["x:b", "x:a", "x:c", "x:a"], 10) == [
        ("x:a", "x:b"),
        ("x:a", "x:c"),
        ("x:b", "x:c"),
    ]
    assert len(co_posting_pairs([f"x:{i}" for i in range(50)], 5)) == 10


def test_window_estimate_follows_the_quickest_shares() -> None:
    clusters = [([0.0, 60.0, 120.0, 7200.0], [1, 2, 3, 4]), ([0.0, 5.0], [1, 1])]
    assert estimate_window(clusters, quantile=0.5) == pytest.approx(120.0)
    assert estimate_window([], quantile=0.1) is None
    with pytest.raises(ValueError, match="quantile"):
        estimate_window(clusters, quantile=1.5)


DEMO_EXPORTS = Path(__file__).resolve().parents[3] / "crawlers" / "demo_site" / "exports"


def test_the_demo_sites_campaign_is_one_coordinated_cluster() -> None:
    """The offline demo's buzzer campaign: 13 Instagram/TikTok accounts in 19 minutes, one in chat slang."""
    if not DEMO_EXPORTS.is_dir():
        pytest.skip("demo site exports not found")
    posts = [
        PostInput(
            "t" + r["id"],
            r["video_description"],
            "tiktok:" + r["username"],
            "tiktok",
            float(r["create_time"]),
        )
        for r in map(json.loads, (DEMO_EXPORTS / "tiktok_research.jsonl").read_text().splitlines())
    ]
    with open(DEMO_EXPORTS / "instagram_influencers.csv", encoding="utf-8") as fh:
        posts += [
            PostInput(
                "i" + r["id"],
                r["caption"],
                "instagram:" + r["username"],
                "instagram",
                datetime.fromisoformat(r["timestamp"]).timestamp(),
            )
            for r in csv.DictReader(fh)
        ]
    engine = ClusterEngine(CoordinationConfig())
    engine.add(sorted(posts, key=lambda p: p.time))
    (root,) = coordinated_roots(engine)
    assert {engine.platforms[engine.post_platform[i]] for i in engine.members[root]} == {
        "instagram",
        "tiktok",
    }
    assert len(engine.members[root]) == 13


def test_the_vectorised_path_equals_the_general_one() -> None:
    from models.coordination.coordination import _score_distinct, _score_general

    rng = np.random.default_rng(4)
    cfg = CoordinationConfig()
    for _ in range(200):
        n = int(rng.integers(2, 120))
        # bursts and tails: a mix of tight and spread-out times, often tied
        times = np.round(np.concatenate([rng.uniform(0, 600, n // 2), rng.exponential(8000, n - n // 2)]))
        accounts = np.arange(n)
        fast = _score_distinct(times, accounts, np.arange(n), cfg)
        slow = _score_general(list(times), list(accounts), list(range(n)), cfg)
        assert (fast.score, fast.coordinated, fast.accounts, fast.posts, fast.burst) == (
            slow.score,
            slow.coordinated,
            slow.accounts,
            slow.posts,
            slow.burst,
        )
