"""GET /partners/near: organisations within a radius of a commune or a point."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from api.answer_tables import NearRows, near_table
from api.deps import DatabaseDep, DriverDep
from api.downloads import Format, csv_response
from api.openapi import KIND_ENUM, ROLE_ENUM, TERRITORY, responses
from api.pagination import PageDep
from api.responses import json_response
from queries import partners_near
from queries.models import NearPage
from queries.questions import MAX_RADIUS_KM

router = APIRouter(prefix="/partners", tags=["partners"])

ROUBAIX = {"id": "commune:59512", "code": "59512", "name": "Roubaix", "level": "commune"}
EXAMPLE = {
    "centre": {"latitude": 50.6942, "longitude": 3.1746,
               "commune": {**ROUBAIX, "population": 98000, "also_matches": [],
                           "notice": None}},
    "radius_km": 30.0, "total": 1, "limit": 50, "offset": 0,
    "items": [{
        "organisation": {"id": "org:assoc-lille", "name": "Association Lilloise Numérique",
                         "kind": "association", "roles": []},
        "distance_km": 10.69,
        "commune": {"id": "commune:59350", "code": "59350", "name": "Lille",
                    "level": "commune"},
        "connects_to": [{"type": "EXPRESSES", "direction": "out",
                         "node": {"id": "need:inclusion-numerique",
                                  "name": "Inclusion numérique", "label": "Need",
                                  "labels": ["Need"], "kind": "numerique"}}],
    }],
}


CSV_EXAMPLE = ("Organisation;Type;Rôles;Distance (km);Commune;Placée par;Reliée à;"
               "Identifiant\r\nAssociation Lilloise Numérique;Association;;10,7;Lille;"
               "la commune où elle est située;exprime le besoin Inclusion numérique;"
               "org:assoc-lille\r\n")


@router.get("/near", response_model=NearPage,
            responses=responses(EXAMPLE, *TERRITORY, csv=CSV_EXAMPLE))
def near(
    driver: DriverDep,
    database: DatabaseDep,
    page: PageDep,
    commune: Annotated[str | None, Query(max_length=200, description=(
        "A commune: name (Roubaix, Saint-Denis (93)), postal code (59100: Bousignies by "
        "INSEE code, Roubaix in `centre.commune.also_matches`), INSEE code or id; only "
        "commune readings count (409 when several remain, 400 when none); or give lat "
        "and lon."), examples=["59512"])] = None,
    lat: Annotated[float | None, Query(ge=-90, le=90, examples=[50.6942])] = None,
    lon: Annotated[float | None, Query(ge=-180, le=180, examples=[3.1746])] = None,
    radius_km: Annotated[float, Query(gt=0, le=MAX_RADIUS_KM, examples=[30])] = 30.0,
    need: Annotated[str | None, Query(max_length=200, description="A need id: organisations "
                                      "expressing it or acting on a programme for it.",
                                      examples=["need:inclusion-numerique"])] = None,
    kind: Annotated[str | None, Query(max_length=100, json_schema_extra=KIND_ENUM,
                                      examples=["association"])] = None,
    role: Annotated[str | None, Query(max_length=100, description="relay or catalyst.",
                                      json_schema_extra=ROLE_ENUM,
                                      examples=["catalyst"])] = None,
    fmt: Format = "json",
    rows: Annotated[NearRows, Query(description=(
        "With `format=csv`: the list that becomes the file, `items` (within the radius, "
        "`partenaires-roubaix-30-km.csv`) or `active_on_territory` "
        "(`actifs-sur-le-territoire-roubaix.csv`)."))] = "items",
) -> Response:
    """"I am in Roubaix, I work on digital inclusion: who is within 30 km?" — nearest first,
    each with what it connects to."""
    answer = partners_near(driver, commune=commune, lat=lat, lon=lon, radius_km=radius_km,
                           need=need, kind=kind, role=role, limit=page.limit,
                           offset=page.offset, database=database)
    if fmt == "csv":
        return csv_response(near_table(answer, rows))
    return json_response(answer)
