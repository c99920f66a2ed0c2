"""GET /viz/… (network pages for an iframe), GET /viz/…/embed (the snippet to paste),
GET /export/graph.… (the whole graph for Gephi or networkx) and GET /export/<view>/….…
(one view: neighbourhood, connectors, space, territory).

A page is the same self-contained HTML the CLI writes (nothing loaded from any host); the
response adds the page's Content-Security-Policy as a header with ``frame-ancestors``
from ``ALLIANCE_FRAME_ANCESTORS`` (any site by default: the pictures are public and
read-only), which a meta tag cannot carry. ``/embed`` answers JSON ``{"html": "<iframe
…>", "src": …, "title": …, "width": …, "height": …}``, titled in words, after indexed
reads of the id and its name (a 404 never costs a view build). ``/viz/<view>/….png``,
``.svg`` and ``.html`` download the picture as a file named in words; the exports name
their files after the view's title too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated, Literal, TypeVar
from urllib.parse import quote

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import escape
from pydantic import BaseModel
from starlette.convertors import Convertor, register_url_convertor

from api.deps import DatabaseDep, DriverDep, SettingsDep
from api.errors import BadRequest, NotFound
from api.jobs import AsyncParam, answer_or_accepted, runner
from api.openapi import ACCEPTED, ROLE_ENUM, responses
from api.retired import MOVED
from queries.element_names import ANY, ORGANISATION, PROGRAMME, element_param
from queries.errors import (
    AmbiguousElement,
    AmbiguousTerritory,
    InvalidParameter,
    NotDrawable,
    NotFoundError,
    NotSuggested,
    TerritoryNotLoaded,
    UnknownElement,
    UnknownTerritory,
)
from queries.existence import require_node
from queries.projection import graph_fingerprint
from queries.questions import MAX_RADIUS_KM
from queries.territory import resolve_territory_param
from viz import views
from viz.embed import DEFAULT_HEIGHT, MAP_HEIGHT, iframe_snippet
from viz.html import content_security_policy, render_html
from viz.titles import (
    commune_title,
    connectors_title,
    file_stem,
    neighbourhood_title,
    space_title,
    suggestion_title,
    territory_title,
)
from viz.view_graph import ViewGraph

router = APIRouter(tags=["viz"])

_ERRORS = responses(None, 400, 404)
#: routes that take an element by id, name or alias: 409 for a name several share
_ELEMENT_ERRORS = responses(None, 400, 404, 409)
#: routes that read a territory parameter: 409 for an ambiguous one (422 for a territory
#: the map cannot draw yet, to API clients)
_TERRITORY_ERRORS = responses(None, 400, 404, 409)
#: the same, for the routes that answer a page: JSON errors, or to a browser a short
#: French page with the same status
_PAGE_ERRORS = responses(None, 400, 404, html=True)
_ELEMENT_PAGE_ERRORS = responses(None, 400, 404, 409, html=True)
#: a page that asks first which territory was meant (300) before drawing
_TERRITORY_PAGE_ERRORS = responses(None, 300, 400, 404, 409, html=True)
#: the picture downloads (PNG, SVG, the offline page): their errors as the pages'
_PICTURE_FILES = ("image/png", "image/svg+xml", "text/html; charset=utf-8")
_PICTURE_FILE_ERRORS = responses(None, 400, 404, html=True, files=_PICTURE_FILES)
_ELEMENT_PICTURE_FILE_ERRORS = responses(None, 400, 404, 409, html=True,
                                         files=_PICTURE_FILES)

#: the media types of the exports (``_MEDIA`` below), the 200 of every export route
_EXPORT_MEDIA = ("application/graphml+xml", "application/gexf+xml", "application/json",
                 "text/csv; charset=utf-8")
_EXPORT_ERRORS = responses(None, 400, 404, files=_EXPORT_MEDIA)
_ELEMENT_EXPORT_ERRORS = responses(None, 400, 404, 409, files=_EXPORT_MEDIA)
_TERRITORY_EXPORT_ERRORS = responses(None, 400, 404, 409, files=_EXPORT_MEDIA)
Cap = Annotated[int, Query(ge=1, le=20000, description="Past this many nodes, group them.")]
SizeBy = Annotated[Literal["degree", "betweenness"], Query(description="Node size by.")]
Sep = Annotated[Literal[";", ",", "tab"], Query(description=(
    "CSV only: the separator. `;` (default) with decimal commas, as Excel opens it in "
    "French; `,` or `tab` with decimal points (pandas, Gephi)."))]
RadiusKm = Annotated[float | None, Query(
    gt=0, le=MAX_RADIUS_KM, description="Around a commune: the radius in km (default 30).")]
NeedId = Annotated[str | None, Query(
    description="Around a commune: only the partners answering this need (id).")]
Role = Annotated[str | None, Query(
    description="Around a commune: only the partners holding this role (catalyst, relay).",
    json_schema_extra=ROLE_ENUM)]


class Embed(BaseModel):
    """The snippet to paste in a page: an iframe on the view's URL."""

    html: str
    src: str
    title: str
    width: str
    height: int


