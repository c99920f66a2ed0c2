"""GET /territories/{code}, its programmes and its gaps."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Response

from api.deps import DatabaseDep, DriverDep
from api.openapi import responses
from api.responses import json_response
from queries import gaps as gaps_query
from queries import programmes_of_territory
from queries.elements import TerritoryDetail, territory_detail
from queries.models import GapsResult, TerritoryProgrammes

router = APIRouter(prefix="/territories", tags=["territories"])

NORD = {"id": "departement:59", "code": "59", "name": "Nord", "level": "departement"}
DETAIL_EXAMPLE = {
    **NORD, "population": 2600000, "location": None,
    "parents": [{"id": "region:32", "code": "32", "name": "Hauts-de-France",
                 "level": "region"},
                {"id": "FR", "code": "FR", "name": "France", "level": "country"}],
    "children": [{"level": "commune", "count": 648}, {"level": "epci", "count": 17}],
    "organisations": 12, "programmes": 30, "programmes_partial": 0,
}
PROGRAMMES_EXAMPLE = {
    "territory": NORD, "scope": [NORD], "total": 1,
    "groups": [{"phase": "relance",
                "need": {"id": "need:inclusion-numerique", "name": "Inclusion numérique",
                         "label": "Need", "labels": ["Need"], "kind": None},
                "programmes": [{"id": "programme:numerique",
                                "name": "Plan inclusion numérique", "phase": "relance",
                                "covers": [NORD]}]}],
    "partial": [],
}
GAPS_EXAMPLE = {
    "territory": NORD, "scope": "expressed", "needs_considered": 2, "covered": 1,
    "gaps": [{"id": "need:mobilite", "name": "Mobilité", "category": "mobilite",
              "expressed_by": 1, "partial": []}],
}

Code = Annotated[str, Path(max_length=200, description="An INSEE code (commune 59512, "
                           "département 59), an id (region:32, FR) or a name.",
                           examples=["59"])]


@router.get("/{code}", response_model=TerritoryDetail,
            responses=responses(DETAIL_EXAMPLE, 400, 404))
def territory(driver: DriverDep, database: DatabaseDep, code: Code) -> Response:
    """A territory: its parents, its subdivisions, counts of organisations and programmes."""
    return json_response(territory_detail(driver, code, database=database))


@router.get("/{code}/programmes", response_model=TerritoryProgrammes,
            responses=responses(PROGRAMMES_EXAMPLE, 400, 404))
def territory_programmes(driver: DriverDep, database: DatabaseDep,
                         code: Code) -> Response:
    """Programmes covering the territory or a territory containing it, by phase and need.

    A commune is covered by programmes on itself, its EPCI, its own département, its région
    and FR, never by another département its EPCI touches. For an EPCI spanning several
    départements or régions, programmes on one of them are in `partial`, with how many of
    the EPCI's communes that one holds (`communes_covered` of `communes_total`).
    """
    return json_response(programmes_of_territory(driver, code, database=database))


@router.get("/{code}/gaps", response_model=GapsResult,
            responses=responses(GAPS_EXAMPLE, 400, 404))
def territory_gaps(
    driver: DriverDep,
    database: DatabaseDep,
    code: Code,
    scope: Annotated[Literal["expressed", "all"], Query(
        description="expressed: needs organisations of the territory express; all: every "
                    "need.")] = "expressed",
) -> Response:
    """Needs of the territory that no programme covering it addresses.

    For an EPCI spanning several départements or régions, a programme on one of them does
    not cover the need: it stays a gap, with that programme in its `partial`.
    """
    return json_response(gaps_query(driver, code, scope=scope, database=database))
