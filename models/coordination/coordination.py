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
from numpy.typing import NDArray

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
    times: Sequence[float] | NDArray[np.float64],
    accounts: Sequence[int] | NDArray[np.int64],
    config: CoordinationConfig,
    *,
    shares: Sequence[bool] | NDArray[np.bool_] | None = None,
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
    t_all = np.asarray(times, dtype=np.float64)
    a_all = np.asarray(accounts, dtype=np.int64)
    if config.count_native_shares or shares is None:
        keep_idx = np.arange(len(t_all))
    else:
        keep_idx = np.nonzero(~np.asarray(shares, dtype=bool))[0]
    distinct = len(np.unique(a_all[keep_idx]))
    if distinct < 2:
        return Coordination()
    if distinct == len(keep_idx):
        return _score_distinct(t_all, a_all, keep_idx, config)
    return _score_general(t_all.tolist(), a_all.tolist(), [int(i) for i in keep_idx], config)


def _score_distinct(
    t_all: NDArray[np.float64],
    a_all: NDArray[np.int64],
    keep_idx: NDArray[np.int64],
    config: CoordinationConfig,
) -> Coordination:
    """:func:`score_cluster` when every kept post is by a different account (the common case): window and
    context account counts are post counts, so every window is evaluated at once with ``searchsorted``."""
    order = keep_idx[np.argsort(t_all[keep_idx], kind="stable")]
    t = t_all[order]
    w, c, m = config.window_s, config.context_s, config.min_accounts
    start = np.arange(len(t))
    end = np.searchsorted(t, t + w, side="right")
    k = end - start
    ctx = np.searchsorted(t, t + w + c, side="right") - np.searchsorted(t, t - c, side="left")
    concentration = k / ctx
    scores = np.where(k >= 2, concentration * (1.0 - 0.5 ** (k / m)), -1.0)
    best = int(np.argmax(scores))
    if scores[best] < 0:
        return Coordination()
    kb, cb = int(k[best]), int(ctx[best])
    qualifying = (k >= m) & (concentration >= config.min_concentration)
    marks = np.zeros(len(t) + 1, dtype=np.int64)
    np.add.at(marks, start[qualifying], 1)
    np.add.at(marks, end[qualifying], -1)
    inside = np.nonzero(np.cumsum(marks[:-1]) > 0)[0]
    posts = sorted(int(x) for x in order[inside])
    return Coordination(
        score=round(window_score(kb, kb / cb, m), 4),
        coordinated=bool(qualifying.any()),
        burst=Burst(float(t[best]), float(t[end[best] - 1]), kb, cb),
        accounts=sorted({int(a_all[i]) for i in posts}),
        posts=posts,
    )


def _score_general(
    times: Sequence[float], accounts: Sequence[int], keep: list[int], config: CoordinationConfig
) -> Coordination:
    """:func:`score_cluster` for clusters where some account posted more than once: sliding windows with
    per-account counters, O(n)."""
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

    >>> estimate_window([([0.0, 30.0, 40.0, 3600.0], [1, 2, 3, 4])], quantile=0.5)
    40.0
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
