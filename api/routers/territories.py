"""GET /territories/{code}, its programmes, its gaps and its alliances."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Response

from api.answer_tables import gaps_table, programmes_table
from api.deps import DatabaseDep, DriverDep
from api.downloads import Format, csv_response
from api.openapi import TERRITORY, responses
from api.pagination import PageDep
from api.responses import json_response
from queries import gaps as gaps_query
from queries import programmes_of_territory
from queries.alliances import alliances as alliances_query
from queries.element_names import NEED, PROGRAMME, element_param
from queries.elements import TerritoryDetail, territory_detail
from queries.models import GapsResult, TerritoryProgrammes
from queries.suggestion_models import AlliancesPage
from queries.suggestions import DEFAULT_RADIUS_KM, MAX_RADIUS_KM

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


ALLIANCES_EXAMPLE = {
    "territory": ASKED, "needs": [{"id": "need:inclusion-numerique",
                                   "name": "Inclusion numérique", "label": "Need",
                                   "labels": ["Need"], "kind": None}],
    "programme": None,
    "funding": [{"programme": {"id": "programme:numerique", "name": "Plan inclusion numérique",
                               "label": "Programme", "labels": ["Programme"],
                               "kind": "relance"},
                 "covers": {"id": "departement:59", "name": "Nord", "label": "Territory",
                            "labels": ["Territory"], "kind": None}}],
    "missing": [], "total": 1, "limit": 10, "offset": 0,
    "items": [{
        "members": [
            {"id": "org:assoc-lille", "name": "Association Lilloise Numérique",
             "kind": "association", "roles": []},
            {"id": "org:fondation-roubaix", "name": "Fondation Roubaix", "kind": "fondation",
             "roles": ["catalyst"]},
            {"id": "org:nord", "name": "Département du Nord", "kind": "collectivite",
             "roles": []}],
        "worlds": ["associatif", "associatif", "public"], "score": 0.18,
        "weakest": {"a": "org:assoc-lille", "b": "org:fondation-roubaix", "score": 0.18,
                    "explanation": "rien en commun dans le graphe pour l'instant ; 11 km ; "
                                   "association + fondation (même monde associatif)"},
        "pairs": [], "convener": None,
        "explanation": "association Association Lilloise Numérique, fondation Fondation "
                       "Roubaix, collectivité Département du Nord ; lien le plus faible : "
                       "…",
    }],
}


@router.get("/{code}/alliances", response_model=AlliancesPage,
            responses=responses(ALLIANCES_EXAMPLE, *TERRITORY))
def territory_alliances(
    driver: DriverDep,
    database: DatabaseDep,
    code: Code,
    page: PageDep,
    need: Annotated[str | None, Query(max_length=200, description=(
        "A need: id, name or alias. Give a need or a programme (one of the two: 400 "
        "otherwise)."), examples=["need:inclusion-numerique"])] = None,
    programme: Annotated[str | None, Query(max_length=200, description=(
        "A programme (id, name or alias): its needs count, and it funds."),
        examples=["programme:numerique"])] = None,
    radius_km: Annotated[float, Query(gt=0, le=MAX_RADIUS_KM, examples=[30], description=(
        "The pairs' proximity falls to a quarter at this distance."))] = DEFAULT_RADIUS_KM,
) -> Response:
    """Pistes d'alliance for a territory: groups of an association, a company or a
    foundation, and a public actor of the territory (or of one containing it) around a
    need, no two of which are linked yet, scored by their weakest pair, each explained in
    French, with an intermediary who could convene them and the programmes that could
    fund them; `missing` names the seats nobody of the territory can take."""
    need_id = element_param(driver, need, labels=NEED, database=database) if need else None
    programme_id = (element_param(driver, programme, labels=PROGRAMME, database=database)
                    if programme else None)
    return json_response(alliances_query(driver, code, need=need_id, programme=programme_id,
                                         radius_km=radius_km, limit=page.limit,
                                         offset=page.offset, database=database))
