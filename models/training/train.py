"""Training and evaluation service functions behind ``pantau models train`` and ``eval``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from models.training.base import TASK_LABELS, check_task
from models.training.data import Dataset, load_seed, read_labeled, read_many, seed_paths
from models.training.metrics import classification_scores, expected_calibration_error
from pantau.election import Election
from pantau.errors import ConfigError, ModelError
from pantau.settings import Settings

Progress = Callable[[str], None]


def build_model(
    task: str,
    data: Dataset,
    election: Election,
    *,
    kind: str = "sklearn",
    base_model: str | None = None,
    options: dict[str, Any] | None = None,
    progress: Progress | None = None,
) -> Any:
    """Train a model of ``task`` and ``kind`` on every example of ``data``."""
    check_task(task)
    options = dict(options or {})
    if task == "hoax":
        from models.hoax.config import HoaxConfig

        if base_model is not None:
            kind = "hf" if kind == "sklearn" else kind
            options["base_model"] = base_model
        try:
            config = HoaxConfig.model_validate({**options, "kind": kind})
        except ValueError as exc:
            raise ConfigError(f"hoax model options: {exc}") from exc
        if config.kind == "hf":
            from models.hoax.hf import HFHoaxClassifier

            return HFHoaxClassifier.train(data, config, election, progress)
        from models.hoax.classifier import HoaxClassifier

        return HoaxClassifier.train(data, config, election, progress)
    from models.endorse.config import EndorsementConfig
    from models.endorse.detector import EndorsementDetector

    if base_model is not None or kind == "hf":
        raise ConfigError(
            "the endorsement detector has no fine-tuned encoder kind yet; use --kind sklearn or e5"
        )
    try:
        econfig = EndorsementConfig.model_validate({**options, "kind": kind})
    except ValueError as exc:
        raise ConfigError(f"endorsement model options: {exc}") from exc
    return EndorsementDetector.train(data, econfig, election, progress)


def predict_all(model: Any, data: Dataset) -> list[Any]:
    """The model's predictions for ``data`` (endorsement models also see account kinds and authors)."""
    if model.task == "endorsement":
        preds = model.predict(
            data.texts,
            account_kinds=[e.account_kind for e in data.examples],
            authors=[e.author for e in data.examples],
        )
    else:
        preds = model.predict(data.texts)
    return list(preds)


def evaluate(model: Any, data: Dataset) -> dict[str, Any]:
    """``classification_scores`` of ``model`` on ``data`` plus the number of skipped rows."""
    if not data.examples:
        raise ModelError("nothing to evaluate: the evaluation data has no usable rows")
    preds = predict_all(model, data)
    scores = classification_scores(data.labels, [p.label for p in preds], TASK_LABELS[model.task])
    scores["ece"] = expected_calibration_error(
        [max(p.probabilities.values()) for p in preds],
        [p.label == t for p, t in zip(preds, data.labels, strict=True)],
    )
    scores["skipped_rows"] = len(data.skipped)
    return scores


def training_data(
    task: str, files: Sequence[Path | str] = (), *, use_seed: bool = True, include_heldout: bool = False
) -> tuple[Dataset, Dataset]:
    """(training set, held-out set) from the seed corpus and/or ``files``."""
    if not use_seed and not files:
        raise ConfigError("no training data: pass --data FILE or keep the seed corpus")
    data = Dataset(task)
    if use_seed and seed_paths(task):
        data = data + load_seed(task)
    elif use_seed and not files:
        data = data + load_seed(task)  # raises, naming the missing seed files
    if files:
        data = data + read_many(files, task)
    if include_heldout:
        return data, data.where(heldout=True)
    return data.where(heldout=False), data.where(heldout=True)


def train_model(
    settings: Settings,
    task: str,
    files: Sequence[Path | str] = (),
    *,
    kind: str = "sklearn",
    base_model: str | None = None,
    out: Path | None = None,
    promote: bool = False,
    use_seed: bool = True,
    include_heldout: bool = False,
    eval_files: Sequence[Path | str] = (),
    options: dict[str, Any] | None = None,
    progress: Progress | None = None,
) -> Any:
    """Train, evaluate on held-out rows (and ``eval_files``), save with a model card; ``ModelInfo``."""
    from models.registry import Registry, election_of

    check_task(task)
    if out is not None and promote:
        raise ConfigError("--promote works on registry models only; drop --out to promote")
    say = progress or (lambda _msg: None)
    train, heldout = training_data(task, files, use_seed=use_seed, include_heldout=include_heldout)
    say(f"training {task}/{kind} on {len(train.examples)} examples")
    election = election_of(settings)
    model = build_model(
        task, train, election, kind=kind, base_model=base_model, options=options, progress=say
    )
    metrics: dict[str, Any] = {}
    if heldout.examples and not include_heldout:
        say(f"evaluating on {len(heldout.examples)} held-out rows")
        metrics["heldout"] = evaluate(model, heldout)
    for path in eval_files:
        say(f"evaluating on {path}")
        metrics[f"cross_source:{Path(path).name}"] = evaluate(model, read_labeled(path, task))
    registry = Registry.from_settings(settings)
    info = registry.save(model, train, metrics, out=out, heldout_excluded=not include_heldout)
    if promote:
        info = registry.promote(info.version)
    return info


def evaluate_files(
    settings: Settings,
    task: str,
    files: Sequence[Path | str],
    model_dir: Path | None = None,
    *,
    all_rows: bool = False,
) -> dict[str, Any]:
    """Scores of a model (``model_dir``, or the promoted one) on labelled files.

    When a file has a ``split`` column with held-out rows, only those rows are scored (the others were
    trained on) unless ``all_rows``.
    """
    from models.registry import Registry, election_of

    check_task(task)
    data = read_many(files, task)
    heldout = data.where(heldout=True)
    rows = "all"
    if not all_rows and heldout.examples:
        data, rows = heldout, "heldout"
    registry = Registry.from_settings(settings)
    election = election_of(settings)
    model = registry.load(model_dir, election) if model_dir else registry.load_promoted(task, election)
    if model.task != task:
        raise ConfigError(f"model {model.version} is a {model.task} model, not {task}")
    if task == "endorsement":
        from models.endorse.accounts import influencer_list

        model.influencers = influencer_list(settings)  # type: ignore[attr-defined]
    result = evaluate(model, data)
    return {"task": task, "model": model.version, "rows": rows, **result}
