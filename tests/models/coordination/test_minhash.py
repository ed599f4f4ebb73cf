"""MinHash signatures: normalisation, evidence, and similarity estimates close to the true Jaccard."""

from __future__ import annotations

import random
import re

import numpy as np
import pytest

from models.coordination.minhash import (
    EMPTY,
    MinHasher,
    canonical_link,
    extract_evidence,
    is_native_share,
    normalize_for_dedup,
    stable_hash64,
)


def jaccard(a: str, b: str, k: int = 5) -> float:
    sa = {a[i : i + k] for i in range(len(a) - k + 1)}
    sb = {b[i : i + k] for i in range(len(b) - k + 1)}
    return len(sa & sb) / len(sa | sb)


def test_normalisation_drops_links_mentions_hashtags_punctuation_and_case() -> None:
    text = "RT @budi_s: Ayo DUKUNG paslon 01!!! 🔥 #Menang https://t.co/x www.contoh.id/a"
    assert normalize_for_dedup(text) == "ayo dukung paslon 01"


def test_evidence_canonicalises_links_and_hashtags() -> None:
    found = extract_evidence(
        "baca https://www.Detik.com/a/b?utm=1 #Pemilu2029", ["http://detik.com/a/b/"], ["#KPU"]
    )
    assert found == {"l:detik.com/a/b", "h:pemilu2029", "h:kpu"}
    assert canonical_link("HTTPS://www.kpu.go.id/berita/#top") == "kpu.go.id/berita"


def test_native_shares_are_recognised() -> None:
    assert is_native_share("RT @akun: isi", None)
    assert is_native_share("isi pesan", "kanal_asal")
    assert not is_native_share("Artikel bagus", None)


def test_identical_texts_have_identical_signatures_and_empty_texts_match_nothing() -> None:
    h = MinHasher()
    sigs = h.signatures(["ayo coblos paslon nomor satu", "ayo coblos paslon nomor satu", "", "hai"])
    assert np.array_equal(sigs[0], sigs[1])
    assert (sigs[2] == EMPTY).all()
    assert MinHasher.similarity(sigs[2], sigs[2]) == 0.0
    assert (sigs[3] != EMPTY).all(), "short texts still get a signature (densified)"


def test_estimated_similarity_tracks_true_jaccard() -> None:
    rng = random.Random(5)
    words = [
        "ayo",
        "dukung",
        "paslon",
        "nomor",
        "satu",
        "demi",
        "indonesia",
        "maju",
        "jangan",
        "lupa",
        "coblos",
        "harga",
        "beras",
        "murah",
    ]
    h = MinHasher()
    errors = []
    for _ in range(200):
        a = " ".join(rng.choices(words, k=20))
        w = a.split()
        for _ in range(rng.randint(0, 6)):
            w[rng.randrange(len(w))] = rng.choice(words)
        b = " ".join(w)
        sig = h.signatures([a, b])
        errors.append(MinHasher.similarity(sig[0], sig[1]) - jaccard(a, b))
    assert abs(float(np.mean(errors))) < 0.03
    assert float(np.std(errors)) < 0.09


def test_batch_signatures_equal_one_by_one() -> None:
    h = MinHasher()
    texts = ["satu dua tiga empat lima", "", "x", "hari ini hujan deras di jakarta"]
    together = h.signatures(texts)
    for i, text in enumerate(texts):
        assert np.array_equal(together[i], h.signatures([text])[0])


def test_stable_hash_is_stable_and_bad_parameters_are_refused() -> None:
    assert stable_hash64("selamat pagi") == 3644350800130617844, (
        "the same in every process (node keys are persisted)"
    )
    assert stable_hash64("a") != stable_hash64("b")
    with pytest.raises(ValueError, match="num_perm"):
        MinHasher(num_perm=60)
    with pytest.raises(ValueError, match="shingle"):
        MinHasher(shingle=0)


# --- the fast paths (bytes.translate for ASCII, str.find for link/mention/hashtag openings) must give
# exactly what the plain regular expressions give: node keys and evidence are persisted
_REF_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_REF_HASHTAG = re.compile(r"(?<![\w#])#(\w+)")
_REF_RT = re.compile(r"^\s*RT\s+@[A-Za-z0-9_.]{1,30}\s*:?\s*", re.IGNORECASE)
_REF_STRIP = re.compile(r"(?:https?://|www\.)\S+|[@#][\w.]+")
_REF_WORD = re.compile(r"[^\W_]+")
_TOKENS = [
    *"#@aB_. \n,/1xé",
    "##",
    "http",
    "https://",
    "HTTP://",
    "Https://",
    "www.",
    "WWW.",
    "http:/",
    "#tag",
    "@u.b",
    "#_x",
    "ß",
    "İ",
    "ſ",
    "\u212a",
    "🔥",
    "١",
    "Ａ",
    "\u200b",
]


def reference_normalize(text: str) -> str:
    text = text[:4000].casefold()
    if text.lstrip().startswith("rt"):
        text = _REF_RT.sub("", text)
    return " ".join(_REF_WORD.findall(_REF_STRIP.sub(" ", text)))[:2000]


def reference_evidence(text: str, links: tuple[str, ...], hashtags: tuple[str, ...]) -> frozenset[str]:
    found = {"l:" + canonical_link(u) for u in links if u}
    found.update("h:" + h.lstrip("#").casefold() for h in hashtags if h.strip("#"))
    if "http" in text or "www." in text:
        found.update("l:" + canonical_link(m.group(0)) for m in _REF_URL.finditer(text))
    found.update("h:" + m.group(1).casefold() for m in _REF_HASHTAG.finditer(text))
    found.discard("l:")
    return frozenset(found)


def test_fast_normalisation_and_evidence_equal_the_plain_regular_expressions() -> None:
    rng = random.Random(11)
    for i in range(20000):
        text = "".join(rng.choice(_TOKENS) for _ in range(rng.randint(0, 25)))
        if i % 5 == 0:
            text = "RT @ab_c: " + text
        if i % 7 == 0:
            text = text.encode("ascii", "ignore").decode()  # the ASCII paths
        links = ("http://A.b/c?x", "www.x.id/") if i % 11 == 0 else ()
        hashtags = ("#X", "##", "KPU") if i % 13 == 0 else ()
        assert normalize_for_dedup(text) == reference_normalize(text), text
        assert extract_evidence(text, links, hashtags) == reference_evidence(text, links, hashtags), text
    long = "Kata " * 1000 + "#Akhir"
    assert normalize_for_dedup(long) == reference_normalize(long)
    assert len(normalize_for_dedup(long)) == 2000


def test_shingles_never_cross_from_one_text_into_the_next() -> None:
    rng = random.Random(3)
    for shingle in (2, 5, 8):
        h = MinHasher(num_perm=16, shingle=shingle)
        lengths = [rng.choice([0, 1, 4, 5, 9, 30]) for _ in range(40)]
        texts = ["".join(rng.choice("ab é") for _ in range(n)) for n in lengths]
        together = h.signatures(texts)
        for i, text in enumerate(texts):
            assert np.array_equal(together[i], h.signatures([text])[0]), (shingle, text)
