"""Positions and sizes, computed in Python before any page is written.

The page draws with physics off, so it is settled on first draw whatever its size. A
network view gets a force layout in compiled code: igraph's Fruchterman–Reingold, seeded,
exact (every pair of nodes repels) for components up to :data:`EXACT_LAYOUT_MAX` nodes,
grid-based beyond (only nearby nodes repel: about linear a step), then nodes whose drawn
discs overlap are pushed apart (:func:`separate_overlaps`). Components are packed side by
side, largest first. The numpy layout it replaced (:func:`fast_spring`, ten times slower or
more at 5,000 nodes) stays as ``engine="reference"`` for the benchmark. A map view projects
latitude and longitude over the outline of its territory (:mod:`viz.map_layout`).
"""

from __future__ import annotations

import math
import random

import networkx as nx
import numpy as np

from queries.analytics import _igraph_lock
from viz.map_layout import map_layout
from viz.view_graph import ViewGraph

#: components up to this size get an exact force layout (every pair of nodes repels);
#: larger ones a grid-based one (only nearby nodes repel)
EXACT_LAYOUT_MAX = 300
#: igraph Fruchterman–Reingold steps, exact and grid-based
SPRING_STEPS_EXACT, SPRING_STEPS_GRID = 500, 150
#: the drawn radius range, in pixels
SIZE_MIN, SIZE_MAX = 8.0, 36.0
#: the golden angle: spreads nodes that sit on the same point
_GOLDEN = math.pi * (3 - math.sqrt(5))


# --- force layout ------------------------------------------------------------------


def _sum_by(n: int, index: np.ndarray, force: np.ndarray) -> np.ndarray:
    return np.stack([np.bincount(index, force[:, 0], n), np.bincount(index, force[:, 1], n)],
                    axis=1)