T = TypeVar("T")


def _build(build: Callable[[], T]) -> T:
    """Run ``build`` (a view, or an existence check) with the domain errors mapped; the
    territory and element errors keep their own status and detail (the handler table of
    api/errors)."""
    try:
        return build()
    except (AmbiguousTerritory, UnknownTerritory, TerritoryNotLoaded, NotDrawable,
            AmbiguousElement, UnknownElement, NotSuggested):
        raise
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


#: the picture downloads: media type of each format
_PICTURE_MEDIA = {"png": "image/png", "svg": "image/svg+xml",
                  "html": "text/html; charset=utf-8"}
PictureFmt = Literal["png", "svg", "html"]


class _PictureFormat(Convertor[str]):
    """``{fmt:picture}`` in a path: ``png``, ``svg`` or ``html`` after the id's last dot."""

    regex = "png|svg|html"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("picture", _PictureFormat())


def _download(request: Request, build: Callable[[], ViewGraph], fmt: str) -> Response:
    """Build a view (errors as for the page: a French page in a browser) and answer it as
    a file named after its title: a PNG or SVG for print, or the offline HTML page."""
    from viz.pictures import picture_bytes

    view = _view_or_reason(request, build, "'self'")
    if isinstance(view, HTMLResponse):
        return view
    headers = {"Content-Disposition":
               f'attachment; filename="{file_stem(view.title)}.{fmt}"'}
    if fmt == "html":
        body = render_html(view).encode("utf-8")
        headers["Content-Security-Policy"] = content_security_policy("'none'")
    else:
        body = picture_bytes(view, fmt)
    return Response(body, media_type=_PICTURE_MEDIA[fmt], headers=headers)


def _name_of(driver, node_id: str, database: str) -> str:
    """An element's or a territory's name for a title (its id when it has none)."""
    from queries.export import node_details

    details = node_details(driver, [node_id], database=database).get(node_id)
    return (details.name if details else None) or node_id


#: a message page in place of a picture: no script, its own inline style only
_MESSAGE_SOURCES = (("default-src", "'none'"), ("style-src", "'unsafe-inline'"),
                    ("base-uri", "'none'"))


def _small_page(body: str, title: str, status: int, frame_ancestors: str) -> HTMLResponse:
    """A short French page in place of a picture (a question, or why there is none)."""
    page = ('<!doctype html><html lang="fr"><head><meta charset="utf-8">'
            f"<title>{escape(title)}</title><style>body{{font-family:sans-serif;"
            "margin:2em;color:#222;line-height:1.45}a{color:#0b57d0}li{margin:.4em 0}"
            f"</style></head><body>{body}</body></html>")
    headers = {
        "Content-Security-Policy": content_security_policy(frame_ancestors,
                                                           sources=_MESSAGE_SOURCES),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
    }
    return HTMLResponse(page, status_code=status, headers=headers)


def _wants_html(request: Request) -> bool:
    """A browser (a page, an iframe) asks for HTML; an API client for anything."""
    return "text/html" in request.headers.get("accept", "")


def _why_not_fr(exc: Exception) -> tuple[int, str]:
    """The status and the French sentence for an error met while drawing a picture."""
    if isinstance(exc, AmbiguousTerritory | UnknownTerritory):
        status = 409 if isinstance(exc, AmbiguousTerritory) else 404
        return status, exc.reading.message_fr
    if isinstance(exc, AmbiguousElement):
        return 409, exc.reading.message_fr
    if isinstance(exc, UnknownElement) and exc.reading.suggestions:
        return 404, exc.reading.message_fr
    if isinstance(exc, TerritoryNotLoaded):
        return 404, ("Ce territoire n'est pas encore dans le graphe : les territoires n'y ont "
                     "pas été chargés. Prévenez la personne qui administre Alliance Graph.")
    if isinstance(exc, NotDrawable | NotSuggested):
        # nothing to draw is an answer, not a failure: the frame shows why (and Chromium
        # logs no failed resource)
        return 200, exc.message_fr
    if isinstance(exc, NotFound | UnknownElement):
        return 404, "Rien à dessiner : cet élément n'est pas dans le graphe."
    return 400, "Rien à dessiner : la demande n'est pas comprise."


