"""Volunteer labelling pages: projects, guidelines, the one-post-at-a-time labelling page, agreement
statistics, adjudication of disagreements, and the export → train loop for admins.

Thin over :mod:`labeling` (which holds every rule, including who may do what in
:mod:`labeling.policy`); this module only turns forms into service calls and results into pages. The
labelling page shows exactly what :func:`labeling.service.next_item` returns — the author's identity
only for monitored accounts — and post text goes through the shared escaping macros, never marked safe.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import APIRouter, Form, Path, Request, Response

from api.web.core import (
    WebRoute,
    WebUser,
    app_state,
    flash,
    language,
    redirect,
    render,
    require,
    session_of,
)
from api.web.forms import CSRF
from api.web.i18n import Translator
from labeling import adjudication, gold, policy, queue, service, stats
from labeling import export as label_export
from labeling.agreement import pairwise_kappas
from labeling.projects import Project, create_project, get_project, guidelines, list_projects
from labeling.ratings import gold_answers, ratings
from models.training.base import TASK_LABELS
from pantau.store import Store

router = APIRouter(prefix="/label", route_class=WebRoute, include_in_schema=False)
ProjectName = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9_\-]*$")]
#: number keys 1..9 pick the labels in the project's order
MAX_KEYED_LABELS = 9
#: how much of an undone label's note travels back to the form in the session cookie
UNDO_NOTE_CHARS = 600


# ---- a tiny Markdown subset for the guidelines: structure only, every piece stays plain text


@dataclass(frozen=True)
class Inline:
    kind: str  # text | strong | em | code
    text: str


@dataclass
class Block:
    kind: str  # heading | para | ul | ol | pre
    level: int = 0
    inlines: list[Inline] = field(default_factory=list)
    items: list[list[Inline]] = field(default_factory=list)
    text: str = ""


_INLINE_RE = re.compile(r"`([^`]+)`|\*\*(.+?)\*\*|(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])")
_ITEM_RE = re.compile(r"^\s{0,3}(?:([-*+])|(\d{1,3})[.)])\s+(.*)$")
_HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


def inlines(text: str) -> list[Inline]:
    """``**bold**``, ``*em*`` and ```code``` spans of one line of Markdown; the rest is text."""
    out: list[Inline] = []
    pos = 0
    for m in _INLINE_RE.finditer(text):
        if m.start() > pos:
            out.append(Inline("text", text[pos : m.start()]))
        if m.group(1) is not None:
            out.append(Inline("code", m.group(1)))
        elif m.group(2) is not None:
            out.append(Inline("strong", m.group(2)))
        else:
            out.append(Inline("em", m.group(3)))
        pos = m.end()
    if pos < len(text):
        out.append(Inline("text", text[pos:]))
    return out


def markdown_blocks(source: str) -> list[Block]:
    """Headings, paragraphs, lists and fenced code of ``source``, as data for the template to escape.

    Anything else (HTML, links, tables) is kept as literal text: the template escapes every piece, so
    no Markdown input can produce markup of its own.
    """
    blocks: list[Block] = []
    para: list[str] = []
    fence: list[str] | None = None

    def end_para() -> None:
        if para:
            blocks.append(Block("para", inlines=inlines(" ".join(para))))
            para.clear()

    for raw in source.replace("\r\n", "\n").split("\n"):
        line = raw.rstrip()
        if fence is not None:
            if line.strip().startswith("```"):
                blocks.append(Block("pre", text="\n".join(fence)))
                fence = None
            else:
                fence.append(raw)
            continue
        if line.strip().startswith("```"):
            end_para()
            fence = []
            continue
        heading = _HEADING_RE.match(line)
        item = _ITEM_RE.match(line)
        if not line.strip():
            end_para()
        elif heading:
            end_para()
            # the page has its own h1: guideline headings start at h2
            blocks.append(Block("heading", min(6, len(heading.group(1)) + 1), inlines(heading.group(2))))
        elif item:
            end_para()
            kind = "ul" if item.group(1) else "ol"
            if not blocks or blocks[-1].kind != kind or blocks[-1].text == "closed":
                blocks.append(Block(kind))
            blocks[-1].items.append(inlines(item.group(3)))
        elif raw[:1].isspace() and blocks and blocks[-1].kind in ("ul", "ol") and not para:
            last = blocks[-1].items[-1]  # a continuation line of the last list item
            last.extend([Inline("text", " "), *inlines(line.strip())])
        else:
            if blocks and blocks[-1].kind in ("ul", "ol") and not para:
                blocks[-1].text = "closed"
            para.append(line.strip())
    end_para()
    if fence is not None:
        blocks.append(Block("pre", text="\n".join(fence)))
    return blocks


# ---- helpers


def _allowed(user: WebUser, action: str) -> bool:
    return policy.can(user.role.value, action)


def _must(user: WebUser, action: str) -> None:
    policy.require(user.role.value, action, f"user {user.name!r}")


def _open(request: Request, name: str) -> tuple[WebUser, Project]:
    user = require(request)
    _must(user, "read_guidelines")
    return user, get_project(app_state(request).store, name)


def _keyed(labels: tuple[str, ...]) -> list[tuple[str, str]]:
    """(key, label) pairs: 1..9 for the first nine labels, no key after that."""
    return [(str(i + 1) if i < MAX_KEYED_LABELS else "", label) for i, label in enumerate(labels)]


def kappa_per_label(store: Store, proj: Project) -> dict[str, float | None]:
    """Mean pairwise Cohen's kappa of each label against the rest (gold items left out)."""
    with store.session() as s:
        votes = ratings(s, proj.id)
        gold = gold_answers(s, proj.id)
    regular = {item: by_user for item, by_user in votes.items() if item not in gold}
    out: dict[str, float | None] = {}
    for label in proj.labels:
        binary = {item: {u: str(v == label) for u, v in by.items()} for item, by in regular.items()}
        kappas = list(pairwise_kappas(binary).values())
        out[label] = sum(kappas) / len(kappas) if kappas else None
    return out


