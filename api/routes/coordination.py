"""``/v1/clusters``, ``/v1/narratives`` and ``/v1/accounts/{platform}/{handle}/partners``: coordinated
posting (issue 8), read from the tables :mod:`models.coordination` keeps."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from api.deps import StoreDep, viewer_for
from api.policy import Permission
from api.routes.common import AUTH_ERRORS, BAD_QUERY, NOT_FOUND
from api.schemas import ClusterDetailOut, ClusterPage, NarrativeDetailOut, NarrativePage, PartnersOut
from api.services import coordination as service
from api.state import Viewer

router = APIRouter(prefix="/v1", responses={**AUTH_ERRORS, **BAD_QUERY}, tags=["coordination"])
CoordViewer = Annotated[Viewer, Depends(viewer_for(Permission.coordination_read))]
ObjectId = Annotated[
    str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_\-:.]+$", description="Id.")
]


@router.get("/clusters", response_model=ClusterPage, summary="Coordination clusters")
def list_clusters(
    store: StoreDep,
    _v: CoordViewer,
    coordinated_only: Annotated[
        bool, Query(description="Only clusters whose timing looks coordinated.")
    ] = True,
    min_accounts: Annotated[int, Query(ge=2, le=100_000, description="At least this many accounts.")] = 2,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000, description="From `next_offset`.")] = 0,
) -> ClusterPage:
    """Near-duplicate clusters, most coordinated first (score, then accounts, then newest).

    Example: `GET /v1/clusters?coordinated_only=true&limit=20`"""
    return service.list_clusters(
        store, coordinated_only=coordinated_only, min_accounts=min_accounts, limit=limit, offset=offset
    )


@router.get(
    "/clusters/{cluster_id}", response_model=ClusterDetailOut, summary="One cluster", responses=NOT_FOUND
)
def get_cluster(cluster_id: ObjectId, store: StoreDep, viewer: CoordViewer) -> ClusterDetailOut:
    """The cluster's accounts (those in the burst first), its posts with times and platforms (oldest
    first) and the co-posting edges among its coordinated accounts. Authors who are not monitored
    accounts appear under a pseudonym for journalists, as in `/v1/posts`."""
    return service.cluster_detail(store, cluster_id, viewer)


@router.get("/narratives", response_model=NarrativePage, summary="Narratives, trending first")
def list_narratives(
    store: StoreDep,
    viewer: CoordViewer,
    days: Annotated[int, Query(ge=1, le=60, description="Growth of the last N days over the N before.")] = 3,
    min_posts: Annotated[int, Query(ge=1, le=100_000)] = 2,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> NarrativePage:
    """Claims spreading across clusters: a matched fact-check's, or a group of similar clusters."""
    return service.list_narratives(store, viewer, limit=limit, days=days, min_posts=min_posts)


@router.get(
    "/narratives/{narrative_id}",
    response_model=NarrativeDetailOut,
    summary="One narrative",
    responses=NOT_FOUND,
)
def get_narrative(narrative_id: ObjectId, store: StoreDep, viewer: CoordViewer) -> NarrativeDetailOut:
    """First seen, posts per day (growth), platforms, top accounts and the latest posts."""
    return service.narrative_detail(store, narrative_id, viewer)


@router.get(
    "/accounts/{platform}/{handle}/partners",
    response_model=PartnersOut,
    summary="Co-posting partners of an account",
    responses=NOT_FOUND,
)
def account_partners(
    platform: Annotated[str, Path(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_\-]+$")],
    handle: Annotated[str, Path(min_length=1, max_length=256, pattern=r"^@?[A-Za-z0-9_.\-]+$")],
    store: StoreDep,
    viewer: CoordViewer,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> PartnersOut:
    """Accounts that posted the same texts inside coordination bursts with this one, strongest first
    (weight = shared coordinated clusters). `handle` may be a pseudonym (`anon-…`) seen elsewhere in the
    API: it resolves to the account without revealing it."""
    return service.partners(store, viewer, platform, handle, limit=limit)
