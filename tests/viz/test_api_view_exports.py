"""GET /viz/…/embed checks the id (404 without building the view) and GET /export/<view>/…
exports one view in the whole-graph formats, on the tiny graph of tests/viz/conftest.py."""

from __future__ import annotations

import io
import json

import networkx as nx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.settings import get_settings
from viz import views


@pytest.fixture
def client(viz_graph):
    get_settings.cache_clear()
    with TestClient(create_app()) as test_client:
        yield test_client


@pytest.fixture
def no_view_builds(monkeypatch):
    """Make every view builder fail: an embed answer must not build one."""
    def refuse(*args, **kwargs):
        raise AssertionError("an embed built a view")

    for name in ("neighbourhood_graph", "connectors_graph", "space_graph", "territory_graph"):
        monkeypatch.setattr(views, name, refuse)


EMBEDS_OK = [
    "/viz/neighbourhood/org:xss/embed",
    "/viz/neighbourhood/departement:59/embed",
    "/viz/space/space:dialogue/embed",
    "/viz/territory/59/embed",
    "/viz/territory/Roubaix/embed",
    "/viz/connectors/embed?programme=programme:relance&territory=59",
]
EMBEDS_MISSING = [
    ("/viz/neighbourhood/org:nope/embed", "no element 'org:nope'"),
    ("/viz/space/space:nope/embed", "no dialogue space 'space:nope'"),
    # an organisation is not a space
    ("/viz/space/org:xss/embed", "no dialogue space 'org:xss'"),
    # territories are read by the territory parser: unknown_territory, its message
    ("/viz/territory/departement:99/embed", "no departement with code '99'"),
    ("/viz/connectors/embed?programme=programme:nope&territory=59", "no programme"),
    ("/viz/connectors/embed?programme=org:xss&territory=59", "no programme"),
    ("/viz/connectors/embed?programme=programme:relance&territory=departement:99",
     "no departement with code '99'"),
]


@pytest.mark.parametrize("url", EMBEDS_OK)
def test_embed_of_a_known_id_answers_the_snippet(client, no_view_builds, url):
    response = client.get(url)
    assert response.status_code == 200, response.text
    assert response.json()["html"].startswith("<iframe ")


@pytest.mark.parametrize(("url", "message"), EMBEDS_MISSING)
def test_embed_of_an_unknown_id_is_a_404(client, no_view_builds, url, message):
    response = client.get(url)
    assert response.status_code == 404, response.text
    error = response.json()["error"]
    assert set(response.json()) == {"error"}
    code = "unknown_territory" if "departement:99" in url else "not_found"
    assert error["code"] == code and message in error["message"]


def test_embed_of_an_unknown_territory_suggests_names(client):
    # "canton:1" is no prefix the parser knows: read as a name, with near misses
    response = client.get("/viz/territory/canton:1/embed")
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "unknown_territory" and len(error["detail"]["suggestions"]) == 3


# --- per-view exports -------------------------------------------------------------------

#: each view's export URL, and its file name: the picture's title in words, never an id
VIEW_URLS = {
    "neighbourhood": ("/export/neighbourhood/org:xss.{fmt}?depth=1",
                      "reseau-autour-de-img-src-x-onerror-alert-1"),
    "connectors": ("/export/connectors.{fmt}?programme=programme:relance&territory=59",
                   "plan-de-relance-nord-les-organisations-qui-les-relient"),
    "space": ("/export/space/space:dialogue.{fmt}", "espace-de-dialogue-espace-dialogue-co"),
    "territory": ("/export/territory/59.{fmt}", "territoire-nord"),
}
#: the end of a file name, by format: the CSV tables say which they are, in French
SUFFIX = {"nodes.csv": "-noeuds.csv", "edges.csv": "-liens.csv"}
MEDIA = {"graphml": "application/graphml+xml", "gexf": "application/gexf+xml",
         "json": "application/json", "nodes.csv": "text/csv", "edges.csv": "text/csv"}


