"""Cluster and narrative pages (issue 8): who posted the same text when, on which platforms, with a
timeline chart; authors shown as on the post pages (pseudonyms for roles without authors:identify)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response

from api.policy import Permission
from api.services import coordination as coord_api
from api.web.coordination import cluster_chart, narrative_chart
from api.web.core import WebRoute, app_state, render, require, viewer

router = APIRouter(route_class=WebRoute, include_in_schema=False)
ObjectId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_\-:.]+$")]


@router.get("/clusters/{cluster_id}")
def cluster_page(request: Request, cluster_id: ObjectId) -> Response:
    user = require(request, Permission.coordination_read)
    detail = coord_api.cluster_detail(app_state(request).store, cluster_id, viewer(request, user))
    chart, bucket = cluster_chart(detail)
    return render(
        request,
        "cluster.html",
        {"c": detail, "chart": chart, "bucket_minutes": int(bucket.total_seconds() // 60)},
    )


@router.get("/narratives/{narrative_id}")
def narrative_page(request: Request, narrative_id: ObjectId) -> Response:
    user = require(request, Permission.coordination_read)
    detail = coord_api.narrative_detail(app_state(request).store, narrative_id, viewer(request, user))
    return render(request, "narrative.html", {"n": detail, "chart": narrative_chart(detail.daily)})