def _t(request: Request) -> Translator:
    return Translator(language(request))


# ---- pages


@router.get("")
def projects_page(request: Request) -> Response:
    """Every active project, with the user's own progress where they label."""
    user = require(request)
    _must(user, "read_guidelines")
    store = app_state(request).store
    rows = []
    for proj in list_projects(store):
        mine = service.user_progress(store, proj.id, user.principal.user_id)
        rows.append({"p": proj, "mine": mine})
    return render(
        request,
        "label_projects.html",
        {
            "rows": rows,
            "tasks": sorted(TASK_LABELS),
            "may_label": _allowed(user, "label"),
            "may_manage": _allowed(user, "manage_projects"),
        },
    )


@router.post("/projects", dependencies=CSRF)
def create(
    request: Request,
    name: Annotated[str, Form(max_length=64)],
    task: Annotated[str, Form(max_length=32)],
    overlap: Annotated[int, Form(ge=1, le=20)] = 3,
    gold_every: Annotated[int, Form(ge=0, le=1000)] = 10,
) -> Response:
    """Admins: create a project, seed its gold items and fill its queue from processed posts."""
    user = require(request)
    _must(user, "manage_projects")
    store = app_state(request).store
    proj = create_project(
        store, name.strip(), task, overlap=overlap, gold_every=gold_every, created_by=user.name
    )
    seeded = gold.seed_gold(store, proj.id) if gold_every > 0 else None
    report = queue.refresh(store, proj.id)
    _ = _t(request)
    flash(
        request,
        _(
            "labeling.created",
            name=proj.name,
            items=report.added_active + report.added_random,
            gold=seeded.added if seeded else 0,
        ),
    )
    return redirect(f"/label/{proj.name}")


@router.get("/{name}")
def project_page(request: Request, name: ProjectName) -> Response:
    """Guidelines, progress and the model's metrics over label rounds."""
    user, proj = _open(request, name)
    store = app_state(request).store
    return render(
        request,
        "label_project.html",
        {
            "p": proj,
            "blocks": markdown_blocks(guidelines(proj.task)),
            "mine": service.user_progress(store, proj.id, user.principal.user_id),
            "rounds": label_export.rounds(store, proj.id),
            "may_label": _allowed(user, "label") and not proj.archived,
            "may_stats": _allowed(user, "view_project_stats"),
            "may_adjudicate": _allowed(user, "adjudicate"),
            "may_export": _allowed(user, "export"),
        },
    )


@router.get("/{name}/work")
def work_page(request: Request, name: ProjectName) -> Response:
    """The labelling page: one post at a time (the same post again until it is labelled or skipped)."""
    user, proj = _open(request, name)
    _must(user, "label")
    store = app_state(request).store
    task = service.next_item(store, proj.id, user.principal.user_id)
    undone = session_of(request).pop("label_undo", None)
    return render(
        request,
        "label_work.html",
        {
            "p": proj,
            "task": task,
            "keyed": _keyed(proj.labels),
            "mine": service.user_progress(store, proj.id, user.principal.user_id),
            "undone": undone
            if task is not None and isinstance(undone, dict) and undone.get("item") == task.item_id
            else None,
        },
    )


AssignmentId = Annotated[int, Form(ge=1)]


