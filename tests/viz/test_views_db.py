"""The four views and the whole-graph export, from a real Neo4j."""

from __future__ import annotations

import math

import pytest

from queries.errors import NotDrawable, NotFoundError
from queries.export import export_graph, node_details, territory_contents
from tests.territory_fixtures import create_territories
from tests.viz.conftest import HREF_NAME, XSS_NAME
from viz import views
from viz.html import render_html
from viz.outline import point_in_rings


def test_node_details(viz_graph):
    details = node_details(viz_graph, ["org:xss", "org:etat", "commune:59512", "nope"])
    assert set(details) == {"org:xss", "org:etat", "commune:59512"}
    xss = details["org:xss"]
    assert (xss.label, xss.kind, xss.source, xss.place, xss.group) == (
        "Organisation", "association", "seed<script>", "Roubaix", "Nord")
    assert xss.lat == pytest.approx(50.6942)
    assert details["org:etat"].place == "Nord"
    assert details["commune:59512"].place == "commune"


def test_neighbourhood_view(viz_graph):
    view = views.neighbourhood_graph(viz_graph, "org:xss", depth=1)
    ids = view.node_ids()
    assert {"org:xss", "org:href", "programme:relance", "space:dialogue",
            "commune:59512"} <= ids
    centre = next(n for n in view.nodes if n.centre)
    assert centre.label == XSS_NAME and centre.source == "seed<script>"
    assert all(n.x is not None for n in view.nodes)
    assert XSS_NAME not in render_html(view)


def test_connectors_view(viz_graph):
    view = views.connectors_graph(viz_graph, "programme:relance", "59")
    ids = view.node_ids()
    assert {"programme:relance", "departement:59", "org:xss", "org:href"} <= ids
    types = {(e.source, e.type, e.target) for e in view.edges}
    assert ("org:xss", "CARRIES", "programme:relance") in types
    assert ("org:href", "FUNDS", "programme:relance") in types
    assert ("commune:59512", "PART_OF", "departement:59") in types


def test_connectors_view_draws_who_covers_the_territory_from_above(viz_graph):
    """Nobody linked to the programme is in Dunkerque; the Préfecture du Nord, which relays
    it and is active in the Nord, covers Dunkerque from above: the picture draws it with its
    proof path, as the analyst's page lists it, instead of saying nobody connects them."""
    viz_graph.execute_query(
        "MATCH (o:Organisation {id: 'org:etat'}), (p:Programme {id: 'programme:relance'}) "
        "CREATE (o)-[:RELAYS]->(p)")
    view = views.connectors_graph(viz_graph, "programme:relance", "commune:59183")
    assert {"programme:relance", "commune:59183", "org:etat", "departement:59"} <= (
        view.node_ids())
    assert not {"org:xss", "org:href"} & view.node_ids()
    types = {(e.source, e.type, e.target) for e in view.edges}
    assert ("org:etat", "RELAYS", "programme:relance") in types
    assert ("org:etat", "ACTIVE_IN", "departement:59") in types
    assert ("commune:59183", "PART_OF", "departement:59") in types
    assert view.notes == ["Aucune organisation liée au programme n'est dans ce territoire ; "
                          "1 organisation le couvre depuis un territoire plus large."]
    # Lille: the one that funds it is in it, the Préfecture covers it from the Nord
    lille = views.connectors_graph(viz_graph, "programme:relance", "commune:59350")
    assert {"org:href", "org:etat"} <= lille.node_ids()
    assert "org:xss" not in lille.node_ids() and lille.notes == []


def test_space_view(viz_graph):
    view = views.space_graph(viz_graph, "space:dialogue")
    labels = {n.label for n in view.nodes}
    assert labels == {'Espace "dialogue" & co', XSS_NAME, HREF_NAME}
    roles = {(e.source, e.type) for e in view.edges}
    assert roles == {("org:xss", "PARTICIPATES_IN"), ("org:href", "COPILOTS")}
    assert any("21" in note for note in view.notes)  # declared count differs
    with pytest.raises(NotFoundError):
        views.space_graph(viz_graph, "space:nope")


