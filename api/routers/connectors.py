"""GET /connectors: which organisations connect a programme to a territory."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from api.answer_tables import ConnectorRows, connectors_table
from api.deps import DatabaseDep, DriverDep
from api.downloads import Format, csv_response
from api.openapi import TERRITORY, responses
from api.pagination import PageDep
from api.responses import json_response
from queries import connectors as connectors_query
from queries.element_names import PROGRAMME, element_param
from queries.models import ConnectorsPage

router = APIRouter(tags=["connectors"])

NORD = {"id": "departement:59", "code": "59", "name": "Nord", "level": "departement"}
EXAMPLE = {
    "programme": {"id": "programme:numerique", "name": "Plan inclusion numérique",
                  "label": "Programme", "labels": ["Programme"], "kind": "relance"},
    "territory": {**NORD, "population": 2600000, "also_matches": [], "notice": None},
    "total": 1, "limit": 50, "offset": 0,
    "items": [{
        "organisation": {"id": "org:fondation-roubaix", "name": "Fondation Roubaix",
                         "kind": "fondation", "roles": ["catalyst"]},
        "relations": ["OPERATES"],
        "territories": [{"id": "commune:59512", "code": "59512", "name": "Roubaix",
                         "level": "commune"}],
        "paths": [],
    }],
}


CSV_EXAMPLE = ("Organisation;Type;Rôles;Rôle dans le programme;Présente à;Preuve;"
               "Identifiant\r\nFondation Roubaix;Fondation;Catalyseur;opère;Roubaix;"
               "Plan inclusion numérique → Fondation Roubaix → Roubaix → Nord;"
               "org:fondation-roubaix\r\n")


@router.get("/connectors", response_model=ConnectorsPage,
            responses=responses(EXAMPLE, *TERRITORY, csv=CSV_EXAMPLE))
def connectors(
    driver: DriverDep,
    database: DatabaseDep,
    page: PageDep,
    programme: Annotated[str, Query(max_length=200, description=(
        "A programme: id, name or alias (409 `ambiguous_element` when several share it)."),
                                    examples=["programme:numerique"])],
    territory: Annotated[str, Query(max_length=200, description=(
        "A territory: INSEE or postal code, id or name (other readings in "
        "territory.also_matches; 409 when ambiguous)."),
                                    examples=["59"])],
    fmt: Format = "json",
    rows: Annotated[ConnectorRows, Query(description=(
        "With `format=csv`: the list that becomes the file, `items` (in the territory, "
        "`connecteurs-<programme>-<territoire>.csv`) or `covering` (from a wider "
        "territory, `organisations-couvrant-<territoire>-<programme>.csv`)."))] = "items",
) -> Response:
    """Organisations that carry, fund, operate or relay the programme and are located or
    active in the territory (or inside it), with the paths that prove each link."""
    programme = element_param(driver, programme, labels=PROGRAMME, database=database)
    answer = connectors_query(driver, programme, territory, limit=page.limit,
                              offset=page.offset, database=database)
    if fmt == "csv":
        return csv_response(connectors_table(answer, rows))
    return json_response(answer)
