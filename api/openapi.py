"""OpenAPI declarations, in one place: the error responses a route may give, its 200
example, the closed lists its parameters take, and what the schema can only learn from the
settings (the page size bound, who may use the console).

The schema is the truth (tests/api/test_schema_fuzz.py runs schemathesis with all its
checks against it): every status, content type, bound and enum a route answers or reads is
declared here or beside the route, never only in a docstring.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from api.errors import ErrorBody
from graph.vocabulary import (
    KIND_ALIASES,
    LABELS,
    ORGANISATION_KINDS,
    PHASE_ALIASES,
    PROGRAMME_PHASES,
    ROLE_ALIASES,
    ROLES,
)

if TYPE_CHECKING:
    from fastapi import FastAPI

    from graph.settings import Settings

_DESCRIPTIONS = {
    300: "A territory reference read by default among others (`59100`: Bousignies or "
         "Roubaix?): a short French page linking to the picture of each reading by its id.",
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
         "`detail.candidates` lists them (id, name, label, kind). "
         "`same_organisation`: a steward's mark on a pair whose two ends name one "
         "organisation.",
    408: "The console query ran longer than ALLIANCE_CONSOLE_TIMEOUT.",
    410: "`gone`: the element was retired from the inventory (a new version of its "
         "dataset no longer states it); the message says when.",
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

#: what a picture route answers a browser (``Accept: text/html``) in place of the JSON
#: error: a short French page with the same status (api/routers/viz.py, ``_picture``)
_HTML_PAGE = {"schema": {"type": "string"},
              "example": "<!doctype html><html lang=\"fr\">…<p>Rien à dessiner : cet élément "
                         "n'est pas dans le graphe.</p>…</html>"}

#: the JSON export of a graph: networkx's node-link form (viz/exports.py, ``node_link``)
NODE_LINK = {"type": "object", "required": ["directed", "multigraph", "graph", "nodes", "edges"],
             "properties": {"directed": {"type": "boolean"}, "multigraph": {"type": "boolean"},
                            "graph": {"type": "object"},
                            "nodes": {"type": "array", "items": {
                                "type": "object", "required": ["id"]}},
                            "edges": {"type": "array", "items": {
                                "type": "object", "required": ["source", "target"]}}}}

#: the errors of a route that reads a territory parameter
TERRITORY = (400, 404, 409)


def responses(example: Any = None, *statuses: int, csv: str | None = None,
              deadline: bool = True, html: bool = False,
              files: Iterable[str] = ()) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a route: its 200 example and its errors, all in the error shape.

    422, 503 and 504 are added to every route: any parameter can be invalid, and any
    route needs Neo4j, which answers within the request's deadline or not at all (503 and
    504 carry ``Retry-After``). Routes with a territory parameter list :data:`TERRITORY`
    (400, 404, 409).
    ``csv``: an example of the route's ``format=csv`` answer, documented as a second 200
    content type (``text/csv``). ``deadline=False``: a route that never answers 504
    (``/health``, which answers within a second). ``html``: a route answering an HTML
    page (the pictures): its errors are JSON (``application/json``, the error shape) and,
    to a browser asking ``text/html``, a short French page with the same status; its 300
    is that page only. ``files``: the media types of a route answering a file (the
    exports), as its 200 (a JSON file is networkx's node-link graph: :data:`NODE_LINK`).
    """
    out: dict[int | str, dict[str, Any]] = {}
    if files:
        out[200] = {"description": "The file, as an attachment (`Content-Disposition`).",
                    "content": {media: {"schema": NODE_LINK if media == "application/json"
                                        else {"type": "string", "format": "binary"}}
                                for media in files}}
    if example is not None:
        out[200] = {"content": {"application/json": {"example": example}}}
    if csv is not None:
        out.setdefault(200, {"content": {}})["content"]["text/csv"] = {
            "schema": {"type": "string"}, "example": csv}
        out[200]["description"] = ("The answer: JSON, or with `format=csv` a CSV file for "
                                   "Excel in French (`;`, UTF-8 with a BOM, CRLF).")
    for status in sorted({*statuses, 422, 503, *((504,) if deadline else ())}):
        if status == 300:
            out[status] = {"description": _DESCRIPTIONS[status],
                           "content": {"text/html": _HTML_PAGE}}
        elif html:
            # Not ``model``: on a route whose response class is HTML, FastAPI would file
            # the error body under text/html. The schema itself is filled in by
            # :func:`_json_errors` once the components exist.
            out[status] = {"description": _DESCRIPTIONS[status] + " To a browser (Accept: "
                           "text/html): a short French page with the same status.",
                           "content": {"application/json": {"schema": {_ERROR_REF: True}},
                                       "text/html": _HTML_PAGE}}
        else:
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


