"""Past the cap, nodes fold into summary nodes with their totals."""

from __future__ import annotations

from viz.grouping import group_view
from viz.html import render_html
from viz.layout import layout_view
from viz.synthetic import synthetic_view
from viz.view_graph import ViewGraph, ViewNode


def test_under_the_cap_nothing_changes():
    view = synthetic_view(50)
    assert group_view(view, cap=50) is view
    assert group_view(view, cap=None) is view


def test_grouped_by_territory_with_totals():
    view = synthetic_view(400)
    grouped = group_view(view, cap=100)
    assert grouped.grouped
    groups = [n for n in grouped.nodes if n.type == "Group"]
    centre = [n for n in grouped.nodes if n.centre]
    assert len(centre) == 1 and centre[0].id == "n0"
    assert sum(g.count for g in groups) == 399
    assert len(groups) == len({n.territory for n in view.nodes if not n.centre})
    for group in groups:
        assert f"({group.count})" in group.label
    assert all(e.source in grouped.node_ids() and e.target in grouped.node_ids()
               for e in grouped.edges)
    assert sum(e.count for e in grouped.edges) <= len(view.edges)
    assert any("regroupés" in note for note in grouped.notes)
    html = render_html(layout_view(grouped))
    assert "regroupés" in html


def test_grouped_by_community_when_no_territory():
    view = synthetic_view(300)
    for node in view.nodes:
        node.territory = node.group = None
    grouped = group_view(view, cap=50)
    groups = [n for n in grouped.nodes if n.type == "Group"]
    assert groups and all(g.label.startswith("communauté") for g in groups)
    assert sum(g.count for g in groups) == 299


def test_group_count_shows_in_tooltip_data():
    view = ViewGraph(title="t", nodes=[ViewNode(id=f"n{i}", label=f"n{i}", type="Need",
                                                territory="Nord") for i in range(5)])
    grouped = group_view(view, cap=2)
    assert [n.count for n in grouped.nodes] == [5]
