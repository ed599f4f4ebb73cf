"""Inter-annotator agreement, written here in plain Python and numpy.

* :func:`krippendorff_alpha` — Krippendorff's alpha for nominal data, any number of coders per unit,
  missing values allowed (units with fewer than two values drop out). Computed from the coincidence
  matrix: ``α = 1 − (n − 1)·(n − Σ o_cc) / (n² − Σ n_c²)`` (Krippendorff 2011, "Computing
  Krippendorff's Alpha-Reliability").
* :func:`cohen_kappa` — Cohen's kappa for two raters, ``κ = (p_o − p_e) / (1 − p_e)``.
* :func:`project_agreement` — everything the stats page shows: alpha overall and per label
  (one-vs-rest), mean pairwise kappa, per-labeller agreement with the others' majority, and gold accuracy.

A statistic that is undefined (no pairable values, or every value the same so chance agreement is 1) is
``None``, never a made-up 1.0 or 0.0.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from itertools import combinations
from typing import Any

import numpy as np

#: ratings[item][labeller] = label
Ratings = Mapping[Any, Mapping[Any, str]]
#: pairs of labellers need this many shared items before their kappa is reported
MIN_SHARED = 5


def krippendorff_alpha(units: Iterable[Iterable[Hashable | None]]) -> float | None:
    """Krippendorff's alpha (nominal) of ``units``: each unit lists the values coders gave (None = missing).

    >>> round(krippendorff_alpha([["a", "a"], ["b", "b"], ["a", "b"], ["a", "a", None]]), 3)
    0.533
    """
    pairable = [[v for v in unit if v is not None] for unit in units]
    pairable = [vals for vals in pairable if len(vals) >= 2]
    if not pairable:
        return None
    cats = sorted({v for vals in pairable for v in vals}, key=repr)
    index = {c: i for i, c in enumerate(cats)}
    o = np.zeros((len(cats), len(cats)))
    for vals in pairable:
        counts = np.zeros(len(cats))
        for v in vals:
            counts[index[v]] += 1
        # ordered pairs of values from different coders, each unit weighted 1 / (m_u − 1)
        o += (np.outer(counts, counts) - np.diag(counts)) / (len(vals) - 1)
    n_c = o.sum(axis=1)
    n = float(n_c.sum())
    expected = n * n - float((n_c**2).sum())
    if expected <= 0:
        return None
    observed = n - float(np.trace(o))
    return float(1.0 - (n - 1.0) * observed / expected)


def cohen_kappa(a: Sequence[Hashable | None], b: Sequence[Hashable | None]) -> float | None:
    """Cohen's kappa of two raters' labels on the same items (pairs with a None are left out).

    >>> cohen_kappa(["y", "y", "n", "n"], ["y", "n", "n", "n"])
    0.5
    """
    if len(a) != len(b):
        raise ValueError(f"cohen_kappa needs two equally long sequences, got {len(a)} and {len(b)}")
    pairs = [(x, y) for x, y in zip(a, b, strict=True) if x is not None and y is not None]
    if not pairs:
        return None
    n = len(pairs)
    p_o = sum(1 for x, y in pairs if x == y) / n
    ca, cb = Counter(x for x, _ in pairs), Counter(y for _, y in pairs)
    p_e = sum(ca[c] * cb[c] for c in ca) / (n * n)
    if p_e >= 1.0:
        return None
    return (p_o - p_e) / (1.0 - p_e)


def one_vs_rest(units: Iterable[Iterable[Hashable | None]], label: Hashable) -> list[list[bool | None]]:
    """Units with each value replaced by ``value == label`` (None stays None)."""
    return [[None if v is None else v == label for v in unit] for unit in units]


def majority(values: Iterable[str]) -> tuple[str | None, float]:
    """The most common value and its share; (None, share) on a tie for first place."""
    counts = Counter(values).most_common()
    if not counts:
        return None, 0.0
    total = sum(n for _, n in counts)
    if len(counts) > 1 and counts[0][1] == counts[1][1]:
        return None, counts[0][1] / total
    return counts[0][0], counts[0][1] / total


def _units(ratings: Ratings) -> list[list[str]]:
    return [list(by_user.values()) for by_user in ratings.values()]


def pairwise_kappas(ratings: Ratings, min_shared: int = MIN_SHARED) -> dict[tuple[Any, Any], float]:
    """Cohen's kappa of every pair of labellers with at least ``min_shared`` items in common."""
    items_of: dict[Any, dict[Any, str]] = defaultdict(dict)
    for item, by_user in ratings.items():
        for user, label in by_user.items():
            items_of[user][item] = label
    out: dict[tuple[Any, Any], float] = {}
    for u, v in combinations(sorted(items_of, key=repr), 2):
        shared = sorted(set(items_of[u]) & set(items_of[v]), key=repr)
        if len(shared) < min_shared:
            continue
        k = cohen_kappa([items_of[u][i] for i in shared], [items_of[v][i] for i in shared])
        if k is not None:
            out[(u, v)] = k
    return out


