"""The documented configuration of near-duplicate clustering, coordination scoring and narratives.

Defaults come from the benchmark stream (``bench/coordination.py``) and from the literature: CooRnet and
CooRTweet call shares "coordinated" when they fall inside a *coordination interval* estimated from the
data (the time within which the quickest 10% of repeat shares happen). Here the window is fixed by
default (``window_s``) and :func:`models.coordination.coordination.estimate_window` computes the
data-driven value from stored clusters; ``pantau`` operators can set it from that estimate.

Operators override any field in ``DATA_DIR/coordination/config.yaml`` (a mapping of field → value);
unknown fields and bad values are refused with a message naming them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from pantau.errors import ConfigError

CONFIG_FILE = "config.yaml"


class CoordinationConfig(BaseModel):
    """How posts are clustered and when a cluster counts as coordinated."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # --- near-duplicate clustering
    num_perm: int = Field(64, description="MinHash signature length (16, 32, 64, 128 or 256).")
    shingle: int = Field(5, ge=2, le=12, description="Character shingle length of the normalised text.")
    bands: int = Field(16, ge=1, description="LSH bands; num_perm must be a multiple of it.")
    threshold: float = Field(
        0.5, gt=0, le=1, description="Estimated Jaccard similarity two posts need to join one cluster."
    )
    evidence_threshold: float = Field(
        0.35,
        gt=0,
        le=1,
        description="Lower similarity that suffices when the two posts also share a link or hashtag.",
    )
    max_evidence_nodes: int = Field(
        50,
        ge=1,
        description=(
            "A link or hashtag carried by more distinct texts than this (a popular hashtag, a viral "
            "article) stops counting as evidence of a common origin from then on."
        ),
    )
    # --- coordination
    window_s: float = Field(
        900.0,
        gt=0,
        description="Coordination interval: posts of one cluster this close in time count as co-posted.",
    )
    context_s: float = Field(
        6 * 3600.0,
        gt=0,
        description=(
            "Context around a window: a burst is coordinated only if it holds at least min_concentration "
            "of the accounts that posted the same text within this many seconds of it (viral organic "
            "shares have a long tail, scripted campaigns do not)."
        ),
    )
    min_accounts: int = Field(
        10, ge=2, description="Distinct accounts a window needs before it can count as coordinated."
    )
    min_concentration: float = Field(
        0.5, gt=0, le=1, description="Share of the context's accounts that must fall inside the burst window."
    )
    min_words: int = Field(
        6,
        ge=1,
        description=(
            "Normalised words a cluster's text needs to be scored: short greetings ('selamat pagi') are "
            "repeated by many people at once and say nothing about a script."
        ),
    )
    count_native_shares: bool = Field(
        False,
        description=(
            "Count retweets/forwards (forwarded_from or 'RT @') as co-posts. Off by default: platform "
            "shares of a popular post arrive in minutes too; co-retweet networks need a stricter test."
        ),
    )
    max_network_accounts: int = Field(
        300, ge=2, description="Accounts per coordinated cluster that get co-posting edges (pairs grow fast)."
    )
    # --- narratives
    narrative_min_posts: int = Field(
        3, ge=2, description="Posts a near-duplicate cluster needs before it is placed in a narrative."
    )
    narrative_similarity: float | None = Field(
        None,
        description=(
            "Cosine a cluster's text needs to join an existing narrative; None picks the embedder's "
            "calibrated value (see models.coordination.narratives)."
        ),
    )
    trending_days: int = Field(3, ge=1, description="Days of recent growth compared with the days before.")

    @model_validator(mode="after")
    def _consistent(self) -> CoordinationConfig:
        if self.num_perm not in (16, 32, 64, 128, 256):
            raise ValueError(f"num_perm must be one of 16, 32, 64, 128, 256, got {self.num_perm}")
        if self.num_perm % self.bands:
            raise ValueError(f"num_perm {self.num_perm} is not a multiple of bands {self.bands}")
        if self.evidence_threshold > self.threshold:
            raise ValueError("evidence_threshold must not exceed threshold")
        return self


def load_config(directory: Path, overrides: dict[str, Any] | None = None) -> CoordinationConfig:
    """The config of a coordination directory (its ``config.yaml`` when present) plus ``overrides``."""
    values: dict[str, Any] = {}
    path = directory / CONFIG_FILE
    if path.is_file():
        try:
            loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise ConfigError(f"coordination config {path}: cannot be read ({exc})") from exc
        if not isinstance(loaded, dict):
            raise ConfigError(f"coordination config {path}: expected a mapping of field → value")
        values.update(loaded)
    values.update(overrides or {})
    try:
        return CoordinationConfig(**values)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "config"
        raise ConfigError(
            f"coordination config {path}: {where} = {first.get('input')!r} is invalid ({first['msg']})"
        ) from exc
