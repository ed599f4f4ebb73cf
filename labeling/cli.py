"""``pantau label``: labelling projects, queue refresh, agreement stats and export (operator commands)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from labeling import export as export_mod
from labeling import gold, queue
from labeling.projects import create_project, list_projects
from labeling.stats import project_stats
from pantau.cli_support import console, edge, open_store, print_json

label_app = typer.Typer(
    name="label",
    help="Volunteer labelling: projects, active-learning queues, agreement and export for training.",
    no_args_is_help=True,
    rich_markup_mode="rich",
)
project_app = typer.Typer(name="project", help="Create and list labelling projects.", no_args_is_help=True)
label_app.add_typer(project_app)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON object on stdout.")]
ProjectOpt = Annotated[str, typer.Option("--project", "-p", help="Project name.")]


@project_app.command("create")
@edge
def project_create(
    task: Annotated[str, typer.Option("--task", help="hoax or endorsement.")],
    name: Annotated[str, typer.Option("--name", help="Project name (lowercase slug).")],
    overlap: Annotated[int, typer.Option("--overlap", "-k", help="Labellers per item.")] = 3,
    lease_minutes: Annotated[
        float, typer.Option("--lease-minutes", help="Minutes before an item is released.")
    ] = 15,
    random_fraction: Annotated[
        float,
        typer.Option("--random-fraction", help="Share of each batch kept as a random evaluation slice."),
    ] = 0.1,
    gold_every: Annotated[
        int, typer.Option("--gold-every", help="Every n-th item is a gold item (0: never).")
    ] = 10,
    gold_items: Annotated[
        int, typer.Option("--gold-items", help="Gold items seeded from held-out rows.")
    ] = 60,
    batch_size: Annotated[
        int, typer.Option("--batch-size", help="Posts added to the queue per refresh.")
    ] = 500,
    refresh: Annotated[
        bool, typer.Option("--refresh/--no-refresh", help="Fill the queue right away.")
    ] = True,
    as_json: JsonOpt = False,
) -> None:
    """Create a labelling project, seed its gold items and fill its queue from processed posts."""
    store = open_store()
    try:
        proj = create_project(
            store,
            name,
            task,
            overlap=overlap,
            lease_seconds=int(lease_minutes * 60),
            random_fraction=random_fraction,
            gold_every=gold_every,
            batch_size=batch_size,
            created_by="cli",
        )
        seeded = gold.seed_gold(store, proj.id, limit=gold_items) if gold_items > 0 else None
        report = queue.refresh(store, proj.id) if refresh else None
    finally:
        store.close()
    result: dict[str, Any] = {
        "name": proj.name,
        "task": proj.task,
        "overlap": proj.overlap,
        "gold_items": seeded.added if seeded else 0,
        "queue": report.as_dict() if report else None,
    }
    if as_json:
        print_json(result)
        return
    console.print(f"created project [bold]{escape(proj.name)}[/bold] ({proj.task}, k={proj.overlap})")
    console.print(f"gold items: {result['gold_items']}")
    if report:
        console.print(
            f"queue: {report.added_active} active-learning + {report.added_random} random-evaluation items"
        )


@project_app.command("list")
@edge
def project_list(as_json: JsonOpt = False) -> None:
    """List labelling projects."""
    store = open_store()
    try:
        projects = list_projects(store)
    finally:
        store.close()
    rows: list[dict[str, Any]] = [
        {"name": p.name, "task": p.task, "overlap": p.overlap, "created_at": p.created_at.isoformat()}
        for p in projects
    ]
    if as_json:
        print_json({"projects": rows})
        return
    table = Table("name", "task", "k", "created")
    for r in rows:
        table.add_row(escape(str(r["name"])), str(r["task"]), str(r["overlap"]), str(r["created_at"])[:19])
    console.print(table)


@label_app.command("refresh")
@edge
def refresh_cmd(
    project: Annotated[
        str | None, typer.Option("--project", "-p", help="Project name (default: every active project).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Pull newly processed posts into the labelling queues (active learning + random slice)."""
    store = open_store()
    try:
        names = [project] if project else [p.name for p in list_projects(store)]
        reports = [queue.refresh(store, name).as_dict() for name in names]
    finally:
        store.close()
    if as_json:
        print_json({"refreshed": reports})
        return
    for r in reports:
        console.print(
            f"{escape(r['project'])}: batch {r['batch']}, "
            f"{r['added_active']} active + {r['added_random']} random "
            f"(pool {r['pool']})"
        )


def _fmt(value: Any) -> str:
    return "—" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


@label_app.command("stats")
@edge
def stats_cmd(project: ProjectOpt, as_json: JsonOpt = False) -> None:
    """Progress and agreement of a project: Krippendorff's alpha, kappa, per label and per labeller."""
    store = open_store()
    try:
        data = project_stats(store, project, role="admin")
    finally:
        store.close()
    if as_json:
        print_json(data)
        return
    agr = data["agreement"]
    console.print(
        f"[bold]{escape(data['project'])}[/bold] ({data['task']}, k={data['overlap']}): "
        f"{data['items']['complete']} of {data['items']['total']} items complete, {agr['labels']} labels; "
        f"alpha {_fmt(agr['alpha'])}, mean pairwise kappa {_fmt(agr['pairwise_kappa_mean'])}"
    )
    table = Table("label", "count", "alpha (one-vs-rest)", title="per label")
    for label, m in agr["per_label"].items():
        table.add_row(label, str(m["count"]), _fmt(m["alpha"]))
    console.print(table)
    people = Table("labeller", "labels", "agreement", "kappa vs majority", "gold acc.", title="per labeller")
    for name, m in data.get("labellers", {}).items():
        g = m.get("gold") or {}
        people.add_row(
            escape(str(name)),
            str(m.get("labels", 0)),
            _fmt(m.get("agreement")),
            _fmt(m.get("kappa_vs_majority")),
            _fmt(g.get("accuracy")),
        )
    console.print(people)
    for r in data["rounds"]:
        console.print(
            f"round {r['round']}: {r['rows']} rows, model {escape(str(r['model_version']))} {r['macro_f1']}"
        )


@label_app.command("export")
@edge
def export_cmd(
    project: ProjectOpt,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="CSV or JSONL file (default: DATA_DIR/labels/P/round-N.csv)."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Write the resolved labels as a training file (text,label + provenance) and record a label round."""
    from pantau.cli_support import settings

    store = open_store()
    try:
        if out is None:
            result = export_mod.export_for_training(store, settings(), project, actor="cli")
        else:
            result = export_mod.write_training_file(store, project, out, actor="cli")
    finally:
        store.close()
    if as_json:
        print_json(result.as_dict())
        return
    console.print(
        f"round {result.round}: {result.rows} rows → {escape(str(result.path))} {result.label_counts}"
        + (f"; skipped {result.skipped}" if result.skipped else "")
    )
