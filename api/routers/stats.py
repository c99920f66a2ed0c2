"""GET /stats: counts by label, relationship type, kind, phase, role and territory."""

from __future__ import annotations

from fastapi import APIRouter, Response

from api.deps import DatabaseDep, DriverDep
from api.openapi import responses
from api.responses import json_response
from queries import stats as stats_query
from queries.models import Stats

router = APIRouter(tags=["stats"])

EXAMPLE = {
    "labels": {"Organisation": 4, "Programme": 2, "Need": 3},
    "relationships": {"CARRIES": 1, "PART_OF": 8},
    "kinds": {"association": 2, "etat": 1, "fondation": 1},
    "phases": {"relance": 1, "urgence": 1},
    "roles": {"relay": 1, "catalyst": 1},
    "organisations_by_region": [{"territory": {"id": "region:32", "code": "32",
                                               "name": "Hauts-de-France", "level": "region"},
                                 "organisations": 2}],
    "organisations_by_departement": [],
}


@router.get("/stats", response_model=Stats, responses=responses(EXAMPLE))
def stats(driver: DriverDep, database: DatabaseDep) -> Response:
    """What the graph holds."""
    return json_response(stats_query(driver, database=database))
