"""The four views, from the database to a laid-out :class:`ViewGraph`, and writing one
to a file (HTML, PNG or SVG by extension). The CLI and the API call these.

Each view: ask ``queries/`` (typed wrappers), fetch node details for the tooltips, build
(:mod:`viz.builders`), fold past the cap (:mod:`viz.grouping`), size and place
(:mod:`viz.layout`).
"""

from __future__ import annotations

from pathlib import Path

from neo4j import Driver

from queries import connectors, dialogue_spaces, neighbourhood
from queries.commune_map import commune_contents
from queries.data_date import data_date
from queries.errors import NotFoundError
from queries.export import export_graph, node_details, territory_contents
from queries.territory import resolve_territory_param
from viz.builders import (
    connectors_view,
    graph_view,
    neighbourhood_view,
    space_view,
    suggestion_view,
)
from viz.grouping import DEFAULT_CAP, group_view
from viz.html import render_html
from viz.layout import layout_view
from viz.map_builders import commune_view, territory_view
from viz.pictures import draw_picture
from viz.upper import layout_with_upper, mark_upper
from viz.view_graph import ViewGraph

VIEWS = ("neighbourhood", "connectors", "space", "territory", "suggestion")
#: nodes fetched at most for one view (past the cap they are grouped, not dropped)
FETCH_LIMIT = 5000
#: partners within the radius of a commune fetched at most (the nearest)
COMMUNE_FETCH_LIMIT = 1000
PICTURE_FORMATS = ("html", "png", "svg")


#: the radius of a commune's picture when none is given (the catalyst page's default)
DEFAULT_RADIUS_KM = 30.0


def _finish(view: ViewGraph, *, cap: int | None, size_by: str,
            upper: bool = False) -> ViewGraph:
    """Group past the cap, then size and place; ``upper``: the régions and France start
    hidden (viz/upper.py) and the rest is laid out without them."""
    view = group_view(view, cap)
    if upper and mark_upper(view):
        return layout_with_upper(view, size_by=size_by)
    return layout_view(view, size_by=size_by)


def _dated(view: ViewGraph, driver: Driver, database: str) -> ViewGraph:
    """The day of the data on the picture (None when the graph records no import)."""
    view.data_date = data_date(driver, database=database)
    return view


def neighbourhood_graph(driver: Driver, element_id: str, *, depth: int = 1,
                        limit: int = FETCH_LIMIT, cap: int | None = DEFAULT_CAP,
                        size_by: str = "degree", database: str = "neo4j") -> ViewGraph:
    """The neighbourhood of any element (or territory) up to ``depth`` (1-3)."""
    page = neighbourhood(driver, element_id, depth=depth, limit=limit, database=database)
    ids = [page.centre.id] + [i.node.id for i in page.items]
    view = neighbourhood_view(page, node_details(driver, ids, database=database))
    return _dated(_finish(view, cap=cap, size_by=size_by, upper=True), driver, database)


def connectors_graph(driver: Driver, programme: str, territory: str, *,
                     limit: int = FETCH_LIMIT, cap: int | None = DEFAULT_CAP,
                     size_by: str = "degree", database: str = "neo4j") -> ViewGraph:
    """The organisations connecting a programme to a territory, then those covering it from
    above, with the proof paths."""
    page = connectors(driver, programme, territory, limit=limit, database=database)
    found = [*page.items, *(page.covering.items if page.covering else [])]
    ids = [page.programme.id, page.territory.id] + [c.organisation.id for c in found]
    ids += [n.id for c in found for p in c.paths for n in p.nodes]
    view = connectors_view(page, node_details(driver, ids, database=database))
    return _dated(_finish(view, cap=cap, size_by=size_by), driver, database)


def space_graph(driver: Driver, space_id: str, *, cap: int | None = DEFAULT_CAP,
                size_by: str = "degree", database: str = "neo4j") -> ViewGraph:
    """A dialogue space with its members."""
    result = dialogue_spaces(driver, members_limit=FETCH_LIMIT, database=database)
    space = next((s for s in result.spaces if s.id == space_id), None)
    if space is None:
        known = ", ".join(s.id for s in result.spaces[:5]) or "none loaded"
        raise NotFoundError(f"no dialogue space {space_id!r}; known ones: {known}")
    ids = [space.id] + [m.organisation.id for m in space.members]
    view = space_view(space, node_details(driver, ids, database=database))
    return _dated(_finish(view, cap=cap, size_by=size_by), driver, database)


