"""The tantivy schema, document conversion and query building (no I/O here).

Fields:

* ``words`` / ``stems`` — the post's title and text analysed in Python (:mod:`indexes.analysis`) and
  joined by spaces; tantivy only splits on whitespace. ``words`` keeps positions (phrases),
  ``stems`` carries frequencies (BM25 on Indonesian stems).
* keyword fields (raw, fast): ``platform``, ``source``, ``author_kind``, ``tag``, ``label``
  (``task:label``), ``review``, ``language``, ``day``, ``factcheck`` — filters and facet counts;
  ``author`` (the handle as :func:`indexes.base.author_key` folds it; indexed, not fast) — filters only.
* numbers (indexed, fast): ``ts`` (seconds), ``hoax``, ``endorsement``, ``risk``, ``claims``, and the two
  sort keys ``date_key`` and ``risk_key`` (see :func:`date_key`) that make search_after pagination exact.
* ``doc`` — the whole :class:`IndexDocument` as JSON (stored only).
"""

from __future__ import annotations

import zlib
from datetime import datetime
from typing import Any

import tantivy

from indexes.analysis import stem_words, words
from indexes.base import AuthorFilter, Filters, IndexDocument, author_key
from indexes.query_parser import MatchAll, Node, Not, Or, Phrase, Term

SCHEMA_VERSION = 2  # 2: the author field
KEYWORD_FIELDS = (
    "id",
    "platform",
    "source",
    "author_kind",
    "tag",
    "label",
    "review",
    "language",
    "day",
    "factcheck",
    "author",
)
#: keyword fields without a fast column (filtered on, never counted or sorted by)
NOT_FAST = frozenset({"id", "author"})
FLOAT_FIELDS = ("hoax", "endorsement", "risk")
INT_FIELDS = ("ts", "claims", "date_key", "risk_key")
FACET_FIELDS = {
    "label": "label",
    "platform": "platform",
    "source": "source",
    "author_kind": "author_kind",
    "tag": "tag",
    "day": "day",
    "review_status": "review",
    "language": "language",
}
WS_ANALYZER = "pantau_ws"


def build_schema() -> tantivy.Schema:
    """The tantivy schema of ``SCHEMA_VERSION``."""
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("words", tokenizer_name=WS_ANALYZER, index_option="position")
    sb.add_text_field("stems", tokenizer_name=WS_ANALYZER, index_option="freq")
    for name in KEYWORD_FIELDS:
        sb.add_text_field(name, tokenizer_name="raw", fast=name not in NOT_FAST, index_option="basic")
    for name in FLOAT_FIELDS:
        sb.add_float_field(name, indexed=True, fast=True)
    for name in INT_FIELDS:
        sb.add_integer_field(name, indexed=True, fast=True)
    sb.add_bytes_field("doc", stored=True)
    return sb.build()


def ws_analyzer() -> tantivy.TextAnalyzer:
    """Whitespace split only: every other step of the analysis happened in Python."""
    return tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build()


def timestamp(value: datetime) -> int:
    return int(value.timestamp())


def date_key(doc_id: str, ts: int) -> int:
    """Seconds × 2¹⁶ + 16 bits of the id's CRC: ties only for two posts of the same second and hash."""
    return ts * 65536 + (zlib.crc32(doc_id.encode()) & 0xFFFF)


def risk_key(risk: float, ts: int) -> int:
    """Risk in millionths × 2³², then seconds: riskiest first, newest first among equals."""
    return round(risk * 1_000_000) * (1 << 32) + (ts & 0xFFFFFFFF)


def to_tantivy(doc: IndexDocument) -> tantivy.Document:
    """The tantivy document of ``doc``."""
    body = doc.body
    ws = words(body)
    ts = timestamp(doc.date)
    td = tantivy.Document()
    td.add_text("words", " ".join(ws))
    td.add_text("stems", " ".join(stem_words(ws)))
    td.add_text("id", doc.id)
    td.add_text("platform", doc.platform)
    td.add_text("source", doc.source_id)
    td.add_text("author_kind", doc.author_kind)
    if doc.author_handle and author_key(doc.author_handle):
        td.add_text("author", author_key(doc.author_handle))
    for tag in doc.tags:
        td.add_text("tag", tag)
    for task, label in sorted(doc.labels.items()):
        td.add_text("label", f"{task}:{label}")
    td.add_text("review", doc.review_status)
    td.add_text("language", doc.language or "und")
    td.add_text("day", doc.date.strftime("%Y-%m-%d"))
    for fid in doc.factcheck_ids:
        td.add_text("factcheck", fid)
    td.add_float("hoax", doc.scores.get("hoax", 0.0))
    td.add_float("endorsement", doc.scores.get("endorsement", 0.0))
    td.add_float("risk", doc.risk)
    td.add_integer("ts", ts)
    td.add_integer("claims", len(doc.factcheck_ids))
    td.add_integer("date_key", date_key(doc.id, ts))
    td.add_integer("risk_key", risk_key(doc.risk, ts))
    td.add_bytes("doc", doc.model_dump_json(exclude={"embedding"}).encode())
    return td


