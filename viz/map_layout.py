"""The map layout: nodes placed by latitude/longitude over the territory they are in.

Equirectangular projection scaled by the cosine of the mean latitude (north up), the
longer side of the map :data:`MAP_SIZE` pixels. Under the network: the faint points of
the communes, the outline of the territory (:func:`viz.outline.territory_outline`), the
names of its largest communes, and around a commune the circle of the radius. Overseas
points of a mostly metropolitan view are moved into insets at the left, as on French
maps. Around a commune, the map is the circle of the radius: the outline of the land the
communes around make is cut by it, so that a coast or a border crossing it shows. Nodes
marked ``aside`` (organisations acting on a territory containing the one drawn,
programmes covering it) are not on the map: they stand in columns at its right, under a
caption saying on what they act.
"""

from __future__ import annotations

import math
import textwrap
from collections import defaultdict
from functools import lru_cache

import numpy as np

from graph.french import km
from viz.outline import territory_outline
from viz.view_graph import MapFrame, ViewGraph, ViewNode

#: metropolitan France (with Corsica), degrees: points outside go to insets
METRO_BOUNDS = (41.0, 51.6, -5.6, 10.0)  # lat min, lat max, lon min, lon max
#: pixels of the longer side of the map
MAP_SIZE = 640.0
#: the side columns: gap from the map, column width, row height, caption line height
ASIDE_GAP, ASIDE_COLUMN, ASIDE_ROW, CAPTION_LINE = 90.0, 250.0, 70.0, 20.0
#: characters of a caption line (captions wrap)
CAPTION_WIDTH = 30
#: faint points at most (thinned on a grid past it)
MAX_DOTS = 20000
#: places named at most, and the page size of their names (to keep them apart)
PLACE_LABELS, PLACE_FONT = 10, 13.0
#: communes closer than this are always one land (mountain valleys), however sparse
JOIN_KM = 10.0
#: distance between nodes sharing a point, on the spiral around it
SPIRAL = 18.0
KM_PER_DEGREE = 111.32

_GOLDEN = math.pi * (3 - math.sqrt(5))
_TERRITORY_TYPES = ("Commune", "Epci", "Depart", "Region", "Country", "Territ")


def _is_metro(lat: float, lon: float) -> bool:
    lat_min, lat_max, lon_min, lon_max = METRO_BOUNDS
    return lat_min <= lat <= lat_max and lon_min <= lon <= lon_max


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return math.floor(lat / 5), math.floor(lon / 5)


def _inset_shift(points: list[tuple[float, float]]) -> dict[tuple[int, int], tuple[float, float]]:
    """Where each overseas cluster (5° cells) moves: stacked at the left of metropolitan
    France, as insets; returns cell → (dlat, dlon)."""
    cells: dict[tuple[int, int], list[tuple[float, float]]] = defaultdict(list)
    for lat, lon in points:
        cells[_cell(lat, lon)].append((lat, lon))
    shifts = {}
    for slot, (cell, members) in enumerate(sorted(cells.items())):
        lat_c = sum(p[0] for p in members) / len(members)
        lon_c = sum(p[1] for p in members) / len(members)
        target = (49.5 - 2.6 * slot, -9.0)
        shifts[cell] = (target[0] - lat_c, target[1] - lon_c)
    return shifts


def _circle_points(centre: tuple[float, float], radius_km: float) -> list[tuple[float, float]]:
    """The north, south, east and west ends of a circle (so the map holds it)."""
    lat, lon = centre
    dlat = radius_km / KM_PER_DEGREE
    dlon = radius_km / (KM_PER_DEGREE * max(math.cos(math.radians(lat)), 0.05))
    return [(lat + dlat, lon), (lat - dlat, lon), (lat, lon + dlon), (lat, lon - dlon)]


