"""Domain exceptions that carry their HTTP status, and the one error body shape.

Every error the API returns has the body ``{"error": {"status", "code", "message",
"detail"}}``; one handler table maps exceptions to it (pinned by tests/api/test_errors.py).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from graph.outage import DatabaseDown, DeadlineExceeded


class ErrorInfo(BaseModel):
    status: int
    code: str
    message: str
    detail: Any | None = None


class ErrorBody(BaseModel):
    error: ErrorInfo


class AllianceError(Exception):
    """Base of the domain errors; ``status`` and ``code`` say how the API answers."""

    status: int = 500
    code: str = "internal_error"

    def __init__(self, message: str, detail: Any | None = None):
        super().__init__(message)
        self.message = message
        self.detail = detail


class NotFound(AllianceError):
    status, code = 404, "not_found"


class BadRequest(AllianceError):
    status, code = 400, "bad_request"


class SameOrganisation(AllianceError):
    """A pair of an organisation with itself (two names of one organisation)."""

    status, code = 409, "same_organisation"


class Unauthorized(AllianceError):
    status, code = 401, "unauthorized"


class Forbidden(AllianceError):
    status, code = 403, "forbidden"


class Conflict(AllianceError):
    status, code = 409, "conflict"


class Gone(AllianceError):
    status, code = 410, "gone"


class PayloadTooLarge(AllianceError):
    status, code = 413, "payload_too_large"


class Unprocessable(AllianceError):
    status, code = 422, "unprocessable"


class RequestTimeout(AllianceError):
    status, code = 408, "query_timeout"


class DatabaseUnavailable(AllianceError):
    status, code = 503, "database_unavailable"


#: HTTP errors raised by Starlette/FastAPI themselves (routing, the body limit) → code
HTTP_CODES: dict[int, str] = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    408: "query_timeout",
    410: "gone",
    413: "payload_too_large",
    415: "unsupported_media_type",
}


def error_response(status: int, code: str, message: str, detail: Any | None = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    body = ErrorBody(error=ErrorInfo(status=status, code=code, message=message, detail=detail))
    return JSONResponse(body.model_dump(), status_code=status, headers=headers)


async def _alliance_error(request: Request, exc: AllianceError) -> JSONResponse:
    # an error that says when to come back (429, 503, 504) says it in the header clients
    # read: its own delay when it knows one (the console's rate), the API's otherwise
    retry = exc.detail.get("retry_after") if isinstance(exc.detail, dict) else None
    if retry is None and exc.status in (503, 504):
        retry = _retry_after(request)
    headers = {"Retry-After": str(retry)} if retry is not None else None
    return error_response(exc.status, exc.code, exc.message, exc.detail, headers=headers)


async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    code = HTTP_CODES.get(exc.status_code, "http_error")
    headers = exc.headers
    if exc.status_code == 405:  # every method of the path, not only its first route's
        headers = {**(headers or {}), "Allow": _allowed(request)}
    return error_response(exc.status_code, code, str(exc.detail), headers=headers)


def _allowed(request: Request) -> str:
    """The methods the routes of this path answer (Starlette names the first route's only:
    ``GET /imports`` and ``POST /imports`` are two routes)."""
    from starlette.routing import Match

    methods: set[str] = set()
    for route in request.app.router.routes:
        match, _ = route.matches({**request.scope, "method": "\0"})
        if match == Match.PARTIAL:
            methods |= set(getattr(route, "methods", None) or ())
    return ", ".join(sorted(methods))


#: domain exceptions of the questions (queries.errors) and of the console's guard
#: (api.console_guard) → (status, code); the most specific class wins (Starlette looks
#: handlers up along the exception's MRO). ``detail`` is the exception's ``detail``
#: attribute when it has one (the candidates of an ambiguous territory or element, the
#: suggestions of an unknown one, Neo4j's code of a refused query).
def _domain_table() -> dict[type[Exception], tuple[int, str]]:
    from api.console_guard import RefusedQuery
    from graph.as_of import BadAsOf
    from queries.errors import (
        AmbiguousElement,
        AmbiguousTerritory,
        InvalidParameter,
        NotDrawable,
        NotFoundError,
        TerritoryNotLoaded,
        UnknownElement,
        UnknownTerritory,
    )

    return {
        NotFoundError: (404, "not_found"),
        InvalidParameter: (400, "invalid_parameter"),
        AmbiguousTerritory: (409, "ambiguous_territory"),
        AmbiguousElement: (409, "ambiguous_element"),
        UnknownElement: (404, "not_found"),
        UnknownTerritory: (404, "unknown_territory"),
        TerritoryNotLoaded: (404, "territory_not_loaded"),
        NotDrawable: (422, "not_drawable"),
        RefusedQuery: (400, "query_rejected"),
        BadAsOf: (400, "bad_request"),
    }


def domain_error_response(exc: Exception) -> JSONResponse:
    """The error body of a domain exception of the questions, by the table above."""
    table = _domain_table()
    status, code = next(table[cls] for cls in type(exc).__mro__ if cls in table)
    if code == "unknown_territory" and getattr(exc, "uncovered", False):
        code = "uncovered_territory"
    return error_response(status, code, str(exc), getattr(exc, "detail", None))


async def _domain_error(_: Request, exc: Exception) -> JSONResponse:
    return domain_error_response(exc)


async def _internal_error(_: Request, exc: Exception) -> JSONResponse:
    # Never echo an unexpected exception: it may hold a query or a path.
    return error_response(500, "internal_error", "internal server error")


async def _validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
    detail = [
        {"loc": list(e.get("loc", ())), "msg": e.get("msg"), "type": e.get("type")}
        for e in exc.errors()
    ]
    return error_response(422, "invalid_request", "the request parameters are invalid", detail)


def _retry_after(request: Request) -> int:
    settings = getattr(request.app.state, "settings", None)
    return settings.retry_after if settings is not None else 2


def _outage(request: Request, status: int, code: str, message: str, why: str | None,
            detail: dict[str, Any], deadline: float | None = None) -> Response:
    """503/504 with ``Retry-After``: the error body, or the French page for a page."""
    from api.pages.unavailable import is_page, unavailable_page

    retry = _retry_after(request)
    if is_page(request):
        return unavailable_page(request, status, why, retry, deadline)
    return error_response(status, code, message, detail, headers={"Retry-After": str(retry)})


def _service_unavailable(request: Request, exc: Exception) -> Response:
    # the driver's own failure, met outside a request's deadline guard (graph/deadline.py)
    return _outage(request, 503, "database_unavailable", f"Neo4j is not reachable: {exc}",
                   "unavailable", {"neo4j": "unavailable"})


def _database_down(request: Request, exc: DatabaseDown) -> Response:
    return _outage(request, 503, "database_unavailable", exc.message, exc.why,
                   {"neo4j": exc.why})


def _deadline_exceeded(request: Request, exc: DeadlineExceeded) -> Response:
    return _outage(request, 504, "deadline_exceeded", str(exc), None,
                   {"deadline_seconds": exc.seconds}, deadline=exc.seconds)


def describe(exc: BaseException) -> ErrorInfo:
    """The error the API answers for ``exc``, by the same table as the handlers: what a
    failed job shows (api/jobs.py). Never an unexpected exception's text (500)."""
    from neo4j.exceptions import ServiceUnavailable, SessionExpired

    if isinstance(exc, AllianceError):
        return ErrorInfo(status=exc.status, code=exc.code, message=exc.message,
                         detail=exc.detail)
    if isinstance(exc, DatabaseDown):
        return ErrorInfo(status=503, code="database_unavailable", message=exc.message,
                         detail={"neo4j": exc.why})
    if isinstance(exc, DeadlineExceeded):
        return ErrorInfo(status=504, code="deadline_exceeded", message=str(exc),
                         detail={"deadline_seconds": exc.seconds})
    if isinstance(exc, ServiceUnavailable | SessionExpired):
        return ErrorInfo(status=503, code="database_unavailable",
                         message=f"Neo4j is not reachable: {exc}",
                         detail={"neo4j": "unavailable"})
    table = _domain_table()
    for cls in type(exc).__mro__:
        if cls in table:
            status, code = table[cls]
            if code == "unknown_territory" and getattr(exc, "uncovered", False):
                code = "uncovered_territory"
            return ErrorInfo(status=status, code=code, message=str(exc),
                             detail=getattr(exc, "detail", None))
    return ErrorInfo(status=500, code="internal_error", message="internal server error")


def install_error_handlers(app: FastAPI) -> None:
    """The one handler table: exception type → error body."""
    from neo4j.exceptions import ServiceUnavailable, SessionExpired

    from api.as_of import ERRORS, as_of_error

    app.add_exception_handler(AllianceError, _alliance_error)
    for exc_type in _domain_table():
        app.add_exception_handler(exc_type, _domain_error)
    # an as_of the request cannot take: the error body, or a French page to a page
    for exc_type in ERRORS:
        app.add_exception_handler(exc_type, as_of_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(ServiceUnavailable, _service_unavailable)
    app.add_exception_handler(SessionExpired, _service_unavailable)
    app.add_exception_handler(DatabaseDown, _database_down)
    app.add_exception_handler(DeadlineExceeded, _deadline_exceeded)
    app.add_exception_handler(Exception, _internal_error)
