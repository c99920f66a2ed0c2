"""viz.to_pyvis: a pyvis Network with the view's positions, colours, French groups and
escaped titles, physics off (pyvis comes with the test extra: `[notebook]`)."""

from __future__ import annotations

import html
import json
import re

from pyvis.network import Network

import viz
from tests.viz.conftest import HREF_NAME, XSS_NAME
from viz.view_graph import ViewEdge, ViewGraph, ViewNode


def _view() -> ViewGraph:
    """Three nodes placed by hand, one named like an attack, one standing for four."""
    return ViewGraph(title="Carnet", nodes=[
        ViewNode(id="org:xss", label=XSS_NAME, type="Organisation", kind="association",
                 territory="Nord", source="seed<script>", x=-100.0, y=20.5, size=30.0,
                 centre=True),
        ViewNode(id="programme:relance", label="Plan de relance", type="Programme",
                 kind="relance", x=80.0, y=-40.0, size=12.0),
        ViewNode(id="need:emploi", label="Emploi & insertion", type="Need", kind="emploi",
                 x=0.0, y=150.0, size=8.0, count=4, source="Étude A"),
    ], edges=[
        ViewEdge(source="org:xss", target="programme:relance", type="CARRIES"),
        ViewEdge(source="programme:relance", target="need:emploi", type="ADDRESSES", count=4),
    ])


def _page_nodes(page: str) -> list[dict]:
    """The node list pyvis wrote into its page (``nodes = new vis.DataSet([...]);``)."""
    match = re.search(r"nodes = new vis\.DataSet\((\[.*?\])\);", page)
    assert match, "no node list in the page"
    return json.loads(match.group(1))


def test_to_pyvis_is_exported_and_returns_a_network():
    network = viz.to_pyvis(_view())
    assert isinstance(network, Network)
    assert network.num_nodes() == 3 and network.num_edges() == 2


def test_positions_colours_groups_match_the_view():
    network = viz.to_pyvis(_view())
    nodes = {n["id"]: n for n in network.nodes}
    assert (nodes["org:xss"]["x"], nodes["org:xss"]["y"]) == (-100.0, 20.5)
    assert (nodes["programme:relance"]["x"], nodes["programme:relance"]["y"]) == (80.0, -40.0)
    assert nodes["need:emploi"]["size"] == 8.0
    # the palette's colours (graph/vocabulary.py) and shapes
    assert nodes["org:xss"]["color"]["background"] == "#0072B2"
    assert nodes["programme:relance"]["color"]["background"] == "#2E7D32"
    assert nodes["need:emploi"]["color"]["background"] == "#F9A825"
    assert [nodes[i]["shape"] for i in ("org:xss", "programme:relance", "need:emploi")] == [
        "dot", "diamond", "triangle"]
    # the French legend names as groups
    assert nodes["org:xss"]["group"] == "Organisation · association"
    assert nodes["programme:relance"]["group"] == "Programme · relance"
    assert nodes["need:emploi"]["group"] == "Besoin"
    assert nodes["org:xss"]["borderWidth"] == 3  # the centre, ringed as on the page
    edges = {(e["from"], e["to"]): e for e in network.edges}
    assert edges[("programme:relance", "need:emploi")]["label"] == "4"
    assert edges[("programme:relance", "need:emploi")]["width"] == 3.0  # 1 + log2(4)
    assert network.options["physics"]["enabled"] is False
    assert all(n["physics"] is False for n in network.nodes)


def test_generated_page_holds_no_unescaped_title():
    view = _view()
    view.nodes.append(ViewNode(id="org:href", label=HREF_NAME, type="Organisation",
                               kind="fondation", x=200.0, y=200.0))
    page = viz.to_pyvis(view).generate_html()
    nodes = {n["id"]: n for n in _page_nodes(page)}
    for node in nodes.values():
        title = node["title"]
        # markup in a title is only ours: <b>…</b> around the name and <br> between lines
        assert re.sub(r"</?b>|<br>", "", title).count("<") == 0, title
        assert "&lt;" in title or "<" not in html.unescape(re.sub(r"</?b>|<br>", "", title))
    assert nodes["org:xss"]["title"].startswith(
        "<b>&lt;img src=x onerror=alert(1)&gt;</b><br>")
    assert "Source : seed&lt;script&gt;" in nodes["org:xss"]["title"]
    assert "&lt;a href=&quot;javascript:alert(2)&quot;&gt;" in nodes["org:href"]["title"]
    assert "Emploi &amp; insertion" in nodes["need:emploi"]["title"]
    assert "Nœuds : 4" in nodes["need:emploi"]["title"]
    # the labels are drawn on the canvas: kept as written, and the name is nowhere raw
    assert nodes["org:xss"]["label"] == XSS_NAME
    assert XSS_NAME not in page and "<a href=\"javascript" not in page
    # titles always go through pyvis's HTML popup, so the escapes read as text
    assert "popup.innerHTML = nodeData[0].title" in page
    assert '"physics": {"enabled": false}' in page


def test_a_view_without_positions_is_laid_out_on_a_copy():
    view = _view()
    for node in view.nodes:
        node.x = node.y = None
    network = viz.to_pyvis(view)
    assert all(n["x"] is not None and n["y"] is not None for n in network.nodes)
    assert all(n.x is None for n in view.nodes)
