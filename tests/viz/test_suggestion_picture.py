"""The picture of a suggestion (« piste d'alliance »): both organisations, what they
share, who can introduce them; existing links solid, the suggested one dashed, with a
French legend saying « piste suggérée »; served as a page, PNG, SVG, offline HTML, embed
snippet and exports like the other pictures; a pair that is no suggestion says why.

The graph is tests/viz/conftest.py's, plus a town hall of Roubaix (``org:mairie``,
collectivité) taking part in the dialogue space and partnering the foundation: so the
catalyst ``org:xss`` (whose name is hostile) and the town hall share the space, and the
foundation (in Lille, 10 km away) knows both.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from queries.errors import NotSuggested
from tests.viz.conftest import XSS_NAME
from viz.builders import SUGGESTED, SUGGESTED_FR
from viz.html import render_html
from viz.pictures import picture_bytes
from viz.views import export_view, suggestion_graph

PAIR = "/viz/suggestion/org:xss/org:mairie"


@pytest.fixture
def pair_graph(viz_graph, neo4j_server):
    viz_graph.execute_query(
        "MATCH (s:DialogueSpace {id: 'space:dialogue'}), (h:Organisation {id: 'org:href'}), "
        "      (t:Territory {id: 'commune:59512'}) "
        "CREATE (m:Organisation {id: 'org:mairie', name: 'Mairie de Roubaix', "
        "        kind: 'collectivite', source: 'seed'}), "
        "       (m)-[:LOCATED_IN]->(t), (m)-[:PARTICIPATES_IN]->(s), "
        "       (h)-[:PARTNERS_WITH]->(m)", database_=neo4j_server.database)
    from loaders.locations import derive_locations

    derive_locations(viz_graph, database=neo4j_server.database)
    return viz_graph


@pytest.fixture
def client(pair_graph):
    with TestClient(create_app()) as test_client:
        yield test_client


def test_the_view_holds_the_pair_what_they_share_and_the_dashed_link(pair_graph,
                                                                     neo4j_server):
    view = suggestion_graph(pair_graph, "org:xss", "org:mairie",
                            database=neo4j_server.database)
    assert view.title == f"Piste d'alliance : {XSS_NAME} et Mairie de Roubaix"
    ids = {n.id for n in view.nodes}
    assert {"org:xss", "org:mairie", "space:dialogue", "org:href"} <= ids
    assert {n.id for n in view.nodes if n.centre} == {"org:xss", "org:mairie"}
    suggested = [e for e in view.edges if e.type == SUGGESTED]
    assert [(e.source, e.target, e.label) for e in suggested] == [
        ("org:xss", "org:mairie", SUGGESTED_FR)]
    solid = {(e.source, e.target, e.type) for e in view.edges if e.type != SUGGESTED}
    assert ("org:mairie", "space:dialogue", "PARTICIPATES_IN") in solid
    assert ("org:href", "org:mairie", "PARTNERS_WITH") in solid
    assert any("Fondation" in note and "les présenter" in note for note in view.notes)
    assert all(n.x is not None for n in view.nodes)  # laid out


def test_the_page_draws_the_suggested_link_dashed_with_a_french_legend(client):
    page = client.get(PAIR, headers={"accept": "text/html"})
    assert page.status_code == 200
    assert "frame-ancestors" in page.headers["content-security-policy"]
    html = page.text
    assert "piste suggérée" in html and "lien existant" in html
    assert '"SUGGESTED"' in html  # the edge the viewer dashes
    assert "edge.dashes" in html  # the viewer inlined: nothing loaded from any host
    assert XSS_NAME not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "http://" not in html.split("<script>", 1)[0].replace("http://www.w3.org", "")


def test_png_and_svg_are_framed_and_say_piste_suggeree(client):
    png = client.get(PAIR + ".png")
    assert png.status_code == 200 and png.content[:8] == b"\x89PNG\r\n\x1a\n"
    stem = "piste-d-alliance-img-src-x-onerror-alert-1-et-mairie-de-roubaix"
    assert png.headers["content-disposition"] == f'attachment; filename="{stem}.png"'
    svg = client.get(PAIR + ".svg")
    root = ET.fromstring(svg.text)
    assert root is not None
    assert "piste suggérée" in svg.text and "lien existant" in svg.text
    assert "stroke-dasharray" in svg.text
    assert XSS_NAME not in svg.text
    offline = client.get(PAIR + ".html")
    assert offline.headers["content-disposition"] == f'attachment; filename="{stem}.html"'


def test_embed_snippet_and_exports(client):
    embed = client.get(PAIR + "/embed").json()
    assert embed["title"] == f"Piste d'alliance : {XSS_NAME} et Mairie de Roubaix"
    assert XSS_NAME not in embed["html"]
    edges = client.get("/export/suggestion/org:xss/org:mairie.edges.csv")
    assert edges.status_code == 200 and "SUGGESTED" in edges.text
    assert "piste suggérée" in edges.text
    graphml = client.get("/export/suggestion/org:xss/org:mairie.graphml?radius_km=30")
    assert graphml.status_code == 200 and "org:mairie" in graphml.text


def test_a_pair_that_is_no_suggestion_says_why(client, pair_graph, neo4j_server):
    # the catalyst and the foundation are partners: linked already
    linked = client.get("/viz/suggestion/org:xss/org:href", headers={"accept": "text/html"})
    assert linked.status_code == 200  # nothing to draw is an answer (as the other pictures)
    assert "sont déjà liées dans le graphe" in linked.text
    assert client.get("/viz/suggestion/org:xss/org:href").status_code == 404
    same = client.get("/viz/suggestion/org:xss/org:xss", headers={"accept": "text/html"})
    assert "elle-même" in same.text
    unknown = client.get("/viz/suggestion/org:xss/org:nope")
    assert unknown.status_code == 404
    with pytest.raises(NotSuggested):
        export_view(pair_graph, "suggestion", element_id="org:xss", other="org:href",
                    database=neo4j_server.database)


def test_a_marked_pair_is_not_drawn(client, pair_graph, neo4j_server):
    from loaders.suggestion_marks import mark_pair

    mark_pair(pair_graph, "org:mairie", "org:xss", "pas_pertinent",
              database=neo4j_server.database)
    page = client.get(PAIR, headers={"accept": "text/html"})
    assert "Les gestionnaires ont marqué cette paire" in page.text


def test_static_picture_draws_dashes_without_database():
    """The PNG writer keeps the suggested edge apart (dashed) from the solid ones."""
    from viz.layout import layout_view
    from viz.view_graph import ViewEdge, ViewGraph, ViewNode

    view = ViewGraph(title="Piste d'alliance : A et B", kind="suggestion",
                     nodes=[ViewNode(id="a", label="A", type="Organisation", centre=True),
                            ViewNode(id="b", label="B", type="Organisation", centre=True),
                            ViewNode(id="n", label="N", type="Need")],
                     edges=[ViewEdge(source="a", target="n", type="EXPRESSES"),
                            ViewEdge(source="b", target="n", type="EXPRESSES"),
                            ViewEdge(source="a", target="b", type=SUGGESTED,
                                     label=SUGGESTED_FR)])
    view = layout_view(view)
    svg = picture_bytes(view, "svg").decode()
    assert svg.count("stroke-dasharray") >= 1 and "piste suggérée" in svg
    assert "piste suggérée" in render_html(view)


def test_the_cli_draws_a_suggestion_by_names_and_exports_it(pair_graph, tmp_path):
    from typer.testing import CliRunner

    from cli.main import app as cli_app

    runner = CliRunner()
    result = runner.invoke(cli_app, ["viz", "suggestion", "org:xss", "Mairie de Roubaix",
                                     "-o", str(tmp_path / "piste.png"), "--json"])
    assert result.exit_code == 0, result.output
    assert '"nodes": 4' in result.stdout or '"nodes": 5' in result.stdout
    assert (tmp_path / "piste.png").read_bytes()[:4] == b"\x89PNG"
    result = runner.invoke(cli_app, ["export", "--view", "suggestion", "--id", "org:xss",
                                     "--other", "org:mairie", "-o",
                                     str(tmp_path / "piste.graphml")])
    assert result.exit_code == 0, result.output
    assert "SUGGESTED" in (tmp_path / "piste.graphml").read_text(encoding="utf-8")
    # a pair that is no suggestion: one line saying why
    result = runner.invoke(cli_app, ["viz", "suggestion", "org:xss", "org:href", "-o",
                                     str(tmp_path / "linked.png")])
    assert result.exit_code == 1
    assert "the two are linked already" in result.output
    assert not (tmp_path / "linked.png").exists()
    result = runner.invoke(cli_app, ["export", "--view", "suggestion", "--id", "org:xss",
                                     "-o", str(tmp_path / "x.json")])
    assert result.exit_code == 1 and "--view suggestion needs --id and --other" in result.output