def _view_or_reason(request: Request, build: Callable[[], ViewGraph],
                    frame_ancestors: str) -> ViewGraph | HTMLResponse:
    """Build a view; in a browser (a page's frame, an iframe of a report, a download
    link) an error is a short French page with the same status, never the JSON error
    body; a view with nothing to draw is that page with status 200 (API clients asking
    JSON keep the 422)."""
    try:
        return _build(build)
    except (AmbiguousTerritory, UnknownTerritory, TerritoryNotLoaded, NotDrawable, NotFound,
            BadRequest, AmbiguousElement, UnknownElement, NotSuggested) as exc:
        if not _wants_html(request):
            raise
        status, message = _why_not_fr(exc)
        return _small_page(f"<p>{escape(message)}</p>", "Pas d'image", status, frame_ancestors)


def _picture(request: Request, build: Callable[[], ViewGraph],
             frame_ancestors: str) -> HTMLResponse:
    """Draw a view as a page (or say in French why there is none)."""
    view = _view_or_reason(request, build, frame_ancestors)
    return view if isinstance(view, HTMLResponse) else _page(view, frame_ancestors)


def _question(text: str, frame_ancestors: str,
              href: Callable[[str], str]) -> HTMLResponse | None:
    """A picture asks before drawing a reference read by default among others (the rule
    of the pages): a short French page "Bousignies (code INSEE 59100) ou Roubaix (code
    postal 59100) ?" linking to the picture of each reading by its id (300 Multiple
    Choices). None when there is nothing to ask; the errors are the handler table's."""
    from queries.territory import parse_cached

    reading = parse_cached(text.strip())
    if reading.status != "default" or not reading.question_fr:
        return None
    items = "".join(f'<li><a href="{escape(href(c.id))}">{escape(c.label)}</a></li>'
                    for c in reading.candidates)
    notice = f"<p>{escape(reading.taken.notice)}</p>" if reading.taken.notice else ""
    body = (f"<p>« {escape(reading.text)} » peut désigner plusieurs territoires.</p>"
            f"<h1 style=\"font-size:1.2em\">{escape(reading.question_fr)}</h1>{notice}"
            f"<ul>{items}</ul>")
    return _small_page(body, "Quel territoire ?", 300, frame_ancestors)


def _embed(request: Request, title: str, height: int) -> Embed:
    from urllib.parse import urlencode

    params = [(k, v) for k, v in request.query_params.multi_items() if k != "height"]
    src = str(request.url.replace(path=request.url.path.removesuffix("/embed"),
                                  query=urlencode(params)))
    return Embed(html=iframe_snippet(src, title, height), src=src, title=title,
                 width="100%", height=height)


# --- neighbourhood --------------------------------------------------------------------

#: the neighbourhood routes: an element merged (301) or retired (410) says so
_LEFT_PAGE_ERRORS = {**responses(None, 400, 404, 409, 410, html=True), **MOVED}
_LEFT_PICTURE_FILE_ERRORS = {**responses(None, 400, 404, 409, 410, html=True,
                                         files=_PICTURE_FILES), **MOVED}
_LEFT_ERRORS = {**responses(None, 400, 404, 409, 410), **MOVED}


def _left(request: Request, driver, text: str, database: str, frame_ancestors: str,
          url: Callable[[str], str]) -> Response | None:
    """The picture of an element that left the inventory: in a browser, a short French
    page saying so (410), with a link to the picture of the organisation a duplicate was
    merged into; to an API client, 301 to ``url(kept id)`` or the 410. None for an element
    in the inventory (or no id: a name names only those)."""
    from api.retired import gone, moved
    from graph.element_names import looks_like_id
    from queries.retired import retired_element

    if not looks_like_id(text.strip()):
        return None
    left = retired_element(driver, text.strip(), database=database)
    if left is None:
        return None
    if not _wants_html(request):
        if left.merged_into:
            return moved(url(left.merged_into))
        raise gone(left)
    body = f"<p>{escape(left.message_fr())}</p>"
    if left.merged_into:
        target = f"/viz/neighbourhood/{quote(left.merged_into, safe=':')}"
        body += (f'<p><a href="{escape(target)}">Voir le réseau autour de « '
                 f'{escape(left.kept_name or left.merged_into)} »</a></p>')
    return _small_page(body, "Élément retiré de l'inventaire", 410, frame_ancestors)


