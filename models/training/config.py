"""Settings shared by the linear text models (hoax and endorsement): n-gram features and the
calibrated logistic regression."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from models.training.features import FeatureConfig


class LinearTextConfig(BaseModel):
    """Hashed word and character n-grams into a calibrated logistic regression."""

    model_config = ConfigDict(extra="forbid")

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

    def feature_config(self, *, use_style: bool) -> FeatureConfig:
        """The featurizer settings of this model."""
        return FeatureConfig(
            n_features=self.n_features,
            word_ngram_max=self.word_ngram_max,
            char_ngram_min=self.char_ngram_min,
            char_ngram_max=self.char_ngram_max,
            use_char=self.use_char,
            use_style=use_style,
        )