class QueryBuilder:
    """Turns parsed text and typed filters into tantivy queries for one schema."""

    def __init__(self, schema: tantivy.Schema) -> None:
        self.schema = schema

    def text(self, node: Node) -> tantivy.Query:
        """The tantivy query of a parsed text query."""
        Q, Oc = tantivy.Query, tantivy.Occur  # noqa: N806
        if isinstance(node, MatchAll):
            return Q.all_query()
        if isinstance(node, Term):
            return Q.term_query(self.schema, "stems", node.stem)
        if isinstance(node, Phrase):
            if len(node.words) == 1:
                return Q.term_query(self.schema, "words", node.words[0])
            return Q.phrase_query(self.schema, "words", list(node.words))
        if isinstance(node, Not):
            return Q.boolean_query([(Oc.Must, Q.all_query()), (Oc.MustNot, self.text(node.child))])
        if isinstance(node, Or):
            return Q.boolean_query([(Oc.Should, self.text(c)) for c in node.children])
        clauses: list[tuple[Any, tantivy.Query]] = []
        for child in node.children:
            if isinstance(child, Not):
                clauses.append((Oc.MustNot, self.text(child.child)))
            else:
                clauses.append((Oc.Must, self.text(child)))
        if all(occur == Oc.MustNot for occur, _ in clauses):
            clauses.append((Oc.Must, Q.all_query()))
        return Q.boolean_query(clauses)

    def _terms(self, field: str, values: list[str]) -> tantivy.Query:
        if len(values) == 1:
            return tantivy.Query.term_query(self.schema, field, values[0])
        return tantivy.Query.term_set_query(self.schema, field, values)

    def _range(
        self, field: str, ftype: Any, low: Any, high: Any, include_upper: bool = True
    ) -> tantivy.Query:
        return tantivy.Query.range_query(
            self.schema, field, ftype, low, high, include_upper=include_upper if high is not None else True
        )

    def filters(self, f: Filters) -> list[tantivy.Query]:
        """One query per active filter (to be AND-ed)."""
        out: list[tantivy.Query] = []
        for field, values in (
            ("platform", f.platforms),
            ("source", f.sources),
            ("author_kind", f.author_kinds),
            ("tag", f.tags),
            ("review", f.review_status),
            ("language", f.languages),
            ("factcheck", f.factcheck_ids),
        ):
            if values:
                out.append(self._terms(field, list(values)))
        for task, labels in sorted(f.labels.items()):
            if labels:
                out.append(self._terms("label", [f"{task}:{label}" for label in labels]))
        for rng in f.scores:
            if rng.min is not None or rng.max is not None:
                out.append(self._range(rng.field, tantivy.FieldType.Float, rng.min, rng.max))
        if f.has_claim_match is not None:
            low, high = (1, None) if f.has_claim_match else (0, 0)
            out.append(self._range("claims", tantivy.FieldType.Integer, low, high))
        if f.published_from is not None or f.published_to is not None:
            since = timestamp(f.published_from) if f.published_from else None
            until = timestamp(f.published_to) if f.published_to else None
            out.append(self._range("ts", tantivy.FieldType.Integer, since, until, include_upper=False))
        if f.authors:
            out.append(self.authors(f.authors))
        return out

    def authors(self, authors: list[AuthorFilter]) -> tantivy.Query:
        """Any of ``authors``: entries sharing a platform and kind restriction become one term set."""
        Q, Oc = tantivy.Query, tantivy.Occur  # noqa: N806
        groups: dict[tuple[str | None, tuple[str, ...]], list[str]] = {}
        for a in authors:
            groups.setdefault((a.platform, tuple(a.kinds)), []).append(a.handle)
        alternatives = []
        for (platform, kinds), handles in sorted(groups.items(), key=lambda g: (g[0][0] or "", g[0][1])):
            parts = [self._terms("author", sorted(set(handles)))]
            if platform is not None:
                parts.append(self._terms("platform", [platform]))
            if kinds:
                parts.append(self._terms("author_kind", list(kinds)))
            alternatives.append(
                parts[0] if len(parts) == 1 else Q.boolean_query([(Oc.Must, p) for p in parts])
            )
        if len(alternatives) == 1:
            return alternatives[0]
        return Q.boolean_query([(Oc.Should, q) for q in alternatives])

    def combine(self, text: tantivy.Query | None, filters: list[tantivy.Query]) -> tantivy.Query:
        """Text (scored) AND every filter (not scored)."""
        Q, Oc = tantivy.Query, tantivy.Occur  # noqa: N806
        if not filters:
            return text if text is not None else Q.all_query()
        clauses = [(Oc.Must, Q.const_score_query(q, 0.0)) for q in filters]
        if text is not None:
            clauses.insert(0, (Oc.Must, text))
        return Q.boolean_query(clauses)