def _neighbourhood_url(element_id: str, suffix: str = "") -> str:
    return f"/viz/neighbourhood/{quote(element_id, safe=':')}{suffix}"



# before the page's route, which would read "org:le-rameau.png" as an id
@router.get("/viz/neighbourhood/{element_id}.{fmt:picture}", response_class=Response,
            responses=_LEFT_PICTURE_FILE_ERRORS)
def viz_neighbourhood_file(element_id: str, fmt: PictureFmt, driver: DriverDep,
                           database: DatabaseDep, request: Request,
                           depth: Annotated[int, Query(ge=1, le=3)] = 2, cap: Cap = 1500,
                           size_by: SizeBy = "degree") -> Response:
    """The neighbourhood picture as a file: ``.png`` or ``.svg`` (print; what the page
    shows at first), ``.html`` (the page itself, to open offline), named in words
    (``reseau-autour-de-le-rameau.png``). An element merged or retired: 301 or 410 (a
    short French page to a browser)."""
    left = _left(request, driver, element_id, database, "'self'",
                 lambda kept: _neighbourhood_url(kept, f".{fmt}"))
    if left is not None:
        return left
    return _download(request, lambda: views.neighbourhood_graph(
        driver, element_param(driver, element_id, labels=ANY, database=database),
        depth=depth, cap=cap, size_by=size_by, database=database), fmt)


@router.get("/viz/neighbourhood/{element_id}", response_class=HTMLResponse,
            responses=_LEFT_PAGE_ERRORS)
def viz_neighbourhood(element_id: str, driver: DriverDep, settings: SettingsDep,
                      request: Request, depth: Annotated[int, Query(ge=1, le=3)] = 2,
                      cap: Cap = 1500, size_by: SizeBy = "degree") -> Response:
    """The neighbourhood of any element or territory (id, or an element's name or alias),
    as a self-contained page. An element merged into another or retired from the
    inventory: a short French page saying so (410; to an API client, 301 to the kept
    organisation's picture or 410)."""
    database = request.app.state.database
    left = _left(request, driver, element_id, database, settings.frame_ancestors,
                 _neighbourhood_url)
    if left is not None:
        return left
    return _picture(request, lambda: views.neighbourhood_graph(
        driver, element_param(driver, element_id, labels=ANY, database=database),
        depth=depth, cap=cap, size_by=size_by, database=database), settings.frame_ancestors)


@router.get("/viz/neighbourhood/{element_id}/embed", response_model=Embed,
            responses=_LEFT_ERRORS)
def viz_neighbourhood_embed(element_id: str, request: Request, driver: DriverDep,
                            database: DatabaseDep,
                            depth: Annotated[int, Query(ge=1, le=3)] = 2, cap: Cap = 1500,
                            size_by: SizeBy = "degree",
                            height: int = DEFAULT_HEIGHT) -> Embed | Response:
    """The iframe snippet for the neighbourhood page, titled with the element's name
    (« Réseau autour de Le RAMEAU »); 404 when no element has the id, 301 to the kept
    organisation's snippet for a merged duplicate, 410 for an element retired."""
    left = _left(request, driver, element_id, database, "'none'",
                 lambda kept: _neighbourhood_url(kept, "/embed"))
    if left is not None:
        return left
    node_id = _build(lambda: element_param(driver, element_id, labels=ANY, database=database))
    return _embed(request, neighbourhood_title(_name_of(driver, node_id, database)), height)


# --- connectors -----------------------------------------------------------------------


@router.get("/viz/connectors.{fmt:picture}", response_class=Response,
            responses=_ELEMENT_PICTURE_FILE_ERRORS)
def viz_connectors_file(fmt: PictureFmt, driver: DriverDep, database: DatabaseDep,
                        request: Request,
                        programme: Annotated[str, Query(min_length=1)],
                        territory: Annotated[str, Query(min_length=1)],
                        cap: Cap = 1500, size_by: SizeBy = "degree") -> Response:
    """The connectors picture as a PNG, SVG or offline HTML file, named in words (the
    territory read as the API reads it: a reference with several readings takes the
    default)."""
    return _download(request, lambda: views.connectors_graph(
        driver, element_param(driver, programme, labels=PROGRAMME, database=database),
        territory, cap=cap, size_by=size_by, database=database), fmt)