class _Projection:
    """Latitude/longitude → page pixels for one map (insets included)."""

    def __init__(self, points: list[tuple[float, float]], size: float):
        overseas = [p for p in points if not _is_metro(*p)]
        # a view mostly in metropolitan France moves its overseas points into insets
        self.shifts = (_inset_shift(overseas) if len(overseas) < len(points) / 2 else {})
        moved = [self.moved(*p) for p in points]
        lat0 = sum(p[0] for p in moved) / len(moved)
        self.cos0 = math.cos(math.radians(lat0))
        xy = np.array([self._planar(*p) for p in moved])
        self.lo = xy.min(axis=0)
        extent = float(max(xy.max(axis=0) - self.lo)) or 1e-3
        self.scale = size / extent

    def moved(self, lat: float, lon: float) -> tuple[float, float]:
        if self.shifts and not _is_metro(lat, lon):
            dlat, dlon = self.shifts[_cell(lat, lon)]
            return lat + dlat, lon + dlon
        return lat, lon

    def piece(self, lat: float, lon: float) -> str | tuple[int, int]:
        """Which piece of the map a point is drawn in: the mainland or an inset."""
        return _cell(lat, lon) if self.shifts and not _is_metro(lat, lon) else "main"

    def _planar(self, lat: float, lon: float) -> tuple[float, float]:
        return lon * self.cos0, -lat

    def page(self, lat: float, lon: float) -> tuple[float, float]:
        px, py = self._planar(*self.moved(lat, lon))
        return (float((px - self.lo[0]) * self.scale), float((py - self.lo[1]) * self.scale))

    def km(self, km: float) -> float:
        """Pixels of ``km`` kilometres (north–south)."""
        return km / KM_PER_DEGREE * self.scale


@lru_cache(maxsize=64)
def _cached_outline(points: bytes, reach: float) -> tuple[tuple[tuple[float, float], ...], ...]:
    # the same territory drawn again (a reload, another page) costs nothing
    rings = territory_outline(np.frombuffer(points, dtype=float).reshape(-1, 2), reach=reach)
    return tuple(tuple(ring) for ring in rings)


def _outline(pieces: dict, pages: list[tuple[float, float]],
             reach: float) -> list[list[tuple[float, float]]]:
    rings: list[list[tuple[float, float]]] = []
    for indexes in pieces.values():
        points = np.round(np.array([pages[i] for i in indexes], dtype=float), 1)
        rings += [list(ring) for ring in _cached_outline(points.tobytes(), round(reach, 2))]
    return rings