def fast_spring(graph: nx.Graph, *, seed: int = 42, iterations: int | None = None) -> dict:
    """Fruchterman–Reingold where a node repels only nodes within three ideal lengths.

    The force layout of large components before issue 13, in numpy with a k-d tree: kept
    as the reference the benchmark measures igraph's layout against
    (``force_layout(view, engine="reference")``), not used by default.

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


def igraph_spring(node_count: int, edges: np.ndarray, *, seed: int = 42,
                  iterations: int | None = None) -> np.ndarray:
    """Fruchterman–Reingold in compiled code (igraph), from seeded random positions.

    Parameters
    ----------
    node_count
        Nodes ``0 … node_count - 1``.
    edges
        ``(m, 2)`` array of node indices (loops and repeats are dropped).
    seed
        Seed of the initial positions and of igraph's random jitter: the same graph
        gives the same picture.
    iterations
        Steps; by default :data:`SPRING_STEPS_EXACT` for a component of at most
        :data:`EXACT_LAYOUT_MAX` nodes (every pair repels), :data:`SPRING_STEPS_GRID`
        beyond (igraph's grid variant: only nearby nodes repel).

    Returns
    -------
    numpy.ndarray
        ``(node_count, 2)`` positions, about ``sqrt(node_count)`` wide.

    Examples
    --------
    >>> import numpy as np
    >>> path = np.array([[0, 1], [1, 2]])
    >>> xy = igraph_spring(3, path, seed=1)
    >>> bool((xy == igraph_spring(3, path, seed=1)).all())
    True
    >>> d = lambda a, b: float(np.hypot(*(xy[a] - xy[b])))
    >>> d(0, 2) > max(d(0, 1), d(1, 2))  # the ends of a path lie furthest apart
    True
    """
    import igraph as ig

    if node_count == 0:
        return np.zeros((0, 2))
    if node_count == 1:
        return np.zeros((1, 2))
    if node_count == 2:  # one edge (or none): a diagonal, as networkx drew pairs
        return np.array([[0.0, 1.0], [1.0, 0.0]])
    grid = node_count > EXACT_LAYOUT_MAX
    steps = iterations or (SPRING_STEPS_GRID if grid else SPRING_STEPS_EXACT)
    graph = ig.Graph(n=node_count, edges=np.asarray(edges, dtype=np.int64).reshape(-1, 2))
    graph.simplify()
    side = math.sqrt(node_count)
    start = (np.random.default_rng(seed).random((node_count, 2)) - 0.5) * side
    # igraph jitters every node at every step with its process-wide generator (Python's
    # `random` by default): seed it for the call, under the lock the Louvain of
    # queries/analytics.py takes for the same generator, and put the default back
    with _igraph_lock:
        ig.set_random_number_generator(random.Random(seed))
        try:
            # GraphBase's method: the rows as lists, without the Layout object's copies
            rows = ig.GraphBase.layout_fruchterman_reingold(graph, niter=steps,
                                                            seed=start.tolist(), grid=grid)
        finally:
            ig.set_random_number_generator(random)
    return np.array(rows, dtype=float)


def separate_overlaps(xy: np.ndarray, radii: np.ndarray, *, gap: float = 4.0,
                      rounds: int = 60) -> np.ndarray:
    """Push apart nodes whose drawn discs overlap, each pair by half the overlap each way.

    Parameters
    ----------
    xy
        ``(n, 2)`` page positions (pixels).
    radii
        Drawn radius of each node (pixels).
    gap
        Room wanted between two discs (pixels).
    rounds
        At most this many passes (each finds the overlapping pairs with a k-d tree);
        it stops as soon as none is left.

    Returns
    -------
    numpy.ndarray
        The moved positions (a copy).

    Examples
    --------
    >>> import numpy as np
    >>> moved = separate_overlaps(np.array([[0.0, 0.0], [10.0, 0.0]]), np.array([10.0, 10.0]))
    >>> float(moved[1, 0] - moved[0, 0]) >= 24.0 - 1e-9, float(moved[0, 1])
    (True, 0.0)
    """
    from scipy.spatial import cKDTree

    xy = np.array(xy, dtype=float)
    n = len(xy)
    if n < 2:
        return xy
    radii = np.asarray(radii, dtype=float)
    reach = 2 * float(radii.max()) + gap
    for step in range(rounds):
        pairs = cKDTree(xy).query_pairs(reach, output_type="ndarray")
        if not len(pairs):
            break
        i, j = pairs[:, 0], pairs[:, 1]
        delta = xy[j] - xy[i]
        dist = np.sqrt((delta * delta).sum(axis=1))
        # a touch more than the overlap, so the pass converges instead of creeping
        push = (radii[i] + radii[j] + gap - dist) * 0.55
        close = push > 0
        if not close.any():
            break
        i, j, delta, dist, push = i[close], j[close], delta[close], dist[close], push[close]
        same = dist < 1e-9
        if same.any():  # one on the other: part them along a fixed, seeded direction
            angle = (i[same] * 7919 + j[same] * 104729 + step) * _GOLDEN
            delta[same] = np.stack([np.cos(angle), np.sin(angle)], axis=1)
            dist[same] = 1.0
        move = delta * (push / dist)[:, None]
        xy += _sum_by(n, j, move) - _sum_by(n, i, move)
    return xy


def closest_pair_ratio(view: ViewGraph) -> float | None:
    """How close the two closest nodes are, in drawn sizes: min distance / (r₁ + r₂).

    Below 1 two discs overlap; the benchmark reports it for the old and new layouts.
    ``None`` when fewer than two nodes are placed.

    Examples
    --------
    >>> view = ViewGraph(title="t", nodes=[
    ...     ViewNode(id="a", label="a", type="Need", x=0.0, y=0.0, size=10.0),
    ...     ViewNode(id="b", label="b", type="Need", x=30.0, y=40.0, size=15.0),
    ...     ViewNode(id="c", label="c", type="Need", x=300.0, y=0.0, size=10.0)])
    >>> closest_pair_ratio(view)
    2.0
    """
    from scipy.spatial import cKDTree

    placed = [n for n in view.nodes if n.x is not None and n.y is not None]
    if len(placed) < 2:
        return None
    xy = np.array([(n.x, n.y) for n in placed], dtype=float)
    radii = np.array([n.size for n in placed], dtype=float)
    tree = cKDTree(xy)
    # each node's nearest neighbour bounds the answer from above (ratio ≤ bound); any
    # pair below the bound is closer than bound × 2 × the largest radius: check those
    dist, nearest = tree.query(xy, k=2)
    bound = float((dist[:, 1] / (radii + radii[nearest[:, 1]])).min())
    pairs = tree.query_pairs(bound * 2 * float(radii.max()) * (1 + 1e-9),
                             output_type="ndarray")
    if len(pairs):
        i, j = pairs[:, 0], pairs[:, 1]
        bound = min(bound, float((np.hypot(*(xy[i] - xy[j]).T) / (radii[i] + radii[j])).min()))
    return round(bound, 3)


def _reference_component_layout(graph: nx.Graph, seed: int) -> dict:
    n = graph.number_of_nodes()
    if n == 1:
        return {next(iter(graph)): (0.0, 0.0)}
    if n <= EXACT_LAYOUT_MAX:
        return {k: tuple(v) for k, v in nx.spring_layout(graph, seed=seed).items()}
    return fast_spring(graph, seed=seed)


def _reference_components(view: ViewGraph, seed: int) -> list[tuple[list[str], np.ndarray]]:
    """Each component laid out alone the way before issue 13 (networkx, then numpy)."""
    graph = view.simple_graph()
    components = sorted(nx.connected_components(graph), key=lambda c: (-len(c), min(c)))
    laid_out = []
    for component in components:
        pos = _reference_component_layout(graph.subgraph(component), seed)
        laid_out.append((list(pos), np.array(list(pos.values()), dtype=float)))
    return laid_out


def _igraph_components(view: ViewGraph, seed: int) -> list[tuple[list[str], np.ndarray]]:
    """Each component laid out alone by :func:`igraph_spring` (components found by igraph)."""
    import igraph as ig

    ids = [n.id for n in view.nodes]
    index = {node_id: i for i, node_id in enumerate(ids)}
    edges = np.array([(index[e.source], index[e.target]) for e in view.edges
                      if e.source in index and e.target in index and e.source != e.target],
                     dtype=np.int64).reshape(-1, 2)
    graph = ig.Graph(n=len(ids), edges=edges)
    membership = np.asarray(graph.connected_components().membership, dtype=np.int64)
    # the components' nodes (in view order) and edges (renumbered inside each)
    order = np.argsort(membership, kind="stable")
    starts = np.searchsorted(membership[order], np.arange(membership.max(initial=-1) + 2))
    local = np.empty(len(ids), dtype=np.int64)
    members = []
    for c in range(len(starts) - 1):
        nodes = order[starts[c]:starts[c + 1]]
        local[nodes] = np.arange(len(nodes))
        members.append(nodes)
    edge_component = membership[edges[:, 0]] if len(edges) else np.zeros(0, dtype=np.int64)
    edge_order = np.argsort(edge_component, kind="stable")
    edge_starts = np.searchsorted(edge_component[edge_order], np.arange(len(members) + 1))
    laid_out = []
    for c, nodes in enumerate(members):
        names = [ids[i] for i in nodes]
        part = edges[edge_order[edge_starts[c]:edge_starts[c + 1]]]
        laid_out.append((names, igraph_spring(len(nodes), local[part], seed=seed)))
    # largest first, ties by their smallest id (as the reference orders them)
    laid_out.sort(key=lambda item: (-len(item[0]), min(item[0])))
    return laid_out


def force_layout(view: ViewGraph, *, seed: int = 42, spacing: float = 90.0,
                 engine: str = "igraph") -> None:
    """Place every node of a network view (sets ``x``/``y``, in pixels).

    Each connected component is laid out alone and scaled to a square of
    ``2.2 × spacing × √nodes`` pixels, then the components are packed in rows, largest
    first, so isolated nodes never sit on top of the main picture.

    Parameters
    ----------
    view
        The view; its nodes' ``size`` should be set (:func:`size_nodes`): the igraph
        engine moves apart nodes whose discs would overlap.
    seed
        Seed of the initial positions: the same view gives the same picture.
    spacing
        Pixels between components (and the unit of a component's size).
    engine
        ``"igraph"`` (the default: igraph's Fruchterman–Reingold, exact up to
        :data:`EXACT_LAYOUT_MAX` nodes a component, grid-based beyond, then
        :func:`separate_overlaps`), or ``"reference"``: the layout before issue 13
        (networkx's spring layout, then :func:`fast_spring`), ten times slower or more,
        kept for the benchmark.
    """
    if engine not in ("igraph", "reference"):
        raise ValueError(f"engine 'igraph' or 'reference', not {engine!r}")
    if engine == "igraph":
        components = _igraph_components(view, seed)
    else:
        components = _reference_components(view, seed)
    sizes = {n.id: n.size for n in view.nodes}
    boxes = []
    for ids, xy in components:
        xy = xy - xy.min(axis=0) if xy.size else xy
        extent = float(xy.max()) if xy.size else 0.0
        side = spacing * math.sqrt(len(ids)) * 2.2
        if extent > 0:
            xy = xy * (side / extent)
        if engine == "igraph" and len(ids) > 1:
            xy = separate_overlaps(xy, np.array([sizes[i] for i in ids]))
            xy -= xy.min(axis=0)
        boxes.append((ids, xy))
    # Shelf packing: rows no wider than the largest component (or 800 px).
    row_width = max([float(xy[:, 0].max()) for _, xy in boxes if len(xy)] + [800.0])
    x0 = y0 = row_height = 0.0
    placed: dict[str, tuple[float, float]] = {}
    for ids, xy in boxes:
        width = float(xy[:, 0].max()) if len(xy) else 0.0
        height = float(xy[:, 1].max()) if len(xy) else 0.0
        if x0 > 0 and x0 + width > row_width:
            x0, y0, row_height = 0.0, y0 + row_height + spacing, 0.0
        for node_id, (x, y) in zip(ids, xy.tolist(), strict=True):
            placed[node_id] = (round(x + x0, 1), round(y + y0, 1))
        x0 += width + spacing
        row_height = max(row_height, height)
    # centred on the origin as _centre_on_origin does, without reading the nodes back
    if not placed:
        return
    xs = [p[0] for p in placed.values()]
    ys = [p[1] for p in placed.values()]
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    for node in view.nodes:
        x, y = placed[node.id]
        node.x, node.y = round(x - cx, 1), round(y - cy, 1)
    view.outline = [[(round(x - cx, 1), round(y - cy, 1)) for x, y in poly]
                    for poly in view.outline]


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


def _simple_degree(view: ViewGraph) -> dict[str, float]:
    """Each node's degree in :meth:`ViewGraph.simple_graph` (repeated edges once, a loop
    twice, as networkx counts), without building the networkx graph."""
    degree = dict.fromkeys((n.id for n in view.nodes), 0.0)
    seen: set[tuple[str, str]] = set()
    for edge in view.edges:
        a, b = edge.source, edge.target
        pair = (a, b) if a <= b else (b, a)
        if pair in seen:
            continue
        seen.add(pair)
        degree[a] = degree.get(a, 0.0) + 1.0
        degree[b] = degree.get(b, 0.0) + 1.0
    return degree


def size_nodes(view: ViewGraph, by: str = "degree", *, seed: int = 42) -> None:
    """Set each node's drawn radius from its degree or betweenness (square-root scaled).

    Summary nodes are sized by how many nodes they stand for; the centre of the view is
    never smaller than the middle of the range. Betweenness is sampled (200 sources,
    seeded) past 1,000 nodes.
    """
    if by not in ("degree", "betweenness"):
        raise ValueError(f"size by 'degree' or 'betweenness', not {by!r}")
    if by == "degree":
        metric = _simple_degree(view)
    else:
        graph = view.simple_graph()
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
                size_by: str = "degree", seed: int = 42, engine: str = "igraph") -> ViewGraph:
    """Size and place every node of ``view`` (``kind == "map"``: by coordinates).

    ``engine`` is the force layout's (:func:`force_layout`): ``"reference"`` lays out a
    network view the way before issue 13, for the benchmark.
    """
    size_nodes(view, size_by, seed=seed)
    if view.kind == "map":
        map_layout(view, outline_points)
    else:
        force_layout(view, seed=seed, engine=engine)
    return view
