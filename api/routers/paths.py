"""GET /paths: the shortest paths between two organisations ("who can introduce me")."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from api.deps import DatabaseDep, DriverDep
from api.openapi import responses
from api.responses import json_response
from queries import paths as paths_query
from queries.explore import MAX_HOPS
from queries.models import PathsResult

router = APIRouter(tags=["paths"])

RAMEAU = {"id": "org:le-rameau", "name": "Le RAMEAU", "label": "Organisation",
          "labels": ["Organisation", "Relay"], "kind": "association"}
MEDIATEUR = {"id": "org:mediateur", "name": "Médiateur des entreprises",
             "label": "Organisation", "labels": ["Organisation"], "kind": "etat"}
EXAMPLE = {
    "source": RAMEAU, "target": MEDIATEUR, "max_hops": 4, "length": 1,
    "paths": [{"nodes": [RAMEAU, MEDIATEUR], "length": 1,
               "relationships": [{"type": "PARTNERS_WITH", "source": "org:le-rameau",
                                  "target": "org:mediateur"}]}],
}


@router.get("/paths", response_model=PathsResult, responses=responses(EXAMPLE, 400, 404))
def paths(
    driver: DriverDep,
    database: DatabaseDep,
    source: Annotated[str, Query(max_length=200, examples=["org:le-rameau"])],
    target: Annotated[str, Query(max_length=200, examples=["org:mediateur"])],
    max_hops: Annotated[int, Query(ge=1, le=MAX_HOPS)] = 4,
    limit: Annotated[int, Query(ge=1, le=50, description="Paths at most.")] = 10,
) -> Response:
    """Shortest paths through partnerships, memberships, spaces and shared programmes;
    ``length`` is null when the two are further apart than ``max_hops``."""
    answer = paths_query(driver, source, target, max_hops=max_hops, limit=limit,
                         database=database)
    return json_response(answer)
