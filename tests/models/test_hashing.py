"""Batch n-gram hashing: which n-grams are counted, counts per text, and the reverse map."""

from __future__ import annotations

import random

import numpy as np
import pytest
from sklearn.feature_extraction.text import HashingVectorizer

from models.training.hashing import Layout, _char_hashes, _word_hashes, count_ngrams, ngram_names

TEXTS = [
    "pokoknya coblos <nomor_urut> banget ! <hashtag> indonesia maju <url> dom_contoh_com",
    "a b",
    "",
    "saya suka banget ? ya",
    "kpu membantah kabar itu",
]


def _char_grams(texts: list[str], lo: int, hi: int) -> list[str]:
    lay = Layout.of(texts)
    _, pos, size = _char_hashes(lay, lo, hi)
    return sorted(lay.text[p : p + n] for p, n in zip(pos.tolist(), size.tolist(), strict=True))


@pytest.mark.parametrize(("lo", "hi"), [(3, 5), (2, 4), (4, 6)])
def test_character_ngrams_are_those_of_padded_words(lo: int, hi: int) -> None:
    """The documented equivalent: n-grams inside each space-padded token, short tokens whole."""
    rng = random.Random(lo * 10 + hi)
    alphabet = "ab<>_!?é"
    for _ in range(100):
        texts = [
            " ".join(
                "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 7)))
                for _ in range(rng.randint(0, 6))
            )
            for _ in range(rng.randint(1, 5))
        ]
        reference = HashingVectorizer(analyzer="char_wb", ngram_range=(lo, hi)).build_analyzer()
        assert _char_grams(texts, lo, hi) == sorted(g for t in texts for g in reference(t))


def test_word_ngrams_skip_lone_punctuation_and_stay_inside_a_text() -> None:
    lay = Layout.of(["saya suka ! banget", "ya ?"])
    _, first, n = _word_hashes(lay, 2)
    grams = set()
    for t, size in zip(first.tolist(), n.tolist(), strict=True):
        tokens = [lay.text[s:e] for s, e in zip(lay.starts.tolist(), lay.ends.tolist(), strict=True)]
        kept = [w for w in tokens[t:] if w not in ("!", "?", "%")]
        grams.add(" ".join(kept[:size]))
    assert grams == {"saya", "suka", "banget", "ya", "saya suka", "suka banget"}  # no "banget ya"


def test_counts_are_per_text_sorted_and_independent_of_the_batch() -> None:
    counts = count_ngrams(TEXTS, 2**12, 2, 3, 5, True)
    assert counts.n_rows == len(TEXTS) and counts.indptr[-1] == len(counts.indices)
    assert counts.indptr[3] == counts.indptr[2]  # the empty text has no n-grams
    for i in range(len(TEXTS)):
        cols = counts.indices[counts.indptr[i] : counts.indptr[i + 1]]
        assert np.all(np.diff(cols) > 0)  # sorted, each column once
    alone = count_ngrams([TEXTS[3]], 2**12, 2, 3, 5, True)
    row = slice(counts.indptr[3], counts.indptr[4])
    assert np.array_equal(alone.indices, counts.indices[row])
    assert np.array_equal(alone.counts, counts.counts[row])
    # every n-gram is counted once: 4 words + 3 bigrams + character n-grams of the padded words
    lay = Layout.of([TEXTS[1]])
    assert count_ngrams([TEXTS[1]], 2**12, 2, 3, 5, True).counts.sum() == 3 + len(_char_hashes(lay, 3, 5)[0])


def test_batches_sorted_as_32_and_64_bit_keys_count_alike() -> None:
    """Up to 4,096 texts of 2**19 buckets the sort keys fit 32 bits; one text more takes 64-bit keys."""
    rnd = random.Random(5)
    words = ["pemilu", "hoaks", "kpu", "raka", "<url>", "!", "a", "banget", "x" * 30, "é"]
    texts = [" ".join(rnd.choices(words, k=rnd.randint(0, 12))) for _ in range(4097)]
    wide = count_ngrams(texts, 2**19, 2, 3, 5, True)
    narrow = count_ngrams(texts[:4096], 2**19, 2, 3, 5, True)
    end = wide.indptr[4096]
    assert np.array_equal(narrow.indptr, wide.indptr[:4097])
    assert np.array_equal(narrow.indices, wide.indices[:end]) and narrow.indices.dtype == wide.indices.dtype
    assert np.array_equal(narrow.counts, wide.counts[:end]) and narrow.counts.dtype == wide.counts.dtype


def test_word_only_counts_and_any_bucket_count() -> None:
    counts = count_ngrams(["a b a b"], 1000, 1, 3, 5, False)
    assert sorted(counts.counts.tolist()) == [2.0, 2.0]
    assert counts.indices.max() < 1000


def test_a_nul_character_does_not_split_a_text() -> None:
    counts = count_ngrams(["satu\0dua", "tiga"], 2**10, 1, 3, 3, False)
    assert counts.indptr.tolist() == [0, 2, 3]


def test_reverse_map_names_the_most_frequent_ngram_of_each_bucket() -> None:
    names = ngram_names(["hoaks hoaks kpu", "hoaks kpu"], 2**16, 2, 3, 5, True, min_count=2)
    kinds = {kind for kind, _ in names.values()}
    assert kinds == {"word", "char"}
    words = {gram for kind, gram in names.values() if kind == "word"}
    assert words == {"hoaks", "kpu", "hoaks kpu"}  # "hoaks hoaks" is seen once only
    assert all(col >= 2**16 for col, (kind, _) in names.items() if kind == "char")
    counted = count_ngrams(["hoaks"], 2**16, 2, 3, 5, True)
    assert {names[c] for c in counted.indices.tolist() if c in names} >= {("word", "hoaks"), ("char", " ho")}
