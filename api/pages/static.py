"""What the pages load besides themselves: ``GET /pages-static/{file}`` (the stylesheet and
the small script) and ``GET /pages-api/communes?q=`` (the suggestions of the territory
boxes, the candidates of ``GET /territories/suggest`` shaped for pages.js)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import FileResponse, JSONResponse, Response

from api.errors import error_response
from api.pages.rendering import STATIC_DIR
from api.pages.territory_box import form_value, population_hint
from api.routers.territory_suggest import territory_suggestions
from graph.territory_reference import TerritoryCandidate

router = APIRouter(include_in_schema=False)

#: the only files /pages-static serves, with their media types
STATIC_FILES: dict[str, str] = {
    "pages.css": "text/css; charset=utf-8",
    "pages.js": "text/javascript; charset=utf-8",
}


@router.get("/pages-static/{name}")
def static_file(name: str) -> Response:
    """The stylesheet and the script; only the files of ``STATIC_FILES``."""
    media = STATIC_FILES.get(name)
    if media is None:
        return error_response(404, "not_found", f"no static file {name!r}")
    return FileResponse(STATIC_DIR / name, media_type=media,
                        headers={"Cache-Control": "public, max-age=3600"})


def _suggestion_option(c: TerritoryCandidate) -> dict[str, str]:
    """One suggestion as the page script shows it: ``value`` goes into the box (text the
    parser reads back as exactly this territory), ``label`` and ``hint`` are shown."""
    return {"id": c.id, "value": form_value(c), "label": c.label, "hint": population_hint(c)}


@router.get("/pages-api/communes")
def commune_suggestions(q: str = "", limit: int = 8) -> JSONResponse:
    """The suggestions of the territory boxes: the candidates of ``GET
    /territories/suggest`` (same function, same order), as ``[{id, value, label, hint}]``."""
    found = territory_suggestions(q, max(1, min(limit, 20)))
    return JSONResponse([_suggestion_option(c) for c in found])
