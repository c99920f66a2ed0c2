"""GET /search: full-text search over names and aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from api.deps import DatabaseDep, DriverDep
from api.openapi import LABEL_ENUM, responses
from api.pagination import PageDep
from api.responses import json_response
from queries import search as search_query
from queries.models import SearchPage

router = APIRouter(tags=["search"])

EXAMPLE = {
    "query": "rameau", "total": 1, "limit": 20, "offset": 0,
    "items": [{"id": "org:le-rameau", "name": "Le RAMEAU", "label": "Organisation",
               "labels": ["Organisation", "Relay"], "kind": "association", "score": 3.2}],
}


@router.get("/search", response_model=SearchPage, responses=responses(EXAMPLE, 400))
def search(
    driver: DriverDep,
    database: DatabaseDep,
    page: PageDep,
    q: Annotated[str, Query(min_length=1, max_length=200,
                            description="Words of a name, whole or as a prefix; accents "
                                        "and case ignored.",
                            examples=["caisse des depots"])],
    label: Annotated[list[str] | None, Query(
        max_length=10, description="Keep only these labels (repeatable; French aliases "
                                   "accepted: besoin, programme).",
        json_schema_extra=LABEL_ENUM, examples=[["Organisation"]])] = None,
) -> Response:
    """Find organisations, programmes, needs, spaces, territories… by name, best first."""
    answer = search_query(driver, q, labels=label, limit=page.limit, offset=page.offset,
                          database=database)
    return json_response(answer)
