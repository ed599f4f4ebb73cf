"""Garbage-collector settings for bulk runs (``pantau process`` and its scoring workers).

A bulk run allocates millions of short-lived objects (rows, records, feature lists) while it holds a large,
long-lived heap (loaded models, the coordinator's clusters). CPython's default generation-0 threshold (700
allocations) then triggers a collection every few posts, and each older-generation collection walks the
whole long-lived heap — measured at 12–25 % of ``pantau process``'s main-process CPU at 20,000 posts, more
as the heap grows. :func:`bulk_gc` moves what exists when the run starts out of the collector's sight
(:func:`gc.freeze`: models and settings live for the whole run anyway) and collects generation 0 every
:data:`GEN0_THRESHOLD` allocations instead. Reference cycles are still collected; only less often.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

#: allocations between generation-0 collections during a bulk run (CPython's default is 700)
GEN0_THRESHOLD = 50_000


def tune_for_bulk() -> tuple[int, int, int]:
    """Freeze the current heap and raise the generation-0 threshold; returns the previous thresholds."""
    previous = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(GEN0_THRESHOLD, previous[1], previous[2])
    return previous


@contextmanager
def bulk_gc() -> Iterator[None]:
    """:func:`tune_for_bulk` for the ``with`` block, then the previous thresholds and a thawed heap."""
    previous = tune_for_bulk()
    try:
        yield
    finally:
        gc.set_threshold(*previous)
        gc.unfreeze()
