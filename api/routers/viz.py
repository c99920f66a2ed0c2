"""GET /viz/… (network pages for an iframe), GET /viz/…/embed (the snippet to paste) and
GET /export/graph.… (the whole graph for Gephi or networkx).

A page is the same self-contained HTML the CLI writes (nothing loaded from any host); the
response adds the page's Content-Security-Policy as a header with ``frame-ancestors``
from ``ALLIANCE_FRAME_ANCESTORS``, which a meta tag cannot carry. ``/embed`` answers
JSON ``{"html": "<iframe …>", "src": …, "width": …, "height": …}``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import escape
from pydantic import BaseModel

from api.deps import DriverDep, SettingsDep
from api.errors import BadRequest, ErrorBody, NotFound
from queries.errors import InvalidParameter, NotFoundError
from viz import views
from viz.html import content_security_policy, render_html
from viz.model import ViewGraph

router = APIRouter(tags=["viz"])

_ERRORS = {400: {"model": ErrorBody}, 404: {"model": ErrorBody}, 503: {"model": ErrorBody}}
Cap = Annotated[int, Query(ge=1, le=20000, description="Past this many nodes, group them.")]
SizeBy = Annotated[Literal["degree", "betweenness"], Query(description="Node size by.")]


class Embed(BaseModel):
    """The snippet to paste in a page: an iframe on the view's URL."""

    html: str
    src: str
    title: str
    width: str
    height: int


def _build(build: Callable[[], ViewGraph]) -> ViewGraph:
    try:
        return build()
    except NotFoundError as exc:
        raise NotFound(str(exc)) from exc
    except InvalidParameter as exc:
        raise BadRequest(str(exc)) from exc


def _page(view: ViewGraph, frame_ancestors: str) -> HTMLResponse:
    headers = {
        "Content-Security-Policy": content_security_policy(frame_ancestors),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
    }
    return HTMLResponse(render_html(view), headers=headers)


def _embed(request: Request, title: str, height: int) -> Embed:
    from urllib.parse import urlencode

    params = [(k, v) for k, v in request.query_params.multi_items() if k != "height"]
    src = str(request.url.replace(path=request.url.path.removesuffix("/embed"),
                                  query=urlencode(params)))
    html = (f'<iframe src="{escape(src)}" title="{escape(title)}" width="100%" '
            f'height="{height}" loading="lazy" referrerpolicy="no-referrer" '
            'style="border:1px solid #ddd"></iframe>')
    return Embed(html=html, src=src, title=title, width="100%", height=height)


# --- neighbourhood --------------------------------------------------------------------


@router.get("/viz/neighbourhood/{element_id}", response_class=HTMLResponse, responses=_ERRORS)
def viz_neighbourhood(element_id: str, driver: DriverDep, settings: SettingsDep,
                      request: Request, depth: Annotated[int, Query(ge=1, le=3)] = 2,
                      cap: Cap = 1500, size_by: SizeBy = "degree") -> HTMLResponse:
    """The neighbourhood of any element or territory, as a self-contained page."""
    view = _build(lambda: views.neighbourhood_graph(
        driver, element_id, depth=depth, cap=cap, size_by=size_by,
        database=request.app.state.database))
    return _page(view, settings.frame_ancestors)


@router.get("/viz/neighbourhood/{element_id}/embed", response_model=Embed, responses=_ERRORS)
def viz_neighbourhood_embed(element_id: str, request: Request,
                            depth: Annotated[int, Query(ge=1, le=3)] = 2, cap: Cap = 1500,
                            size_by: SizeBy = "degree", height: int = 600) -> Embed:
    """The iframe snippet for the neighbourhood page (the page itself checks the id)."""
    return _embed(request, f"Voisinage de {element_id}", height)


# --- connectors -----------------------------------------------------------------------