@router.post("/{name}/submit", dependencies=CSRF)
def submit(
    request: Request,
    name: ProjectName,
    assignment_id: AssignmentId,
    label: Annotated[str, Form(max_length=64)] = "",
    note: Annotated[str, Form(max_length=service.MAX_NOTE_CHARS)] = "",
) -> Response:
    """Record a label, then go straight to the next post (auto-advance)."""
    user, proj = _open(request, name)
    _ = _t(request)
    if not label:
        flash(request, _("labeling.pick_label"))
        return redirect(f"/label/{proj.name}/work")
    service.submit(app_state(request).store, proj.id, user.principal.user_id, assignment_id, label, note)
    flash(request, _("labeling.saved", label=_("label." + label, default=label)))
    return redirect(f"/label/{proj.name}/work")


@router.post("/{name}/skip", dependencies=CSRF)
def skip(request: Request, name: ProjectName, assignment_id: AssignmentId) -> Response:
    """Pass on the post; it goes to another labeller."""
    user, proj = _open(request, name)
    service.skip(app_state(request).store, proj.id, user.principal.user_id, assignment_id)
    flash(request, _t(request)("labeling.skipped"))
    return redirect(f"/label/{proj.name}/work")


@router.post("/{name}/undo", dependencies=CSRF)
def undo(request: Request, name: ProjectName) -> Response:
    """Take back the last label and show that post again, with the old label and note filled in."""
    user, proj = _open(request, name)
    undone = service.undo(app_state(request).store, proj.id, user.principal.user_id)
    # the signed session cookie is small: the note comes back shortened when it is long
    session_of(request)["label_undo"] = {
        "item": undone.task.item_id,
        "label": undone.label,
        "note": (undone.note or "")[:UNDO_NOTE_CHARS],
    }
    _ = _t(request)
    flash(request, _("labeling.undone", label=_("label." + undone.label, default=undone.label)))
    return redirect(f"/label/{proj.name}/work")


@router.get("/{name}/stats")
def stats_page(request: Request, name: ProjectName) -> Response:
    """Agreement (Krippendorff's alpha, Cohen's kappa) per project and label; per labeller for admins."""
    user, proj = _open(request, name)
    _must(user, "view_project_stats")
    store = app_state(request).store
    data = stats.project_stats(store, proj.id, role=user.role.value)
    return render(
        request, "label_stats.html", {"p": proj, "s": data, "kappa_label": kappa_per_label(store, proj)}
    )


@router.get("/{name}/adjudicate")
def adjudicate_page(request: Request, name: ProjectName) -> Response:
    """Items labellers disagreed on, with vote counts (never who voted) and a form to decide."""
    user, proj = _open(request, name)
    items = adjudication.disagreements(app_state(request).store, proj.id, user.principal.user_id)
    return render(request, "label_adjudicate.html", {"p": proj, "items": items, "keyed": _keyed(proj.labels)})


@router.post("/{name}/adjudicate", dependencies=CSRF)
def adjudicate(
    request: Request,
    name: ProjectName,
    item_id: Annotated[int, Form(ge=1)],
    label: Annotated[str, Form(max_length=64)] = "",
    note: Annotated[str, Form(max_length=adjudication.MAX_NOTE_CHARS)] = "",
) -> Response:
    user, proj = _open(request, name)
    _ = _t(request)
    if not label:
        flash(request, _("labeling.pick_label"))
        return redirect(f"/label/{proj.name}/adjudicate")
    done = adjudication.adjudicate(
        app_state(request).store, proj.id, user.principal.user_id, item_id, label, note
    )
    flash(request, _("labeling.decided", item=done.item_id, label=_("label." + label, default=label)))
    return redirect(f"/label/{proj.name}/adjudicate")


@router.post("/{name}/export", dependencies=CSRF)
def export(request: Request, name: ProjectName) -> Response:
    """Admins: write the next label round's training file under the data directory."""
    user, proj = _open(request, name)
    _must(user, "export")
    state = app_state(request)
    result = label_export.export_for_training(state.store, state.settings, proj.id, actor=user.name)
    flash(request, _t(request)("labeling.exported", round=result.round, rows=result.rows))
    return redirect(f"/label/{proj.name}#rounds")


@router.post("/{name}/train", dependencies=CSRF)
def train(request: Request, name: ProjectName) -> Response:
    """Admins: export the next round, train the default model on it, and record the model's metrics."""
    user, proj = _open(request, name)
    _must(user, "export")
    from models.cli import train_from_labels  # the same function as `pantau models train --from-labels`

    exported, info = train_from_labels(app_state(request).settings, proj.name, actor=user.name)
    f1 = (info.metrics.get("heldout") or {}).get("macro_f1")
    flash(
        request,
        _t(request)(
            "labeling.trained",
            round=exported["round"],
            version=info.version,
            f1="—" if f1 is None else f"{float(f1):.3f}",
        ),
    )
    return redirect(f"/label/{proj.name}#rounds")
