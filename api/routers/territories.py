"""GET /territories/{code}, its programmes and its gaps."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Response

from api.answer_tables import gaps_table, programmes_table
from api.deps import DatabaseDep, DriverDep
from api.downloads import Format, csv_response
from api.openapi import TERRITORY, responses
from api.responses import json_response
from queries import gaps as gaps_query
from queries import programmes_of_territory
from queries.elements import TerritoryDetail, territory_detail
from queries.models import GapsResult, TerritoryProgrammes

router = APIRouter(prefix="/territories", tags=["territories"])

NORD = {"id": "departement:59", "code": "59", "name": "Nord", "level": "departement"}
#: the territory asked about, at the top of an answer: its other readings and notice
ASKED = {**NORD, "population": 2600000, "also_matches": [], "notice": None}
GERS = {"id": "departement:32", "code": "32", "name": "Gers", "level": "departement",
        "population": 191000, "notice": None,
        "also_matches": [{"id": "region:32", "level": "region", "code": "32",
                          "name": "Hauts-de-France", "departements": [],
                          "population": 5980000, "via": "code",
                          "label": "Hauts-de-France (région 32)", "notice": None}]}
DETAIL_EXAMPLE = {
    **NORD, "population": 2600000, "location": None, "also_matches": [], "notice": None,
    "parents": [{"id": "region:32", "code": "32", "name": "Hauts-de-France",
                 "level": "region"},
                {"id": "FR", "code": "FR", "name": "France", "level": "country"}],
    "children": [{"level": "commune", "count": 648}, {"level": "epci", "count": 17}],
    "organisations": 12, "programmes": 30, "programmes_partial": 0,
}
PROGRAMMES_EXAMPLE = {
    "territory": ASKED, "scope": [NORD], "total": 1,
    "groups": [{"phase": "relance",
                "need": {"id": "need:inclusion-numerique", "name": "Inclusion numérique",
                         "label": "Need", "labels": ["Need"], "kind": None},
                "programmes": [{"id": "programme:numerique",
                                "name": "Plan inclusion numérique", "phase": "relance",
                                "covers": [NORD]}]}],
    "partial": [],
}
GAPS_EXAMPLE = {
    "territory": GERS, "scope": "expressed", "needs_considered": 2, "covered": 1,
    "gaps": [{"id": "need:mobilite", "name": "Mobilité", "category": "mobilite",
              "expressed_by": 1, "partial": []}],
}

Code = Annotated[str, Path(max_length=200, description=(
    "A territory as people write it: an INSEE code (commune 59512, département 59), a "
    "postal code (59100), an id (region:32, reg:32, dep:59, FR) or a name (Roubaix, "
    "Saint-Denis (93), PACA). A reference with other readings is answered by default "
    "with them in `territory.also_matches` (`also_matches` for the detail); an ambiguous "
    "one is a 409 listing the candidates."), examples=["59"])]


@router.get("/{code}", response_model=TerritoryDetail,
            responses=responses(DETAIL_EXAMPLE, *TERRITORY))
def territory(driver: DriverDep, database: DatabaseDep, code: Code) -> Response:
    """A territory: its parents, its subdivisions, counts of organisations and programmes."""
    return json_response(territory_detail(driver, code, database=database))


PROGRAMMES_CSV = ("Phase;Programme;Répond aux besoins;Couvre;Couverture;Identifiant\r\n"
                  "Relance;Plan inclusion numérique;Inclusion numérique;Nord (département);"
                  "entière;programme:numerique\r\n")
GAPS_CSV = ("Besoin;Catégorie;Exprimé par (organisations);Couvert en partie par;"
            "Identifiant\r\nMobilité;mobilite;1;;need:mobilite\r\n")


@router.get("/{code}/programmes", response_model=TerritoryProgrammes,
            responses=responses(PROGRAMMES_EXAMPLE, *TERRITORY, csv=PROGRAMMES_CSV))
def territory_programmes(driver: DriverDep, database: DatabaseDep,
                         code: Code, fmt: Format = "json") -> Response:
    """Programmes covering the territory or a territory containing it, by phase and need.

    A commune is covered by programmes on itself, its EPCI, its own département, its région
    and FR, never by another département its EPCI touches. For an EPCI spanning several
    départements or régions, programmes on one of them are in `partial`, with how many of
    the EPCI's communes that one holds (`communes_covered` of `communes_total`).
    With `format=csv`, one row per programme (`programmes-<territoire>.csv`).
    """
    answer = programmes_of_territory(driver, code, database=database)
    if fmt == "csv":
        return csv_response(programmes_table(answer))
    return json_response(answer)


@router.get("/{code}/gaps", response_model=GapsResult,
            responses=responses(GAPS_EXAMPLE, *TERRITORY, csv=GAPS_CSV))
def territory_gaps(
    driver: DriverDep,
    database: DatabaseDep,
    code: Code,
    scope: Annotated[Literal["expressed", "all"], Query(
        description="expressed: needs organisations of the territory express; all: every "
                    "need.")] = "expressed",
    fmt: Format = "json",
) -> Response:
    """Needs of the territory that no programme covering it addresses.

    For an EPCI spanning several départements or régions, a programme on one of them does
    not cover the need: it stays a gap, with that programme in its `partial`. With
    `format=csv`, one row per need (`besoins-exprimes-sans-programme-<territoire>.csv`).
    """
    answer = gaps_query(driver, code, scope=scope, database=database)
    if fmt == "csv":
        return csv_response(gaps_table(answer))
    return json_response(answer)
