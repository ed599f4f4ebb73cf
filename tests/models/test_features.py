"""The lexical featuriser: TF-IDF rows, style cues, reasons, and models saved before own hashing."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer

from models.training.features import (
    STYLE_CUES,
    Batch,
    FeatureConfig,
    LexicalFeaturizer,
    _letters_and_capitals,
    style_cues,
    top_contributions,
)
from pantau.election import Election, load_election
from pantau.settings import DEFAULTS_DIR

TRAIN = [
    "SEBARKAN!!! Surat suara sudah dicoblos sebelum hari H, cek gudang KPU",
    "Viral! Server KPU dikuasai hacker asing, hasil sudah diatur",
    "KPU menetapkan jadwal kampanye terbuka mulai pekan depan",
    "Bawaslu membuka posko pengaduan pelanggaran kampanye di setiap kecamatan",
    "Surat suara sudah dicoblos? Itu hoaks, kata KPU",
]


@pytest.fixture(scope="module")
def election() -> Election:
    return load_election(DEFAULTS_DIR / "election.yaml")


def _fitted(election: Election, **config: object) -> tuple[LexicalFeaturizer, Batch]:
    batch = Batch(TRAIN, election)
    return LexicalFeaturizer(FeatureConfig(n_features=2**12, **config)).fit(batch.prepared), batch  # type: ignore[arg-type]


def test_rows_are_unit_length_per_block_with_style_cues_last(election: Election) -> None:
    featurizer, batch = _fitted(election, char_weight=0.5)
    X = featurizer.transform(batch)
    n = featurizer.config.n_features
    assert X.shape == (len(TRAIN), 2 * n + len(STYLE_CUES)) == (len(TRAIN), featurizer.n_columns)
    dense = X.toarray()
    assert np.allclose(np.linalg.norm(dense[:, :n], axis=1), 1.0)
    assert np.allclose(np.linalg.norm(dense[:, n : 2 * n], axis=1), 0.5)  # char_weight
    expected = np.asarray([style_cues(t) for t in batch.masked]) * featurizer.config.style_weight
    assert np.allclose(dense[:, 2 * n :], expected)
    assert np.all(np.diff(X.indptr) > 0)
    assert X.has_canonical_format or np.all(np.diff(X.indices[X.indptr[0] : X.indptr[1]]) > 0)


def test_without_characters_or_style(election: Election) -> None:
    featurizer, batch = _fitted(election, use_char=False, use_style=False)
    X = featurizer.transform(batch)
    assert X.shape == (len(TRAIN), 2**12)
    assert all(kind == "word" for kind, _ in featurizer.names.values())


def test_idf_is_lower_for_common_ngrams(election: Election) -> None:
    featurizer, batch = _fitted(election)
    names = {gram: col for col, (kind, gram) in featurizer.names.items() if kind == "word"}
    assert featurizer.idf[names["kpu"]] < featurizer.idf[names["kampanye"]]


def test_describe_shows_whole_words_for_character_ngrams(election: Election) -> None:
    featurizer, batch = _fitted(election)
    text = batch.prepared[0]
    described = {featurizer.describe(c, text) for c in featurizer.transform(batch)[0].indices.tolist()}
    assert {("ngram", "dicoblos"), ("ngram", "sebarkan"), ("ngram", "sudah dicoblos")} <= described
    assert featurizer.describe(featurizer.n_columns - 1, text) == ("cue", STYLE_CUES[-1][1])


def test_a_model_saved_with_sklearn_vectorisers_still_scores(election: Election) -> None:
    """Models trained before pantau hashed n-grams itself load and score as they did."""
    config = FeatureConfig(n_features=2**12)
    batch = Batch(TRAIN, election)
    word = HashingVectorizer(
        ngram_range=(1, 2), n_features=2**12, alternate_sign=False, norm=None,
        token_pattern=r"(?u)\b\w+\b", lowercase=False,
    )  # fmt: skip
    char = HashingVectorizer(
        analyzer="char_wb", ngram_range=(3, 5), n_features=2**12, alternate_sign=False, norm=None,
        lowercase=False,
    )  # fmt: skip
    state = {
        "config": config,
        "word": word,
        "char": char,
        "word_tfidf": TfidfTransformer(sublinear_tf=True).fit(word.transform(batch.prepared)),
        "char_tfidf": TfidfTransformer(sublinear_tf=True).fit(char.transform(batch.prepared)),
        "names": {},
    }
    old = LexicalFeaturizer.__new__(LexicalFeaturizer)
    old.__setstate__(state)
    X = old.transform(batch)
    assert X.shape == (len(TRAIN), old.n_columns)
    assert np.allclose(np.linalg.norm(X.toarray()[:, : 2**12], axis=1), 1.0)


@pytest.mark.parametrize("text", ["", "ABC def", "HEBOH!!! Sebarkan", "ÀÉÎ abc ǅ Σσ 😂 İ", "ＡＢＣ"])
def test_letters_and_capitals_count_like_str_methods(text: str) -> None:
    assert _letters_and_capitals(text) == (
        sum(ch.isalpha() for ch in text),
        sum(ch.isupper() for ch in text),
    )


def test_style_cues() -> None:
    cues = dict(
        zip(
            [name for name, _ in STYLE_CUES],
            style_cues("AWAS!!! SEBARKAN ke grup www.contoh.com"),
            strict=True,
        )
    )
    assert cues["many_exclaim"] == 1.0 and cues["link"] == 1.0 and cues["share_call"] == 1.0
    assert cues["urgency"] == 1.0 and cues["caps"] > 0.0
    assert style_cues("biasa saja") == [0.0] * len(STYLE_CUES)


def test_top_contributions_rank_by_size() -> None:
    import scipy.sparse as sp

    X = sp.csr_matrix(np.array([[1.0, 2.0, 0.0, 3.0], [0.0, 0.0, 0.0, 0.0]]))
    weights = np.array([1.0, -2.0, 5.0, 0.0])
    assert top_contributions(X, weights, 2) == [[(1, -4.0), (0, 1.0)], []]


def _top_row_by_row(X: object, weights: np.ndarray, k: int) -> list[list[tuple[int, float]]]:
    """The former top_contributions: every numpy call per row (what the batched one must equal)."""
    import scipy.sparse as sp

    assert isinstance(X, sp.csr_matrix)
    values = X.data * weights[X.indices]
    out = []
    for i in range(X.shape[0]):
        data, cols = values[X.indptr[i] : X.indptr[i + 1]], X.indices[X.indptr[i] : X.indptr[i + 1]]
        pick = np.argpartition(-np.abs(data), k)[:k] if len(data) > k else np.arange(len(data))
        pick = pick[np.argsort(-np.abs(data[pick]))]
        picked = zip(cols[pick].tolist(), data[pick].tolist(), strict=True)
        out.append([(c, v) for c, v in picked if v != 0.0])
    return out


def test_top_contributions_equal_the_row_by_row_answer_with_ties() -> None:
    import scipy.sparse as sp

    rng = np.random.default_rng(3)
    for _ in range(200):
        X = sp.random(int(rng.integers(0, 20)), 100, density=rng.random(), format="csr", random_state=rng)
        X.data = np.round(X.data * 3) / 3  # many equal contributions
        weights = rng.choice([0.0, 0.5, -0.5, 1.0], 100).astype(np.float32)
        k = int(rng.integers(0, 25))
        assert top_contributions(X, weights, k) == _top_row_by_row(X, weights, k)


def test_describe_many_equals_describe() -> None:
    import random

    featurizer = LexicalFeaturizer()
    rnd = random.Random(2)
    grams = ["".join(rnd.choice("ab c") for _ in range(rnd.randint(0, 5))) for _ in range(200)]
    featurizer.names = {i: ("char" if i % 3 else "word", g) for i, g in enumerate([*grams, "", " ", " a"])}
    columns = [*featurizer.names, featurizer.n_columns - 1, 10**6]
    for _ in range(300):
        text = "".join(rnd.choice("ab c") for _ in range(rnd.randint(0, 30)))
        assert featurizer.describe_many(columns, text) == [featurizer.describe(c, text) for c in columns]


_CUE_PIECES = [
    "sebar", "sebarkan", "menyebarkan", "viral", "viralkan", "share", "bagikan", "teruskan", "forward",
    "jangan ", "berhenti", "putus", " di kamu", "segera", "darurat", "penting", "awas", "waspada",
    "breaking", "terbongkar", "heboh", "geger", "x", "_", " ", "!", "\n", "é", "ke", "kan",
]  # fmt: skip


def _cue_answers(text: str) -> list[bool]:
    from models.text.anchored import found_at_openings
    from models.training.features import _SHARE_CALL, _SHARE_WORDS, _URGENT, _URGENT_WORDS

    low = text.lower()
    fast = [
        found_at_openings(_SHARE_CALL, low, _SHARE_WORDS),
        found_at_openings(_URGENT, low, _URGENT_WORDS),
    ]
    assert fast == [_SHARE_CALL.search(low) is not None, _URGENT.search(low) is not None]
    return fast


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_CUE_PIECES), max_size=10).map("".join))
def test_share_and_urgency_cues_equal_a_search_of_the_whole_text(text: str) -> None:
    _cue_answers(text)


def test_share_and_urgency_cues_equal_a_search_of_the_whole_text_on_real_texts(real_texts: list[str]) -> None:
    found = [_cue_answers(text) for text in real_texts]
    assert any(share for share, _ in found) and any(urgent for _, urgent in found)
