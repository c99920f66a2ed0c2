"""GET /analytics/brokers and /analytics/communities (networkx on a projection), read from
the tables stored for the current graph, or computed in a job (api/analytics_jobs.py)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from api.analytics_jobs import brokers_job, communities_job
from api.answer_tables import brokers_table, communities_table
from api.deps import DatabaseDep, DriverDep
from api.downloads import Format, csv_response
from api.jobs import AsyncParam, answer_or_accepted
from api.openapi import ACCEPTED, responses
from api.pagination import PageDep
from api.responses import json_response
from queries.models import BrokersResult, CommunitiesResult

router = APIRouter(prefix="/analytics", tags=["analytics"])

BROKERS_EXAMPLE = {
    "method": "exact", "k": None, "seed": 42, "nodes": 14, "edges": 20,
    "fingerprint": "3f2a…", "cached": False, "note": "exact betweenness",
    "items": [{"rank": 1, "id": "org:le-rameau", "name": "Le RAMEAU",
               "label": "Organisation", "kind": "association", "score": 0.41}],
}
COMMUNITIES_EXAMPLE = {
    "method": "louvain", "seed": 42, "resolution": 1.0, "modularity": 0.38, "nodes": 14,
    "edges": 20, "fingerprint": "3f2a…", "cached": True, "total": 1, "limit": 50,
    "offset": 0,
    "items": [{"index": 0, "size": 5, "labels": {"Organisation": 3, "Programme": 2},
               "members": [{"id": "org:le-rameau", "name": "Le RAMEAU",
                            "label": "Organisation", "labels": ["Organisation", "Relay"],
                            "kind": "association"}]}],
}
BROKERS_CSV = ("Rang;Organisation;Type;Score (intermédiarité);Identifiant\r\n"
               "1;Le RAMEAU;Association;0,41;org:le-rameau\r\n")
COMMUNITIES_CSV = ("Communauté;Taille;Composition;Principaux membres\r\n"
                   "1;5;3 organisations, 2 programmes;Le RAMEAU\r\n")
Seed = Annotated[int, Query(ge=0, le=2**31 - 1, description="Random seed (reproducible).")]


@router.get("/brokers", response_model=BrokersResult,
            responses={**responses(BROKERS_EXAMPLE, 400, csv=BROKERS_CSV), **ACCEPTED})
def brokers(
    request: Request,
    driver: DriverDep,
    database: DatabaseDep,
    top: Annotated[int, Query(ge=1, le=200)] = 20,
    organisations_only: bool = True,
    seed: Seed = 42,
    fmt: Format = "json",
    as_job: AsyncParam = False,
) -> Response:
    """Who bridges whom: the nodes with the highest betweenness centrality (exact on small
    graphs, sampled on large ones; ``method`` says which). With `format=csv`
    (`organisations-qui-font-le-pont.csv`) the rows are those with a score above zero, as
    the pages show them: a zero score says nothing.

    Read from the scores stored for the current graph (computed after each load); when
    they are not there yet, computed in a job: a 200 when it ends within
    `ALLIANCE_JOB_WAIT` seconds, else a **202** with the job (`GET /jobs/{id}`);
    with `async=true`, the 202 at once."""
    answer, job = brokers_job(request, driver, database, top=top,
                              organisations_only=organisations_only, seed=seed,
                              as_job=as_job)

    def respond(result: BrokersResult) -> Response:
        if fmt == "csv":
            return csv_response(brokers_table(result))
        return json_response(result)

    return respond(answer) if job is None else answer_or_accepted(request, job, respond,
                                                                       at_once=as_job)


@router.get("/communities", response_model=CommunitiesResult,
            responses={**responses(COMMUNITIES_EXAMPLE, 400, csv=COMMUNITIES_CSV), **ACCEPTED})
def communities(
    request: Request,
    driver: DriverDep,
    database: DatabaseDep,
    page: PageDep,
    seed: Seed = 42,
    resolution: Annotated[float, Query(gt=0, le=10)] = 1.0,
    members_limit: Annotated[int, Query(ge=0, le=200)] = 20,
    fmt: Format = "json",
    as_job: AsyncParam = False,
) -> Response:
    """Louvain communities of the network, largest first, with their best-connected
    members. With `format=csv` (`communautes.csv`), one row per community of two elements
    or more, then one "Isolés" row for the elements alone in theirs (of this page).

    Read from the communities stored for the current graph (computed after each load);
    when they are not there yet, computed in a job: a 200 when it ends within
    `ALLIANCE_JOB_WAIT` seconds, else a **202** with the job (`GET /jobs/{id}`);
    with `async=true`, the 202 at once."""
    answer, job = communities_job(request, driver, database, seed=seed, resolution=resolution,
                                  limit=page.limit, offset=page.offset,
                                  members_limit=members_limit, as_job=as_job)

    def respond(result: CommunitiesResult) -> Response:
        if fmt == "csv":
            return csv_response(communities_table(result))
        return json_response(result)

    return respond(answer) if job is None else answer_or_accepted(request, job, respond,
                                                                       at_once=as_job)
