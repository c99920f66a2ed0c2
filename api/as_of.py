"""``?as_of=`` on every question route, page and picture: read once per request, and the
request's questions asked within :func:`graph.as_of.scope`.

:data:`AS_OF` is a dependency the app adds to the routers that ask questions
(``api/app.py``): it declares the query parameter (documented in the OpenAPI document with
the forms it takes), reads it with the one parser (:func:`graph.as_of.parse_as_of`; an
import id is looked up in a worker thread, within the request's deadline) and sets the
instant for the rest of the request. It is an ``async`` generator: it runs in the
request's own task, so the instant it sets is in the context FastAPI copies into the
thread of a sync route (tests/api/test_as_of.py checks that it reaches the driver).

A bad ``as_of`` is a 400 ``bad_request``, an unknown import a 404 ``not_found``; both
carry ``detail.message_fr``, which a page or a picture opened in a browser shows instead
(:func:`as_of_error`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from api.openapi import responses
from graph import as_of
from graph.as_of import FORMS_EN, IMPORT_PATTERN, MAX_LENGTH, BadAsOf, parse_as_of
from queries.as_of import import_time
from queries.errors import UnknownImport

#: what OpenAPI says of the parameter
DESCRIPTION = (
    "Ask as of a past time: the graph as it was then, retired facts included and facts "
    f"not yet seen left out. Give {FORMS_EN}. A time to come is now. Without it: now. "
    "400 `bad_request` for anything else, 404 `not_found` for an import id that names "
    "no import.")

#: what the schema says ``as_of`` is: an RFC 3339 full-date or date-time, or an import id.
#: The parser takes a little more for people (a time without an offset or seconds, a
#: space for the ``T``: the description says so); never less, so that every value the
#: schema allows is answered (tests/api/test_schema_fuzz.py)
SCHEMA = {"anyOf": [
    {"type": "string", "format": "date", "maxLength": MAX_LENGTH},
    {"type": "string", "format": "date-time", "maxLength": MAX_LENGTH},
    {"type": "string", "pattern": IMPORT_PATTERN, "maxLength": MAX_LENGTH},
]}

#: the errors of a route that takes ``as_of`` (a route's own declarations win)
RESPONSES = responses(None, 400, 404)

#: the name of the parameter in links and forms
PARAMETER = "as_of"


async def _as_of(
    request: Request,
    as_of_text: Annotated[str | None, Query(
        alias=PARAMETER, max_length=MAX_LENGTH, description=DESCRIPTION,
        json_schema_extra=SCHEMA,
        examples=["2026-06-19", "2026-06-19T14:30:00+02:00", "imp-20260619-0001"])] = None,
) -> AsyncIterator[Any]:
    """Read ``as_of`` and ask the request's questions as of it (see the module).

    Raises
    ------
    graph.as_of.BadAsOf
        Not a day, a time or an import id (400).
    queries.errors.UnknownImport
        An import id no import has (404).
    """
    moment = None
    if as_of_text is not None:  # given, even empty: read (an empty one is a 400)
        asked = parse_as_of(as_of_text)
        if asked.import_id is not None:
            state = request.app.state
            moment = await run_in_threadpool(import_time, state.driver, asked.import_id,
                                             database=state.database)
        else:
            moment = asked.at
    # the request's own task: set here, seen by the route (and its thread) until it ends
    with as_of.scope(moment) as instant:
        request.state.as_of = instant
        # what the pages keep in their links: the text asked, unless it meant now
        written = as_of_text.strip() if as_of_text is not None else None
        request.state.as_of_text = written if instant is not None else None
        yield instant


#: the dependency, for ``include_router(dependencies=[AS_OF])``
AS_OF = Depends(_as_of)


def as_of_text(request: Request) -> str | None:
    """The ``as_of`` the request asked about, as written (None: now, or a time to come):
    what a page keeps in its links and forms."""
    return getattr(request.state, "as_of_text", None)


async def as_of_error(request: Request, exc: Exception) -> Response:
    """A bad ``as_of`` (400) or an unknown import (404): the error body, or to a page (and
    a picture a browser opened) a short French page with the same status."""
    from api.errors import domain_error_response
    from api.pages.unavailable import is_page

    if is_page(request):
        from api.pages.rendering import render

        status = 404 if isinstance(exc, UnknownImport) else 400
        return render(request, "error.html", {
            "nav": None, "title": "Date introuvable" if status == 404 else "Date illisible",
            "message": getattr(exc, "message_fr", str(exc)),
        }, status=status)
    return domain_error_response(exc)


#: the exceptions :func:`as_of_error` answers
ERRORS = (BadAsOf, UnknownImport)
