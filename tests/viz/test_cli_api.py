"""`alliance-graph viz|export` and GET /viz/…, /export/… on the tiny graph."""

from __future__ import annotations

import html as html_mod
import json
import re

import networkx as nx
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.app import create_app
from cli.main import app as cli_app
from graph.settings import get_settings
from tests.territory_fixtures import create_territories
from tests.viz.conftest import XSS_NAME

runner = CliRunner()


def invoke(*args: str):
    result = runner.invoke(cli_app, list(args))
    return result


def test_cli_viz_html_png_svg(viz_graph, tmp_path):
    result = invoke("viz", "neighbourhood", "org:xss", "--depth", "1", "-o",
                    str(tmp_path / "n.html"), "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["format"] == "html" and summary["nodes"] >= 5
    html = (tmp_path / "n.html").read_text(encoding="utf-8")
    assert "vis.Network" in html and XSS_NAME not in html
    result = invoke("viz", "territory", "59", "-o", str(tmp_path / "t.png"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "t.png").read_bytes()[:4] == b"\x89PNG"
    result = invoke("viz", "space", "space:dialogue", "-o", str(tmp_path / "s.svg"))
    assert result.exit_code == 0, result.output
    result = invoke("viz", "connectors", "--programme", "programme:relance", "--territory",
                    "59", "-o", str(tmp_path / "c.html"))
    assert result.exit_code == 0, result.output


def test_cli_viz_errors_in_one_line(viz_graph, tmp_path):
    result = invoke("viz", "space", "space:nope", "-o", str(tmp_path / "s.html"))
    assert result.exit_code == 1
    assert "no dialogue space 'space:nope'" in result.output
    result = invoke("viz", "space", "space:dialogue", "-o", str(tmp_path / "s.pdf"))
    assert result.exit_code == 1
    assert "the file must end in .html, .png or .svg, or its data: .csv" in result.output
    result = invoke("viz", "space", "space:dialogue", "--sep", ";;", "-o",
                    str(tmp_path / "s.csv"))
    assert result.exit_code == 2 and "--sep ';'" in result.output


def test_cli_viz_writes_the_pictures_data_as_the_pages_downloads(viz_graph, tmp_path):
    # the picture's data, as the « Intégrer » panel's downloads: CSV (`;` by default,
    # UTF-8 with BOM), GraphML; the same nodes as the picture
    result = invoke("viz", "space", "space:dialogue", "-o", str(tmp_path / "s.csv"), "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["format"] == "csv" and len(summary["files"]) == 2
    nodes = (tmp_path / "s-nodes.csv").read_bytes()
    assert nodes.startswith(b"\xef\xbb\xbfid;label;")
    assert nodes.count(b"\n") == summary["nodes"] + 1
    result = invoke("viz", "territory", "59", "--sep", ",", "-o", str(tmp_path / "t.csv"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "t-edges.csv").read_bytes().startswith(b"\xef\xbb\xbfsource,target,")
    result = invoke("viz", "space", "space:dialogue", "-o", str(tmp_path / "s.graphml"))
    assert result.exit_code == 0, result.output
    assert "org:xss" in nx.read_graphml(tmp_path / "s.graphml").nodes


def test_cli_export(viz_graph, tmp_path):
    result = invoke("export", "-o", str(tmp_path / "g.graphml"), "--json")
    assert result.exit_code == 0, result.output
    graph = nx.read_graphml(tmp_path / "g.graphml")
    assert graph.nodes["org:xss"]["label"] == XSS_NAME
    result = invoke("export", "--view", "space", "--id", "space:dialogue", "-o",
                    str(tmp_path / "csv"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "csv" / "nodes.csv").is_file()
    assert (tmp_path / "csv" / "edges.csv").is_file()
    result = invoke("export", "--view", "connectors", "-o", str(tmp_path / "x.json"))
    assert result.exit_code == 1 and "--programme and --territory" in result.output


def test_cli_export_csv_separator(viz_graph, tmp_path):
    result = invoke("export", "--view", "space", "--id", "space:dialogue", "-o",
                    str(tmp_path / "fr"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "fr" / "nodes.csv").read_bytes().startswith(b"\xef\xbb\xbfid;label;")
    result = invoke("export", "--view", "space", "--id", "space:dialogue", "--sep", ",",
                    "-o", str(tmp_path / "x.csv"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "x-edges.csv").read_bytes().startswith(b"\xef\xbb\xbfsource,target,")
    result = invoke("export", "-o", str(tmp_path / "bad"), "--sep", ";;")
    assert result.exit_code == 2
    assert "error: the separator must be one character" in result.output
    assert "--sep ';'" in result.output


@pytest.fixture
def client(viz_graph, monkeypatch):
    monkeypatch.setenv("ALLIANCE_FRAME_ANCESTORS", "'self' https://reports.example.org")
    get_settings.cache_clear()
    with TestClient(create_app()) as test_client:
        yield test_client
    get_settings.cache_clear()


def test_api_pages_carry_the_policy(client):
    for url in ("/viz/neighbourhood/org:xss?depth=1", "/viz/space/space:dialogue",
                "/viz/territory/59", "/viz/connectors?programme=programme:relance&territory=59"):
        response = client.get(url)
        assert response.status_code == 200, (url, response.text[:300])
        assert response.headers["content-type"].startswith("text/html")
        policy = response.headers["content-security-policy"]
        assert policy.endswith("frame-ancestors 'self' https://reports.example.org")
        assert "default-src 'none'" in policy
        assert XSS_NAME not in response.text


def test_api_embed_snippet(client):
    response = client.get("/viz/space/space:dialogue/embed?height=500")
    assert response.status_code == 200
    body = response.json()
    assert body["src"].endswith("/viz/space/space:dialogue")
    assert re.fullmatch(r'<iframe src="[^"<>]+" title="[^"<>]+" width="100%" height="500" '
                        r'loading="lazy" referrerpolicy="no-referrer" [^<>]*></iframe>',
                        body["html"])
    response = client.get("/viz/connectors/embed?programme=programme:relance&territory=59")
    assert "territory=59" in response.json()["src"]
    assert "/embed" not in response.json()["src"]


def test_cli_views_read_territories_with_the_parser(viz_graph, tmp_path):
    # 59512 (Roubaix) draws as the questions read it
    result = invoke("viz", "territory", "59512", "-o", str(tmp_path / "r.html"))
    assert result.exit_code == 0, result.output
    result = invoke("viz", "territory", "Saint-Denis", "-o", str(tmp_path / "s.html"))
    assert result.exit_code == 2
    assert "names several territories" in result.stderr and "  4. commune:" in result.stderr
    result = invoke("export", "--view", "territory", "--territory", "Roubaiz", "-o",
                    str(tmp_path / "x.graphml"))
    assert result.exit_code == 1 and "did you mean" in result.stderr
    assert "commune:59512  Roubaix" in result.stderr
    result = invoke("viz", "connectors", "--programme", "programme:relance", "--territory",
                    "Saint-Denis", "-o", str(tmp_path / "c.html"))
    assert result.exit_code == 2
    # a territory read but not in the graph: load them
    result = invoke("viz", "territory", "Lyon", "-o", str(tmp_path / "l.html"))
    assert result.exit_code == 1 and "alliance-graph load territories" in result.stderr


def test_api_not_found_uses_the_error_table(client):
    response = client.get("/viz/space/space:nope")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    response = client.get("/viz/territory/departement:99")
    assert response.status_code == 404
    response = client.get("/viz/neighbourhood/org:xss?depth=9")
    assert response.status_code == 422


def test_api_exports(client):
    response = client.get("/export/graph.graphml")
    assert response.status_code == 200
    graph = nx.parse_graphml(response.text)
    assert "org:xss" in graph
    response = client.get("/export/graph.json?territories=none")
    data = response.json()
    assert {n["id"] for n in data["nodes"]} == {"org:xss", "org:href", "org:etat",
                                                 "programme:relance", "space:dialogue"}
    assert client.get("/export/graph.gexf").status_code == 200
    nodes = client.get("/export/graph.nodes.csv")
    assert nodes.headers["content-type"].startswith("text/csv")
    assert nodes.content.startswith(b"\xef\xbb\xbfid;label;")
    assert client.get("/export/graph.nodes.csv", params={"sep": ","}).content.startswith(
        b"\xef\xbb\xbfid,label,")
    assert "org:xss" in nodes.content.decode("utf-8-sig")
    assert "PARTNERS_WITH" in client.get("/export/graph.edges.csv").text
    assert client.get("/export/graph.pdf").status_code == 422


def test_every_level_draws_from_the_cli_and_the_api(client, viz_graph, neo4j_server,
                                                    tmp_path):
    """A commune with its radius (CLI ``--radius``, API ``radius_km``), a département;
    nothing to draw is a French page with status 200 in a browser (no failed resource in
    its console), the 422 error to an API client."""
    result = invoke("viz", "territory", "Roubaix", "--radius", "5", "-o",
                    str(tmp_path / "r.html"), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["title"] == "Autour de Roubaix (5 km)"
    page = client.get("/viz/territory/commune:59512", params={"radius_km": 12.5})
    assert page.status_code == 200 and "Autour de Roubaix (12,5 km)" in page.text
    assert client.get("/viz/territory/commune:59512",
                      params={"radius_km": 0}).status_code == 422
    assert client.get("/export/territory/commune:59512.json",
                      params={"radius_km": 5}).status_code == 200
    create_territories(viz_graph, ("departement:62", "commune:62041"), neo4j_server.database)
    html = {"Accept": "text/html,application/xhtml+xml"}
    for path in ("/viz/territory/Arras", "/viz/territory/62"):
        page = client.get(path, headers=html)
        assert page.status_code == 200, (path, page.text)
        assert "pas d'image" in html_mod.unescape(page.text).lower(), page.text
        assert "vis.Network" not in page.text and '{"error"' not in page.text
        error = client.get(path)  # an API client: the error, as JSON
        assert error.status_code == 422 and error.json()["error"]["code"] == "not_drawable"
    result = invoke("viz", "territory", "Arras", "-o", str(tmp_path / "a.html"))
    assert result.exit_code == 1 and "nothing to draw" in result.stderr


def test_the_catalyst_page_frames_the_picture_it_lists(client, viz_graph, neo4j_server):
    """The catalyst page's frame draws the commune with the page's radius, need and role;
    with nothing listed, the frame says why and the page does not invite to drag nodes."""
    body = client.get("/catalyseurs", params={"commune": "Roubaix", "rayon": "12",
                                              "role": "catalyst"}).text
    src = 'src="/viz/territory/commune:59512?radius_km=12&amp;role=catalyst"'
    assert src in body
    assert "Le réseau est interactif" in body
    frame = client.get("/viz/territory/commune:59512",
                       params={"radius_km": 12, "role": "catalyst"})
    assert frame.status_code == 200 and "org:xss" in frame.text  # the catalyst in Roubaix
    assert "org:href" not in frame.text  # a foundation, not a catalyst
    create_territories(viz_graph, ("departement:62", "commune:62041"), neo4j_server.database)
    body = client.get("/catalyseurs", params={"commune": "Arras", "rayon": "30"}).text
    assert 'src="/viz/territory/commune:62041?radius_km=30"' in body
    assert "Le réseau est interactif" not in body
