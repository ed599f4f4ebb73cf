"""The band index: first node wins, and lookups (Bloom prefilter, then the sorted runs) agree with a
plain dictionary however large the index grows."""

from __future__ import annotations

import numpy as np
import pytest

from models.coordination.lsh import BandIndex, band_keys


def test_lookups_equal_a_dictionary_while_the_index_grows() -> None:
    rng = np.random.default_rng(7)
    index = BandIndex()
    truth: dict[int, int] = {}
    shared = rng.integers(0, 2**63, size=5000, dtype=np.int64).astype(np.uint64)
    node = 0
    for step in range(60):
        rows = int(rng.integers(1, 400))
        if step % 2:
            keys = rng.choice(shared, size=(rows, 16))
        else:
            keys = rng.integers(0, 2**64 - 1, size=(rows, 16), dtype=np.uint64)
        nodes = np.repeat(np.arange(node, node + rows, dtype=np.int64)[:, None], 16, axis=1)
        node += rows
        known = index.lookup(keys)
        expected = np.vectorize(lambda k: truth.get(int(k), -1), otypes=[np.int64])(keys)
        assert np.array_equal(known, expected)
        added = index.add(keys, nodes, known=known)
        for k, n in zip(keys.reshape(-1).tolist(), nodes.reshape(-1).tolist(), strict=True):
            truth.setdefault(k, n)  # first node that carried a key keeps it
        assert added == len(index) - (len(truth) - added)
        assert len(index) == len(truth)
    probe = rng.integers(0, 2**64 - 1, size=2000, dtype=np.uint64)
    expected = np.array([truth.get(int(k), -1) for k in probe.tolist()], dtype=np.int64)
    assert np.array_equal(index.lookup(probe), expected)
    assert len(index._bloom) > 1 << 16, "the filter grew with the index"


def test_band_keys_differ_per_band_and_refuse_uneven_bands() -> None:
    sigs = np.tile(np.arange(8, dtype=np.uint32), (2, 2))  # two equal signatures, equal halves
    keys = band_keys(sigs, 4)
    assert keys.shape == (2, 4)
    assert np.array_equal(keys[0], keys[1])
    assert len(set(keys[0].tolist())) == 4, "the band number is mixed into each key"
    with pytest.raises(ValueError, match="equal bands"):
        band_keys(sigs, 3)
