"""The model registry: versioned model directories under ``DATA_DIR/models``.

::

    DATA_DIR/models/<task>/<version>/      model files + card.json + README.md (the model card)
    DATA_DIR/models/<task>/promoted.json   {"version": ..., "promoted_at": ...}

Versions read ``<task>-<kind>-<UTC time>-<data hash 8>``, e.g. ``hoax-sklearn-20291122T1930-1a2b3c4d``.
:func:`ensure_default` trains and promotes the default models from the shipped seed corpus when a task
has no promoted model yet — this is how pantau "trains at first run".
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from models.training.base import TASK_LABELS, TextPrediction, check_task
from models.training.cards import build_card, write_card
from models.training.data import Dataset
from pantau.election import Election, load_election
from pantau.errors import ConfigError, ModelError, NotFound
from pantau.settings import Settings

TASKS = tuple(TASK_LABELS)
_VERSION_RE = re.compile(r"^[a-z]+-[a-z0-9]+-\d{8}T\d{4}-[0-9a-f]{8}(-\d+)?$")


class TextModel(Protocol):
    """What the registry stores: a trained model for one task."""

    task: str
    version: str

    @property
    def kind(self) -> str: ...

    def predict(self, texts: list[str]) -> list[TextPrediction]: ...

    def save(self, directory: Path) -> list[str]: ...

    def params(self) -> dict[str, Any]: ...


@dataclass
class ModelInfo:
    """One saved model as ``pantau models list`` shows it."""

    version: str
    task: str
    kind: str
    path: Path
    created_at: str
    promoted: bool
    metrics: dict[str, Any]

    def summary(self) -> dict[str, Any]:
        heldout = self.metrics.get("heldout") or {}
        return {
            "version": self.version,
            "task": self.task,
            "kind": self.kind,
            "created_at": self.created_at,
            "promoted": self.promoted,
            "path": str(self.path),
            "heldout_macro_f1": heldout.get("macro_f1"),
        }


def _load_model(directory: Path, election: Election) -> TextModel:
    """Load the model in ``directory`` by the task and kind its card names (never by a class path)."""
    card = read_card(directory)
    task, kind = card.get("task"), card.get("kind")
    model: TextModel
    if task == "hoax" and kind in ("sklearn", "e5"):
        from models.hoax.classifier import HoaxClassifier

        model = HoaxClassifier.load(directory, election)
    elif task == "hoax" and kind == "hf":
        from models.hoax.hf import HFHoaxClassifier

        model = HFHoaxClassifier.load(directory, election)
    elif task == "endorsement":
        from models.endorse.detector import EndorsementDetector

        model = EndorsementDetector.load(directory, election)
    else:
        raise ModelError(f"model {directory}: unknown task/kind {task!r}/{kind!r} in card.json")
    model.version = str(card.get("version") or directory.name)
    return model


def read_card(directory: Path) -> dict[str, Any]:
    """The parsed ``card.json`` of a model directory."""
    path = directory / "card.json"
    try:
        card = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise NotFound(f"{directory} is not a pantau model directory (no card.json)") from exc
    except (OSError, json.JSONDecodeError) as exc:
        raise ModelError(f"{path}: cannot read the model card ({exc})") from exc
    if not isinstance(card, dict):
        raise ModelError(f"{path}: the model card is not a JSON object")
    return card


class Registry:
    """Versioned models of every task under one root directory."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @classmethod
    def from_settings(cls, settings: Settings) -> Registry:
        return cls(settings.models_dir)

    def task_dir(self, task: str) -> Path:
        return self.root / check_task(task)

    def new_version(self, task: str, kind: str, data_hash: str, now: datetime | None = None) -> str:
        stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M")
        base = f"{task}-{kind}-{stamp}-{data_hash[:8]}"
        version, n = base, 1
        while (self.task_dir(task) / version).exists():
            n += 1
            version = f"{base}-{n}"
        return version

    def save(
        self,
        model: TextModel,
        data: Dataset,
        metrics: dict[str, Any],
        *,
        out: Path | None = None,
        heldout_excluded: bool = True,
    ) -> ModelInfo:
        """Write the model and its card: a new version in the registry, or into ``out`` when given."""
        now = datetime.now(UTC)
        data_hash = data.data_hash()
        version = self.new_version(model.task, model.kind, data_hash, now)
        final = out if out is not None else self.task_dir(model.task) / version
        if out is not None and out.exists() and any(out.iterdir()):
            raise ConfigError(f"--out {out}: the directory is not empty — choose a new one")
        tmp = final.with_name(f".{final.name}.tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        try:
            files = model.save(tmp)
            card = build_card(
                version=version,
                task=model.task,
                kind=model.kind,
                created_at=now,
                data={
                    "n": len(data.examples),
                    "data_hash": data_hash,
                    "files": {Path(name).name: sha for name, sha in data.files.items()},
                    "label_counts": data.label_counts(),
                    "skipped_rows": len(data.skipped),
                    "heldout_excluded": heldout_excluded,
                },
                parameters=model.params(),
                metrics=metrics,
                files=[*files, "card.json", "README.md"],
            )
            write_card(tmp, card)
            if final.exists():  # an empty --out directory
                final.rmdir()
            os.replace(tmp, final)  # a crash never leaves a half-written version behind
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        model.version = version
        return self._info(final, card)

    def _info(self, directory: Path, card: dict[str, Any]) -> ModelInfo:
        task = str(card.get("task"))
        version = str(card.get("version") or directory.name)
        return ModelInfo(
            version=version,
            task=task,
            kind=str(card.get("kind")),
            path=directory,
            created_at=str(card.get("created_at", "")),
            promoted=task in TASKS and self.promoted_version(task) == version,
            metrics=card.get("metrics") or {},
        )

    def list(self, task: str | None = None) -> list[ModelInfo]:
        """Saved models, newest first."""
        infos: list[ModelInfo] = []
        for t in [check_task(task)] if task else list(TASKS):
            folder = self.task_dir(t)
            if not folder.is_dir():
                continue
            for directory in folder.iterdir():
                if (
                    directory.is_dir()
                    and not directory.name.startswith(".")
                    and (directory / "card.json").exists()
                ):
                    try:
                        infos.append(self._info(directory, read_card(directory)))
                    except ModelError:
                        continue  # a damaged card is reported by `find`, not by listing
        return sorted(infos, key=lambda i: (i.created_at, i.version), reverse=True)

    def find(self, version: str) -> ModelInfo:
        """The saved model with this version (any task)."""
        if not _VERSION_RE.match(version) and "/" not in version:
            raise NotFound(
                f"model version {version!r} is not a valid version name — see `pantau models list`"
            )
        for t in TASKS:
            directory = self.task_dir(t) / version
            if (directory / "card.json").exists():
                return self._info(directory, read_card(directory))
        raise NotFound(f"model version {version!r} not found under {self.root} — see `pantau models list`")

    def promote(self, version: str) -> ModelInfo:
        """Make ``version`` the model its task uses."""
        info = self.find(version)
        pointer = self.task_dir(info.task) / "promoted.json"
        tmp = pointer.with_suffix(".tmp")
        tmp.write_text(
            json.dumps({"version": info.version, "promoted_at": datetime.now(UTC).isoformat()}) + "\n",
            encoding="utf-8",
        )
        os.replace(tmp, pointer)
        info.promoted = True
        return info

    def promoted_version(self, task: str) -> str | None:
        pointer = self.task_dir(task) / "promoted.json"
        try:
            data = json.loads(pointer.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, json.JSONDecodeError) as exc:
            raise ModelError(
                f"{pointer}: cannot read it ({exc}) — run `pantau models promote VERSION`"
            ) from exc
        version = data.get("version") if isinstance(data, dict) else None
        if not isinstance(version, str) or not (self.task_dir(task) / version).is_dir():
            return None
        return version

    def load(self, path_or_version: str | Path, election: Election) -> TextModel:
        """Load a model by registry version or by directory path."""
        path = Path(path_or_version)
        if not (path / "card.json").exists():
            path = self.find(str(path_or_version)).path
        return _load_model(path, election)

    def load_promoted(self, task: str, election: Election) -> TextModel:
        version = self.promoted_version(task)
        if version is None:
            raise NotFound(
                f"no promoted {task} model under {self.root} — run `pantau models ensure-default` "
                f"or `pantau models train --task {task} --promote`"
            )
        return _load_model(self.task_dir(task) / version, election)


def election_of(settings: Settings) -> Election:
    return load_election(settings.election_file)


def load_promoted(settings: Settings, task: str) -> TextModel:
    """The promoted model of ``task``; :class:`NotFound` when there is none."""
    model = Registry.from_settings(settings).load_promoted(task, election_of(settings))
    if task == "endorsement":
        from models.endorse.accounts import influencer_list

        model.influencers = influencer_list(settings)  # type: ignore[attr-defined]
    return model


def ensure_default(settings: Settings, progress: Callable[[str], None] | None = None) -> dict[str, str]:
    """Train and promote the default model of each task that has no promoted model; task → version."""
    from models.training.train import train_model

    registry = Registry.from_settings(settings)
    versions: dict[str, str] = {}
    for task in TASKS:
        current = registry.promoted_version(task)
        if current is None:
            if progress:
                progress(f"training the default {task} model from the seed corpus")
            info = train_model(settings, task, promote=True, progress=progress)
            current = info.version
        versions[task] = current
    return versions