#: a placeholder :func:`_json_errors` replaces by a ``$ref`` to the ErrorBody schema
_ERROR_REF = "x-alliance-error-body"


# --- closed lists -------------------------------------------------------------------------


def enum(values: Iterable[str], aliases: dict[str, tuple[str, ...]] | None = None,
         *, items: bool = False) -> dict[str, Any]:
    """``json_schema_extra`` of a parameter that takes one of ``values`` (then their
    ``aliases``, the spellings the vocabulary accepts): the schema lists them, the route
    keeps reading the value itself (case, accents and spaces ignored, an unknown one a
    400 naming the accepted ones). ``items``: for a repeatable parameter (a list)."""
    listed = list(dict.fromkeys([*values, *(a for v in values for a in (aliases or {})
                                            .get(v, ()))]))
    if items:
        return {"items": {"type": "string", "enum": listed}}
    return {"enum": listed}


#: ``kind`` of an organisation (``association``…), with the vocabulary's aliases
KIND_ENUM = enum(ORGANISATION_KINDS, KIND_ALIASES)
#: ``role`` of an organisation: ``relay``, ``catalyst`` (and ``catalyseur``…)
ROLE_ENUM = enum(ROLES, ROLE_ALIASES)
#: ``phase`` of a programme: ``urgence``, ``relance``, ``structurel`` (and ``emergency``…)
PHASE_ENUM = enum(PROGRAMME_PHASES, PHASE_ALIASES)
#: ``label`` of /search (repeatable): the graph's labels and their French aliases
LABEL_ENUM = enum([spec.name for spec in LABELS],
                  {spec.name: spec.aliases for spec in LABELS}, items=True)


# --- what only the settings know ----------------------------------------------------------

#: ``json_schema_extra`` of a parameter whose ``maximum`` is a setting: the key names the
#: setting (``{SETTING_MAXIMUM: "max_page_size"}``); :func:`install` writes the value
SETTING_MAXIMUM = "x-alliance-maximum-setting"

#: the X-API-Key scheme's name in the schema (api/security.py, ``APIKeyHeader``)
API_KEY_SCHEME = "APIKeyHeader"


def _json_errors(schema: dict[str, Any]) -> None:
    """Point the placeholders of :func:`responses` (``html=True``) at ErrorBody."""
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            for response in operation.get("responses", {}).values():
                media = response.get("content", {}).get("application/json", {})
                if media.get("schema") == {_ERROR_REF: True}:
                    media["schema"] = {"$ref": "#/components/schemas/ErrorBody"}


def _setting_maxima(schema: dict[str, Any], settings: Settings) -> None:
    """Write the bounds that are settings (the page size: ALLIANCE_MAX_PAGE_SIZE)."""
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                param_schema = parameter.get("schema", {})
                name = param_schema.pop(SETTING_MAXIMUM, None)
                if name is not None:
                    param_schema["maximum"] = getattr(settings, name)


def _console_security(schema: dict[str, Any], settings: Settings) -> None:
    """POST /cypher as ALLIANCE_CONSOLE_ACCESS has it: ``open`` (the default) takes a
    request with or without X-API-Key (``[{}, {APIKeyHeader: []}]``: the key is
    optional); ``key`` requires it; ``off`` refuses every request (403) whatever it
    carries."""
    operation = schema.get("paths", {}).get("/cypher", {}).get("post")
    if operation is None:
        return
    access = settings.console_access
    operation["security"] = ([{}, {API_KEY_SCHEME: []}] if access == "open"
                             else [{API_KEY_SCHEME: []}] if access == "key" else [{}])
    operation["description"] = (operation.get("description", "") + "\n\n**Access** "
                                f"(ALLIANCE_CONSOLE_ACCESS, here `{access}`): `open` lets "
                                "anyone run queries, with or without `X-API-Key`; `key` "
                                "needs the imports' `X-API-Key` (401 without it); `off` "
                                "answers 403 to every query.")


def install(app: FastAPI, settings: Settings) -> None:
    """Give ``app`` its OpenAPI document: FastAPI's, built once, completed with what only
    the settings know (the page size bound, the console's access) and the error bodies
    of the HTML routes."""
    from fastapi.openapi.utils import get_openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version,
                                 openapi_version=app.openapi_version,
                                 description=app.description, routes=app.routes)
            _json_errors(schema)
            _setting_maxima(schema, settings)
            _console_security(schema, settings)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
