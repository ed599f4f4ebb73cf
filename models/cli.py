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
from pantau import plugins
from pantau.cli_support import console, edge, err_console, open_store, print_json, settings
from pantau.errors import ConfigError
from pantau.settings import Settings

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


def train_from_labels(
    cfg: Settings,
    project: str,
    files: list[Path] | None = None,
    *,
    task: str | None = None,
    actor: str = "cli",
    progress: Progress | None = None,
    **train_options: Any,
) -> tuple[dict[str, Any], Any]:
    """Export labelling ``project``'s next round, train on it (plus ``files``) and record the model.

    The labelling package is reached through the ``label_export`` / ``label_record_model`` services, so
    models never imports it. Returns the export summary (``round``, ``rows``, ``path``, ...) and the
    trained model's ``ModelInfo``; its metrics are attached to the round for the project page.
    """
    store = open_store(cfg)
    try:
        exported = plugins.service("label_export")(store, cfg, project, actor=actor)
        if task is not None and task != exported.task:
            raise ConfigError(
                f"--task {task!r} does not match labelling project {project!r}, whose task is "
                f"{exported.task!r} — drop --task or pick the other project"
            )
        info = train_model(
            cfg, exported.task, [exported.path, *(files or [])], progress=progress, **train_options
        )
        plugins.service("label_record_model")(store, project, exported.round, info.version, info.metrics)
    finally:
        store.close()
    return exported.as_dict(), info


@models_app.command()
@edge
def train(
    task: Annotated[
        str | None,
        typer.Option("--task", help="hoax or endorsement (taken from the project with --from-labels)."),
    ] = None,
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
    from_labels: Annotated[
        str | None,
        typer.Option(
            "--from-labels",
            help="Export this labelling project's next round, train on it and record the model there.",
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Train a model (the seed corpus plus any --data files), evaluate it and save it with a model card."""
    cfg = settings()
    if kind not in ("sklearn", "e5", "hf"):
        raise ConfigError(f"--kind {kind!r}: use sklearn, e5 or hf")
    options: dict[str, Any] = {
        "kind": kind,
        "base_model": base_model,
        "out": out,
        "promote": promote,
        "use_seed": not no_seed,
        "include_heldout": include_heldout,
        "eval_files": eval_data or [],
    }
    exported: dict[str, Any] | None = None
    with _progress(not as_json) as progress:
        if from_labels is not None:
            exported, info = train_from_labels(
                cfg, from_labels, data, task=task, progress=progress, **options
            )
        elif task is None:
            raise ConfigError("--task is missing: use --task hoax or --task endorsement (or --from-labels)")
        else:
            info = train_model(cfg, task, data or [], progress=progress, **options)
    if as_json:
        extra = {"label_round": exported} if exported else {}
        print_json({**info.summary(), "metrics": info.metrics, **extra})
        return
    if exported:
        console.print(
            f"label round {exported['round']} of {escape(from_labels or '')}: {exported['rows']} rows "
            f"→ {escape(str(exported['path']))}"
        )
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
