"""``/v1/stats``: counts over time, top accounts, top hashtags, top matched fact-checks."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field

from api.deps import StoreDep, viewer_for
from api.params import _end, _start
from api.policy import Permission
from api.routes.common import AUTH_ERRORS, BAD_QUERY
from api.schemas import Timeline, TopAccounts, TopFactChecks, TopHashtags
from api.services import stats as service
from api.state import Viewer

router = APIRouter(prefix="/v1/stats", responses={**AUTH_ERRORS, **BAD_QUERY}, tags=["stats"])
StatsViewer = Annotated[Viewer, Depends(viewer_for(Permission.stats_read))]


class StatsParams(BaseModel):
    """Which posts are counted."""

    model_config = ConfigDict(extra="forbid")

    published_from: date | datetime | None = Field(None, description="At or after (UTC).")
    published_to: date | datetime | None = Field(
        None, description="Before (UTC); a date means up to its end."
    )
    platform: list[str] = Field(default_factory=list, max_length=20)
    source: list[str] = Field(default_factory=list, max_length=50)
    tag: list[str] = Field(default_factory=list, max_length=20)
    label: list[str] = Field(default_factory=list, max_length=20, description="task:label, e.g. hoax:hoax")

    def filter(self) -> service.StatsFilter:
        return service.StatsFilter(
            start=_start(self.published_from),
            end=_end(self.published_to),
            platforms=self.platform,
            sources=self.source,
            tags=self.tag,
            labels=self.label,
        )


class TimelineParams(StatsParams):
    interval: Literal["hour", "day"] = "day"
    by: Literal["label", "platform", "tag"] = "label"
    task: Literal["hoax", "endorsement", "language", "claims"] = Field(
        "hoax", description="Task when by=label."
    )


class TopParams(StatsParams):
    limit: int = Field(20, ge=1, le=500)


class TopAccountParams(TopParams):
    flagged_only: bool = Field(False, description="Rank by flagged posts (hoax or undisclosed paid).")


@router.get("/timeline", response_model=Timeline, summary="Posts over time")
def timeline(params: Annotated[TimelineParams, Query()], store: StoreDep, _v: StatsViewer) -> Timeline:
    """Posts per hour or day, split by label, platform or tag."""
    return service.timeline(
        store, interval=params.interval, by=params.by, task=params.task, flt=params.filter()
    )


@router.get("/top-accounts", response_model=TopAccounts, summary="Most active accounts")
def top_accounts(
    params: Annotated[TopAccountParams, Query()], store: StoreDep, viewer: StatsViewer
) -> TopAccounts:
    """Accounts with the most (flagged) posts; accounts that are not monitored appear under a pseudonym
    for journalists."""
    return service.top_accounts(
        store, viewer, limit=params.limit, flt=params.filter(), flagged_only=params.flagged_only
    )


@router.get("/top-hashtags", response_model=TopHashtags, summary="Most used hashtags")
def top_hashtags(params: Annotated[TopParams, Query()], store: StoreDep, _v: StatsViewer) -> TopHashtags:
    """Hashtags on the most posts."""
    return service.top_hashtags(store, limit=params.limit, flt=params.filter())


@router.get("/top-factchecks", response_model=TopFactChecks, summary="Most matched fact-checks")
def top_factchecks(params: Annotated[TopParams, Query()], store: StoreDep, _v: StatsViewer) -> TopFactChecks:
    """Fact-checks whose claims the most posts repeat."""
    return service.top_factchecks(store, limit=params.limit, flt=params.filter())
