"""GET /dialogue-spaces: the spaces, their members and their overlaps."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from api.deps import DatabaseDep, DriverDep
from api.openapi import responses
from api.responses import json_response
from queries import dialogue_spaces as dialogue_spaces_query
from queries.models import SpacesResult

router = APIRouter(tags=["dialogue spaces"])

RAMEAU = {"id": "org:le-rameau", "name": "Le RAMEAU", "kind": "association",
          "roles": ["relay"]}
EXAMPLE = {
    "spaces": [{"id": "space:espace-1", "name": "Espace 1", "declared_count": 21,
                "member_count": 1, "members": [{"organisation": RAMEAU,
                                                "roles": ["copilot"]}]},
               {"id": "space:espace-2", "name": "Espace 2", "declared_count": 12,
                "member_count": 1, "members": [{"organisation": RAMEAU, "roles": []}]}],
    "overlaps": [{"a": "space:espace-1", "b": "space:espace-2", "shared_count": 1,
                  "jaccard": 1.0, "shared": [RAMEAU]}],
}


@router.get("/dialogue-spaces", response_model=SpacesResult, responses=responses(EXAMPLE))
def dialogue_spaces(
    driver: DriverDep,
    database: DatabaseDep,
    members_limit: Annotated[int, Query(ge=0, le=1000,
                                        description="Members listed per space.")] = 100,
) -> Response:
    """Every dialogue space with its members, and each pair of spaces sharing members
    (with their Jaccard index)."""
    answer = dialogue_spaces_query(driver, members_limit=members_limit, database=database)
    return json_response(answer)
