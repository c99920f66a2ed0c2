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
    503: "`database_unavailable`: Neo4j cannot answer now; `detail.neo4j` says why: `down` "
         "(nothing listens: stopped or restarting), `not_answering` (hung or overloaded), "
         "`busy` (too many calls already wait for it) or `unavailable`. Known within a "
         "second; ask again after `Retry-After` seconds.",
    504: "`deadline_exceeded`: Neo4j gave no answer within ALLIANCE_REQUEST_DEADLINE "
         "(5 s; `detail.deadline_seconds`); ask again after `Retry-After` seconds.",
}

#: the header of every 503 and 504 (and of a 202: when to ask the job again)
RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait before asking again "
                                              "(ALLIANCE_RETRY_AFTER).",
                               "schema": {"type": "integer"}}}


#: the errors of a route that reads a territory parameter
TERRITORY = (400, 404, 409)


def responses(example: Any = None, *statuses: int, csv: str | None = None,
              deadline: bool = True) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a route: its 200 example and its errors, all in the error shape.

    422, 503 and 504 are added to every route: any parameter can be invalid, and any
    route needs Neo4j, which answers within the request's deadline or not at all (503 and
    504 carry ``Retry-After``). Routes with a territory parameter list :data:`TERRITORY`
    (400, 404, 409).
    ``csv``: an example of the route's ``format=csv`` answer, documented as a second 200
    content type (``text/csv``). ``deadline=False``: a route that never answers 504
    (``/health``, which answers within a second).
    """
    out: dict[int | str, dict[str, Any]] = {}
    if example is not None:
        out[200] = {"content": {"application/json": {"example": example}}}
    if csv is not None:
        out.setdefault(200, {"content": {}})["content"]["text/csv"] = {
            "schema": {"type": "string"}, "example": csv}
        out[200]["description"] = ("The answer: JSON, or with `format=csv` a CSV file for "
                                   "Excel in French (`;`, UTF-8 with a BOM, CRLF).")
    for status in sorted({*statuses, 422, 503, *((504,) if deadline else ())}):
        out[status] = {"model": ErrorBody, "description": _DESCRIPTIONS[status]}
        if status in (503, 504):
            out[status]["headers"] = RETRY_AFTER
    return out


def _accepted() -> dict[int | str, dict[str, Any]]:
    from api.jobs import JobView

    return {202: {
        "model": JobView,
        "description": "The answer is being computed in a job (long by nature: analytics "
                       "on a big graph, an import, a full export) and was not ready within "
                       "ALLIANCE_JOB_WAIT: follow `Location` (`GET /jobs/{id}`) for its "
                       "progress, then its result or its error; or ask this route again "
                       "after `Retry-After` seconds.",
        "headers": {"Location": {"description": "`/jobs/{id}`: the job.",
                                 "schema": {"type": "string"}}, **RETRY_AFTER},
    }}


#: the 202 of a route whose answer may be computed in a job (api/jobs.py)
ACCEPTED = _accepted()
