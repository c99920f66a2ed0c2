"""Layouts: every node placed before the page is written, the same every time."""

from __future__ import annotations

import random

import numpy as np
import pytest

from viz.layout import (
    SIZE_MAX,
    closest_pair_ratio,
    fast_spring,
    force_layout,
    igraph_spring,
    layout_view,
    separate_overlaps,
    size_nodes,
)
from viz.synthetic import synthetic_view
from viz.view_graph import ViewEdge, ViewGraph, ViewNode


def test_force_layout_places_everything_deterministically():
    a = layout_view(synthetic_view(400))
    b = layout_view(synthetic_view(400))
    assert all(n.x is not None and n.y is not None for n in a.nodes)
    assert [(n.x, n.y) for n in a.nodes] == [(n.x, n.y) for n in b.nodes]
    assert len({(n.x, n.y) for n in a.nodes}) == len(a.nodes)
    sizes = {n.size for n in a.nodes}
    assert len(sizes) > 3  # sized by degree


def test_fast_spring_spreads_nodes():
    view = synthetic_view(600)
    pos = fast_spring(view.simple_graph())
    assert len(pos) == 600
    xs = [p[0] for p in pos.values()]
    assert max(xs) - min(xs) > 0.1


def test_map_layout_north_is_up_with_an_outline():
    view = ViewGraph(title="m", kind="map", nodes=[
        ViewNode(id="lille", label="Lille", type="Organisation", lat=50.63, lon=3.06),
        ViewNode(id="marseille", label="Marseille", type="Organisation", lat=43.3, lon=5.37),
        ViewNode(id="brest", label="Brest", type="Organisation", lat=48.39, lon=-4.49),
        ViewNode(id="prog", label="Programme", type="Programme"),
    ])
    layout_view(view, outline_points=[(51.0, 2.4), (43.3, 5.4), (48.4, -4.5), (48.6, 7.7),
                                      (16.2, -61.5), (16.5, -61.4), (16.0, -61.2)])
    by = {n.id: n for n in view.nodes}
    assert by["lille"].y < by["marseille"].y  # north is up (y grows down)
    assert by["brest"].x < by["lille"].x < by["marseille"].x
    assert by["prog"].x is not None
    assert len(view.outline) == 2  # mainland and the Guadeloupe inset
    assert all(len(poly) >= 3 for poly in view.outline)


def test_betweenness_sizes():
    view = layout_view(synthetic_view(100), size_by="betweenness")
    assert max(n.size for n in view.nodes) > min(n.size for n in view.nodes)


# --- the force layout in compiled code (issue 13) -----------------------------------


def _view(nodes: list[str], edges: list[tuple[str, str]], size: float = 10.0) -> ViewGraph:
    return ViewGraph(title="t", nodes=[ViewNode(id=n, label=n, type="Need", size=size)
                                       for n in nodes],
                     edges=[ViewEdge(source=a, target=b, type="PARTNERS_WITH")
                            for a, b in edges])


def test_igraph_spring_is_seeded():
    path = np.array([[0, 1], [1, 2], [2, 3]])
    a, b = igraph_spring(4, path, seed=7), igraph_spring(4, path, seed=7)
    assert (a == b).all()
    assert not (a == igraph_spring(4, path, seed=8)).all()


def test_igraph_spring_stretches_a_path():
    # 0 - 1 - 2 - 3: the two ends are further apart than any two linked nodes
    xy = igraph_spring(4, np.array([[0, 1], [1, 2], [2, 3]]), seed=1)

    def d(i, j):
        return float(np.hypot(*(xy[i] - xy[j])))

    assert d(0, 3) > max(d(0, 1), d(1, 2), d(2, 3))


def test_igraph_spring_leaves_pythons_random_alone():
    random.seed(5)
    state = random.getstate()
    igraph_spring(50, np.array([[i, i + 1] for i in range(49)]), seed=3)
    assert random.getstate() == state


def test_separate_overlaps_parts_discs_on_one_point():
    xy = separate_overlaps(np.array([[0.0, 0.0], [0.0, 0.0], [100.0, 0.0]]),
                           np.array([10.0, 20.0, 5.0]), gap=4.0)
    assert np.hypot(*(xy[0] - xy[1])) >= 10 + 20 + 4 - 1e-6
    assert np.hypot(*(xy[1] - xy[2])) >= 20 + 5 - 1e-6


def test_separate_overlaps_leaves_apart_nodes_where_they_are():
    xy = np.array([[0.0, 0.0], [50.0, 0.0], [0.0, 50.0]])
    assert (separate_overlaps(xy, np.array([10.0, 10.0, 10.0])) == xy).all()


def test_closest_pair_ratio_by_hand():
    view = _view(["a", "b", "c"], [])
    for node, (x, y) in zip(view.nodes, [(0, 0), (10, 0), (100, 100)], strict=True):
        node.x, node.y = float(x), float(y)
    assert closest_pair_ratio(view) == 0.5  # 10 px between two discs of 10 px: half
    view.nodes[1].x = 40.0
    assert closest_pair_ratio(view) == 2.0
    assert closest_pair_ratio(_view(["a"], [])) is None


def test_components_packed_side_by_side_without_overlap():
    # a triangle, a pair, three isolated nodes
    view = _view(["t1", "t2", "t3", "p1", "p2", "i1", "i2", "i3"],
                 [("t1", "t2"), ("t2", "t3"), ("t3", "t1"), ("p1", "p2")])
    layout_view(view)
    by = {n.id: n for n in view.nodes}

    def box(ids):
        xs, ys = [by[i].x for i in ids], [by[i].y for i in ids]
        return min(xs), max(xs), min(ys), max(ys)

    boxes = [box(["t1", "t2", "t3"]), box(["p1", "p2"])] + [box([i]) for i in ("i1", "i2", "i3")]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:  # no two components' boxes meet
            assert a[1] < b[0] or b[1] < a[0] or a[3] < b[2] or b[3] < a[2]
    # the largest component first: the triangle is left of the pair on the first row
    assert box(["t1", "t2", "t3"])[1] < box(["p1", "p2"])[0]
    assert closest_pair_ratio(view) >= 1


def test_force_layout_large_component_has_no_overlap():
    # past EXACT_LAYOUT_MAX: the grid-based layout; the layout before had overlapping
    # discs at this size (closest pair 0.81 of the two radii at 1,000 nodes)
    view = layout_view(synthetic_view(1000))
    assert closest_pair_ratio(view) >= 1.0


def test_force_layout_engines():
    a = layout_view(synthetic_view(120), engine="reference")
    b = layout_view(synthetic_view(120))
    assert all(n.x is not None for n in a.nodes + b.nodes)
    assert [(n.x, n.y) for n in a.nodes] != [(n.x, n.y) for n in b.nodes]
    with pytest.raises(ValueError, match="engine"):
        force_layout(synthetic_view(5), engine="spring")


def test_force_layout_seed_changes_the_picture():
    a = layout_view(synthetic_view(80), seed=1)
    b = layout_view(synthetic_view(80), seed=2)
    assert [(n.x, n.y) for n in a.nodes] != [(n.x, n.y) for n in b.nodes]


def test_degree_sizes_count_a_repeated_edge_once():
    # a - b twice (two types), a - c: a has degree 2, b and c 1
    view = _view(["a", "b", "c"], [("a", "b"), ("a", "c")])
    view.edges.append(ViewEdge(source="b", target="a", type="FUNDS"))
    size_nodes(view)
    by = {n.id: n.size for n in view.nodes}
    assert by["a"] == SIZE_MAX and by["b"] == by["c"] < SIZE_MAX
