"""Labelled training and evaluation files (CSV or JSONL with ``text`` and ``label``) and the seed corpus.

A file that cannot be read, or lacks the ``text`` or ``label`` column, raises :class:`InvalidRecord`
naming the file and the column. A bad row (empty text, unknown label, broken JSON) is skipped and
recorded in :attr:`Dataset.skipped` with the file, the row number and the column, so one typo never
sinks a training run. Optional columns the models use: ``account_kind`` and ``author`` (endorsement)
and ``split`` (``train`` / ``heldout``: held-out rows are never trained on by default).
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from models.training.base import TASK_LABELS, check_task
from pantau.errors import InvalidRecord

SEED_DIR = Path(__file__).resolve().parents[1] / "data" / "seed"
SEED_FILES: dict[str, tuple[str, ...]] = {
    "hoax": ("hoax_a.csv", "hoax_b.csv"),
    "endorsement": ("endorsement.csv",),
}
HELDOUT = "heldout"
_MAX_TEXT_CHARS = 20_000


@dataclass
class Example:
    """One labelled text."""

    text: str
    label: str
    split: str = "train"
    account_kind: str | None = None
    author: str | None = None
    source: str = ""
    category: str | None = None


@dataclass
class Dataset:
    """Labelled examples plus where they came from (file → SHA-256) and the rows that were skipped."""

    task: str
    examples: list[Example] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)

    @property
    def texts(self) -> list[str]:
        return [e.text for e in self.examples]

    @property
    def labels(self) -> list[str]:
        return [e.label for e in self.examples]

    def label_counts(self) -> dict[str, int]:
        return dict(sorted(Counter(self.labels).items()))

    def where(self, *, heldout: bool | None = None, sources: Iterable[str] | None = None) -> Dataset:
        """The subset with the given split (``heldout=True`` / ``False``) and/or source files."""
        wanted = set(sources) if sources is not None else None
        keep = [
            e
            for e in self.examples
            if (heldout is None or (e.split == HELDOUT) == heldout) and (wanted is None or e.source in wanted)
        ]
        return Dataset(self.task, keep, dict(self.files), list(self.skipped))

    def __add__(self, other: Dataset) -> Dataset:
        return Dataset(
            self.task,
            self.examples + other.examples,
            {**self.files, **other.files},
            self.skipped + other.skipped,
        )

    def data_hash(self) -> str:
        """SHA-256 over the examples actually used (text, label, account kind), order-independent."""
        digest = hashlib.sha256()
        for line in sorted(f"{e.label}\t{e.account_kind or ''}\t{e.text}" for e in self.examples):
            digest.update(line.encode("utf-8"))
            digest.update(b"\n")
        return digest.hexdigest()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _rows(path: Path) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """(row number, row dict) pairs; a row that is not an object yields an error string instead."""
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        with path.open(encoding="utf-8") as fh:
            for number, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as exc:
                    yield number, f"not valid JSON ({exc.msg})"
                    continue
                yield number, row if isinstance(row, dict) else "not a JSON object"
    elif suffix in (".csv", ".tsv"):
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh, delimiter="\t" if suffix == ".tsv" else ",")
            columns = reader.fieldnames or []
            for column in ("text", "label"):
                if column not in columns:
                    raise InvalidRecord(
                        f"{path}: no {column!r} column (found {', '.join(columns) or 'none'}) — "
                        "training files need 'text' and 'label' columns"
                    )
            for number, row in enumerate(reader, start=2):
                yield number, row
    else:
        raise InvalidRecord(f"{path}: unknown file type {suffix!r} — use .csv, .tsv or .jsonl")


def read_labeled(path: Path | str, task: str) -> Dataset:
    """Read one labelled file for ``task``; bad rows are skipped and listed in ``skipped``."""
    check_task(task)
    path = Path(path)
    if not path.is_file():
        raise InvalidRecord(
            f"{path}: no such file — pass a CSV or JSONL file with 'text' and 'label' columns"
        )
    labels = TASK_LABELS[task]
    data = Dataset(task, files={str(path): file_sha256(path)})
    try:
        for number, row in _rows(path):
            where = f"{path}:{number}"
            if isinstance(row, str):
                data.skipped.append(f"{where}: {row}")
                continue
            text, label = row.get("text"), row.get("label")
            if not isinstance(text, str) or not text.strip():
                data.skipped.append(f"{where}: column 'text' is empty")
                continue
            label = str(label or "").strip().lower()
            if label not in labels:
                data.skipped.append(
                    f"{where}: column 'label' has {label!r}; {task} labels are {', '.join(labels)}"
                )
                continue
            split = str(row.get("split") or "train").strip().lower()
            kind = row.get("account_kind")
            author = row.get("author")
            category = row.get("category")
            data.examples.append(
                Example(
                    text=text.strip()[:_MAX_TEXT_CHARS],
                    label=label,
                    split=split,
                    account_kind=str(kind).strip() if kind else None,
                    author=str(author).strip() if author else None,
                    source=path.name,
                    category=str(category) if category else None,
                )
            )
    except UnicodeDecodeError as exc:
        raise InvalidRecord(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    except csv.Error as exc:
        raise InvalidRecord(f"{path}: malformed CSV ({exc})") from exc
    if not data.examples:
        raise InvalidRecord(f"{path}: no usable rows ({len(data.skipped)} skipped: {data.skipped[:3]})")
    return data


def read_many(paths: Iterable[Path | str], task: str) -> Dataset:
    """Read and concatenate several labelled files."""
    data = Dataset(task)
    for path in paths:
        data = data + read_labeled(path, task)
    return data


def seed_paths(task: str) -> list[Path]:
    """The shipped seed corpus files for ``task`` that exist in this checkout."""
    check_task(task)
    return [SEED_DIR / name for name in SEED_FILES[task] if (SEED_DIR / name).is_file()]


def load_seed(task: str) -> Dataset:
    """The shipped seed corpus for ``task`` (train and held-out rows; use :meth:`Dataset.where`)."""
    paths = seed_paths(task)
    if not paths:
        raise InvalidRecord(
            f"seed corpus for {task!r} not found under {SEED_DIR} (expected {', '.join(SEED_FILES[task])})"
        )
    return read_many(paths, task)