def _nodes(fmt: str, content: bytes) -> set[str]:
    if fmt == "graphml":
        return set(nx.parse_graphml(content.decode()))
    if fmt == "gexf":
        return set(nx.read_gexf(io.BytesIO(content)))
    if fmt == "json":
        return {n["id"] for n in json.loads(content)["nodes"]}
    lines = content.decode("utf-8-sig").splitlines()[1:]
    return {line.split(";")[0] for line in lines}


@pytest.mark.parametrize("view", sorted(VIEW_URLS))
@pytest.mark.parametrize("fmt", sorted(MEDIA))
def test_view_export_is_the_view_the_cli_writes(client, viz_graph, view, fmt, tmp_path):
    url, filename = VIEW_URLS[view]
    response = client.get(url.format(fmt=fmt))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(MEDIA[fmt])
    assert response.headers["content-disposition"] == (
        f'attachment; filename="{filename}{SUFFIX.get(fmt, "." + fmt)}"')
    # the same graph as views.export_view, which the CLI's `export --view` writes
    kwargs = {"neighbourhood": {"element_id": "org:xss", "depth": 1},
              "connectors": {"programme": "programme:relance", "territory": "59"},
              "space": {"element_id": "space:dialogue"}, "territory": {"territory": "59"}}
    expected = views.export_view(viz_graph, view, **kwargs[view])
    if fmt == "edges.csv":
        lines = response.content.decode("utf-8-sig").splitlines()
        assert lines[0] == "source;target;type;label;count"
        assert len(lines) - 1 == len(expected.edges)
    else:
        assert _nodes(fmt, response.content) == {n.id for n in expected.nodes}


def test_view_exports_hold_the_hand_worked_nodes(client):
    space = client.get("/export/space/space:dialogue.json").json()
    assert {n["id"] for n in space["nodes"]} == {"space:dialogue", "org:xss", "org:href"}
    connectors = client.get(
        "/export/connectors.json?programme=programme:relance&territory=59").json()
    ids = {n["id"] for n in connectors["nodes"]}
    assert {"programme:relance", "departement:59", "org:xss", "org:href"} <= ids
    assert "org:etat" not in ids  # active in the Nord, but not linked to the programme


@pytest.mark.parametrize("url", [
    "/export/neighbourhood/org:nope.graphml",
    "/export/space/space:nope.json",
    "/export/territory/departement:99.gexf",
    "/export/connectors.json?programme=programme:nope&territory=59",
    "/export/connectors.json?programme=programme:relance&territory=departement:99",
])
def test_view_export_of_an_unknown_id_is_a_404(client, url):
    response = client.get(url)
    assert response.status_code == 404, response.text
    code = "unknown_territory" if "departement:99" in url else "not_found"
    assert response.json()["error"]["code"] == code


def test_view_export_needs_its_parameters_and_a_known_format(client):
    response = client.get("/export/connectors.json?programme=programme:relance")
    assert response.status_code == 422
    assert response.json()["error"]["detail"][0]["loc"] == ["query", "territory"]
    assert client.get("/export/space/space:dialogue.pdf").status_code == 404


def test_an_id_with_dots_splits_at_the_format(client, viz_graph):
    with viz_graph.session() as session:
        session.run("CREATE (:Organisation {id: 'org:a.b', name: 'A.B', source: 't'})"
                    ).consume()
    response = client.get("/export/neighbourhood/org:a.b.nodes.csv")
    assert response.status_code == 200, response.text
    assert "org:a.b" in response.content.decode("utf-8-sig")
    assert 'filename="reseau-autour-de-a-b-noeuds.csv"' in (
        response.headers["content-disposition"])


def test_openapi_lists_the_view_exports(client):
    spec = client.get("/openapi.json").json()["paths"]
    for path in ("/export/neighbourhood/{element_id}.{fmt}", "/export/connectors.{fmt}",
                 "/export/space/{space_id}.{fmt}", "/export/territory/{code}.{fmt}"):
        assert path in spec, sorted(spec)
        params = {p["name"]: p for p in spec[path]["get"]["parameters"]}
        assert params["fmt"]["schema"]["enum"] == ["graphml", "gexf", "json", "nodes.csv",
                                                   "edges.csv"]
