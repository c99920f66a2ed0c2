"""OpenAPI helpers: the error responses a route may give, and its 200 example."""

from __future__ import annotations

from typing import Any

from api.errors import ErrorBody

_DESCRIPTIONS = {
    400: "A parameter the question cannot take (unknown kind, depth out of range…).",
    401: "Missing or wrong X-API-Key.",
    403: "Refused (imports disabled, a console query that would write).",
    404: "No element, territory or route with that id (an element's name or alias that "
         "matches none: near misses in `detail.suggestions`); a territory reference "
         "that names nothing (`unknown_territory`, three near misses in `detail.suggestions`), a "
         "collectivité d'outre-mer (`uncovered_territory`), or a territory read but not "
         "loaded (`territory_not_loaded`).",
    409: "`ambiguous_territory`: the territory reference has several readings and no "
         "default (`Saint-Denis`, a postal code serving several communes); "
         "`detail.candidates` lists them with their ids: ask again with one. "
         "`ambiguous_element`: a name or alias that several elements share (where an "
         "organisation, a programme or an element is taken by id, name or alias); "
         "`detail.candidates` lists them (id, name, label, kind).",
    408: "The console query ran longer than ALLIANCE_CONSOLE_TIMEOUT.",
    413: "The request body is larger than ALLIANCE_MAX_BODY_BYTES.",
    429: "`console_busy`: ALLIANCE_CONSOLE_CONCURRENCY console queries already run; "
         "`rate_limited`: this client started ALLIANCE_CONSOLE_RATE queries this minute. "
         "`Retry-After` says when to try again.",
    422: "Invalid request parameters (the detail lists them), a rejected file, or a "
         "territory the map cannot draw yet (`not_drawable`).",
    503: "Neo4j is not reachable.",
}


#: the errors of a route that reads a territory parameter
TERRITORY = (400, 404, 409)


def responses(example: Any = None, *statuses: int,
              csv: str | None = None) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a route: its 200 example and its errors, all in the error shape.

    422 and 503 are added to every route: any parameter can be invalid, and any route
    needs Neo4j. Routes with a territory parameter list :data:`TERRITORY` (400, 404, 409).
    ``csv``: an example of the route's ``format=csv`` answer, documented as a second 200
    content type (``text/csv``).
    """
    out: dict[int | str, dict[str, Any]] = {}
    if example is not None:
        out[200] = {"content": {"application/json": {"example": example}}}
    if csv is not None:
        out.setdefault(200, {"content": {}})["content"]["text/csv"] = {
            "schema": {"type": "string"}, "example": csv}
        out[200]["description"] = ("The answer: JSON, or with `format=csv` a CSV file for "
                                   "Excel in French (`;`, UTF-8 with a BOM, CRLF).")
    for status in sorted({*statuses, 422, 503}):
        out[status] = {"model": ErrorBody, "description": _DESCRIPTIONS[status]}
    return out