@router.get("/viz/connectors", response_class=HTMLResponse,
            responses=_TERRITORY_PAGE_ERRORS)
def viz_connectors(driver: DriverDep, settings: SettingsDep, request: Request,
                   programme: Annotated[str, Query(min_length=1)],
                   territory: Annotated[str, Query(min_length=1)],
                   cap: Cap = 1500, size_by: SizeBy = "degree") -> HTMLResponse:
    """The organisations connecting a programme to a territory, as a page. A territory
    read by default among others (``59100``, ``32``) is asked first: a French page
    linking to the picture of each reading (300)."""
    from urllib.parse import urlencode

    def href(territory_id: str) -> str:
        params = [(k, territory_id if k == "territory" else v)
                  for k, v in request.query_params.multi_items()]
        return f"{request.url.path}?{urlencode(params)}"

    question = _question(territory, settings.frame_ancestors, href)
    if question is not None:
        return question
    database = request.app.state.database
    return _picture(request, lambda: views.connectors_graph(
        driver, element_param(driver, programme, labels=PROGRAMME, database=database),
        territory, cap=cap, size_by=size_by, database=database), settings.frame_ancestors)


@router.get("/viz/connectors/embed", response_model=Embed, responses=_TERRITORY_ERRORS)
def viz_connectors_embed(request: Request, driver: DriverDep, database: DatabaseDep,
                         programme: Annotated[str, Query(min_length=1)],
                         territory: Annotated[str, Query(min_length=1)], cap: Cap = 1500,
                         size_by: SizeBy = "degree", height: int = DEFAULT_HEIGHT) -> Embed:
    """The iframe snippet for the connectors page; 404 for an unknown programme or
    territory (the territory as the page reads it: id, code or name)."""
    place = _build(lambda: resolve_territory_param(driver, territory, database=database))
    programme_id = _build(lambda: element_param(driver, programme, labels=PROGRAMME,
                                                database=database))
    title = connectors_title(_name_of(driver, programme_id, database), place.name or place.id)
    return _embed(request, title, height)


# --- dialogue space -------------------------------------------------------------------


@router.get("/viz/space/{space_id}.{fmt:picture}", response_class=Response,
            responses=_PICTURE_FILE_ERRORS)
def viz_space_file(space_id: str, fmt: PictureFmt, driver: DriverDep, database: DatabaseDep,
                   request: Request, cap: Cap = 1500, size_by: SizeBy = "degree") -> Response:
    """The dialogue space picture as a PNG, SVG or offline HTML file, named in words."""
    return _download(request, lambda: views.space_graph(
        driver, space_id, cap=cap, size_by=size_by, database=database), fmt)


@router.get("/viz/space/{space_id}", response_class=HTMLResponse, responses=_PAGE_ERRORS)
def viz_space(space_id: str, driver: DriverDep, settings: SettingsDep, request: Request,
              cap: Cap = 1500, size_by: SizeBy = "degree") -> HTMLResponse:
    """A dialogue space with its members, as a page."""
    return _picture(request, lambda: views.space_graph(
        driver, space_id, cap=cap, size_by=size_by, database=request.app.state.database),
        settings.frame_ancestors)


@router.get("/viz/space/{space_id}/embed", response_model=Embed, responses=_ERRORS)
def viz_space_embed(space_id: str, request: Request, driver: DriverDep,
                    database: DatabaseDep, cap: Cap = 1500,
                    size_by: SizeBy = "degree", height: int = DEFAULT_HEIGHT) -> Embed:
    """The iframe snippet for the dialogue space page; 404 for an unknown space."""
    _build(lambda: require_node(driver, space_id, label="DialogueSpace",
                                what="dialogue space", database=database))
    return _embed(request, space_title(_name_of(driver, space_id, database)), height)


# --- territory ------------------------------------------------------------------------


@router.get("/viz/territory/{code}.{fmt:picture}", response_class=Response,
            responses=_ELEMENT_PICTURE_FILE_ERRORS)
def viz_territory_file(code: str, fmt: PictureFmt, driver: DriverDep, database: DatabaseDep,
                       request: Request, cap: Cap = 1500, size_by: SizeBy = "degree",
                       radius_km: RadiusKm = None, need: NeedId = None,
                       role: Role = None) -> Response:
    """The territory picture as a PNG, SVG or offline HTML file, named in words (a
    reference with several readings takes the default, as the API does; ``radius_km``,
    ``need`` and ``role`` as for the page)."""
    return _download(request, lambda: views.territory_graph(
        driver, code, radius_km=radius_km, need=need, role=role, cap=cap, size_by=size_by,
        database=database), fmt)


