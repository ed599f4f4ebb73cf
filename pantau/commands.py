"""Core commands that orchestrate several packages: ``demo``, ``process`` and ``up``."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from pantau import plugins
from pantau.cli import app
from pantau.cli_support import console, edge, open_store, print_json, settings
from pantau.demo import run_demo
from pantau.errors import ConfigError
from pantau.process import run_process
from pantau.up import up as run_up


@app.command()
@edge
def demo(
    port: Annotated[int, typer.Option(help="Port for the API and web pages.")] = 8000,
    host: Annotated[
        str, typer.Option(help="Address to bind (keep 127.0.0.1 unless you mean it).")
    ] = "127.0.0.1",
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Run the pipeline, then exit.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as one JSON object.")] = False,
) -> None:
    """Offline end-to-end run on the bundled demo site: crawl → process → index → serve."""
    cfg = settings()
    store = open_store(cfg)
    try:
        report = run_demo(cfg, store, progress=not as_json)
    finally:
        store.close()
    if as_json:
        print_json(report)
    else:
        table = Table("source", "status", "stored", "updated", "unchanged", "dropped", title="Demo crawl")
        for source_id, r in sorted(report["crawl"].items()):
            table.add_row(
                escape(source_id),
                escape(str(r.get("status", ""))),
                str(r.get("stored", 0)),
                str(r.get("updated", 0)),
                str(r.get("unchanged", 0)),
                str(r.get("dropped", 0)),
            )
        console.print(table)
        if "process" in report:
            console.print(f"processed: {report['process']}")
    if not no_serve:
        console.print(f"serving on http://{host}:{port}/  (Ctrl+C to stop)")
        plugins.service("serve")(cfg, host, port)


@app.command()
@edge
def process(
    batch_size: Annotated[
        int | None, typer.Option(min=1, help="Posts per batch (default: models.batch_size).")
    ] = None,
    workers: Annotated[
        str | None,
        typer.Option(
            help="Scoring worker processes: a number (0: score here) or 'auto' (default: models.workers)."
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as one JSON object.")] = False,
) -> None:
    """Score pending posts with the promoted models (language, hoax, endorsement, claim matches) and
    index them. Idempotent and resumable: run it again after an interruption."""
    cfg = settings()
    store = open_store(cfg)
    try:
        report = run_process(
            cfg, store, batch_size=batch_size, progress=not as_json, workers=_workers(workers)
        )
    finally:
        store.close()
    if as_json:
        print_json(report)
        return
    console.print(
        f"scored {report['scored']}, re-indexed {report['reindexed']}, indexed {report['indexed']}, "
        f"failed {report['failed']}, already current {report['skipped']} "
        f"({report['index_documents']} documents in the index)"
    )
    table = Table(
        "stage", "seconds", "CPU seconds", title=f"Stages ({report.get('workers', 0)} scoring workers)"
    )
    cpu = report.get("cpu_seconds", {})
    for stage, secs in report["seconds"].items():
        table.add_row(stage, f"{secs:.2f}", f"{cpu[stage]:.2f}" if stage in cpu else "")
    console.print(table)


def _workers(value: str | None) -> int | str | None:
    """``--workers``: None (the setting), 'auto', or a count (bad values name themselves)."""
    if value is None or value == "auto":
        return value
    try:
        return int(value)
    except ValueError:
        raise ConfigError(f"--workers must be 'auto' or a number, got {value!r}") from None


@app.command()
@edge
def up(
    port: Annotated[int, typer.Option(help="Port for the API and web pages.")] = 8000,
    host: Annotated[
        str, typer.Option(help="Address to bind (keep 127.0.0.1 unless a TLS proxy is in front).")
    ] = "127.0.0.1",
    every: Annotated[
        float, typer.Option(min=1, help="Minutes between crawl + process cycles (the first runs at once).")
    ] = 30.0,
) -> None:
    """Serve the API and web pages, and crawl every enabled source then process new posts on a schedule."""

    console.print(
        f"serving on http://{host}:{port}/; crawl + process every {every:g} minutes (Ctrl+C to stop)"
    )
    run_up(settings(), host, port, every * 60)
