"""``pantau coordination``: cluster stored posts that were never clustered (``backfill``) and list the
most coordinated clusters (``clusters``). Thin over :mod:`models.coordination.service`."""

from __future__ import annotations

import time
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from models.coordination import service
from pantau.cli_support import console, edge, err_console, open_store, print_json, settings
from pantau.errors import ConfigError

coordination_app = typer.Typer(
    name="coordination",
    help="Coordinated posting: backfill clusters for stored posts, list the most coordinated clusters.",
    no_args_is_help=True,
    rich_markup_mode="rich",
)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON object on stdout.")]


@coordination_app.command("backfill")
@edge
def backfill(
    batch_size: Annotated[int, typer.Option("--batch-size", help="Posts clustered per batch.")] = 1000,
    as_json: JsonOpt = False,
) -> None:
    """Cluster every stored post that has no cluster yet (posts stored before the coordinator was
    installed, or after DATA_DIR/coordination was deleted), oldest first."""
    if batch_size < 1:
        raise ConfigError(f"--batch-size must be at least 1, got {batch_size}")
    cfg = settings()
    store = open_store(cfg)
    started = time.perf_counter()
    try:
        if as_json:
            done = service.backfill(cfg, store, batch_size=batch_size)
        else:
            with err_console.status("clustering stored posts…"):
                done = service.backfill(cfg, store, batch_size=batch_size)
    finally:
        store.close()
    seconds = round(time.perf_counter() - started, 2)
    if as_json:
        print_json({"clustered": done, "seconds": seconds})
    else:
        console.print(f"clustered [bold]{done}[/bold] posts in {seconds} s")


@coordination_app.command("clusters")
@edge
def clusters(
    show_all: Annotated[
        bool, typer.Option("--all", help="Include clusters whose timing does not look coordinated.")
    ] = False,
    limit: Annotated[int, typer.Option("--limit", help="How many (1–500).")] = 20,
    as_json: JsonOpt = False,
) -> None:
    """The most coordinated clusters: score, accounts, posts, first seen and the first post's text."""
    store = open_store(settings())
    try:
        rows = service.list_clusters(store, coordinated_only=not show_all, limit=limit)
    finally:
        store.close()
    if as_json:
        print_json({"clusters": rows})
        return
    if not rows:
        console.print(
            "no clusters yet — run [bold]pantau process[/bold] or [bold]pantau coordination backfill[/bold]"
        )
        return
    table = Table("id", "score", "coordinated", "accounts", "posts", "first seen", "text", title="clusters")
    for r in rows:
        text = " ".join((r["sample_text"] or "").split())[:80]
        table.add_row(
            escape(r["id"]),
            f"{r['score']:.2f}",
            "yes" if r["coordinated"] else "no",
            str(r["accounts"]),
            str(r["posts"]),
            escape(r["first_seen"] or "—"),
            escape(text),
        )
    console.print(table)