def territory_graph(driver: Driver, territory: str, *, radius_km: float | None = None,
                    need: str | None = None, role: str | None = None,
                    limit: int = FETCH_LIMIT, cap: int | None = DEFAULT_CAP,
                    size_by: str = "degree", database: str = "neo4j") -> ViewGraph:
    """A territory on its map, whatever its level.

    A commune: itself, the partners within ``radius_km`` (default
    :data:`DEFAULT_RADIUS_KM`; ``need`` and ``role`` filter them as the catalyst page
    does), the communes around, and aside who acts on a territory containing it and the
    programmes covering it. An EPCI, a département, a région or France: what is located
    or active in it on the outline of its communes, and aside what acts on it from
    above. The reference is read by the product's parser.
    """
    ref = resolve_territory_param(driver, territory, database=database)
    if ref.level == "commune":
        contents = commune_contents(
            driver, ref.id, radius_km=radius_km or DEFAULT_RADIUS_KM, need=need, role=role,
            limit=min(limit, COMMUNE_FETCH_LIMIT), database=database)
        view = _finish(commune_view(contents), cap=cap, size_by=size_by)
    else:
        contents = territory_contents(driver, ref.id, limit=limit, database=database)
        view = _finish(territory_view(contents), cap=cap, size_by=size_by)
    return _dated(view, driver, database)


def suggestion_graph(driver: Driver, organisation: str, other: str, *,
                     radius_km: float | None = None, cap: int | None = DEFAULT_CAP,
                     size_by: str = "degree", database: str = "neo4j") -> ViewGraph:
    """A suggested pair (« piste d'alliance »): both organisations, what they share, who
    can introduce them, the existing links solid and the suggested one dashed. Not a
    suggestion (linked already, marked, out of reach): :class:`NotDrawable`, in French."""
    from queries.suggestions import suggestion_pair

    asker, item = suggestion_pair(driver, organisation, other,
                                  radius_km=radius_km or DEFAULT_RADIUS_KM, database=database)
    ids = [asker.id, item.organisation.id] + [s.id for s in item.shared]
    view = suggestion_view(asker, item, node_details(driver, ids, database=database))
    return _dated(_finish(view, cap=cap, size_by=size_by), driver, database)


def whole_graph(driver: Driver, *, territories: str = "linked",
                database: str = "neo4j") -> ViewGraph:
    """Every element and relationship (no layout: for exports)."""
    view = graph_view(export_graph(driver, territories=territories, database=database))
    return _dated(view, driver, database)


EXPORT_VIEWS = ("graph",) + VIEWS


def export_view(driver: Driver, view: str, *, element_id: str | None = None, depth: int = 2,
                programme: str | None = None, territory: str | None = None,
                territories: str = "linked", radius_km: float | None = None,
                need: str | None = None, role: str | None = None,
                other: str | None = None, database: str = "neo4j") -> ViewGraph:
    """The graph an export writes: one of :data:`EXPORT_VIEWS`, never grouped (``cap``
    None), so every node is in the file. The CLI's ``export`` and the API's
    ``/export/…`` both call this.

    Parameters
    ----------
    view
        ``graph`` (everything, with ``territories`` linked|all|none), ``neighbourhood``
        (``element_id``, ``depth``), ``space`` (``element_id``: the space id),
        ``connectors`` (``programme``, ``territory``) or ``territory`` (``territory``;
        ``radius_km`` around a commune, ``need`` and ``role`` filtering its partners) or
        ``suggestion`` (``element_id`` and ``other``, two organisations; ``radius_km``).

    Raises
    ------
    ValueError
        An unknown view, or a view without what it needs.
    NotFoundError
        An id, programme or territory that is not in the graph.
    """
    needs = {"graph": True, "neighbourhood": element_id, "space": element_id,
             "connectors": programme and territory, "territory": territory,
             "suggestion": element_id and other}
    if view not in needs:
        raise ValueError(f"unknown view {view!r}; use {', '.join(EXPORT_VIEWS)}")
    if not needs[view]:
        raise ValueError(f"the {view} view needs "
                         + {"neighbourhood": "an element id", "space": "a space id",
                            "connectors": "a programme and a territory",
                            "territory": "a territory",
                            "suggestion": "two organisations"}[view])
    if view == "graph":
        return whole_graph(driver, territories=territories, database=database)
    if view == "neighbourhood":
        return neighbourhood_graph(driver, element_id, depth=depth, cap=None, database=database)
    if view == "space":
        return space_graph(driver, element_id, cap=None, database=database)
    if view == "suggestion":
        return suggestion_graph(driver, element_id, other, radius_km=radius_km, cap=None,
                                database=database)
    if view == "connectors":
        return connectors_graph(driver, programme, territory, cap=None, database=database)
    return territory_graph(driver, territory, radius_km=radius_km, need=need, role=role,
                           cap=None, database=database)


def output_format(path: str | Path) -> str:
    """``html``, ``png`` or ``svg`` from a file name; anything else is refused."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix == "htm":
        suffix = "html"
    if suffix not in PICTURE_FORMATS:
        raise ValueError(f"{Path(path).name!r}: the file must end in .html, .png or .svg")
    return suffix


def write_view(view: ViewGraph, path: str | Path) -> Path:
    """Write a laid-out view as HTML, PNG or SVG (from the extension)."""
    path = Path(path)
    fmt = output_format(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "html":
        path.write_text(render_html(view), encoding="utf-8")
        return path
    return draw_picture(view, path, fmt=fmt)
