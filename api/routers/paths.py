"""GET /paths: the shortest paths between two organisations ("who can introduce me")."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response
from fastapi.exceptions import RequestValidationError

from api.deps import DatabaseDep, DriverDep
from api.openapi import responses
from api.responses import json_response
from queries import paths as paths_query
from queries.element_names import ORGANISATION, element_param
from queries.explore import MAX_HOPS
from queries.models import PathsResult

router = APIRouter(tags=["paths"])

RAMEAU = {"id": "org:le-rameau", "name": "Le RAMEAU", "label": "Organisation",
          "labels": ["Organisation", "Relay"], "kind": "association"}
MEDIATEUR = {"id": "org:mediateur", "name": "Médiateur des entreprises",
             "label": "Organisation", "labels": ["Organisation"], "kind": "etat"}
EXAMPLE = {
    "source": RAMEAU, "target": MEDIATEUR, "max_hops": 4, "length": 1,
    "paths": [{"nodes": [RAMEAU, MEDIATEUR], "length": 1,
               "relationships": [{"type": "PARTNERS_WITH", "source": "org:le-rameau",
                                  "target": "org:mediateur"}]}],
}


def _one_of(name: str, alias: str, value: str | None, alias_value: str | None) -> str:
    """The value of one end, given under its name or its alias; 422 in the validation
    error shape (``loc`` names the parameter) when it is missing or given twice apart."""
    if value is not None and alias_value is not None and value != alias_value:
        raise RequestValidationError([{
            "loc": ("query", name), "type": "value_error",
            "msg": f"{name} and its alias {alias} name different organisations: give one"}])
    chosen = value if value is not None else alias_value
    if chosen is None:
        raise RequestValidationError([{
            "loc": ("query", name), "type": "missing",
            "msg": f"Field required: give {name} (or its alias {alias})"}])
    return chosen


@router.get("/paths", response_model=PathsResult, responses=responses(EXAMPLE, 400, 404, 409))
def paths(
    driver: DriverDep,
    database: DatabaseDep,
    source: Annotated[str | None, Query(
        max_length=200, examples=["org:le-rameau"],
        description="The organisation to start from: id, name or alias (alias of the "
                    "parameter: `from`).")] = None,
    target: Annotated[str | None, Query(
        max_length=200, examples=["org:mediateur"],
        description="The organisation to reach: id, name or alias (alias of the "
                    "parameter: `to`).")] = None,
    from_: Annotated[str | None, Query(alias="from", max_length=200,
                                       description="Alias of `source`.")] = None,
    to: Annotated[str | None, Query(max_length=200, description="Alias of `target`.")] = None,
    max_hops: Annotated[int, Query(ge=1, le=MAX_HOPS)] = 4,
    limit: Annotated[int, Query(ge=1, le=50, description="Paths at most.")] = 10,
) -> Response:
    """Shortest paths through partnerships, memberships, spaces and shared programmes;
    ``length`` is null when the two are further apart than ``max_hops``. Each end takes
    either spelling: ``source``/``from``, ``target``/``to``, and an id, a name or an alias
    (409 ``ambiguous_element`` when several organisations share it)."""
    start = element_param(driver, _one_of("source", "from", source, from_),
                          labels=ORGANISATION, database=database)
    end = element_param(driver, _one_of("target", "to", target, to), labels=ORGANISATION,
                        database=database)
    answer = paths_query(driver, start, end, max_hops=max_hops, limit=limit,
                         database=database)
    return json_response(answer)
