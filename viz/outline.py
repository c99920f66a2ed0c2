"""The outline of a territory, from the points of its communes.

The territory reference holds a point per commune (its town hall or centroid), not its
boundary. A convex hull of those points reads as a blob, not as the Nord: it fills the
bays, the notches and the gap between two parts. Here the outline is the morphological
*closing* of the points' discs, traced as a contour:

1. every commune becomes a disc of radius ``R``, large enough to merge neighbours
   (``R`` follows the spacing of the communes, so the Nord and Guyane both close);
2. the union is eroded by ``R - r``, which gives back the concave parts while keeping a
   margin ``r`` (about half a commune) past the outermost points;
3. the boundary of what is left is traced on a grid (contourpy, matplotlib's own contour
   tracer) and simplified.

Every commune point is inside the outline by construction (at least ``r`` from its
edge), so an organisation placed at a commune of the territory is drawn inside it.
"""

from __future__ import annotations

import numpy as np

#: grid cells on the longer side of a territory (the outline's resolution)
GRID_CELLS = 420
#: the margin past the outermost points, in commune spacings (about half a commune)
MARGIN = 0.6
#: neighbours that measure the local spacing of the communes
NEIGHBOURS = 3
#: a triangle of communes is inside when its longest side is at most this many local
#: spacings (longer ones cross a bay or a gap between two parts)
REACH = 2.2
#: holes narrower than this many spacings are gaps between communes, not enclaves
HOLE = 8.0
#: under this many communes, the outline is a rounded hull
FEW = 40

Ring = list[tuple[float, float]]


def _ring_area(ring: np.ndarray) -> float:
    x, y = ring[:, 0], ring[:, 1]
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))


def _simplify(ring: np.ndarray, tolerance: float) -> np.ndarray:
    """Douglas–Peucker on a closed ring (first point repeated last), iterative."""
    if len(ring) <= 4:
        return ring
    keep = np.zeros(len(ring), dtype=bool)
    keep[0] = keep[-1] = True
    # split at the point farthest from the first, so the ring is two open lines
    far = int(np.argmax(((ring - ring[0]) ** 2).sum(axis=1)))
    keep[far] = True
    stack = [(0, far), (far, len(ring) - 1)]
    while stack:
        a, b = stack.pop()
        if b - a < 2:
            continue
        seg = ring[b] - ring[a]
        length = float(np.hypot(*seg))
        rel = ring[a + 1:b] - ring[a]
        if length == 0:
            dist = np.hypot(rel[:, 0], rel[:, 1])
        else:
            dist = np.abs(rel[:, 0] * seg[1] - rel[:, 1] * seg[0]) / length
        i = int(np.argmax(dist))
        if dist[i] > tolerance:
            keep[a + 1 + i] = True
            stack += [(a, a + 1 + i), (a + 1 + i, b)]
    return ring[keep]


def spacing_of(points: np.ndarray) -> float:
    """The typical distance from a point to its nearest neighbour (the median)."""
    from scipy.spatial import cKDTree

    if len(points) < 2:
        return 0.0
    distances = cKDTree(points).query(points, k=2)[0][:, 1]
    return float(np.median(distances))


