"""Banding LSH over MinHash signatures: an incremental index of band keys, held in sorted numpy runs.

A signature of ``bands × rows`` values is cut into ``bands`` bands; each band is hashed to one 64-bit key
(the band number is mixed in, so equal values in different bands never collide). Two texts whose Jaccard
similarity is ``s`` share at least one band key with probability ``1 - (1 - s**rows) ** bands``: with the
default 16 bands of 4 rows that is 0.64 at s = 0.5, 0.89 at 0.6 and 0.99 at 0.7, and 0.002 at 0.1, so
light paraphrases become candidates and unrelated posts almost never do. Candidates are then verified
on the full signature (:mod:`models.coordination.clusters`).

The index maps each key to the *first* node that carried it ("first wins"): a later node with the same key
is a candidate of that first node. Keys live in a logarithmic set of sorted runs (a new run per added
batch, runs of similar size merged), so adding is amortised O(log n) per key and a batch lookup is one
``searchsorted`` per run — a million posts' 16 million keys take ~200 MB, where a Python dict would take
several GB. The index is rebuilt from the stored signatures when the coordinator opens, so it needs no
file of its own.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

U64Array = NDArray[np.uint64]
I64Array = NDArray[np.int64]

_M1 = np.uint64(0x9E3779B97F4A7C15)
_M2 = np.uint64(0xBF58476D1CE4E5B9)


def band_keys(signatures: NDArray[np.uint32], bands: int) -> U64Array:
    """``(n, bands)`` 64-bit keys of the bands of ``signatures`` (``(n, bands * rows)`` uint32)."""
    n, width = signatures.shape
    if bands < 1 or width % bands:
        raise ValueError(f"{width} signature values cannot be cut into {bands} equal bands")
    rows = width // bands
    sig = signatures.reshape(n, bands, rows).astype(np.uint64)
    keys = np.zeros((n, bands), dtype=np.uint64)
    for r in range(rows):
        keys = (keys ^ sig[:, :, r]) * _M1
        keys ^= keys >> np.uint64(29)
    keys ^= (np.arange(bands, dtype=np.uint64) + np.uint64(1)) * _M2
    keys *= _M1
    keys ^= keys >> np.uint64(32)
    return keys


class BandIndex:
    """Band key → first node that carried it, in sorted runs (see the module docstring)."""

    def __init__(self) -> None:
        self._runs: list[tuple[U64Array, I64Array]] = []
        self._size = 0
        #: Bloom filter over every stored key (two bit positions per key, ~16 bits per key): most
        #: looked-up keys are new, and a miss answered here skips the binary searches in the large
        #: runs, whose cache misses grow with the index (never a false negative: answers are unchanged)
        self._bloom = np.zeros(1 << 16, dtype=np.uint8)

    def __len__(self) -> int:
        return self._size

    def _bit_positions(self, keys: U64Array) -> tuple[U64Array, U64Array]:
        mask = np.uint64(len(self._bloom) * 8 - 1)
        return keys & mask, (keys >> np.uint64(32)) & mask

    def _may_hold(self, keys: U64Array) -> NDArray[np.bool_]:
        first, second = self._bit_positions(keys)
        bloom = self._bloom
        seven = np.uint64(7)
        one: NDArray[np.uint8] = (bloom[first >> np.uint64(3)] >> (first & seven).astype(np.uint8)) & 1
        two: NDArray[np.uint8] = (bloom[second >> np.uint64(3)] >> (second & seven).astype(np.uint8)) & 1
        both: NDArray[np.bool_] = (one & two).astype(bool)
        return both

    def _remember(self, keys: U64Array) -> None:
        if self._size * 16 > len(self._bloom) * 8:  # too full: twice the size, refilled from the runs
            bits = len(self._bloom) * 8
            while self._size * 16 > bits:
                bits *= 2
            self._bloom = np.zeros(bits // 8, dtype=np.uint8)
            for run_keys, _ in self._runs:
                self._set_bits(run_keys)
        else:
            self._set_bits(keys)

    def _set_bits(self, keys: U64Array) -> None:
        seven = np.uint64(7)
        for pos in self._bit_positions(keys):
            np.bitwise_or.at(self._bloom, pos >> np.uint64(3), np.left_shift(1, pos & seven).astype(np.uint8))

    def lookup(self, keys: U64Array) -> I64Array:
        """The node of each key (``-1`` when the key is unknown); ``keys`` may have any shape."""
        flat = keys.reshape(-1)
        found = np.full(len(flat), -1, dtype=np.int64)
        maybe = np.nonzero(self._may_hold(flat))[0]
        if len(maybe) == 0:
            return found.reshape(keys.shape)
        # sorted queries walk each run in order (far fewer cache misses than random probes)
        order = maybe[np.argsort(flat[maybe])]
        queries = flat[order]
        hits = np.full(len(queries), -1, dtype=np.int64)
        for run_keys, run_nodes in self._runs:
            pos = np.searchsorted(run_keys, queries)
            pos[pos >= len(run_keys)] = 0
            hit = (run_keys[pos] == queries) & (hits < 0)
            hits[hit] = run_nodes[pos[hit]]
        found[order] = hits
        return found.reshape(keys.shape)

    def add(self, keys: U64Array, nodes: I64Array, known: I64Array | None = None) -> int:
        """Add ``keys`` (any shape) of ``nodes`` (same shape); keys already present, and repeats within the
        call after their first occurrence, are skipped. Returns how many keys were added. ``known`` is
        ``self.lookup(keys)`` when the caller has just computed it (saves a second lookup)."""
        flat_keys = keys.reshape(-1)
        flat_nodes = nodes.reshape(-1).astype(np.int64)
        if len(flat_keys) == 0:
            return 0
        fresh = (self.lookup(flat_keys) if known is None else known.reshape(-1)) < 0
        flat_keys, flat_nodes = flat_keys[fresh], flat_nodes[fresh]
        # np.unique keeps the first occurrence of each key, which is the earliest node (callers add in order)
        uniq, first = np.unique(flat_keys, return_index=True)
        if len(uniq) == 0:
            return 0
        self._runs.append((uniq, flat_nodes[first]))
        self._size += len(uniq)
        self._remember(uniq)
        while len(self._runs) > 1 and len(self._runs[-2][0]) <= 2 * len(self._runs[-1][0]):
            (k2, n2), (k1, n1) = self._runs.pop(), self._runs.pop()
            merged_keys = np.concatenate([k1, k2])
            merged_nodes = np.concatenate([n1, n2])
            order = np.argsort(merged_keys, kind="stable")
            self._runs.append((merged_keys[order], merged_nodes[order]))
        return len(uniq)