def _thin(points: list[tuple[float, float]], limit: int = MAX_DOTS) -> list[tuple[float, float]]:
    """At most ``limit`` points, one a grid cell (growing cells), rounded to the pixel."""
    seen = sorted({(round(x), round(y)) for x, y in points})
    cell = 2
    while len(seen) > limit:
        seen = sorted({(x // cell * cell, y // cell * cell) for x, y in seen})
        cell += 1
    return [(float(x), float(y)) for x, y in seen]


def _label_box(node: ViewNode) -> tuple[float, float, float, float]:
    half = 4.5 * len(node.label)
    return (node.x - max(half, node.size), node.y - node.size,
            node.x + max(half, node.size), node.y + node.size + 22.0)


def _place_names(places: list[tuple[float, float, str]], proj: _Projection,
                 nodes: list[ViewNode]) -> list[tuple[float, float, str]]:
    """The largest places whose names overlap neither each other nor a node and its label
    (page boxes), at most :data:`PLACE_LABELS`; a place that is a node (the commune
    drawn) is not named twice."""
    placed = [n for n in nodes if n.x is not None]
    boxes = [_label_box(n) for n in placed]
    skip = {n.label for n in nodes if n.centre}
    out = []
    for lat, lon, name in places:
        if name in skip:
            continue
        x, y = proj.page(lat, lon)
        # a node at the place (an organisation of Lille): its name goes above the node
        y -= max([n.size + 2.0 for n in placed if abs(n.x - x) < 3 and abs(n.y - y) < 3],
                 default=4.0)
        half = 0.3 * PLACE_FONT * len(name) + 4
        box = (x - half, y - PLACE_FONT - 2, x + half, y)
        if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3]
               for b in boxes):
            continue
        boxes.append(box)
        out.append((round(x, 1), round(y, 1), name))
        if len(out) >= PLACE_LABELS:
            break
    return out


def _spiral(nodes: list[ViewNode], x: float, y: float, start: int = 1) -> None:
    # the larger the nodes, the wider the turns, so that they do not overlap
    step = max([SPIRAL] + [1.2 * n.size for n in nodes])
    for i, node in enumerate(nodes, start=start):
        r = step * math.sqrt(i) + 6.0
        node.x = round(x + r * math.cos(i * _GOLDEN), 1)
        node.y = round(y + r * math.sin(i * _GOLDEN), 1)


def _place_located(nodes: list[ViewNode], proj: _Projection) -> None:
    """Nodes with coordinates at their point; territories on it, the others spiralling
    around it so that each stays visible."""
    by_point: dict[tuple[float, float], list[ViewNode]] = defaultdict(list)
    for node in nodes:
        if node.lat is not None and node.lon is not None:
            by_point[(round(node.lat, 5), round(node.lon, 5))].append(node)
    for (lat, lon), shared in by_point.items():
        x, y = proj.page(lat, lon)
        territories = [n for n in shared if n.type.startswith(_TERRITORY_TYPES)]
        others = [n for n in shared if not n.type.startswith(_TERRITORY_TYPES)]
        for node in territories:
            node.x, node.y = round(x, 1), round(y, 1)
        if len(others) == 1 and not territories:
            others[0].x, others[0].y = round(x, 1), round(y, 1)
        else:
            _spiral(others, x, y)


#: space kept between two discs of a map (pixels)
GAP = 2.0


def separate(nodes: list[ViewNode], *, gap: float = GAP) -> None:
    """Move the discs that would cover one another to the nearest free spot by their place.

    Neighbouring communes are a few pixels apart on a map of France: their organisations'
    discs would stack, the biggest hiding the others. The biggest discs are placed first,
    each at its own point when it is free; a disc whose point is taken goes round it on a
    spiral (golden angle, turns as wide as the disc) to the first spot where it covers
    nothing: every disc stays visible, as near its place as the crowd allows. A grid of
    cells as wide as the largest disc finds what a spot would cover in a few looks.

    Parameters
    ----------
    nodes
        Placed nodes (``x``, ``y`` set) with their ``size`` (the drawn radius).
    gap
        Pixels left between two discs.

    Examples
    --------
    >>> a = ViewNode(id="a", label="A", type="Organisation", x=0.0, y=0.0, size=10.0)
    >>> b = ViewNode(id="b", label="B", type="Organisation", x=4.0, y=0.0, size=8.0)
    >>> separate([a, b])
    >>> (a.x, a.y), math.dist((a.x, a.y), (b.x, b.y)) >= 10 + 8 + GAP
    ((0.0, 0.0), True)
    """
    placed = [n for n in nodes if n.x is not None and n.y is not None]
    if len(placed) < 2:
        return
    cell = 2 * max(n.size for n in placed) + gap
    grid: dict[tuple[int, int], list[tuple[float, float, float]]] = defaultdict(list)

    def free(x: float, y: float, r: float) -> bool:
        cx, cy = int(x // cell), int(y // cell)
        for gx in (cx - 1, cx, cx + 1):
            for gy in (cy - 1, cy, cy + 1):
                for ox, oy, orr in grid.get((gx, gy), ()):
                    reach = r + orr + gap
                    if (x - ox) ** 2 + (y - oy) ** 2 < reach * reach:
                        return False
        return True

    # how far from a spot (a cell of the grid) the last disc aimed there had to go: the
    # next one starts its search a little inside (a crowd fills from the middle out; the
    # few holes left nearer are not worth a search from the middle each time)
    reached: dict[tuple[int, int], float] = {}
    for node in sorted(placed, key=lambda n: -n.size):
        x, y, r = node.x, node.y, node.size
        aim = (int(x // cell), int(y // cell))
        step = r + gap
        k = int((0.8 * reached.get(aim, 0.0) / step) ** 2)
        turn = step * math.sqrt(k)
        # positions as they are drawn (tenths of a pixel), so that the check holds after
        x = round(node.x + turn * math.cos(k * _GOLDEN), 1) if k else round(x, 1)
        y = round(node.y + turn * math.sin(k * _GOLDEN), 1) if k else round(y, 1)
        while not free(x, y, r):
            k += 1
            turn = step * math.sqrt(k)
            x = round(node.x + turn * math.cos(k * _GOLDEN), 1)
            y = round(node.y + turn * math.sin(k * _GOLDEN), 1)
        reached[aim] = max(reached.get(aim, 0.0), turn) if k else reached.get(aim, 0.0)
        node.x, node.y = x, y
        grid[(int(node.x // cell), int(node.y // cell))].append((node.x, node.y, r))


def _place_unlocated(view: ViewGraph, nodes: list[ViewNode]) -> None:
    """Map nodes without coordinates: by their placed neighbours, else around the centre."""
    by_id = {n.id: n for n in view.nodes}
    neighbours: dict[str, list[str]] = defaultdict(list)
    for edge in view.edges:
        neighbours[edge.source].append(edge.target)
        neighbours[edge.target].append(edge.source)
    for _ in range(3):  # a programme linked only to a placed programme gets placed too
        for node in nodes:
            if node.x is not None:
                continue
            placed = [by_id[m] for m in neighbours[node.id]
                      if by_id[m].x is not None and by_id[m].aside is None]
            if placed:
                node.x = round(sum(m.x for m in placed) / len(placed) + 14.0, 1)
                node.y = round(sum(m.y for m in placed) / len(placed) - 14.0, 1)
    rest = [n for n in nodes if n.x is None]
    centre = next((n for n in nodes if n.centre and n.x is not None), None)
    if centre is None:
        _spiral(rest, 0.0, 0.0)
        return
    # after the nodes already spiralling around the centre's point
    around = sum(1 for n in nodes if n is not centre and n.lat is not None
                 and (n.lat, n.lon) == (centre.lat, centre.lon))
    _spiral(rest, centre.x, centre.y, start=around + 1)


def _bounds(view: ViewGraph, nodes: list[ViewNode]) -> tuple[float, float, float, float]:
    xs: list[float] = []
    ys: list[float] = []
    for node in nodes:
        xs += [node.x - node.size, node.x + node.size]
        ys += [node.y - node.size, node.y + node.size + 20]
    for ring in [] if view.circle else view.outline:  # the circle cuts the land
        xs += [p[0] for p in ring]
        ys += [p[1] for p in ring]
    xs += [p[0] for p in view.dots]
    ys += [p[1] for p in view.dots]
    if view.circle:
        x, y, r, _ = view.circle
        xs += [x - r, x + r]
        ys += [y - r, y + r]
    if not xs:
        return 0.0, 0.0, 0.0, 0.0
    return min(xs), min(ys), max(xs), max(ys)


def _row_height(node: ViewNode) -> float:
    """The height a node of a side column takes: itself and its label, wrapped at the
    column's width (about 8.5 pixels a character at the map's label size)."""
    lines = max(1, math.ceil(len(node.label) * 8.5 / (ASIDE_COLUMN - 50)))
    return max(ASIDE_ROW, 2 * node.size + 22.0 * lines + 14.0)


def _place_aside(view: ViewGraph, aside: list[ViewNode],
                 bounds: tuple[float, float, float, float]) -> None:
    """The side columns: one group a caption (in the nodes' order), top down, a new
    column when the map's height is used."""
    if not aside:
        return
    groups: dict[str, list[ViewNode]] = {}
    for node in aside:
        groups.setdefault(node.aside or "", []).append(node)
    left, top, right, bottom = bounds
    height = max(bottom - top, 5 * ASIDE_ROW)
    x = right + ASIDE_GAP if right > left else 0.0
    y = top
    for caption, nodes in groups.items():
        lines = textwrap.wrap(caption, CAPTION_WIDTH) or [""]
        # a caption never stands alone at the foot of a column
        need = len(lines) * CAPTION_LINE + 28.0 + _row_height(nodes[0])
        if y > top and y + need > top + height:
            x, y = x + ASIDE_COLUMN, top
        view.captions.append((round(x, 1), round(y, 1), "\n".join(lines)))
        y += len(lines) * CAPTION_LINE + 28.0
        for node in nodes:
            row = _row_height(node)
            if y + row - 30 > top + height:
                x, y = x + ASIDE_COLUMN, top + 28.0
            y += node.size - 8.0
            node.x, node.y = round(x + ASIDE_COLUMN / 2 - 20, 1), round(y, 1)
            y += row - node.size + 8.0
        y += 10.0


def _centre_everything(view: ViewGraph) -> None:
    placed = [n for n in view.nodes if n.x is not None and n.y is not None]
    if not placed:
        return
    left, top, right, bottom = _bounds(view, placed)
    right = max([right] + [x + ASIDE_COLUMN for x, _, _ in view.captions])
    cx, cy = round((left + right) / 2, 1), round((top + bottom) / 2, 1)
    for node in placed:
        node.x, node.y = round(node.x - cx, 1), round(node.y - cy, 1)
    view.outline = [[(round(x - cx, 1), round(y - cy, 1)) for x, y in ring]
                    for ring in view.outline]
    view.dots = [(x - cx, y - cy) for x, y in view.dots]
    view.places = [(round(x - cx, 1), round(y - cy, 1), t) for x, y, t in view.places]
    view.captions = [(round(x - cx, 1), round(y - cy, 1), t) for x, y, t in view.captions]
    if view.circle:
        x, y, r, text = view.circle
        view.circle = (round(x - cx, 1), round(y - cy, 1), r, text)


def map_layout(view: ViewGraph, outline_points: list[tuple[float, float]] | None = None, *,
               width: float = MAP_SIZE) -> None:
    """Place the nodes of a map view by latitude/longitude, over its backdrop.

    Parameters
    ----------
    view
        Nodes with ``lat``/``lon`` are projected (nodes sharing a point spiral around
        it); map nodes without go by their placed neighbours, else around the centre;
        ``aside`` nodes stand in captioned columns at the right. ``view.frame`` gives the
        commune points (dots and outline), the places to name and a commune's radius;
        ``dots``, ``places``, ``circle``, ``captions`` and ``outline`` are set, in page
        coordinates.
    outline_points
        (lat, lon) of the territory's communes, when the view has no ``frame``; by default
        the nodes' own points.
    width
        Pixels of the map's longer side.
    """
    on_map = [n for n in view.nodes if n.aside is None]
    aside = [n for n in view.nodes if n.aside is not None]
    located = [(n.lat, n.lon) for n in on_map if n.lat is not None and n.lon is not None]
    frame = view.frame or MapFrame(points=list(outline_points or located))
    circled = frame.centre is not None and bool(frame.radius_km)
    # around a commune the map is the circle (the communes past it only draw the land)
    extent = located + ([] if circled else list(frame.points))
    if frame.centre is not None:
        extent.append(frame.centre)
        if frame.radius_km:
            extent += _circle_points(frame.centre, frame.radius_km)
    if not extent:
        if not aside:
            from viz.layout import force_layout

            force_layout(view)
            return
        extent = [(46.6, 2.4)]  # nothing on the map: the side columns alone
    proj = _Projection(extent, width)
    _place_located(on_map, proj)
    _place_unlocated(view, on_map)
    # territories keep their point (the outline and the names are drawn there): only the
    # other discs move out of each other's way
    separate([n for n in on_map if not n.type.startswith(_TERRITORY_TYPES)])
    pages = [proj.page(*p) for p in frame.points]
    if frame.outline and frame.points:
        pieces: dict[str | tuple[int, int], list[int]] = defaultdict(list)
        for i, p in enumerate(frame.points):
            pieces[proj.piece(*p)].append(i)
        view.outline = _outline(pieces, pages, proj.km(JOIN_KM))
    else:
        view.outline = []
    if circled:
        x, y = proj.page(*frame.centre)
        r = proj.km(frame.radius_km)
        view.circle = (round(x, 1), round(y, 1), round(r, 1), km(frame.radius_km))
        pages = [p for p in pages if math.dist(p, (x, y)) <= r]
    view.dots = _thin(pages)
    view.places = _place_names(frame.places, proj, on_map)
    _place_aside(view, aside, _bounds(view, on_map))
    _centre_everything(view)
