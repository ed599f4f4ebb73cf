"""Elasticsearch request builders, dict to dict (no cluster needed)."""

from __future__ import annotations

from datetime import UTC, datetime

from indexes import es_builders as B
from indexes.base import AuthorFilter, Filters, Query, ScoreRange
from indexes.cursor import Cursor
from indexes.query_parser import parse_query
from tests.indexes.conftest import make_docs


def test_template_uses_indonesian_analyzer_dense_vector_and_prefix() -> None:
    template = B.index_template("civic")
    assert template["index_patterns"] == ["civic-posts-*"]
    props = template["template"]["mappings"]["properties"]
    assert props["text"]["analyzer"] == "indonesian"
    assert props["text"]["fields"]["exact"]["analyzer"] == "pantau_exact"
    assert props["embedding"] == {"type": "dense_vector", "dims": 384, "index": True, "similarity": "cosine"}
    assert template["template"]["mappings"]["_meta"]["schema_version"] == B.schema_version()
    assert B.alias_name("civic") == "civic-posts"


def test_template_request_uses_client_keywords() -> None:
    request = B.template_request("civic")
    assert request["meta"]["schema_version"] == B.schema_version() and "_meta" not in request
    assert request["index_patterns"] == ["civic-posts-*"] and request["priority"] == 200


def test_relevance_pages_run_in_a_point_in_time() -> None:
    query = Query(text="curang")
    body = B.search_body(query, parse_query("curang"), None, pit="pit-1")
    assert body["pit"] == {"id": "pit-1", "keep_alive": B.PIT_KEEP_ALIVE}
    resp = {
        "pit_id": "pit-2",
        "hits": {
            "total": {"value": 30},
            "hits": [
                {"_id": d.id, "_score": 1.0, "_source": B.doc_source(d), "sort": [1.0, d.id]}
                for d in make_docs(21)
            ],
        },
    }
    *_, cursor = B.read_response(query, resp)
    assert (
        cursor is not None
        and cursor.snapshot == "pit-2"
        and cursor.after == (1.0, resp["hits"]["hits"][19]["_id"])
    )


def test_text_query_translation() -> None:
    assert B.text_query(parse_query("menang")) == {
        "multi_match": {"query": "menang", "fields": ["title", "text"], "type": "best_fields"}
    }
    assert B.text_query(parse_query('kpu -"surat suara" (a OR b)')) == {
        "bool": {
            "must": [
                {"multi_match": {"query": "kpu", "fields": ["title", "text"], "type": "best_fields"}},
                {
                    "bool": {
                        "should": [
                            {
                                "multi_match": {
                                    "query": "a",
                                    "fields": ["title", "text"],
                                    "type": "best_fields",
                                }
                            },
                            {
                                "multi_match": {
                                    "query": "b",
                                    "fields": ["title", "text"],
                                    "type": "best_fields",
                                }
                            },
                        ],
                        "minimum_should_match": 1,
                    }
                },
            ],
            "must_not": [
                {
                    "multi_match": {
                        "query": "surat suara",
                        "fields": ["title.exact", "text.exact"],
                        "type": "phrase",
                    }
                }
            ],
        }
    }
    assert B.text_query(parse_query("-hoaks")) == {
        "bool": {
            "must": [{"match_all": {}}],
            "must_not": [
                {"multi_match": {"query": "hoaks", "fields": ["title", "text"], "type": "best_fields"}}
            ],
        }
    }


def test_filters_translation() -> None:
    filters = Filters(
        platforms=["telegram"],
        labels={"hoax": ["hoax"]},
        scores=[ScoreRange(field="risk", min=0.7), ScoreRange(field="endorsement", max=0.2)],
        has_claim_match=True,
        published_from=datetime(2029, 1, 1, tzinfo=UTC),
        published_to=datetime(2029, 2, 1, tzinfo=UTC),
        tags=["paslon-01"],
        review_status=["unreviewed"],
    )
    assert B.filter_clauses(filters) == [
        {"terms": {"platform": ["telegram"]}},
        {"terms": {"tags": ["paslon-01"]}},
        {"terms": {"review_status": ["unreviewed"]}},
        {"terms": {"label_pairs": ["hoax:hoax"]}},
        {"range": {"risk": {"gte": 0.7}}},
        {"range": {"scores.endorsement": {"lte": 0.2}}},
        {"range": {"claim_count": {"gte": 1}}},
        {"range": {"date": {"gte": "2029-01-01T00:00:00+00:00", "lt": "2029-02-01T00:00:00+00:00"}}},
    ]
    assert B.filter_clauses(Filters(has_claim_match=False)) == [{"term": {"claim_count": 0}}]


