"""Classification scores in the shape ``pantau models eval --json`` prints."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def classification_scores(
    y_true: Sequence[str], y_pred: Sequence[str], labels: Sequence[str]
) -> dict[str, Any]:
    """``{"n", "accuracy", "macro_f1", "per_label": {label: {precision, recall, f1, support}}, "confusion"}``.

    Macro-F1 averages over the labels that occur in ``y_true`` or ``y_pred`` (a label absent from both
    says nothing about the model). ``confusion[true][pred]`` counts.
    """
    if len(y_true) != len(y_pred):
        raise ValueError(f"{len(y_true)} true labels but {len(y_pred)} predictions")
    all_labels = list(labels) + sorted({*y_true, *y_pred} - set(labels))
    confusion = {t: {p: 0 for p in all_labels} for t in all_labels}
    for t, p in zip(y_true, y_pred, strict=True):
        confusion[t][p] += 1
    per_label: dict[str, dict[str, float | int]] = {}
    f1s: list[float] = []
    for label in all_labels:
        tp = confusion[label][label]
        support = sum(confusion[label].values())
        predicted = sum(confusion[t][label] for t in all_labels)
        precision = tp / predicted if predicted else 0.0
        recall = tp / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_label[label] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "support": support,
        }
        if support or predicted:
            f1s.append(f1)
    n = len(y_true)
    correct = sum(confusion[label][label] for label in all_labels)
    return {
        "n": n,
        "accuracy": round(correct / n, 4) if n else 0.0,
        "macro_f1": round(sum(f1s) / len(f1s), 4) if f1s else 0.0,
        "per_label": per_label,
        "confusion": confusion,
    }


def expected_calibration_error(
    confidences: Sequence[float], correct: Sequence[bool], bins: int = 10
) -> float:
    """Expected calibration error of top-label confidences: the mean |accuracy − confidence| over equal-width
    confidence bins, weighted by how many predictions fall in each (0 = perfectly calibrated)."""
    if not confidences:
        return 0.0
    totals = [[0, 0.0, 0] for _ in range(bins)]  # count, summed confidence, correct
    for conf, ok in zip(confidences, correct, strict=True):
        b = min(bins - 1, int(conf * bins))
        totals[b][0] += 1
        totals[b][1] += conf
        totals[b][2] += int(ok)
    n = len(confidences)
    return round(sum(abs(c / k - s / k) * k / n for k, s, c in totals if k), 4)