@router.get("/viz/territory/{code}", response_class=HTMLResponse,
            responses=_TERRITORY_PAGE_ERRORS)
def viz_territory(code: str, driver: DriverDep, settings: SettingsDep, request: Request,
                  cap: Cap = 1500, size_by: SizeBy = "degree", radius_km: RadiusKm = None,
                  need: NeedId = None, role: Role = None) -> HTMLResponse:
    """A territory on its map, as a page: a commune with the partners within
    ``radius_km`` (30 by default; ``need`` and ``role`` filter them as the catalyst page
    does), the communes around and, aside, what acts on it from above; an EPCI, a
    département, a région or ``FR`` with what is located or active in it on its outline.
    A reference read by default among others (``59100``: Bousignies or Roubaix?) is asked
    first: a French page linking to the picture of each reading by its id (300)."""
    from urllib.parse import quote

    def href(territory_id: str) -> str:
        query = f"?{request.url.query}" if request.url.query else ""
        return f"/viz/territory/{quote(territory_id, safe=':')}{query}"

    question = _question(code, settings.frame_ancestors, href)
    if question is not None:
        return question
    return _picture(request, lambda: views.territory_graph(
        driver, code, radius_km=radius_km, need=need, role=role, cap=cap, size_by=size_by,
        database=request.app.state.database), settings.frame_ancestors)


@router.get("/viz/territory/{code}/embed", response_model=Embed, responses=_TERRITORY_ERRORS)
def viz_territory_embed(code: str, request: Request, driver: DriverDep,
                        database: DatabaseDep, cap: Cap = 1500,
                        size_by: SizeBy = "degree", height: int = MAP_HEIGHT,
                        radius_km: RadiusKm = None, need: NeedId = None,
                        role: Role = None) -> Embed:
    """The iframe snippet for the territory page, titled as the picture is (« Autour de
    Roubaix (30 km) », « Territoire : Nord »); 404 for an unknown territory."""
    from viz.views import DEFAULT_RADIUS_KM

    place = _build(lambda: resolve_territory_param(driver, code, database=database))
    name = place.name or place.id
    title = (commune_title(name, radius_km or DEFAULT_RADIUS_KM) if place.level == "commune"
             else territory_title(name))
    return _embed(request, title, height)


# --- suggestion -----------------------------------------------------------------------

SuggestionRadius = Annotated[float | None, Query(
    gt=0, le=MAX_RADIUS_KM, description="The radius of the suggestions in km (default 30).")]
PairOrganisation = Annotated[str, Path(max_length=200, description=(
    "An organisation: id, name or alias."), examples=["org:le-rameau"])]


def _suggestion_build(driver, database: str, organisation_id: str, other_id: str,
                      radius_km: float | None) -> Callable[[], ViewGraph]:
    return lambda: views.suggestion_graph(
        driver, element_param(driver, organisation_id, labels=ORGANISATION, database=database),
        element_param(driver, other_id, labels=ORGANISATION, database=database),
        radius_km=radius_km, database=database)


@router.get("/viz/suggestion/{organisation_id}/{other_id}.{fmt:picture}",
            response_class=Response, responses=_ELEMENT_PICTURE_FILE_ERRORS)
def viz_suggestion_file(organisation_id: PairOrganisation, other_id: PairOrganisation,
                        fmt: PictureFmt, driver: DriverDep, database: DatabaseDep,
                        request: Request, radius_km: SuggestionRadius = None) -> Response:
    """The picture of a suggested pair as a PNG, SVG or offline HTML file, named in words
    (``piste-d-alliance-le-rameau-et-fondation-de-lille.png``)."""
    return _download(request, _suggestion_build(driver, database, organisation_id, other_id,
                                                 radius_km), fmt)


@router.get("/viz/suggestion/{organisation_id}/{other_id}", response_class=HTMLResponse,
            responses=_ELEMENT_PAGE_ERRORS)
def viz_suggestion(organisation_id: PairOrganisation, other_id: PairOrganisation,
                   driver: DriverDep, settings: SettingsDep, request: Request,
                   radius_km: SuggestionRadius = None) -> HTMLResponse:
    """A « piste d'alliance » (``GET /organisations/{id}/suggestions``) as a page: both
    organisations, what they share, who can introduce them; the existing links solid, the
    suggested one dashed. A pair that is no suggestion (the same organisation, linked
    already, marked by a steward, out of reach): the frame says why (404 to API
    clients: no such suggestion)."""
    return _picture(request, _suggestion_build(driver, request.app.state.database,
                                               organisation_id, other_id, radius_km),
                    settings.frame_ancestors)