def territory_outline(points, *, cells: int = GRID_CELLS, reach: float = 0.0) -> list[Ring]:
    """The outline of the territory whose communes sit at ``points`` (page coordinates).

    Parameters
    ----------
    points
        (x, y) of the communes of one piece of a territory (the mainland, or one inset).
    cells
        Grid cells on the longer side.
    reach
        Communes closer than this (page units) are always joined, however sparse their
        neighbours: mountain valleys stay one land (the map passes about 10 km).

    Returns
    -------
    list of rings
        Closed rings (first point not repeated): the outer boundaries, one per part
        (an island apart from the mainland is its own part), and the large holes (an
        enclave). Draw them with the even-odd rule. Fewer than three distinct points
        give no outline.

    Examples
    --------
    >>> rings = territory_outline([(x, y) for x in range(10) for y in range(10)])
    >>> len(rings)
    1
    """
    import contourpy
    from matplotlib.tri import Triangulation
    from scipy.ndimage import distance_transform_edt
    from scipy.spatial import Delaunay, QhullError, cKDTree

    pts = np.unique(np.asarray(points, dtype=float).reshape(-1, 2), axis=0)
    if len(pts) < 3:
        return []
    tree = cKDTree(pts)
    k = min(len(pts), NEIGHBOURS + 1)
    local = tree.query(pts, k=k)[0][:, -1]  # distance to the k-th neighbour: local spacing
    spacing = float(np.median(tree.query(pts, k=2)[0][:, 1]))
    if spacing <= 0:
        return []
    margin = MARGIN * spacing
    extent = float(max(pts.max(axis=0) - pts.min(axis=0)))
    try:
        mesh = Delaunay(pts)
    except QhullError:  # all points on a line
        return []
    tri = mesh.simplices
    corners = pts[tri]
    longest = np.max([np.hypot(*(corners[:, i] - corners[:, (i + 1) % 3]).T)
                      for i in range(3)], axis=0)
    if len(pts) < FEW:
        # too few points to tell a bay from a gap (La Réunion's coastal communes around
        # its mountains): every triangle, a rounded hull
        kept = np.ones(len(tri), dtype=bool)
    else:
        kept = longest <= np.maximum(REACH * np.median(local[tri], axis=1), reach)
    pad = 2 * margin + 2 * extent / cells
    lo = pts.min(axis=0) - pad
    hi = pts.max(axis=0) + pad
    step = float(max(hi - lo)) / cells
    nx, ny = (int(np.ceil(v / step)) + 1 for v in (hi - lo))
    xs = lo[0] + step * np.arange(nx)
    ys = lo[1] + step * np.arange(ny)
    gx, gy = np.meshgrid(xs, ys)
    # matplotlib's trapezoid map finds the triangle of every cell (scipy's find_simplex
    # walks and is ten times slower on a grid)
    finder = Triangulation(pts[:, 0], pts[:, 1], tri).get_trifinder()
    simplex = finder(gx, gy)
    inside = (simplex >= 0) & kept[np.maximum(simplex, 0)]
    # every point counts, even one in no kept triangle (an island)
    cx = np.clip(np.rint((pts[:, 0] - lo[0]) / step).astype(int), 0, nx - 1)
    cy = np.clip(np.rint((pts[:, 1] - lo[1]) / step).astype(int), 0, ny - 1)
    inside[cy, cx] = True
    # the margin: the border runs about half a commune past the outermost points
    field = margin - distance_transform_edt(~inside) * step
    lines = contourpy.contour_generator(x=xs, y=ys, z=field).lines(0.0)
    rings = [np.asarray(line, dtype=float) for line in lines if len(line) >= 4]
    if not rings:
        return []
    areas = [_ring_area(r) for r in rings]
    outer_sign = np.sign(areas[int(np.argmax(np.abs(areas)))])
    # holes smaller than a few communes are gaps between them, not enclaves
    min_hole = (HOLE * spacing) ** 2
    out: list[Ring] = []
    for ring, area in zip(rings, areas, strict=True):
        if np.sign(area) != outer_sign and abs(area) < min_hole:
            continue
        simple = _simplify(ring, step * 0.6)
        if len(simple) < 4:
            continue
        out.append([(round(float(x), 1), round(float(y), 1)) for x, y in simple[:-1]])
    return out


def point_in_rings(x: float, y: float, rings: list[Ring]) -> bool:
    """Whether (x, y) is inside the outline (even-odd rule over every ring)."""
    inside = False
    for ring in rings:
        n = len(ring)
        for i in range(n):
            (x1, y1), (x2, y2) = ring[i], ring[(i + 1) % n]
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                inside = not inside
    return inside