def test_territory_view(viz_graph):
    """The Nord: its organisations placed in it (Roubaix, Lille), the one active in the
    whole Nord and the programme covering it aside, over the outline of its communes."""
    contents = territory_contents(viz_graph, "59")
    assert contents.total == 3
    assert {o.id for o in contents.organisations} == {"org:xss", "org:href", "org:etat"}
    placed = {o.id: (o.placed_by, o.placed_in) for o in contents.organisations}
    assert placed == {"org:xss": ("commune", "commune:59512"),
                      "org:href": ("commune", "commune:59350"),
                      "org:etat": ("territory", "departement:59")}
    assert [(p.id, [(c.id, c.rel) for c in p.covers]) for p in contents.programmes] == [
        ("programme:relance", [("departement:59", "self")])]
    assert contents.wider == [] and contents.wider_total == 0
    assert len(contents.outline) == 3
    assert [p[2] for p in contents.places] == ["Lille", "Roubaix", "Dunkerque"]
    view = views.territory_graph(viz_graph, "59")
    assert view.kind == "map" and len(view.outline) == 1
    by = {n.id: n for n in view.nodes}
    assert by["org:xss"].lat == pytest.approx(50.6942)
    assert by["org:xss"].x > by["org:href"].x  # Roubaix is east of Lille
    assert by["departement:59"].centre
    for node_id in ("org:xss", "org:href", "departement:59"):
        node = by[node_id]
        assert node.aside is None and point_in_rings(node.x, node.y, view.outline), node_id
    assert by["org:etat"].aside == "1 organisation active dans le département Nord"
    assert by["programme:relance"].aside == "1 programme couvrant le département Nord"
    with pytest.raises(NotFoundError):
        views.territory_graph(viz_graph, "departement:99")


def add_national(driver, database):
    """An organisation active in France and a programme covering France."""
    driver.execute_query(
        "MATCH (fr:Territory {id: 'FR'}) "
        "CREATE (:Organisation {id: 'org:gouv', name: 'Gouvernement', kind: 'etat', "
        "source: 'seed'})-[:ACTIVE_IN]->(fr), "
        "(:Programme {id: 'programme:fr', name: 'France Relance', phase: 'relance', "
        "source: 'seed'})-[:COVERS]->(fr)", database_=database)


def test_what_acts_from_above_is_drawn_for_every_level(viz_graph, neo4j_server):
    """The région: the Nord's organisations on its map; an organisation active in France
    and a national programme aside, captioned with France."""
    add_national(viz_graph, neo4j_server.database)
    contents = territory_contents(viz_graph, "region:32")
    assert {o.id for o in contents.organisations} == {"org:xss", "org:href", "org:etat"}
    assert [(w.organisation.id, w.territory.id) for w in contents.wider] == [
        ("org:gouv", "FR")]
    view = views.territory_graph(viz_graph, "Hauts-de-France")
    by = {n.id: n for n in view.nodes}
    assert by["org:gouv"].aside == "1 organisation active dans toute la France"
    assert by["programme:fr"].aside == "1 programme couvrant toute la France"
    assert by["programme:relance"].aside is None  # on the Nord only: on the map
    assert point_in_rings(by["programme:relance"].x, by["programme:relance"].y, view.outline)
    assert by["org:etat"].aside is None  # active in the Nord: at its centre, on the map


