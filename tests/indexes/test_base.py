"""The SearchIndex contract, run against every backend (Elasticsearch when PANTAU_TEST_ES_URL is set)."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import UTC, datetime

import pytest

from indexes.base import AuthorFilter, Filters, IndexDocument, Query, ScoreRange, SearchIndex, document_from
from pantau.errors import QuerySyntaxError
from pantau.records import Author, ClaimMatch, Post, PostScores, Prediction
from tests.indexes.conftest import make_docs


def ids(result) -> list[str]:  # type: ignore[no-untyped-def]
    return [h.id for h in result.hits]


def all_pages(index: SearchIndex, query: Query) -> list[str]:
    seen: list[str] = []
    while True:
        result = index.search(query)
        seen += ids(result)
        if not result.next_cursor:
            return seen
        query = query.model_copy(update={"cursor": result.next_cursor})


def matching(docs: list[IndexDocument], pred) -> set[str]:  # type: ignore[no-untyped-def]
    return {d.id for d in docs if pred(d)}


@pytest.fixture
def filled(backend: SearchIndex) -> tuple[SearchIndex, list[IndexDocument]]:
    docs = make_docs(120)
    backend.upsert(docs)
    return backend, docs


def test_upsert_is_idempotent_and_delete_removes(backend: SearchIndex) -> None:
    docs = make_docs(10)
    backend.upsert(docs)
    backend.upsert(docs)
    assert backend.count() == 10
    changed = docs[0].model_copy(update={"text": "teks baru tentang bawaslu"})
    backend.upsert([changed])
    assert backend.count() == 10
    assert backend.get(docs[0].id).text == "teks baru tentang bawaslu"  # type: ignore[union-attr]
    backend.delete([docs[1].id, "no-such-id"])
    assert backend.count() == 9
    assert backend.get(docs[1].id) is None


def test_stemmed_search_finds_inflected_forms(filled) -> None:  # type: ignore[no-untyped-def]
    index, docs = filled
    found = set(ids(index.search(Query(text="menang", limit=500))))
    expected = matching(docs, lambda d: "menang" in d.text.lower())  # memenangkan, kemenangan
    assert found == expected and found


def test_phrase_and_boolean_operators(filled) -> None:  # type: ignore[no-untyped-def]
    index, docs = filled
    phrase = set(ids(index.search(Query(text='"surat suara"', limit=500))))
    assert phrase == matching(docs, lambda d: "surat suara" in d.text.lower())
    both = set(ids(index.search(Query(text="surat AND luar", limit=500))))
    assert both == matching(docs, lambda d: "surat" in d.text.lower() and "luar negeri" in d.text)
    either = set(ids(index.search(Query(text="bawaslu OR skincare", limit=500))))
    assert either == matching(docs, lambda d: "Bawaslu" in d.text or "skincare" in d.text)
    without = set(ids(index.search(Query(text="suara -tps", limit=500))))
    assert without == matching(docs, lambda d: "suara" in d.text.lower() and "tps" not in d.text.lower())


def test_malformed_query_is_a_clear_error(backend: SearchIndex) -> None:
    for bad in ['"unclosed', "(a OR b", "a OR", "AND b", "()", "a )"]:
        with pytest.raises(QuerySyntaxError, match="position"):
            backend.search(Query(text=bad))


def test_filters_match_brute_force(filled) -> None:  # type: ignore[no-untyped-def]
    index, docs = filled
    cases = [
        (Filters(platforms=["telegram", "x"]), lambda d: d.platform in ("telegram", "x")),
        (Filters(sources=["kanal_a"]), lambda d: d.source_id == "kanal_a"),
        (Filters(author_kinds=["influencer"]), lambda d: d.author_kind == "influencer"),
        (Filters(labels={"hoax": ["hoax"]}), lambda d: d.labels["hoax"] == "hoax"),
        (
            Filters(scores=[ScoreRange(field="hoax", min=0.3, max=0.6)]),
            lambda d: 0.3 <= d.scores["hoax"] <= 0.6,
        ),
        (Filters(scores=[ScoreRange(field="risk", min=0.8)]), lambda d: d.risk >= 0.8),
        (Filters(has_claim_match=True), lambda d: bool(d.factcheck_ids)),
        (Filters(has_claim_match=False), lambda d: not d.factcheck_ids),
        (Filters(tags=["paslon-01"]), lambda d: "paslon-01" in d.tags),
        (Filters(review_status=["unreviewed"]), lambda d: d.review_status == "unreviewed"),
        (
            Filters(
                published_from=datetime(2029, 1, 12, tzinfo=UTC),
                published_to=datetime(2029, 1, 14, tzinfo=UTC),
            ),
            lambda d: datetime(2029, 1, 12, tzinfo=UTC) <= d.date < datetime(2029, 1, 14, tzinfo=UTC),
        ),
        (
            Filters(platforms=["news"], labels={"endorsement": ["undisclosed_paid_political"]}),
            lambda d: d.platform == "news" and d.labels["endorsement"] == "undisclosed_paid_political",
        ),
    ]
    for filters, pred in cases:
        result = index.search(Query(filters=filters, limit=500))
        assert set(ids(result)) == matching(docs, pred), filters
        assert result.total == len(matching(docs, pred))


def test_author_filter_matches_brute_force(filled) -> None:  # type: ignore[no-untyped-def]
    index, docs = filled
    monitored = {"official_campaign", "influencer", "media", "public_figure"}
    cases = [
        (Filters(authors=["akun3"]), lambda d: d.author_handle == "akun3"),
        (Filters(authors=["@AKUN3", "akun7"]), lambda d: d.author_handle in ("akun3", "akun7")),
        (
            Filters(authors=[AuthorFilter(handle="akun3", platform="telegram")]),
            lambda d: d.author_handle == "akun3" and d.platform == "telegram",
        ),
        (
            Filters(authors=[AuthorFilter(handle="akun3", monitored_only=True), "akun7"]),
            lambda d: (
                (d.author_handle == "akun3" and d.author_kind in monitored) or d.author_handle == "akun7"
            ),
        ),
        (
            Filters(authors=["akun3", "akun7"], platforms=["x"]),
            lambda d: d.author_handle in ("akun3", "akun7") and d.platform == "x",
        ),
        (Filters(authors=["nobody"]), lambda d: False),
    ]
    for filters, pred in cases:
        expected = matching(docs, pred)
        result = index.search(Query(filters=filters, limit=500))
        assert set(ids(result)) == expected, filters
        assert result.total == len(expected)
    assert matching(docs, lambda d: d.author_handle == "akun3" and d.author_kind not in monitored)
    with pytest.raises(QuerySyntaxError, match="author"):
        Filters(authors=["@ "])


def test_facet_counts_equal_brute_force(filled) -> None:  # type: ignore[no-untyped-def]
    index, docs = filled
    query = Query(
        text="suara OR menang", facets=["label", "platform", "source", "tag", "day", "review_status"]
    )
    result = index.search(query)
    hit = [d for d in docs if d.id in set(all_pages(index, query.model_copy(update={"limit": 50})))]
    assert result.total == len(hit)
    assert result.facets["platform"] == dict(Counter(d.platform for d in hit))
    assert result.facets["source"] == dict(Counter(d.source_id for d in hit))
    assert result.facets["tag"] == dict(Counter(t for d in hit for t in d.tags))
    assert result.facets["label"] == dict(Counter(f"{k}:{v}" for d in hit for k, v in d.labels.items()))
    assert result.facets["day"] == dict(Counter(d.date.strftime("%Y-%m-%d") for d in hit))
    assert result.facets["review_status"] == dict(Counter(d.review_status for d in hit))


def test_sorts(filled) -> None:  # type: ignore[no-untyped-def]
    index, docs = filled
    by_date = [h.document for h in index.search(Query(sort="date", limit=500)).hits]
    assert [d.date for d in by_date] == sorted((d.date for d in docs), reverse=True)
    oldest = [h.document for h in index.search(Query(sort="date_asc", limit=500)).hits]
    assert [d.date for d in oldest] == sorted(d.date for d in docs)
    risky = [h.document.risk for h in index.search(Query(sort="risk", limit=500)).hits]
    assert risky == sorted(risky, reverse=True) and len(risky) == len(docs)
    with pytest.raises(QuerySyntaxError, match="'loudest'"):
        Query(sort="loudest")


@pytest.mark.parametrize("sort", ["date", "date_asc", "risk", "relevance"])
def test_cursor_pages_cover_everything_once(filled, sort: str) -> None:  # type: ignore[no-untyped-def]
    index, docs = filled
    text = "suara OR menang OR pemilu OR catatan" if sort == "relevance" else ""
    seen = all_pages(index, Query(text=text, sort=sort, limit=7))
    assert len(seen) == len(set(seen)) == len(docs)


@pytest.mark.parametrize("sort", ["date", "risk", "relevance"])
def test_pagination_is_stable_while_indexing_continues(backend: SearchIndex, sort: str) -> None:
    docs = make_docs(90)
    backend.upsert(docs)
    text = "catatan" if sort == "relevance" else ""
    query = Query(text=text, sort=sort, limit=10)
    first = backend.search(query)
    stop = threading.Event()

    def writer() -> None:
        n = 0
        while not stop.is_set() and n < 20:
            backend.upsert(make_docs(5, seed=100 + n, prefix=f"new{n}-"))
            n += 1

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        seen = ids(first)
        cursor = first.next_cursor
        while cursor:
            page = backend.search(query.model_copy(update={"cursor": cursor}))
            seen += ids(page)
            cursor = page.next_cursor
    finally:
        stop.set()
        thread.join()
    original = {d.id for d in docs}
    assert len(seen) == len(set(seen)), "a document appeared on two pages"
    assert original <= set(seen), "an original document was skipped"


def test_snippets_highlight_and_escape(backend: SearchIndex) -> None:
    doc = make_docs(1)[0].model_copy(update={"text": "<script>alert(1)</script> Paslon memenangkan debat"})
    backend.upsert([doc])
    hit = backend.search(Query(text="menang")).hits[0]
    assert "<mark>memenangkan</mark>" in hit.snippet_html
    assert "<script>" not in hit.snippet_html and "&lt;script&gt;" in hit.snippet_html
    start, end = hit.highlights[0]
    assert hit.snippet[start:end] == "memenangkan"


def test_similar_posts(filled) -> None:  # type: ignore[no-untyped-def]
    index, docs = filled
    similar = index.similar(docs[1].id, k=5)
    assert similar and docs[1].id not in [h.id for h in similar]
    assert all("surat suara" in h.document.text or "pemungutan" in h.document.text for h in similar[:3])


def test_rebuild_replaces_everything(filled) -> None:  # type: ignore[no-untyped-def]
    index, docs = filled
    fresh = make_docs(15, seed=3, prefix="r")
    assert index.rebuild([fresh[:10], fresh[10:]]) == 15
    assert index.count() == 15
    assert index.get(docs[0].id) is None
    assert index.stats()["documents"] == 15


def test_bad_cursor_is_a_clear_error(filled) -> None:  # type: ignore[no-untyped-def]
    index, _ = filled
    with pytest.raises(QuerySyntaxError, match="cursor"):
        index.search(Query(sort="date", cursor="not-a-cursor"))
    page = index.search(Query(sort="date", limit=5))
    with pytest.raises(QuerySyntaxError, match="cursor"):
        index.search(Query(sort="risk", limit=5, cursor=page.next_cursor))


def test_document_from_defines_risk() -> None:
    post = Post(
        id="p1", platform="x", source_id="s", text="Teks", author=Author(handle="a"), tags=["paslon-01"]
    )
    scores = PostScores(
        post_id="p1",
        language="id",
        predictions=[
            Prediction(
                post_id="p1",
                task="hoax",
                model_version="h1",
                label="not_hoax",
                score=0.7,
                probabilities={"hoax": 0.3, "not_hoax": 0.7},
            ),
            Prediction(
                post_id="p1",
                task="endorsement",
                model_version="e1",
                label="organic_political",
                score=0.6,
                probabilities={"undisclosed_paid_political": 0.2},
            ),
        ],
        claim_matches=[ClaimMatch(post_id="p1", factcheck_id="fc9", similarity=0.8)],
    )
    doc = document_from(post, scores, "false")
    assert doc.scores == {"hoax": 0.3, "endorsement": 0.2}
    assert doc.risk == pytest.approx(0.8 * (0.5 + 0.5 * 0.3))  # the claim boost beats P(hoax) = 0.3
    assert doc.labels == {"hoax": "not_hoax", "endorsement": "organic_political"}
    assert doc.review_status == "false" and doc.language == "id" and doc.factcheck_ids == ["fc9"]
    assert document_from(post, None).risk == 0.0


def test_pages_through_ties_in_the_sort_key(backend: SearchIndex) -> None:
    same = datetime(2029, 1, 20, 8, 0, tzinfo=UTC)
    docs = [d.model_copy(update={"published_at": same, "risk": 0.5}) for d in make_docs(25)]
    backend.upsert(docs)
    seen = all_pages(backend, Query(sort="risk", limit=7))
    assert seen == sorted(d.id for d in docs)  # equal keys: ordered by post id, each exactly once
