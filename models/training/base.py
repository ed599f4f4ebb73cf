"""What every pantau text model returns, and the tasks and labels it knows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

HOAX_LABELS: tuple[str, ...] = ("hoax", "not_hoax")
ENDORSEMENT_LABELS: tuple[str, ...] = (
    "undisclosed_paid_political",
    "disclosed_paid_political",
    "organic_political",
    "commercial_endorsement",
    "other",
)
TASK_LABELS: dict[str, tuple[str, ...]] = {"hoax": HOAX_LABELS, "endorsement": ENDORSEMENT_LABELS}
#: The label whose probability is a prediction's ``score``.
SCORE_LABEL: dict[str, str] = {"hoax": "hoax", "endorsement": "undisclosed_paid_political"}


@dataclass
class TextPrediction:
    """One model's answer for one text.

    ``score`` is the calibrated probability of the task's score label (P(hoax), or
    P(undisclosed_paid_political)); ``probabilities`` covers every label and sums to 1; ``reasons`` are
    dicts ``{"kind": ..., "text": ..., "weight": ...}`` (plus optional fields) saying why.
    """

    label: str
    score: float
    probabilities: dict[str, float]
    reasons: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "score": self.score,
            "probabilities": dict(self.probabilities),
            "reasons": list(self.reasons),
        }


def check_task(task: str) -> str:
    """``task`` if pantau has models for it; :class:`ConfigError` otherwise."""
    from pantau.errors import ConfigError

    if task not in TASK_LABELS:
        raise ConfigError(f"unknown task {task!r}; use one of {', '.join(TASK_LABELS)}")
    return task
