"""The four views and the whole-graph export, from a real Neo4j."""

from __future__ import annotations

import pytest

from queries.errors import NotDrawable, NotFoundError
from queries.export import export_graph, node_details, territory_contents
from tests.territory_fixtures import create_territories
from tests.viz.conftest import HREF_NAME, XSS_NAME
from viz import views
from viz.html import render_html


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
    contents = territory_contents(viz_graph, "59")
    assert contents.total == 3
    assert {o.id for o in contents.organisations} == {"org:xss", "org:href", "org:etat"}
    assert [p.id for p in contents.programmes] == ["programme:relance"]
    assert len(contents.outline) == 3
    view = views.territory_graph(viz_graph, "59")
    assert view.kind == "map" and len(view.outline) == 1
    by = {n.id: n for n in view.nodes}
    assert by["org:xss"].lat == pytest.approx(50.6942)
    assert by["org:xss"].x > by["org:href"].x  # Roubaix is east of Lille
    assert by["departement:59"].centre
    with pytest.raises(NotFoundError):
        views.territory_graph(viz_graph, "departement:99")


def test_a_commune_with_nothing_in_it_says_where_to_look(viz_graph, neo4j_server):
    """A commune with nothing located in it is not drawn; the French reason sends people
    to its département's picture only when that one has something to draw."""
    # Dunkerque: nothing in it, but the Nord has three organisations and a programme
    with pytest.raises(NotDrawable) as caught:
        territory_contents(viz_graph, "commune:59183")
    assert "Celle de son département (59) montre" in caught.value.message_fr
    assert "département (59) or its EPCI" in str(caught.value)
    # Arras: nothing in it nor in the Pas-de-Calais: no pointer to an empty picture
    create_territories(viz_graph, ("departement:62", "commune:62041"), neo4j_server.database)
    with pytest.raises(NotDrawable) as caught:
        territory_contents(viz_graph, "commune:62041")
    assert caught.value.message_fr == (
        "Rien n'est encore situé à Arras ni dans son département (62) dans le graphe : "
        "pas d'image de la commune pour l'instant.")
    assert "Celle de son département" not in caught.value.message_fr
    assert "nor located or active in its département (62)" in str(caught.value)


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
