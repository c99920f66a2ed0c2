"""OpenAPI helpers: the error responses a route may give, and its 200 example."""

from __future__ import annotations

from typing import Any

from api.errors import ErrorBody

_DESCRIPTIONS = {
    400: "A parameter the question cannot take (unknown kind, depth out of range…).",
    401: "Missing or wrong X-API-Key.",
    403: "Refused (imports disabled, a console query that would write).",
    404: "No element, territory or route with that id.",
    408: "The console query ran longer than ALLIANCE_CONSOLE_TIMEOUT.",
    413: "The request body is larger than ALLIANCE_MAX_BODY_BYTES.",
    422: "Invalid request parameters (the detail lists them), or a rejected file.",
    503: "Neo4j is not reachable.",
}


def responses(example: Any = None, *statuses: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a route: its 200 example and its errors, all in the error shape.

    422 and 503 are added to every route: any parameter can be invalid, and any route
    needs Neo4j.
    """
    out: dict[int | str, dict[str, Any]] = {}
    if example is not None:
        out[200] = {"content": {"application/json": {"example": example}}}
    for status in sorted({*statuses, 422, 503}):
        out[status] = {"model": ErrorBody, "description": _DESCRIPTIONS[status]}
    return out
