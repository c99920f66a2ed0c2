"""The date of the data on a real Neo4j: the latest ``(:Import {at})``, as a day in France,
on every picture; nothing when the graph records no import. And a neighbourhood hides its
régions and France at first."""

from __future__ import annotations

import datetime as dt

from queries.data_date import data_date
from viz import views
from viz.html import render_html


def _imports(driver, *ats: str) -> None:
    for at in ats:
        driver.execute_query("CREATE (:Import {at: datetime($at)})", at=at)


def test_no_import_no_date(viz_graph):
    assert data_date(viz_graph) is None
    view = views.space_graph(viz_graph, "space:dialogue")
    assert view.data_date is None
    assert "Données du" not in render_html(view)


def test_the_latest_import_is_the_date_of_every_picture(viz_graph):
    # the latest is late on the 1st in UTC: already the 2nd in Paris
    _imports(viz_graph, "2026-11-20T10:00:00Z", "2026-12-01T23:30:00Z",
             "2026-06-01T08:00:00+02:00")
    viz_graph.execute_query("CREATE (:Import {note: 'no date'})")
    assert data_date(viz_graph) == dt.date(2026, 12, 2)
    pictures = [views.neighbourhood_graph(viz_graph, "org:xss", depth=1),
                views.connectors_graph(viz_graph, "programme:relance", "59"),
                views.space_graph(viz_graph, "space:dialogue"),
                views.territory_graph(viz_graph, "59"),
                views.export_view(viz_graph, "graph")]
    for view in pictures:
        assert view.data_date == dt.date(2026, 12, 2), view.title
    assert "Données du 2 décembre 2026" in render_html(pictures[0])


def test_a_local_datetime_is_read_as_it_is(viz_graph):
    viz_graph.execute_query("CREATE (:Import {at: localdatetime('2026-12-01T23:30:00')})")
    assert data_date(viz_graph) == dt.date(2026, 12, 1)


def test_a_neighbourhood_hides_its_regions_and_france_at_first(viz_graph):
    # the Préfecture du Nord is active in the Nord, part of the région, part of France
    view = views.neighbourhood_graph(viz_graph, "org:etat", depth=3)
    hidden = {n.id for n in view.nodes if n.upper}
    assert hidden == {"region:32", "FR"}
    assert "departement:59" in view.node_ids() and "departement:59" not in hidden
    assert "Afficher la France et la région Hauts-de-France" in render_html(view)
    # the picture of a région is about it: nothing hidden
    around = views.neighbourhood_graph(viz_graph, "region:32", depth=1)
    assert not any(n.upper for n in around.nodes)
