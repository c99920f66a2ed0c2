"""Positions and sizes, computed in Python before any page is written.

The page draws with physics off, so it is settled on first draw whatever its size. A
network view gets a force layout (networkx's Fruchterman–Reingold, seeded, for small
components; the same algorithm with neighbour-only repulsion through a k-d tree for
large ones, O(n log n) a step instead of O(n²)); a map view projects latitude and
longitude over the outline of its territory (:mod:`viz.map_layout`).
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np

from viz.map_layout import map_layout
from viz.view_graph import ViewGraph

#: components up to this size use networkx's exact spring layout
EXACT_LAYOUT_MAX = 300
#: the drawn radius range, in pixels
SIZE_MIN, SIZE_MAX = 8.0, 36.0

# --- force layout ------------------------------------------------------------------


def _sum_by(n: int, index: np.ndarray, force: np.ndarray) -> np.ndarray:
    return np.stack([np.bincount(index, force[:, 0], n), np.bincount(index, force[:, 1], n)],
                    axis=1)


def fast_spring(graph: nx.Graph, *, seed: int = 42, iterations: int | None = None) -> dict:
    """Fruchterman–Reingold where a node repels only nodes within three ideal lengths.

    Parameters
    ----------
    graph
        Any undirected graph (one component gives the best picture).
    seed
        Seed of the initial random positions: the same graph gives the same picture.
    iterations
        Steps; by default 60 up to 2,000 nodes, 35 beyond.

    Returns
    -------
    dict
        node → (x, y) in roughly the unit square.
    """
    from scipy.spatial import cKDTree

    nodes = list(graph)
    n = len(nodes)
    if n == 0:
        return {}
    steps = iterations or (60 if n <= 2000 else 35)
    index = {node: i for i, node in enumerate(nodes)}
    edges = np.array([(index[a], index[b]) for a, b in graph.edges() if a != b],
                     dtype=np.int64).reshape(-1, 2)
    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2))
    k = 1.0 / math.sqrt(n)
    temperature = 0.1
    cooling = temperature / (steps + 1)
    for _ in range(steps):
        pairs = cKDTree(pos).query_pairs(3 * k, output_type="ndarray")
        disp = np.zeros((n, 2))
        if len(pairs):
            i, j = pairs[:, 0], pairs[:, 1]
            delta = pos[i] - pos[j]
            dist2 = np.maximum((delta * delta).sum(axis=1), 1e-9)
            force = delta * (k * k / dist2)[:, None]
            disp += _sum_by(n, i, force) - _sum_by(n, j, force)
        if len(edges):
            src, dst = edges[:, 0], edges[:, 1]
            delta = pos[src] - pos[dst]
            dist = np.sqrt((delta * delta).sum(axis=1)) + 1e-9
            force = delta * (dist / k)[:, None]
            disp += _sum_by(n, dst, force) - _sum_by(n, src, force)
        length = np.maximum(np.sqrt((disp * disp).sum(axis=1)), 0.01)
        pos += disp * (temperature / length)[:, None]
        temperature -= cooling
    return {node: (float(pos[i, 0]), float(pos[i, 1])) for i, node in enumerate(nodes)}


def _component_layout(graph: nx.Graph, seed: int) -> dict:
    n = graph.number_of_nodes()
    if n == 1:
        return {next(iter(graph)): (0.0, 0.0)}
    if n <= EXACT_LAYOUT_MAX:
        return {k: tuple(v) for k, v in nx.spring_layout(graph, seed=seed).items()}
    return fast_spring(graph, seed=seed)


def force_layout(view: ViewGraph, *, seed: int = 42, spacing: float = 90.0) -> None:
    """Place every node of a network view (sets ``x``/``y``, in pixels).

    Each connected component is laid out alone, scaled so that an edge is about
    ``spacing`` pixels, then the components are packed in rows, largest first, so
    isolated nodes never sit on top of the main picture.
    """
    graph = view.simple_graph()
    components = sorted(nx.connected_components(graph), key=lambda c: (-len(c), min(c)))
    boxes = []
    for component in components:
        sub = graph.subgraph(component)
        pos = _component_layout(sub, seed)
        xy = np.array(list(pos.values()), dtype=float)
        xy -= xy.min(axis=0)
        extent = float(xy.max()) if xy.size else 0.0
        side = spacing * math.sqrt(len(component)) * 2.2
        if extent > 0:
            xy *= side / extent
        boxes.append((list(pos), xy))
    # Shelf packing: rows no wider than the largest component (or 800 px).
    by_id = {n.id: n for n in view.nodes}
    row_width = max([float(xy[:, 0].max()) for _, xy in boxes if len(xy)] + [800.0])
    x0 = y0 = row_height = 0.0
    for ids, xy in boxes:
        width = float(xy[:, 0].max()) if len(xy) else 0.0
        height = float(xy[:, 1].max()) if len(xy) else 0.0
        if x0 > 0 and x0 + width > row_width:
            x0, y0, row_height = 0.0, y0 + row_height + spacing, 0.0
        for node_id, (x, y) in zip(ids, xy, strict=True):
            by_id[node_id].x = round(float(x + x0), 1)
            by_id[node_id].y = round(float(y + y0), 1)
        x0 += width + spacing
        row_height = max(row_height, height)
    _centre_on_origin(view)


def _centre_on_origin(view: ViewGraph) -> None:
    placed = [n for n in view.nodes if n.x is not None and n.y is not None]
    if not placed:
        return
    cx = (min(n.x for n in placed) + max(n.x for n in placed)) / 2
    cy = (min(n.y for n in placed) + max(n.y for n in placed)) / 2
    for node in placed:
        node.x = round(node.x - cx, 1)
        node.y = round(node.y - cy, 1)
    view.outline = [[(round(x - cx, 1), round(y - cy, 1)) for x, y in poly]
                    for poly in view.outline]


# --- sizes ---------------------------------------------------------------------------


def size_nodes(view: ViewGraph, by: str = "degree", *, seed: int = 42) -> None:
    """Set each node's drawn radius from its degree or betweenness (square-root scaled).

    Summary nodes are sized by how many nodes they stand for; the centre of the view is
    never smaller than the middle of the range. Betweenness is sampled (200 sources,
    seeded) past 1,000 nodes.
    """
    if by not in ("degree", "betweenness"):
        raise ValueError(f"size by 'degree' or 'betweenness', not {by!r}")
    graph = view.simple_graph()
    if by == "degree":
        metric = {n: float(d) for n, d in graph.degree()}
    else:
        k = 200 if graph.number_of_nodes() > 1000 else None
        metric = nx.betweenness_centrality(graph, k=k, seed=seed)
    counts = {n.id: n.count for n in view.nodes if n.count > 1}
    values = [math.sqrt(metric.get(n.id, 0.0)) for n in view.nodes if n.id not in counts]
    top = max(values, default=0.0) or 1.0
    top_count = math.sqrt(max(counts.values(), default=1))
    for node in view.nodes:
        if node.id in counts:
            share = math.sqrt(node.count) / top_count
        else:
            share = math.sqrt(metric.get(node.id, 0.0)) / top
        node.size = round(SIZE_MIN + (SIZE_MAX - SIZE_MIN) * share, 1)
        if node.centre:
            node.size = max(node.size, (SIZE_MIN + SIZE_MAX) / 2)


def layout_view(view: ViewGraph, *, outline_points: list[tuple[float, float]] | None = None,
                size_by: str = "degree", seed: int = 42) -> ViewGraph:
    """Size and place every node of ``view`` (``kind == "map"``: by coordinates)."""
    size_nodes(view, size_by, seed=seed)
    if view.kind == "map":
        map_layout(view, outline_points)
    else:
        force_layout(view, seed=seed)
    return view
