"""Layouts: every node placed before the page is written, the same every time."""

from __future__ import annotations

from viz.layout import fast_spring, layout_view
from viz.synthetic import synthetic_view
from viz.view_graph import ViewGraph, ViewNode


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