@router.get("/viz/suggestion/{organisation_id}/{other_id}/embed", response_model=Embed,
            responses=_ELEMENT_ERRORS)
def viz_suggestion_embed(organisation_id: PairOrganisation, other_id: PairOrganisation,
                         request: Request, driver: DriverDep, database: DatabaseDep,
                         radius_km: SuggestionRadius = None,
                         height: int = DEFAULT_HEIGHT) -> Embed:
    """The iframe snippet for a suggested pair's picture, titled with both names (« Piste
    d'alliance : Le RAMEAU et Fondation de Lille »); 404 for an unknown organisation."""
    a = _build(lambda: element_param(driver, organisation_id, labels=ORGANISATION,
                                     database=database))
    b = _build(lambda: element_param(driver, other_id, labels=ORGANISATION,
                                     database=database))
    return _embed(request, suggestion_title(_name_of(driver, a, database),
                                            _name_of(driver, b, database)), height)


# --- exports: the whole graph, or one view ---------------------------------------------

_MEDIA = {
    "graphml": ("application/graphml+xml", "graphml"),
    "gexf": ("application/gexf+xml", "gexf"),
    "json": ("application/json", "json"),
    "nodes.csv": ("text/csv; charset=utf-8", "csv"),
    "edges.csv": ("text/csv; charset=utf-8", "csv-edges"),
}
Fmt = Literal["graphml", "gexf", "json", "nodes.csv", "edges.csv"]


class _ExportFormat(Convertor[str]):
    """``{fmt:export}`` in a path: one of the export suffixes. Spelled out so that an id
    with dots (``org:a.b.graphml``) still splits right: the id gives back characters
    until the end is a known format."""

    regex = "graphml|gexf|json|nodes\\.csv|edges\\.csv"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("export", _ExportFormat())


def _safe_name(*parts: str) -> str:
    """A file name from ids: ``org:le-rameau`` → ``org-le-rameau`` (no quote, no slash)."""
    return "-".join(re.sub(r"[^A-Za-z0-9_-]+", "-", p).strip("-") for p in parts)[:150]


def _export(build: Callable[[], ViewGraph], fmt: str, name: str, sep: str = ";") -> Response:
    """Build a view (domain errors → 404/400) and answer it in ``fmt`` as an attachment
    (CSV with ``sep`` between cells), named ``name`` for the whole graph and after its
    title, in words, for one view (``reseau-autour-de-le-rameau-noeuds.csv``)."""
    from graph.csv_writer import check_sep
    from viz.exports import export_bytes

    view = _build(build)
    media, kind = _MEDIA[fmt]
    filename = f"{name}.{fmt}"
    if view.kind != "graph":  # one view: named after its title, in words
        suffix = {"nodes.csv": "-noeuds.csv", "edges.csv": "-liens.csv"}.get(fmt, f".{fmt}")
        filename = file_stem(view.title) + suffix
    return Response(export_bytes(view, kind, sep=check_sep(sep)), media_type=media, headers={
        "Content-Disposition": f'attachment; filename="{filename}"'})


@router.get("/export/graph.{fmt}", responses={**_EXPORT_ERRORS, **ACCEPTED},
            response_class=Response)
def export_graph(fmt: Fmt, driver: DriverDep, request: Request,
                 territories: Literal["linked", "all", "none"] = "linked",
                 sep: Sep = ";", as_job: AsyncParam = False) -> Response:
    """The whole graph: GraphML or GEXF (Gephi), JSON node-link (networkx), or CSV
    (``graph.nodes.csv``, ``graph.edges.csv``). ``territories``: those an element links
    to (default), ``all`` or ``none``.

    Built in a job, kept for the current graph (its fingerprint): a 200 with the file
    when it is ready within `ALLIANCE_JOB_WAIT` seconds (or built before), else a **202**
    with the job (`GET /jobs/{id}`; with `async=true`, the 202 at once); asked again once
    the job is done, the file."""
    database = request.app.state.database
    key = ("export", database, graph_fingerprint(driver, database=database), fmt,
           territories, sep)
    jobs = runner(request)
    task = jobs.task("export", key, lambda: _export(lambda: views.export_view(
        driver, "graph", territories=territories, database=database),
        fmt, "alliance-graph", sep), keep=2)
    query = request.url.query
    job = jobs.job(task, finish=lambda _: None,
                   result_url=request.url.path + (f"?{query}" if query else ""))
    return answer_or_accepted(request, job, lambda _: _copy(task.future.result()),
                              at_once=as_job)


