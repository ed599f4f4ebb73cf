"""The ``pantau`` command line. Sub-commands of other packages are plugged in via entry points."""

from __future__ import annotations

import logging
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from pantau import __version__, plugins
from pantau.cli_support import console, edge, err_console, open_store, print_json, settings
from pantau.errors import PantauError
from pantau.retention import parse_days, run_retention

app = typer.Typer(
    name="pantau",
    help=(
        "pantau — election information-integrity monitoring for Indonesian civil society.\n\n"
        "Crawl campaign, influencer, news and fact-check sources; flag probable hoaxes and undisclosed "
        "paid political endorsements; match posts to earlier fact-checks; search and serve the results."
    ),
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        console.print(f"pantau {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """pantau — election information-integrity monitoring."""
    logging.basicConfig(level=settings().log_level, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)


def collect_status() -> dict[str, Any]:
    """Everything ``pantau status`` reports."""
    cfg = settings()
    store = open_store(cfg)
    try:
        data = store.status()
    finally:
        store.close()
    data["database"] = cfg.db_url if cfg.database_url is None else "(configured)"
    try:
        data["index"] = plugins.service("index_status")(cfg)
    except PantauError as exc:  # the store part is still worth reporting
        data["index"] = {"backend": cfg.index.backend, "documents": 0, "available": False, "error": str(exc)}
    return data


@app.command()
@edge
def status(
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object instead of tables.")] = False,
) -> None:
    """What is stored and indexed: posts by platform and source, fact-checks, predictions, index size,
    and the last crawl of each source."""
    data = collect_status()
    if as_json:
        print_json(data)
        return
    posts = data["posts"]
    console.print(
        f"[bold]posts[/bold] {posts['total']}    [bold]fact-checks[/bold] {data['factchecks']['total']}"
    )
    table = Table("platform", "posts", title="Posts by platform")
    for name, n in sorted(posts["by_platform"].items()):
        table.add_row(escape(name), str(n))
    console.print(table)
    table = Table(
        "source", "kind", "posts", "last crawl", "status", "stored", "dropped", "errors", title="Sources"
    )
    for src in data["sources"]:
        run = src["last_run"] or {}
        table.add_row(
            escape(src["id"]),
            src["kind"],
            str(posts["by_source"].get(src["id"], 0) + data["factchecks"]["by_source"].get(src["id"], 0)),
            src["last_crawl_at"] or "never",
            escape(src["last_status"] or "-"),
            str(run.get("stored", "-")),
            str(run.get("dropped", "-")),
            str(run.get("errors", "-")),
        )
    console.print(table)
    if data["predictions"]:
        table = Table("task", "label", "posts", title="Predictions")
        for task, labels in sorted(data["predictions"].items()):
            for label, n in sorted(labels.items()):
                table.add_row(task, label, str(n))
        console.print(table)
    evidence = data.get("evidence") or {}
    if evidence.get("total"):
        console.print(
            f"[bold]raw evidence[/bold] {evidence['total']} snapshots, "
            f"{(evidence.get('raw_bytes') or 0) / 1_000_000:.1f} MB; oldest fetched "
            f"{evidence.get('oldest_age_days')} days ago (`pantau retention` deletes old ones)"
        )
    index = data["index"]
    size_mb = (index.get("size_bytes") or 0) / 1_000_000
    console.print(
        f"[bold]index[/bold] {escape(str(index.get('backend')))}: {index.get('documents', 0)} documents, "
        f"{size_mb:.1f} MB"
    )


@app.command()
@edge
def retention(
    older_than: Annotated[
        str | None,
        typer.Option(
            "--older-than",
            help="Age of the data to delete, in days: 180 or 180d. Default: the raw_retention_days setting.",
        ),
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Report what would go; change nothing.")] = False,
    posts: Annotated[
        bool,
        typer.Option(
            "--posts",
            help="Also delete whole old posts that nobody reviewed and that are not from monitored accounts.",
        ),
    ] = False,
    chunk_size: Annotated[int, typer.Option(help="Rows per transaction.")] = 500,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as one JSON object.")] = False,
) -> None:
    """Delete raw fetched pages (evidence) older than the cutoff — never those of reviewed or exported
    posts — and, with --posts, old unreviewed posts. Resumable: run it again after an interruption."""
    cfg = settings()
    days = parse_days(older_than, cfg.raw_retention_days)
    store = open_store(cfg)
    try:
        report = run_retention(
            cfg, store, older_than_days=days, dry_run=dry_run, posts=posts, chunk_size=chunk_size
        ).as_dict()
    finally:
        store.close()
    if as_json:
        print_json(report)
        return
    verb = "would delete" if dry_run else "deleted"
    ev = report["evidence"]
    console.print(
        f"cutoff {report['cutoff']} ({days} days): {verb} {ev['rows']} raw snapshots, "
        f"{report['files']} files, {report['bytes'] / 1_000_000:.1f} MB on disk"
    )
    table = Table("what", "count", title="Retention" + (" (dry run)" if dry_run else ""))
    for section in ("evidence", "posts", "orphans"):
        for key, value in (report[section] or {}).items():
            table.add_row(f"{section}.{key}", str(value))
    console.print(table)
    for error in report["errors"]:
        err_console.print(f"[yellow]skipped:[/yellow] {escape(error)}")


def _plug_in() -> None:
    for ep in plugins.cli_entry_points():
        try:
            target = ep.load()
        except ImportError as exc:  # a missing or broken package must not take the whole CLI down
            err_console.print(
                f"[yellow]warning:[/yellow] command {ep.name!r} unavailable ({escape(str(exc))})"
            )
            continue
        if isinstance(target, typer.Typer):
            app.add_typer(target, name=ep.name)
        else:
            app.command(name=ep.name)(edge(target))


_plugged = False


def build_app() -> typer.Typer:
    """The full CLI with every installed package's commands (idempotent)."""
    global _plugged
    if not _plugged:
        from pantau import commands  # noqa: F401  (registers demo, process, up)

        _plug_in()
        _plugged = True
    return app


def main() -> None:
    try:
        build_app()()
    except PantauError as exc:
        err_console.print(f"[bold red]error:[/bold red] {escape(str(exc))}")
        raise SystemExit(1) from None
