"""``pantau models``: train, evaluate, list and promote models (thin over :mod:`models.training.train`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from models.registry import Registry, ensure_default
from models.training.train import Progress, evaluate_files, train_model
from pantau.cli_support import console, edge, err_console, print_json, settings

models_app = typer.Typer(
    name="models",
    help="Train, evaluate, list and promote the hoax and endorsement models.",
    no_args_is_help=True,
    rich_markup_mode="rich",
)

TaskOpt = Annotated[str, typer.Option("--task", help="hoax or endorsement.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON object on stdout.")]


@contextmanager
def _progress(enabled: bool) -> Iterator[Progress]:
    """A Rich spinner on stderr showing the current training step (silent when ``enabled`` is False)."""
    if not enabled:
        yield lambda _msg: None
        return
    with err_console.status("starting") as status:

        def update(message: str) -> None:
            status.update(escape(message))
            err_console.print(f"[dim]·[/dim] {escape(message)}")

        yield update


def _scores_table(title: str, result: dict[str, Any]) -> Table:
    table = Table("label", "precision", "recall", "F1", "support", title=title)
    for label, m in result["per_label"].items():
        table.add_row(
            label, f"{m['precision']:.3f}", f"{m['recall']:.3f}", f"{m['f1']:.3f}", str(m["support"])
        )
    return table


@models_app.command()
@edge
def train(
    task: TaskOpt,
    data: Annotated[
        list[Path] | None,
        typer.Option("--data", help="CSV/JSONL with text,label (repeatable); added to the seed corpus."),
    ] = None,
    base_model: Annotated[
        str | None,
        typer.Option(
            "--base-model", help="Hugging Face encoder to fine-tune: local path or hub name (hoax)."
        ),
    ] = None,
    kind: Annotated[str, typer.Option("--kind", help="sklearn (default), e5 or hf.")] = "sklearn",
    out: Annotated[
        Path | None, typer.Option("--out", help="Write the model here instead of the registry.")
    ] = None,
    promote: Annotated[bool, typer.Option("--promote", help="Promote the new model for its task.")] = False,
    no_seed: Annotated[
        bool, typer.Option("--no-seed", help="Train on --data only, without the seed corpus.")
    ] = False,
    include_heldout: Annotated[
        bool, typer.Option("--include-heldout", help="Also train on rows with split=heldout.")
    ] = False,
    eval_data: Annotated[
        list[Path] | None,
        typer.Option("--eval-data", help="Labelled file(s) from another source, scored into the model card."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Train a model (the seed corpus plus any --data files), evaluate it and save it with a model card."""
    cfg = settings()
    if kind not in ("sklearn", "e5", "hf"):
        from pantau.errors import ConfigError

        raise ConfigError(f"--kind {kind!r}: use sklearn, e5 or hf")
    with _progress(not as_json) as progress:
        info = train_model(
            cfg,
            task,
            data or [],
            kind=kind,
            base_model=base_model,
            out=out,
            promote=promote,
            use_seed=not no_seed,
            include_heldout=include_heldout,
            eval_files=eval_data or [],
            progress=progress,
        )
    if as_json:
        print_json({**info.summary(), "metrics": info.metrics})
        return
    console.print(f"saved [bold]{escape(info.version)}[/bold] → {escape(str(info.path))}")
    for name, result in info.metrics.items():
        console.print(_scores_table(f"{name}: macro-F1 {result['macro_f1']:.3f} (n={result['n']})", result))
    if info.promoted:
        console.print(f"promoted {escape(info.version)} for {info.task}")


@models_app.command("eval")
@edge
def eval_(
    task: TaskOpt,
    data: Annotated[list[Path], typer.Option("--data", help="Labelled CSV/JSONL file(s) with text,label.")],
    model: Annotated[
        str | None, typer.Option("--model", help="Model directory or version (default: the promoted one).")
    ] = None,
    all_rows: Annotated[
        bool, typer.Option("--all-rows", help="Score every row even when the file marks held-out rows.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Evaluate a model on labelled data: macro-F1 and per-label precision / recall / F1."""
    result = evaluate_files(settings(), task, data, Path(model) if model else None, all_rows=all_rows)
    if as_json:
        print_json(result)
        return
    console.print(
        _scores_table(
            f"{escape(result['model'])} on {result['n']} {result['rows']} rows: "
            f"macro-F1 {result['macro_f1']:.3f}",
            result,
        )
    )


@models_app.command("list")
@edge
def list_(
    task: Annotated[str | None, typer.Option("--task", help="Only this task.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Saved models, newest first; the promoted one of each task is marked."""
    infos = Registry.from_settings(settings()).list(task)
    if as_json:
        print_json({"models": [i.summary() for i in infos]})
        return
    table = Table("", "version", "task", "kind", "created", "held-out macro-F1", title="Models")
    for info in infos:
        f1 = info.summary()["heldout_macro_f1"]
        table.add_row(
            "★" if info.promoted else "",
            escape(info.version),
            info.task,
            info.kind,
            info.created_at[:19],
            f"{f1:.3f}" if isinstance(f1, float) else "-",
        )
    console.print(table)


@models_app.command()
@edge
def promote(
    version: Annotated[str, typer.Argument(help="Model version (see `pantau models list`).")],
) -> None:
    """Make VERSION the model its task uses."""
    info = Registry.from_settings(settings()).promote(version)
    console.print(f"promoted {escape(info.version)} for {info.task}")


@models_app.command("ensure-default")
@edge
def ensure_default_cmd(as_json: JsonOpt = False) -> None:
    """Train and promote the default models from the seed corpus where a task has none (seconds)."""
    with _progress(not as_json) as progress:
        versions = ensure_default(settings(), progress)
    if as_json:
        print_json(versions)
        return
    for task, version in versions.items():
        console.print(f"{task}: {escape(version)}")