def test_author_filter_translation() -> None:
    assert B.filter_clauses(Filters(authors=["@Relawan_Nusantara", "akun7"])) == [
        {"terms": {"author_key": ["akun7", "relawan_nusantara"]}}
    ]
    mixed = Filters(
        authors=[
            AuthorFilter(handle="budi", monitored_only=True),
            AuthorFilter(handle="sari", platform="telegram"),
            AuthorFilter(handle="ani", platform="telegram"),
        ]
    )
    assert B.filter_clauses(mixed) == [
        {
            "bool": {
                "should": [
                    {
                        "bool": {
                            "filter": [
                                {"terms": {"author_key": ["budi"]}},
                                {
                                    "terms": {
                                        "author_kind": [
                                            "influencer",
                                            "media",
                                            "official_campaign",
                                            "public_figure",
                                        ]
                                    }
                                },
                            ]
                        }
                    },
                    {
                        "bool": {
                            "filter": [
                                {"terms": {"author_key": ["ani", "sari"]}},
                                {"term": {"platform": "telegram"}},
                            ]
                        }
                    },
                ],
                "minimum_should_match": 1,
            }
        }
    ]


def test_search_body_sort_cursor_and_facets() -> None:
    query = Query(
        text="curang", sort="risk", limit=10, facets=["label", "day"], filters=Filters(sources=["a"])
    )
    body = B.search_body(
        query, parse_query(query.text), Cursor(sort="risk", after=(0.9, 1700000000000, "p1"))
    )
    assert body["sort"] == [{"risk": "desc"}, {"date": "desc"}, {"id": "asc"}]
    assert body["size"] == 11 and body["track_total_hits"] is True
    assert body["search_after"] == [0.9, 1700000000000, "p1"]
    assert body["query"]["bool"]["filter"] == [{"terms": {"source_id": ["a"]}}]
    assert body["aggs"] == {
        "label": {"terms": {"field": "label_pairs", "size": 1000}},
        "day": {
            "date_histogram": {
                "field": "date",
                "calendar_interval": "day",
                "format": "yyyy-MM-dd",
                "min_doc_count": 1,
            }
        },
    }
    assert B.search_body(Query(), parse_query(""), None)["sort"] == [{"date": "desc"}, {"id": "asc"}]


def test_read_response_builds_hits_facets_and_cursor() -> None:
    docs = make_docs(3)
    query = Query(sort="date", limit=2)
    resp = {
        "hits": {
            "total": {"value": 3, "relation": "eq"},
            "hits": [
                {"_id": d.id, "_score": None, "_source": B.doc_source(d), "sort": [i, d.id]}
                for i, d in enumerate(docs)
            ],
        },
        "aggregations": {"day": {"buckets": [{"key": 1, "key_as_string": "2029-01-10", "doc_count": 3}]}},
    }
    hits, total, facets, cursor = B.read_response(query, resp)
    assert [d.id for _, d in hits] == [docs[0].id, docs[1].id] and total == 3
    assert hits[0][1] == docs[0]
    assert facets == {"day": {"2029-01-10": 3}}
    assert cursor == Cursor(sort="date", after=(1, docs[1].id))


def test_doc_source_and_bulk_actions() -> None:
    doc = make_docs(1)[0]
    source = B.doc_source(doc)
    assert source["label_pairs"] == sorted(f"{k}:{v}" for k, v in doc.labels.items())
    assert source["claim_count"] == len(doc.factcheck_ids) and source["date"] == doc.date.isoformat()
    assert "embedding" not in source
    assert doc.author_handle and source["author_key"] == doc.author_handle.casefold()
    properties = B.index_template("p")["template"]["mappings"]["properties"]
    assert set(source) <= set(properties)  # the mapping is strict: every field must be declared
    assert B.bulk_actions("i1", [doc]) == [
        {"_op_type": "index", "_index": "i1", "_id": doc.id, "_source": source}
    ]


def test_alias_swap_is_one_atomic_request() -> None:
    assert B.alias_swap_actions("p-posts", "p-posts-2", ["p-posts-1"]) == [
        {"remove": {"index": "p-posts-1", "alias": "p-posts"}},
        {"add": {"index": "p-posts-2", "alias": "p-posts", "is_write_index": True}},
    ]


def test_similar_uses_knn_when_an_embedding_exists() -> None:
    doc = make_docs(1)[0]
    assert "more_like_this" in B.similar_body(doc, "p-posts", 5)["query"]
    knn = B.similar_body(doc.model_copy(update={"embedding": [0.1] * 384}), "p-posts", 5)["knn"]
    assert knn["k"] == 5 and knn["filter"] == {"bool": {"must_not": [{"ids": {"values": [doc.id]}}]}}
