"""GET /elements/{id}/neighbourhood: the nodes around any element, one page at a time."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from api.deps import DatabaseDep, DriverDep
from api.openapi import responses
from api.pagination import PageDep
from api.responses import json_response
from queries import neighbourhood as neighbourhood_query
from queries.element_names import ANY, element_param
from queries.explore import MAX_DEPTH
from queries.models import NeighbourhoodPage

router = APIRouter(prefix="/elements", tags=["elements"])

RAMEAU = {"id": "org:le-rameau", "name": "Le RAMEAU", "label": "Organisation",
          "labels": ["Organisation", "Relay"], "kind": "association"}
EXAMPLE = {
    "centre": RAMEAU, "depth": 1, "total": 1, "limit": 50, "offset": 0,
    "items": [{"node": {"id": "org:mediateur", "name": "Médiateur des entreprises",
                        "label": "Organisation", "labels": ["Organisation"], "kind": "etat"},
               "distance": 1}],
    "edges": [{"type": "PARTNERS_WITH", "source": "org:le-rameau",
               "target": "org:mediateur"}],
}


@router.get("/{element_id}/neighbourhood", response_model=NeighbourhoodPage,
            responses=responses(EXAMPLE, 400, 404, 409))
def neighbourhood(
    driver: DriverDep,
    database: DatabaseDep,
    page: PageDep,
    element_id: Annotated[str, Path(max_length=200, examples=["org:le-rameau"],
                                    description="Any element or territory id, or an "
                                                "element's name or alias.")],
    depth: Annotated[int, Query(ge=1, le=MAX_DEPTH, description="Links to follow.")] = 1,
) -> Response:
    """Nodes within ``depth`` links of any element or territory, nearest first, with the
    relationships among the centre and the page."""
    element_id = element_param(driver, element_id, labels=ANY, database=database)
    answer = neighbourhood_query(driver, element_id, depth=depth, limit=page.limit,
                                 offset=page.offset, database=database)
    return json_response(answer)
