"""``pantau crawl`` and ``pantau import`` (plugged into the CLI root through entry points)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from crawlers.context import RunContext
from crawlers.importer import import_file as run_import
from crawlers.service import crawl as run_crawl
from pantau.cli_support import console, open_store, print_json, settings
from pantau.records import PLATFORMS

STATUS_STYLE = {"ok": "green", "error": "red", "skipped": "yellow"}


def report_table(report: dict[str, dict[str, Any]], title: str) -> Table:
    """A Rich table of a crawl report (one row per source)."""
    table = Table(
        "source", "status", "stored", "updated", "unchanged", "dropped", "errors", "message", title=title
    )
    for source_id, r in sorted(report.items()):
        style = STATUS_STYLE.get(str(r["status"]), "")
        table.add_row(
            escape(source_id),
            f"[{style}]{escape(str(r['status']))}[/{style}]" if style else escape(str(r["status"])),
            str(r["stored"]),
            str(r["updated"]),
            str(r["unchanged"]),
            str(r["dropped"]),
            str(r["errors"]),
            escape(r["message"] or ""),
        )
    return table


def crawl(
    source_ids: Annotated[
        list[str] | None,
        typer.Argument(
            help="Source ids to crawl (default: every enabled source). Naming a disabled one crawls it."
        ),
    ] = None,
    sources: Annotated[
        Path | None,
        typer.Option(
            "--sources",
            help="sources.yaml to read (default: PANTAU_CRAWL__SOURCES_FILE, else crawlers/sources.yaml).",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as one JSON object.")] = False,
) -> None:
    """Crawl configured sources: feeds and article pages, YouTube channels, Telegram channel previews,
    fact-check publishers and APIs, and export files named in the sources file.

    Polite by default (robots.txt, AutoThrottle, per-domain concurrency, a contact User-Agent) and
    incremental: what is already stored is skipped or only has its engagement counts refreshed. A crawl
    that is interrupted is simply run again. See docs/sources.md.
    """
    cfg = settings()
    store = open_store(cfg)
    try:
        with console.status(f"crawling {', '.join(source_ids) if source_ids else 'all enabled sources'} ..."):
            report = run_crawl(cfg, store, source_ids or None, sources)
    finally:
        store.close()
    if as_json:
        print_json(report)
        return
    if not report:
        console.print("no enabled sources — enable some in sources.yaml (see docs/sources.md) or name them")
        return
    console.print(report_table(report, "Crawl"))
    if any(r["status"] == "error" for r in report.values()):
        raise typer.Exit(1)


def import_file(
    file: Annotated[
        str, typer.Argument(help="Export file to import: a CSV or JSONL path, or an http(s) URL.")
    ],
    platform: Annotated[
        str, typer.Option("--platform", help=f"Platform the export comes from: {', '.join(PLATFORMS)}.")
    ],
    source_id: Annotated[
        str | None,
        typer.Option("--source-id", help="Source id to file the posts under (default import_<platform>)."),
    ] = None,
    account_kind: Annotated[
        str | None,
        typer.Option(
            "--account-kind",
            help="Account kind for rows without an account_kind column: official_campaign, influencer, "
            "media, public_figure, ordinary or unknown.",
        ),
    ] = None,
    mapping: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            help="Override the column mapping: COLUMN=FIELD (repeatable; FIELD '-' ignores a column). "
            "Dotted columns reach into JSON objects, e.g. public_metrics.like_count=likes.",
        ),
    ] = None,
    fmt: Annotated[
        str | None, typer.Option("--format", help="csv or jsonl (default: from the file name).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as one JSON object.")] = False,
) -> None:
    """Import an export file (CSV/JSONL) of a platform without open access (Instagram, TikTok, Facebook, X).

    Rows pass through the same normalise → validate → dedupe → store steps as crawled posts; importing
    the same file twice adds nothing. Bad rows are counted and listed with their row number and reason.
    Column mappings per platform are documented in docs/sources.md.
    """
    if fmt is not None and fmt not in ("csv", "jsonl"):
        raise typer.BadParameter(f"--format must be csv or jsonl, not {fmt!r}")
    cfg = settings()
    store = open_store(cfg)
    try:
        ctx = RunContext(settings=cfg, store=store, sources={})
        with console.status(f"importing {file} ..."):
            source, result = run_import(
                ctx,
                file,
                platform=platform,
                source_id=source_id,
                account_kind=account_kind,
                overrides=mapping,
                fmt=fmt,
            )
    finally:
        store.close()
    if as_json:
        print_json(
            {
                "source_id": source.id,
                "rows": result.rows,
                "stored": result.stored,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "bad_rows": result.bad_rows,
                "row_errors": [{"row": n, "reason": r} for n, r in result.row_errors],
            }
        )
        return
    console.print(report_table({source.id: result.as_report()}, f"Import of {escape(file)}"))
    if result.row_errors:
        table = Table("row", "reason", title=f"Bad rows ({result.bad_rows})")
        for number, reason in result.row_errors:
            table.add_row(str(number), escape(reason))
        console.print(table)