def test_a_commune_with_its_neighbours_and_the_radius(viz_graph, neo4j_server):
    """Roubaix at 30 km, as the catalyst page lists it: the association located in it,
    the foundation of Lille (11 km) and the Préfecture active in the Nord (placed at its
    centre, 24 km away) on the map; the national organisation and the programmes covering
    the Nord and France aside; Lille and Roubaix as faint points, Dunkerque (65 km) not."""
    add_national(viz_graph, neo4j_server.database)
    view = views.territory_graph(viz_graph, "Roubaix")
    assert view.title == "Autour de Roubaix (30 km)"
    by = {n.id: n for n in view.nodes}
    assert by["commune:59512"].centre
    x, y, r, caption = view.circle
    assert caption == "30 km"
    for node_id in ("org:xss", "org:href", "org:etat"):
        node = by[node_id]
        assert node.aside is None and math.dist((node.x, node.y), (x, y)) < r, node_id
    assert by["org:href"].territory == "Lille, à 11,0 km"
    assert by["org:etat"].territory == (
        "placée au centre du territoire où elle agit (Nord), à 23,8 km")
    assert by["org:gouv"].aside == "1 organisation active dans toute la France"
    assert by["programme:relance"].aside == "1 programme couvrant le département Nord"
    assert by["programme:fr"].aside == "1 programme couvrant toute la France"
    assert [c[2].replace("\n", " ") for c in view.captions] == [
        "1 programme couvrant le département Nord", "1 organisation active dans toute la France",
        "1 programme couvrant toute la France"]
    # Roubaix and Lille (Dunkerque is 65 km away); Roubaix is a node, never named twice
    assert len(view.dots) == 2 and {p[2] for p in view.places} <= {"Lille"}
    assert ("org:href", "programme:relance", "FUNDS") in {
        (e.source, e.target, e.type) for e in view.edges}
    # a smaller radius: the foundation of Lille is out (it does not act on Roubaix); the
    # Préfecture, active in the Nord, goes aside
    small = views.territory_graph(viz_graph, "commune:59512", radius_km=5)
    assert small.title == "Autour de Roubaix (5 km)"
    by = {n.id: n for n in small.nodes}
    assert "org:href" not in by and by["org:xss"].aside is None
    assert by["org:etat"].aside == "1 organisation active dans le département Nord"
    # a need keeps the partners answering it, as the catalyst page does
    assert {n.id for n in views.territory_graph(viz_graph, "commune:59512",
                                                need="need:nobody").nodes
            if n.aside is None} == {"commune:59512"}


def test_a_commune_with_nothing_around_says_so_in_french(viz_graph, neo4j_server):
    """Arras: nothing within 30 km (Lille is 45 km away), nobody acting on the
    Pas-de-Calais, the région or France, no programme: nothing to draw, said in French."""
    create_territories(viz_graph, ("departement:62", "commune:62041"), neo4j_server.database)
    with pytest.raises(NotDrawable) as caught:
        views.territory_graph(viz_graph, "Arras")
    assert caught.value.message_fr == (
        "Pas d'image autour d'Arras pour l'instant : le graphe n'a aucune organisation à "
        "moins de 30 km, ni active sur son territoire (intercommunalité, département, "
        "région, France), et aucun programme ne couvre la commune.")
    assert "commune:62041 (Arras) has nothing to draw" in str(caught.value)
    # at 60 km, the organisations of Lille and Roubaix are around it
    view = views.territory_graph(viz_graph, "Arras", radius_km=60)
    assert {"org:xss", "org:href"} <= {n.id for n in view.nodes}
    # a département with nothing in it, above it or covering it
    with pytest.raises(NotDrawable) as caught:
        views.territory_graph(viz_graph, "62")
    assert "pas d'image pour l'instant" in caught.value.message_fr


def test_territory_view_groups_past_the_cap(viz_graph):
    view = views.territory_graph(viz_graph, "59", cap=2)
    assert view.grouped
    assert sum(n.count for n in view.nodes if n.type == "Group") == len(
        territory_contents(viz_graph, "59").organisations) + 1


def test_whole_graph(viz_graph):
    linked = export_graph(viz_graph)
    ids = {n.id for n in linked.nodes}
    assert {"org:xss", "org:href", "org:etat", "programme:relance", "space:dialogue",
            "commune:59512", "departement:59"} <= ids
    assert "region:32" not in ids  # no element links to it
    everything = export_graph(viz_graph, territories="all")
    assert len(everything.nodes) == 11
    assert len(everything.edges) == 14  # 5 PART_OF + 9 others
    none = views.whole_graph(viz_graph, territories="none")
    assert {n.type for n in none.nodes} == {"Organisation", "Programme", "DialogueSpace"}
