"""Pure functions that build Elasticsearch requests and read its answers (tested dict-to-dict).

Nothing here talks to a cluster: :mod:`indexes.es_index` sends what these functions build. Text is
searched on ``text``/``title`` (built-in ``indonesian`` analyzer: stop words + stemmer) and quoted
phrases on their ``.exact`` sub-fields (lower-cased, unstemmed) — the same semantics as the tantivy
backend. Pagination is ``search_after`` on (sort key, ``id``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from indexes.base import AuthorFilter, Filters, IndexDocument, Query, author_key
from indexes.cursor import Cursor
from indexes.query_parser import MatchAll, Node, Not, Or, Phrase, Term

MAPPINGS_DIR = Path(__file__).parent / "mappings"
TEXT_FIELDS = ["title", "text"]
EXACT_FIELDS = ["title.exact", "text.exact"]
FACET_AGGS = {
    "label": "label_pairs",
    "platform": "platform",
    "source": "source_id",
    "author_kind": "author_kind",
    "tag": "tags",
    "review_status": "review_status",
    "language": "language",
}
PIT_KEEP_ALIVE = "10m"
SORTS: dict[str, list[dict[str, Any]]] = {
    "relevance": [{"_score": "desc"}, {"id": "asc"}],
    "date": [{"date": "desc"}, {"id": "asc"}],
    "date_asc": [{"date": "asc"}, {"id": "asc"}],
    "risk": [{"risk": "desc"}, {"date": "desc"}, {"id": "asc"}],
}


def alias_name(prefix: str) -> str:
    """The alias every read and write goes through."""
    return f"{prefix}-posts"


def template_name(prefix: str) -> str:
    return f"{prefix}-posts"


def index_template(prefix: str) -> dict[str, Any]:
    """The composable index template from ``mappings/posts.json`` with the prefix filled in."""
    data: dict[str, Any] = json.loads((MAPPINGS_DIR / "posts.json").read_text("utf-8"))
    data["index_patterns"] = [p.replace("{prefix}", prefix) for p in data["index_patterns"]]
    return data


def template_request(prefix: str) -> dict[str, Any]:
    """Keyword arguments of ``client.indices.put_index_template`` (the JSON's ``_meta`` is ``meta``)."""
    data = index_template(prefix)
    request = {key: value for key, value in data.items() if key != "_meta"}
    if "_meta" in data:
        request["meta"] = data["_meta"]
    return request


def schema_version() -> int:
    """The mapping's schema version (stored in the index's ``_meta``)."""
    return int(index_template("x")["template"]["mappings"]["_meta"]["schema_version"])


def doc_source(doc: IndexDocument) -> dict[str, Any]:
    """The ``_source`` stored for one document."""
    source = doc.model_dump(mode="json", exclude={"embedding"})
    source["date"] = doc.date.isoformat()
    source["label_pairs"] = [f"{task}:{label}" for task, label in sorted(doc.labels.items())]
    source["claim_count"] = len(doc.factcheck_ids)
    if doc.author_handle and author_key(doc.author_handle):
        source["author_key"] = author_key(doc.author_handle)
    if doc.embedding is not None:
        source["embedding"] = doc.embedding
    return source


def document_of(source: dict[str, Any]) -> IndexDocument:
    """The :class:`IndexDocument` back from a ``_source``."""
    fields = set(IndexDocument.model_fields)
    return IndexDocument.model_validate({k: v for k, v in source.items() if k in fields})


def bulk_actions(index: str, docs: list[IndexDocument]) -> list[dict[str, Any]]:
    """Bulk ``index`` actions (idempotent: the post id is the document id)."""
    return [{"_op_type": "index", "_index": index, "_id": d.id, "_source": doc_source(d)} for d in docs]


def text_query(node: Node) -> dict[str, Any]:
    """The query DSL of a parsed text query."""
    if isinstance(node, MatchAll):
        return {"match_all": {}}
    if isinstance(node, Term):
        return {"multi_match": {"query": node.word, "fields": TEXT_FIELDS, "type": "best_fields"}}
    if isinstance(node, Phrase):
        return {"multi_match": {"query": " ".join(node.words), "fields": EXACT_FIELDS, "type": "phrase"}}
    if isinstance(node, Not):
        return {"bool": {"must": [{"match_all": {}}], "must_not": [text_query(node.child)]}}
    if isinstance(node, Or):
        return {"bool": {"should": [text_query(c) for c in node.children], "minimum_should_match": 1}}
    must = [text_query(c) for c in node.children if not isinstance(c, Not)]
    must_not = [text_query(c.child) for c in node.children if isinstance(c, Not)]
    out: dict[str, Any] = {"must": must or [{"match_all": {}}]}
    if must_not:
        out["must_not"] = must_not
    return {"bool": out}


def filter_clauses(f: Filters) -> list[dict[str, Any]]:
    """Filter context clauses (no scoring) for the typed filters."""
    out: list[dict[str, Any]] = []
    for field, values in (
        ("platform", f.platforms),
        ("source_id", f.sources),
        ("author_kind", f.author_kinds),
        ("tags", f.tags),
        ("review_status", f.review_status),
        ("language", f.languages),
        ("factcheck_ids", f.factcheck_ids),
    ):
        if values:
            out.append({"terms": {field: list(values)}})
    for task, labels in sorted(f.labels.items()):
        if labels:
            out.append({"terms": {"label_pairs": [f"{task}:{label}" for label in labels]}})
    for rng in f.scores:
        field = "risk" if rng.field == "risk" else f"scores.{rng.field}"
        bounds: dict[str, float] = {}
        if rng.min is not None:
            bounds["gte"] = rng.min
        if rng.max is not None:
            bounds["lte"] = rng.max
        if bounds:
            out.append({"range": {field: bounds}})
    if f.has_claim_match is not None:
        out.append(
            {"range": {"claim_count": {"gte": 1}}} if f.has_claim_match else {"term": {"claim_count": 0}}
        )
    if f.published_from is not None or f.published_to is not None:
        dates: dict[str, str] = {}
        if f.published_from is not None:
            dates["gte"] = f.published_from.isoformat()
        if f.published_to is not None:
            dates["lt"] = f.published_to.isoformat()
        out.append({"range": {"date": dates}})
    if f.authors:
        out.append(author_clause(f.authors))
    return out


def author_clause(authors: list[AuthorFilter]) -> dict[str, Any]:
    """Any of ``authors`` on ``author_key``; entries sharing a platform and kind restriction are grouped."""
    groups: dict[tuple[str | None, tuple[str, ...]], list[str]] = {}
    for a in authors:
        groups.setdefault((a.platform, tuple(a.kinds)), []).append(a.handle)
    alternatives: list[dict[str, Any]] = []
    for (platform, kinds), handles in sorted(groups.items(), key=lambda g: (g[0][0] or "", g[0][1])):
        parts: list[dict[str, Any]] = [{"terms": {"author_key": sorted(set(handles))}}]
        if platform is not None:
            parts.append({"term": {"platform": platform}})
        if kinds:
            parts.append({"terms": {"author_kind": list(kinds)}})
        alternatives.append(parts[0] if len(parts) == 1 else {"bool": {"filter": parts}})
    if len(alternatives) == 1:
        return alternatives[0]
    return {"bool": {"should": alternatives, "minimum_should_match": 1}}


def facet_aggs(names: list[str]) -> dict[str, Any]:
    """Aggregations for the requested facets."""
    aggs: dict[str, Any] = {}
    for name in dict.fromkeys(names):
        if name == "day":
            aggs[name] = {
                "date_histogram": {
                    "field": "date",
                    "calendar_interval": "day",
                    "format": "yyyy-MM-dd",
                    "min_doc_count": 1,
                }
            }
        else:
            aggs[name] = {"terms": {"field": FACET_AGGS[name], "size": 1000}}
    return aggs


def search_body(query: Query, node: Node, cursor: Cursor | None, pit: str | None = None) -> dict[str, Any]:
    """Keyword arguments of ``client.search`` for one page of ``query``.

    Relevance pages run in a point in time (``pit``) opened for the first page, so scores stay comparable
    while documents are added; date and risk pages need none (their keys are document values).
    """
    bool_query: dict[str, Any] = {"must": [text_query(node)]}
    filters = filter_clauses(query.filters)
    if filters:
        bool_query["filter"] = filters
    body: dict[str, Any] = {
        "query": {"bool": bool_query},
        "sort": SORTS[query.effective_sort],
        "size": query.limit + 1,
        "track_total_hits": True,
    }
    if cursor is not None and cursor.after is not None:
        body["search_after"] = list(cursor.after)
    if query.facets:
        body["aggs"] = facet_aggs(query.facets)
    if pit is not None:
        body["pit"] = {"id": pit, "keep_alive": PIT_KEEP_ALIVE}
    return body


def read_response(
    query: Query, resp: dict[str, Any]
) -> tuple[list[tuple[float | None, IndexDocument]], int, dict[str, dict[str, int]], Cursor | None]:
    """Hits (score, document), total, facet counts and the next page's cursor from a search response."""
    raw_hits = resp.get("hits", {}).get("hits", [])
    page = raw_hits[: query.limit]
    hits = [(h.get("_score"), document_of(h["_source"])) for h in page]
    total_info = resp.get("hits", {}).get("total", 0)
    total = int(total_info["value"] if isinstance(total_info, dict) else total_info)
    facets: dict[str, dict[str, int]] = {}
    for name, agg in (resp.get("aggregations") or {}).items():
        facets[name] = {
            str(b.get("key_as_string", b["key"])): int(b["doc_count"]) for b in agg.get("buckets", [])
        }
    next_cursor = None
    if len(raw_hits) > query.limit and page:
        pit = resp.get("pit_id")
        next_cursor = Cursor(sort=query.effective_sort, after=tuple(page[-1]["sort"]), snapshot=pit)
    return hits, total, facets, next_cursor


def similar_body(doc: IndexDocument, alias: str, k: int) -> dict[str, Any]:
    """kNN on the embedding when the document has one, else more_like_this on the text."""
    if doc.embedding is not None:
        return {
            "knn": {
                "field": "embedding",
                "query_vector": doc.embedding,
                "k": k,
                "num_candidates": 10 * (k + 1),
                "filter": {"bool": {"must_not": [{"ids": {"values": [doc.id]}}]}},
            },
            "size": k,
        }
    return {
        "query": {
            "more_like_this": {
                "fields": TEXT_FIELDS,
                "like": [{"_index": alias, "_id": doc.id}],
                "min_term_freq": 1,
                "min_doc_freq": 1,
                "max_query_terms": 25,
            }
        },
        "size": k,
    }


def alias_swap_actions(alias: str, new_index: str, old_indices: list[str]) -> list[dict[str, Any]]:
    """One atomic ``_aliases`` request: point ``alias`` at ``new_index`` and away from the old ones."""
    actions: list[dict[str, Any]] = [{"remove": {"index": old, "alias": alias}} for old in old_indices]
    actions.append({"add": {"index": new_index, "alias": alias, "is_write_index": True}})
    return actions
