"""The query language: a typed tree, clear errors with positions, and no unhandled error on any input."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexes.base import Query
from indexes.query_parser import And, MatchAll, Not, Or, Phrase, Term, parse_query, positive_terms
from indexes.tantivy_index import TantivyIndex
from pantau.errors import QuerySyntaxError
from tests.indexes.conftest import make_docs


def test_implicit_and_with_terms_stemmed() -> None:
    node = parse_query("kecurangan pemilu")
    assert node == And((Term("kecurangan"), Term("pemilu")))
    assert node.children[0].stem == "curang"  # type: ignore[union-attr]


def test_operators_in_english_and_indonesian() -> None:
    assert (
        parse_query("hoaks OR fitnah")
        == parse_query("hoaks ATAU fitnah")
        == Or((Term("hoaks"), Term("fitnah")))
    )
    assert parse_query("kpu AND curang") == parse_query("kpu DAN curang")
    assert parse_query("kpu -bawaslu") == parse_query("kpu NOT bawaslu") == parse_query("kpu BUKAN bawaslu")
    assert parse_query("kpu -bawaslu") == And((Term("kpu"), Not(Term("bawaslu"))))
    assert parse_query("atau dan") == And((Term("atau"), Term("dan")))  # lower case: plain words


def test_phrases_parentheses_and_hyphenated_words() -> None:
    assert parse_query('"Surat Suara" (ktp OR kk)') == And(
        (Phrase(("surat", "suara")), Or((Term("ktp"), Term("kk"))))
    )
    assert parse_query("e-ktp") == Phrase(("e", "ktp"))
    assert parse_query("“surat suara”") == Phrase(("surat", "suara"))
    assert parse_query("   ") == MatchAll()


def test_positive_terms_skip_negations() -> None:
    stems, phrases = positive_terms(parse_query('memenangkan "surat suara" -hoaks'))
    assert stems == {"menang"} and phrases == [("surat", "suara")]


@pytest.mark.parametrize(
    ("query", "reason", "position"),
    [
        ('kpu "surat suara', "unclosed quote", 5),
        ("(ktp OR kk", "unclosed '('", 1),
        ("ktp)", "unmatched ')'", 4),
        ("kpu OR", "needs a word after it", 5),
        ("AND kpu", "needs a word before it", 1),
        ("kpu ()", "empty parentheses", 5),
        ("kpu -", "needs a word after it", 5),
        ("!!!", "no letters or digits", 1),
    ],
)
def test_malformed_queries_name_position_and_reason(query: str, reason: str, position: int) -> None:
    with pytest.raises(QuerySyntaxError) as err:
        parse_query(query)
    assert reason in str(err.value) and f"position {position}" in str(err.value)


def test_limits() -> None:
    with pytest.raises(QuerySyntaxError, match="limit"):
        parse_query("a " * 600)
    with pytest.raises(QuerySyntaxError, match="more than 64"):
        parse_query(" ".join(f"w{i}" for i in range(70)))
    with pytest.raises(QuerySyntaxError, match="nested deeper"):
        parse_query("(" * 20 + "a" + ")" * 20)


ALPHABET = st.sampled_from(
    list('abc kpu"()-ATAUORNDT ') + ["AND", "OR", "NOT", " ", "é", "\n", "“", "#", "_"]
)


@pytest.fixture(scope="module")
def small_index():  # type: ignore[no-untyped-def]
    index = TantivyIndex(None)
    index.upsert(make_docs(30))
    yield index
    index.close()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(st.lists(ALPHABET, max_size=25).map("".join), st.text(max_size=60)))
def test_fuzz_any_input_is_answered_or_refused_cleanly(small_index, text: str) -> None:  # type: ignore[no-untyped-def]
    try:
        result = small_index.search(Query(text=text, facets=["platform"], limit=5))
    except QuerySyntaxError as exc:
        assert "query" in str(exc)
    else:
        assert result.total >= len(result.hits)
