import gc

import pytest

from pantau.bulkgc import GEN0_THRESHOLD, bulk_gc


def test_bulk_gc_raises_the_threshold_freezes_and_restores() -> None:
    before = gc.get_threshold()
    frozen_before = gc.get_freeze_count()
    with bulk_gc():
        assert gc.get_threshold()[0] == GEN0_THRESHOLD
        assert gc.get_threshold()[1:] == before[1:]
        assert gc.get_freeze_count() > frozen_before
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_bulk_gc_restores_after_an_error() -> None:
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), bulk_gc():
        raise RuntimeError("boom")
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_cycles_are_still_collected_during_a_bulk_run() -> None:
    class Node:
        def __init__(self) -> None:
            self.other: Node | None = None

    with bulk_gc():
        a, b = Node(), Node()
        a.other, b.other = b, a
        ident = id(a)
        del a, b
        gc.collect()
        assert not any(id(o) == ident for o in gc.get_objects() if isinstance(o, Node))
