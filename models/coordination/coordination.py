"""Coordination scoring of one near-duplicate cluster, co-posting edges, and the data-driven window.

A cluster is *coordinated* when some window of ``window_s`` seconds holds posts of at least
``min_accounts`` distinct accounts **and** those accounts are at least ``min_concentration`` of all the
accounts that posted the cluster's text within ``context_s`` around that window. The first condition is
CooRTweet's "many accounts share the same content within the coordination interval"; the second tells a
script pushed all at once (nothing before, nothing after) from a popular post or news headline that many
people share over hours (a burst, then a long tail). Every qualifying window's accounts are the
cluster's *coordinated accounts*; each pair of them gets a co-posting edge.

The score of a window is ``concentration × (1 − 0.5 ** (accounts / min_accounts))``: 0.5 × concentration
at the account threshold, 0.75 × at twice it, → concentration for large bursts. A cluster's score is its
best window's. A score says how much the timing looks scripted; it does not say who paid (see
``docs/coordination.md``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from models.coordination.config import CoordinationConfig


@dataclass(frozen=True)
class Burst:
    """The best window of a cluster."""

    start: float
    end: float
    accounts: int
    context_accounts: int

    @property
    def concentration(self) -> float:
        return self.accounts / self.context_accounts if self.context_accounts else 0.0


@dataclass
class Coordination:
    """What the timing of one cluster's posts says."""

    score: float = 0.0
    coordinated: bool = False
    burst: Burst | None = None
    #: accounts with a post inside a qualifying window (empty when not coordinated)
    accounts: list[int] = field(default_factory=list)
    #: indices (into the arrays given) of posts inside a qualifying window
    posts: list[int] = field(default_factory=list)


def window_score(accounts: int, concentration: float, min_accounts: int) -> float:
    """Score of one window (see the module docstring)."""
    return float(concentration * (1.0 - 0.5 ** (accounts / min_accounts)))


def score_cluster(
    times: Sequence[float],
    accounts: Sequence[int],
    config: CoordinationConfig,
    *,
    shares: Sequence[bool] | None = None,
    words: int | None = None,
) -> Coordination:
    """Score one cluster from its posts' times (epoch seconds) and account ids.

    ``shares`` marks platform-native shares (ignored unless ``config.count_native_shares``); ``words`` is
    the cluster text's normalised word count (below ``config.min_words`` nothing is coordinated).

    >>> cfg = CoordinationConfig(min_accounts=3)
    >>> score_cluster([0, 10, 20, 30], [1, 2, 3, 4], cfg, words=10).coordinated
    True
    """
    if words is not None and words < config.min_words:
        return Coordination()
    keep = [i for i in range(len(times)) if config.count_native_shares or shares is None or not shares[i]]
    if len({accounts[i] for i in keep}) < 2:
        return Coordination()
    order = sorted(keep, key=lambda i: times[i])
    t = [float(times[i]) for i in order]
    a = [accounts[i] for i in order]
    n = len(order)
    w, c = config.window_s, config.context_s
    in_window: Counter[int] = Counter()
    in_context: Counter[int] = Counter()
    j = lo = hi = 0
    best: tuple[float, Burst] | None = None
    qualifying_accounts: set[int] = set()
    marks = np.zeros(n + 1, dtype=np.int64)
    for i in range(n):
        while j < n and t[j] <= t[i] + w:
            in_window[a[j]] += 1
            j += 1
        while hi < n and t[hi] <= t[i] + w + c:
            in_context[a[hi]] += 1
            hi += 1
        while t[lo] < t[i] - c:
            in_context[a[lo]] -= 1
            if not in_context[a[lo]]:
                del in_context[a[lo]]
            lo += 1
        k, ctx = len(in_window), len(in_context)
        if k >= 2:
            score = window_score(k, k / ctx, config.min_accounts)
            if best is None or score > best[0]:
                best = (score, Burst(t[i], t[j - 1], k, ctx))
            if k >= config.min_accounts and k / ctx >= config.min_concentration:
                marks[i] += 1
                marks[j] -= 1
                qualifying_accounts.update(in_window)
        in_window[a[i]] -= 1
        if not in_window[a[i]]:
            del in_window[a[i]]
    if best is None:
        return Coordination()
    inside = np.nonzero(np.cumsum(marks[:n]) > 0)[0]
    return Coordination(
        score=round(best[0], 4),
        coordinated=bool(qualifying_accounts),
        burst=best[1],
        accounts=sorted(qualifying_accounts),
        posts=sorted(order[int(x)] for x in inside),
    )


def co_posting_pairs(accounts: Iterable[str], limit: int) -> list[tuple[str, str]]:
    """Every unordered pair (a < b) of the first ``limit`` accounts in sorted order."""
    names = sorted(set(accounts))[:limit]
    return [(names[x], names[y]) for x in range(len(names)) for y in range(x + 1, len(names))]


def estimate_window(
    clusters: Iterable[tuple[Sequence[float], Sequence[int]]],
    quantile: float = 0.1,
    bounds: tuple[float, float] = (30.0, 3600.0),
) -> float | None:
    """CooRnet's data-driven coordination interval: the ``quantile`` of the delays between a cluster's
    first post and each later post by another account, over clusters of two accounts or more, clipped
    to ``bounds`` seconds. ``None`` when there is no such cluster yet.

    >>> estimate_window([([0.0, 30.0, 3600.0], [1, 2, 3])], quantile=0.5)
    30.0
    """
    if not 0 < quantile < 1:
        raise ValueError(f"quantile must be between 0 and 1, got {quantile}")
    delays: list[float] = []
    for times, accounts in clusters:
        if len(set(accounts)) < 2:
            continue
        first = min(range(len(times)), key=lambda i: times[i])
        delays.extend(
            float(times[i]) - float(times[first]) for i in range(len(times)) if accounts[i] != accounts[first]
        )
    if not delays:
        return None
    value = float(np.quantile(np.asarray(delays), quantile))
    return float(min(max(value, bounds[0]), bounds[1]))