@router.get("/viz/connectors", response_class=HTMLResponse, responses=_ERRORS)
def viz_connectors(driver: DriverDep, settings: SettingsDep, request: Request,
                   programme: Annotated[str, Query(min_length=1)],
                   territory: Annotated[str, Query(min_length=1)],
                   cap: Cap = 1500, size_by: SizeBy = "degree") -> HTMLResponse:
    """The organisations connecting a programme to a territory, as a page."""
    view = _build(lambda: views.connectors_graph(
        driver, programme, territory, cap=cap, size_by=size_by,
        database=request.app.state.database))
    return _page(view, settings.frame_ancestors)


@router.get("/viz/connectors/embed", response_model=Embed, responses=_ERRORS)
def viz_connectors_embed(request: Request, programme: Annotated[str, Query(min_length=1)],
                         territory: Annotated[str, Query(min_length=1)], cap: Cap = 1500,
                         size_by: SizeBy = "degree", height: int = 600) -> Embed:
    """The iframe snippet for the connectors page."""
    return _embed(request, f"Connecteurs de {programme} · {territory}", height)


# --- dialogue space -------------------------------------------------------------------


@router.get("/viz/space/{space_id}", response_class=HTMLResponse, responses=_ERRORS)
def viz_space(space_id: str, driver: DriverDep, settings: SettingsDep, request: Request,
              cap: Cap = 1500, size_by: SizeBy = "degree") -> HTMLResponse:
    """A dialogue space with its members, as a page."""
    view = _build(lambda: views.space_graph(driver, space_id, cap=cap, size_by=size_by,
                                            database=request.app.state.database))
    return _page(view, settings.frame_ancestors)


@router.get("/viz/space/{space_id}/embed", response_model=Embed, responses=_ERRORS)
def viz_space_embed(space_id: str, request: Request, cap: Cap = 1500,
                    size_by: SizeBy = "degree", height: int = 600) -> Embed:
    """The iframe snippet for the dialogue space page."""
    return _embed(request, f"Espace de dialogue {space_id}", height)


# --- territory ------------------------------------------------------------------------


@router.get("/viz/territory/{code}", response_class=HTMLResponse, responses=_ERRORS)
def viz_territory(code: str, driver: DriverDep, settings: SettingsDep, request: Request,
                  cap: Cap = 1500, size_by: SizeBy = "degree") -> HTMLResponse:
    """A territory with what is located in it, on its outline, as a page."""
    view = _build(lambda: views.territory_graph(driver, code, cap=cap, size_by=size_by,
                                                database=request.app.state.database))
    return _page(view, settings.frame_ancestors)


@router.get("/viz/territory/{code}/embed", response_model=Embed, responses=_ERRORS)
def viz_territory_embed(code: str, request: Request, cap: Cap = 1500,
                        size_by: SizeBy = "degree", height: int = 700) -> Embed:
    """The iframe snippet for the territory page."""
    return _embed(request, f"Territoire {code}", height)


# --- whole graph exports --------------------------------------------------------------

_MEDIA = {
    "graphml": ("application/graphml+xml", "graphml"),
    "gexf": ("application/gexf+xml", "gexf"),
    "json": ("application/json", "json"),
    "nodes.csv": ("text/csv; charset=utf-8", "csv"),
    "edges.csv": ("text/csv; charset=utf-8", "csv-edges"),
}


@router.get("/export/graph.{fmt}", responses=_ERRORS,
            response_class=Response)
def export_graph(fmt: Literal["graphml", "gexf", "json", "nodes.csv", "edges.csv"],
                 driver: DriverDep, request: Request,
                 territories: Literal["linked", "all", "none"] = "linked") -> Response:
    """The whole graph: GraphML or GEXF (Gephi), JSON node-link (networkx), or CSV
    (``graph.nodes.csv``, ``graph.edges.csv``). ``territories``: those an element links
    to (default), ``all`` or ``none``."""
    from viz.exports import export_bytes

    view = _build(lambda: views.whole_graph(driver, territories=territories,
                                            database=request.app.state.database))
    media, kind = _MEDIA[fmt]
    return Response(export_bytes(view, kind), media_type=media, headers={
        "Content-Disposition": f'attachment; filename="alliance-graph.{fmt}"'})