def _copy(kept: Response) -> Response:
    """A fresh response with the bytes and headers of a kept one (sent once each)."""
    return Response(kept.body, media_type=kept.media_type, headers={
        "Content-Disposition": kept.headers["content-disposition"]})


@router.get("/export/neighbourhood/{element_id}.{fmt:export}",
            responses=_ELEMENT_EXPORT_ERRORS,
            response_class=Response)
def export_neighbourhood(element_id: str, fmt: Fmt, driver: DriverDep, database: DatabaseDep,
                         depth: Annotated[int, Query(ge=1, le=3)] = 2,
                         sep: Sep = ";") -> Response:
    """The neighbourhood of an element or territory (every node, none grouped), in the
    formats of ``/export/graph``: ``/export/neighbourhood/org:le-rameau.gexf``."""
    return _export(lambda: views.export_view(
        driver, "neighbourhood",
        element_id=element_param(driver, element_id, labels=ANY, database=database),
        depth=depth, database=database),
                   fmt, f"alliance-neighbourhood-{_safe_name(element_id)}", sep)


@router.get("/export/connectors.{fmt:export}", responses=_TERRITORY_EXPORT_ERRORS,
            response_class=Response)
def export_connectors(fmt: Fmt, driver: DriverDep, database: DatabaseDep,
                      programme: Annotated[str, Query(min_length=1)],
                      territory: Annotated[str, Query(min_length=1)],
                      sep: Sep = ";") -> Response:
    """The organisations connecting a programme to a territory, with the proof paths:
    ``/export/connectors.graphml?programme=programme:x&territory=59``."""
    return _export(lambda: views.export_view(
        driver, "connectors",
        programme=element_param(driver, programme, labels=PROGRAMME, database=database),
        territory=territory, database=database),
                   fmt, f"alliance-connectors-{_safe_name(programme, territory)}", sep)


@router.get("/export/space/{space_id}.{fmt:export}", responses=_EXPORT_ERRORS,
            response_class=Response)
def export_space(space_id: str, fmt: Fmt, driver: DriverDep,
                 database: DatabaseDep, sep: Sep = ";") -> Response:
    """A dialogue space with its members: ``/export/space/space:x.json``."""
    return _export(lambda: views.export_view(driver, "space", element_id=space_id,
                                             database=database),
                   fmt, f"alliance-space-{_safe_name(space_id)}", sep)


@router.get("/export/territory/{code}.{fmt:export}", responses=_TERRITORY_EXPORT_ERRORS,
            response_class=Response)
def export_territory(code: str, fmt: Fmt, driver: DriverDep,
                     database: DatabaseDep, sep: Sep = ";",
                     radius_km: RadiusKm = None, need: NeedId = None,
                     role: Role = None) -> Response:
    """A territory with what is located in it (id, INSEE code or name):
    ``/export/territory/59.nodes.csv``; a commune with what is within ``radius_km``
    (``need`` and ``role`` filter the partners, as the picture does)."""
    return _export(lambda: views.export_view(driver, "territory", territory=code,
                                             radius_km=radius_km, need=need, role=role,
                                             database=database),
                   fmt, f"alliance-territory-{_safe_name(code)}", sep)


@router.get("/export/suggestion/{organisation_id}/{other_id}.{fmt:export}",
            responses=_ELEMENT_EXPORT_ERRORS, response_class=Response)
def export_suggestion(organisation_id: PairOrganisation, other_id: PairOrganisation,
                      fmt: Fmt, driver: DriverDep, database: DatabaseDep, sep: Sep = ";",
                      radius_km: SuggestionRadius = None) -> Response:
    """A suggested pair with what they share (the suggested link as a ``SUGGESTED`` edge):
    ``/export/suggestion/org:le-rameau/org:fondation-de-lille.graphml``."""
    return _export(lambda: views.export_view(
        driver, "suggestion",
        element_id=element_param(driver, organisation_id, labels=ORGANISATION,
                                 database=database),
        other=element_param(driver, other_id, labels=ORGANISATION, database=database),
        radius_km=radius_km, database=database),
                   fmt, f"alliance-suggestion-{_safe_name(organisation_id, other_id)}", sep)
