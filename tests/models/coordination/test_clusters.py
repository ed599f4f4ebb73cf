"""Incremental clustering: batches equal one batch, persistence replays exactly, evidence counts."""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path

import numpy as np

from models.coordination.clusters import NODES_FILE, POSTS_FILE, SIGS_FILE, ClusterEngine
from models.coordination.config import CoordinationConfig
from models.coordination.coordinator import post_input
from models.coordination.lsh import BandIndex, band_keys
from models.coordination.minhash import MinHasher
from tests.models.coordination.streams import SCRIPT, T0, campaign, chatter, news_shares, post


def mixed_stream() -> list:
    other = "Lestari dan Bagus membawa perubahan nyata untuk petani dan nelayan, harga pupuk turun drastis!"
    posts = (
        campaign(25)
        + campaign(20, prefix="b", script=other, start=T0 + timedelta(hours=2))
        + news_shares(30, timedelta(hours=12))
        + chatter(40)
    )
    posts.sort(key=lambda p: p.published_at)
    return [post_input(p) for p in posts]


def assignment(engine: ClusterEngine) -> dict[str, str]:
    return {pid: engine.cluster_id(engine.root(engine.post_node[i])) for pid, i in engine.post_index.items()}


def test_incremental_batches_equal_one_batch_recomputation() -> None:
    stream = mixed_stream()
    whole = ClusterEngine(CoordinationConfig())
    whole.add(stream)
    for size in (1, 7, 50):
        parts = ClusterEngine(CoordinationConfig())
        for start in range(0, len(stream), size):
            parts.add(stream[start : start + size])
        assert assignment(parts) == assignment(whole), f"batch size {size}"
        for root in whole.members:
            a, b = whole.coordination(root), parts.coordination(root)
            assert (a.score, a.coordinated, a.accounts) == (b.score, b.coordinated, b.accounts)


def test_adding_the_same_posts_again_changes_nothing() -> None:
    stream = mixed_stream()
    engine = ClusterEngine(CoordinationConfig())
    roots, _, _ = engine.add(stream)
    again, _, merged = engine.add(stream)
    assert again == roots and merged == {}
    assert len(engine.post_ids) == len(stream)


def test_merges_keep_the_oldest_root() -> None:
    engine = ClusterEngine(CoordinationConfig())
    words = SCRIPT.split()
    a = post("m-a", " ".join(words[:18]), "u1", T0)
    b = post("m-b", " ".join(words[12:]), "u2", T0)
    engine.add([post_input(a), post_input(b)])
    assert len(engine.members) == 2, "two halves of a script are not near-duplicates"
    _, _, merged = engine.add([post_input(post("m-c", SCRIPT, "u3", T0))])
    assert merged and set(merged.values()) == {0}
    assert list(engine.members) == [0] and len(engine.members[0]) == 3


def test_a_shared_link_lowers_the_similarity_needed() -> None:
    base = (
        "warga kampung rawa bening menolak penggusuran pasar lama karena janji relokasi belum ditepati "
        "pemerintah kota"
    )
    rng = random.Random(0)
    words = base.split()
    changed = words[:]
    for i in rng.sample(range(len(words)), 6):
        changed[i] = changed[i][::-1]
    variant = " ".join(changed)
    sim = MinHasher.similarity(*MinHasher().signatures([base, variant]))
    config = CoordinationConfig()
    assert config.evidence_threshold <= sim < config.threshold, sim
    link = "https://berita.example.id/pasar"
    without = ClusterEngine(config)
    without.add([post_input(post("e1", base, "u1", T0)), post_input(post("e2", variant, "u2", T0))])
    with_link = ClusterEngine(config)
    with_link.add(
        [
            post_input(post("e1", f"{base} {link}", "u1", T0, links=[link])),
            post_input(post("e2", f"{variant} {link}", "u2", T0, links=[link])),
        ]
    )
    assert len(without.members) == 2 and len(with_link.members) == 1
    popular = ClusterEngine(config.model_copy(update={"max_evidence_nodes": 1}))
    popular.add(
        [
            post_input(post("e1", f"{base} {link}", "u1", T0, links=[link])),
            post_input(post("e2", f"{variant} {link}", "u2", T0, links=[link])),
        ]
    )
    assert len(popular.members) == 2, "a link shared by many texts is no longer evidence of a common origin"


def test_state_survives_a_reload_and_keeps_clustering(tmp_path: Path) -> None:
    stream = mixed_stream()
    half = len(stream) // 2
    engine = ClusterEngine(CoordinationConfig(), tmp_path)
    engine.add(stream[:half])
    engine.flush()
    reloaded = ClusterEngine.load(CoordinationConfig(), tmp_path)
    assert assignment(reloaded) == assignment(engine)
    reloaded.add(stream[half:])
    whole = ClusterEngine(CoordinationConfig())
    whole.add(stream)
    assert assignment(reloaded) == assignment(whole)


def test_a_torn_write_is_cut_back_and_the_posts_come_again(tmp_path: Path) -> None:
    stream = mixed_stream()
    engine = ClusterEngine(CoordinationConfig(), tmp_path)
    engine.add(stream[:40])
    engine.flush()
    engine.add(stream[40:])
    engine.flush()
    # simulate a crash in the middle of the last flush: half a signature and half a line
    sigs = (tmp_path / SIGS_FILE).read_bytes()
    (tmp_path / SIGS_FILE).write_bytes(sigs[: len(sigs) - 100])
    posts = (tmp_path / POSTS_FILE).read_text()
    (tmp_path / POSTS_FILE).write_text(posts[: len(posts) - 10])
    reloaded = ClusterEngine.load(CoordinationConfig(), tmp_path)
    n_nodes = len((tmp_path / NODES_FILE).read_text().splitlines())
    assert (tmp_path / SIGS_FILE).stat().st_size == n_nodes * 64 * 4
    assert len(reloaded.post_ids) < len(stream)
    reloaded.add(stream)
    reloaded.flush()
    whole = ClusterEngine(CoordinationConfig())
    whole.add(stream)
    assert assignment(reloaded) == assignment(whole)
    assert assignment(ClusterEngine.load(CoordinationConfig(), tmp_path)) == assignment(whole)


def test_band_index_returns_the_first_node_of_each_key() -> None:
    sigs = MinHasher().signatures(
        ["satu dua tiga empat lima enam", "satu dua tiga empat lima enam", "lain sama sekali"]
    )
    keys = band_keys(sigs, 16)
    index = BandIndex()
    assert index.add(keys[:1], np.zeros((1, 16), dtype=np.int64)) == 16
    assert index.add(keys[1:], np.array([[1] * 16, [2] * 16], dtype=np.int64)) == 16, "known keys are skipped"
    found = index.lookup(keys)
    assert (found[0] == 0).all() and (found[1] == 0).all() and (found[2] == 2).all()
    assert (index.lookup(keys[:, :1] + np.uint64(1)) == -1).all()
    for start in range(0, 4000, 100):  # many small runs merge into few
        index.add(np.arange(start, start + 100, dtype=np.uint64) * np.uint64(7919), np.full(100, 5, np.int64))
    assert len(index) == 4032 and len(index._runs) <= 12
