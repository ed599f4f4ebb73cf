"""``pantau index``: rebuild the search index from the store, show its stats, search it."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table
from sqlalchemy import select

from indexes.base import Filters, IndexDocument, Query, ScoreRange, document_from
from indexes.service import open_index
from pantau.cli_support import console, edge, open_store, print_json, settings
from pantau.errors import QuerySyntaxError
from pantau.process import load_scored, mark_indexed
from pantau.records import utcnow
from pantau.store import Store
from pantau.store.tables import PostRow

index_app = typer.Typer(help="The search index: rebuild, stats, search.", no_args_is_help=True)

LIST_FILTERS = {
    "platform": "platforms",
    "source": "sources",
    "author_kind": "author_kinds",
    "tag": "tags",
    "review": "review_status",
    "language": "languages",
    "factcheck": "factcheck_ids",
    "author": "authors",  # handles, any account: the command line is the operator's, not a journalist's
}


def _date(name: str, value: str) -> datetime:
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise QuerySyntaxError(f"filter {name}={value!r}: not a date — use YYYY-MM-DD") from None


def _float(name: str, value: str) -> float | None:
    if value == "":
        return None
    try:
        return float(value)
    except ValueError:
        raise QuerySyntaxError(f"filter {name}: {value!r} is not a number") from None


def parse_filters(items: Sequence[str]) -> Filters:
    """``key=value`` options into :class:`Filters`: platform, source, author_kind, tag, review, language,
    factcheck, author (repeatable, OR-ed), ``label=task:label``, ``score=field:min..max``, ``claim=yes|no``,
    ``from=YYYY-MM-DD``, ``to=YYYY-MM-DD``."""
    data: dict[str, Any] = {}
    labels: dict[str, list[str]] = {}
    scores: list[ScoreRange] = []
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not value:
            raise QuerySyntaxError(f"filter {item!r} is not key=value, e.g. platform=telegram")
        if key in LIST_FILTERS:
            data.setdefault(LIST_FILTERS[key], []).append(value)
        elif key == "label":
            task, _, label = value.partition(":")
            if not label:
                raise QuerySyntaxError(f"filter label={value!r}: use task:label, e.g. label=hoax:hoax")
            labels.setdefault(task, []).append(label)
        elif key == "score":
            field, _, span = value.partition(":")
            low, _, high = span.partition("..")
            scores.append(ScoreRange(field=field, min=_float(item, low), max=_float(item, high)))
        elif key == "claim":
            data["has_claim_match"] = value.lower() in ("1", "yes", "true", "ya")
        elif key == "from":
            data["published_from"] = _date(key, value)
        elif key == "to":
            data["published_to"] = _date(key, value)
        else:
            known = ", ".join([*LIST_FILTERS, "label", "score", "claim", "from", "to"])
            raise QuerySyntaxError(f"filter {key!r} is unknown; use one of {known}")
    return Filters(**data, labels=labels, scores=scores)


def store_documents(store: Store, batch_size: int = 1000) -> Iterator[list[IndexDocument]]:
    """Every stored post as index documents, in batches (marks them indexed as it goes)."""
    last = ""
    while True:
        started = utcnow()
        with store.session() as s:
            ids = list(
                s.scalars(select(PostRow.id).where(PostRow.id > last).order_by(PostRow.id).limit(batch_size))
            )
        if not ids:
            return
        last = ids[-1]
        scored = load_scored(store, ids)
        yield [document_from(post, scores, review) for post, scores, review in scored]
        # a post scored but never marked (a killed run) gets its language from its prediction here
        languages = {p.id: sc.language for p, sc, _ in scored if sc.language and sc.language != p.language}
        mark_indexed(store, ids, started, languages)


@index_app.command()
@edge
def rebuild(
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as one JSON object.")] = False,
) -> None:
    """Re-index every stored post from the store (Elasticsearch: into a new index, then swap the alias)."""
    cfg = settings()
    store = open_store(cfg)
    index = open_index(cfg)
    try:
        with console.status("rebuilding the search index…", spinner="dots"):
            n = index.rebuild(store_documents(store))
        stats = index.stats()
    finally:
        index.close()
        store.close()
    if as_json:
        print_json({"indexed": n, **stats})
    else:
        console.print(f"indexed {n} posts; {stats['documents']} documents in the {stats['backend']} index")


@index_app.command()
@edge
def stats(as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False) -> None:
    """Backend, document count, size on disk and schema version of the index."""
    index = open_index(settings())
    try:
        data = index.stats()
    finally:
        index.close()
    if as_json:
        print_json(data)
        return
    for key, value in data.items():
        console.print(f"[bold]{key}[/bold] {escape(str(value))}")


@index_app.command()
@edge
def search(
    text: Annotated[str, typer.Argument(help="Query, e.g. 'kecurangan \"surat suara\" -hoaks'.")] = "",
    filter_: Annotated[
        list[str] | None,
        typer.Option(
            "--filter", "-f", help="key=value, repeatable: platform=, label=hoax:hoax, score=risk:0.7.."
        ),
    ] = None,
    sort: Annotated[str, typer.Option(help="relevance | date | date_asc | risk")] = "relevance",
    limit: Annotated[int, typer.Option(min=1, max=500)] = 10,
    facet: Annotated[
        list[str] | None, typer.Option(help="Facets to count: label, platform, day, ...")
    ] = None,
    cursor: Annotated[str | None, typer.Option(help="next_cursor of a previous page.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as one JSON object.")] = False,
) -> None:
    """Search the index the way the API does (handy for operators)."""
    query = Query.build(
        text=text,
        filters=parse_filters(filter_ or []),
        sort=sort,
        limit=limit,
        facets=facet or [],
        cursor=cursor,
    )
    index = open_index(settings())
    try:
        result = index.search(query)
    finally:
        index.close()
    if as_json:
        print_json(result.model_dump(mode="json"))
        return
    table = Table("id", "date", "platform", "risk", "labels", "snippet", title=f"{result.total} posts")
    table.columns[0].no_wrap = True
    for hit in result.hits:
        doc = hit.document
        labels = ", ".join(doc.labels[k] for k in ("hoax", "endorsement") if k in doc.labels)
        table.add_row(
            doc.id,
            doc.date.strftime("%Y-%m-%d"),
            escape(doc.platform),
            f"{doc.risk:.2f}",
            escape(labels),
            escape((hit.snippet or doc.text)[:160]),
        )
    console.print(table)
    for name, counts in result.facets.items():
        console.print(f"[bold]{name}[/bold] " + ", ".join(f"{escape(k)}={v}" for k, v in counts.items()))
    if result.next_cursor:
        console.print(f"next page: --cursor {result.next_cursor}", soft_wrap=True)