def labeller_agreement(ratings: Ratings) -> dict[Any, dict[str, Any]]:
    """Per labeller: items, raw agreement and Cohen's kappa with the majority of the *other* labellers.

    Items where the others tie, or where the labeller is alone, are left out of that labeller's numbers.
    """
    mine: dict[Any, list[str]] = defaultdict(list)
    theirs: dict[Any, list[str]] = defaultdict(list)
    labelled: Counter[Any] = Counter()
    for by_user in ratings.values():
        for user, label in by_user.items():
            labelled[user] += 1
            others, _ = majority(v for u, v in by_user.items() if u != user)
            if others is not None:
                mine[user].append(label)
                theirs[user].append(others)
    out: dict[Any, dict[str, Any]] = {}
    for user in sorted(labelled, key=repr):
        a, b = mine[user], theirs[user]
        out[user] = {
            "labels": labelled[user],
            "compared": len(a),
            "agreement": sum(x == y for x, y in zip(a, b, strict=True)) / len(a) if a else None,
            "kappa_vs_majority": cohen_kappa(a, b) if a else None,
        }
    return out


def gold_scores(ratings: Ratings, gold: Mapping[Any, str]) -> dict[Any, dict[str, Any]]:
    """Per labeller: gold items answered, accuracy and Cohen's kappa against the gold answers."""
    given: dict[Any, list[str]] = defaultdict(list)
    truth: dict[Any, list[str]] = defaultdict(list)
    for item, answer in gold.items():
        for user, label in ratings.get(item, {}).items():
            given[user].append(label)
            truth[user].append(answer)
    return {
        user: {
            "n": len(given[user]),
            "accuracy": sum(x == y for x, y in zip(given[user], truth[user], strict=True)) / len(given[user]),
            "kappa": cohen_kappa(given[user], truth[user]),
        }
        for user in sorted(given, key=repr)
    }


def project_agreement(
    ratings: Ratings,
    labels: Sequence[str],
    gold: Mapping[Any, str] | None = None,
    *,
    min_shared: int = MIN_SHARED,
) -> dict[str, Any]:
    """Every agreement number of one project (the stats page), as a JSON-ready dict.

    ``ratings`` should hold the non-gold items; ``gold`` maps gold item → answer and is scored against
    the labels those items got (pass the gold items' ratings in ``ratings`` too, or leave ``gold`` out).
    """
    gold = gold or {}
    regular = {i: r for i, r in ratings.items() if i not in gold}
    units = _units(regular)
    kappas = pairwise_kappas(regular, min_shared)
    return {
        "items": len(regular),
        "items_pairable": sum(1 for u in units if len(u) >= 2),
        "labels": sum(len(u) for u in units),
        "alpha": krippendorff_alpha(units),
        "per_label": {
            label: {
                "alpha": krippendorff_alpha(one_vs_rest(units, label)),
                "count": sum(v == label for u in units for v in u),
            }
            for label in labels
        },
        "pairwise_kappa_mean": float(np.mean(list(kappas.values()))) if kappas else None,
        "pairs": len(kappas),
        "per_labeller": {str(user): stats for user, stats in labeller_agreement(regular).items()},
        "gold": {str(user): stats for user, stats in gold_scores(ratings, gold).items()},
    }
