"""Does one indexed document match a saved search? Evaluated in Python, for alerts.

When ``pantau process`` indexes a handful of new posts, asking the index once per saved search would
scan everything; instead each new document is tested against each alerting search here. The query
language is parsed by the index's own parser and analysed with its own analysis functions (stems for
words, exact folded words for phrases), so a post alerts exactly when a search for it would find it.
"""

from __future__ import annotations

from indexes.analysis import stems, words
from indexes.base import Filters, IndexDocument, Query
from indexes.query_parser import And, MatchAll, Node, Not, Or, Phrase, Term, parse_query


class AnalysedText:
    """The analysed body of one document."""

    def __init__(self, body: str) -> None:
        self.words = words(body)
        self.stems = set(stems(body))

    def has_phrase(self, phrase: tuple[str, ...]) -> bool:
        n = len(phrase)
        if n == 0:
            return True
        return any(tuple(self.words[i : i + n]) == phrase for i in range(len(self.words) - n + 1))


def _eval(node: Node, text: AnalysedText) -> bool:
    if isinstance(node, MatchAll):
        return True
    if isinstance(node, Term):
        return node.stem in text.stems
    if isinstance(node, Phrase):
        return text.has_phrase(node.words)
    if isinstance(node, And):
        return all(_eval(c, text) for c in node.children)
    if isinstance(node, Or):
        return any(_eval(c, text) for c in node.children)
    if isinstance(node, Not):
        return not _eval(node.child, text)
    raise TypeError(f"unknown query node {node!r}")  # pragma: no cover - the parser makes no others


def filters_match(f: Filters, doc: IndexDocument) -> bool:
    """Whether ``doc`` passes every filter (values inside one filter are OR-ed)."""
    checks = (
        (f.platforms, [doc.platform]),
        (f.sources, [doc.source_id]),
        (f.author_kinds, [doc.author_kind]),
        (f.tags, doc.tags),
        (f.review_status, [doc.review_status]),
        (f.languages, [doc.language or ""]),
        (f.factcheck_ids, doc.factcheck_ids),
    )
    for wanted, present in checks:
        if wanted and not set(wanted) & set(present):
            return False
    for task, labels in f.labels.items():
        if labels and doc.labels.get(task) not in labels:
            return False
    for rng in f.scores:
        value = doc.risk if rng.field == "risk" else doc.scores.get(rng.field, 0.0)
        if (rng.min is not None and value < rng.min) or (rng.max is not None and value > rng.max):
            return False
    if f.has_claim_match is not None and bool(doc.factcheck_ids) != f.has_claim_match:
        return False
    if f.published_from is not None and doc.date < f.published_from:
        return False
    return not (f.published_to is not None and doc.date >= f.published_to)


def matches(
    query: Query, doc: IndexDocument, tree: Node | None = None, text: AnalysedText | None = None
) -> bool:
    """Whether a search for ``query`` would find ``doc``. When testing many documents against many
    queries, pass the parsed ``tree`` of the query and the document's ``text`` analysed once."""
    if not filters_match(query.filters, doc):
        return False
    node = tree if tree is not None else parse_query(query.text)
    return _eval(node, text if text is not None else AnalysedText(doc.body))
