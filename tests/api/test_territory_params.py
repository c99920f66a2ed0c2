"""Territory parameters through the API: every route reads them with the one parser
(graph/territory_reference.py) and answers the same way — a default reading with its
other readings in ``also_matches``, 409 ``ambiguous_territory`` with the candidates, 404
with suggestions or the reason, 400 for nothing or the wrong level.

The graph is the API fixture graph plus the real territories the references need
(tests/territory_fixtures.py).
"""

from __future__ import annotations

import html as html_mod

import pytest

from tests.api.test_errors import assert_error_shape
from tests.territory_fixtures import TERRITORY_TABLE, create_territories

#: territories added to the API fixture graph, linked to the parents already there
EXTRA = ("region:93", "region:76", "region:84", "departement:11", "departement:13",
         "departement:30", "departement:32", "departement:74", "departement:93",
         "epci:200054807", "commune:11339", "commune:13001", "commune:13055",
         "commune:30247", "commune:59100", "commune:74010", "commune:93066")


@pytest.fixture
def api(graph, client):
    create_territories(graph, EXTRA)
    links = [{"a": tid, "b": parent} for tid in EXTRA for parent in TERRITORY_TABLE[tid][3]]
    graph.execute_query("UNWIND $links AS link MATCH (a:Territory {id: link.a}), "
                        "(b:Territory {id: link.b}) MERGE (a)-[:PART_OF]->(b)", links=links)
    from queries.questions import clear_location_cache
    from queries.territory import clear_territory_cache

    clear_territory_cache()
    clear_location_cache()
    return client


def ids(items):
    return [item["id"] for item in items]


# reference → (id taken, ids of the other readings, notice expected)
READ = {
    "59100": ("commune:59100", ["commune:59512"], False),
    "13001": ("commune:13001", ["commune:13055"], False),
    "Saint-Denis (93)": ("commune:93066", [], False),
    "32": ("departement:32", ["region:32"], False),
    "dep:59": ("departement:59", [], False),
    "reg:32": ("region:32", [], False),
    "national": ("FR", [], False),
    "75111": ("commune:75056", [], True),
    "Annecy-le-Vieux": ("commune:74010", [], True),
}


@pytest.mark.parametrize("text", list(READ))
def test_every_territory_route_reads_the_same(api, text):
    taken, others, notice = READ[text]
    detail = api.get(f"/territories/{text}")
    assert detail.status_code == 200, detail.text
    body = detail.json()
    assert body["id"] == taken
    assert ids(body["also_matches"]) == others
    assert bool(body["notice"]) == notice
    for route in (f"/territories/{text}/programmes", f"/territories/{text}/gaps"):
        answer = api.get(route)
        assert answer.status_code == 200, (route, answer.text)
        territory = answer.json()["territory"]
        assert territory["id"] == taken
        assert ids(territory["also_matches"]) == others
        assert bool(territory["notice"]) == notice
    connectors = api.get("/connectors", params={"programme": "programme:numerique",
                                                "territory": text})
    assert connectors.status_code == 200, connectors.text
    assert connectors.json()["territory"]["id"] == taken
    assert ids(connectors.json()["territory"]["also_matches"]) == others
    assert api.get("/organisations", params={"territory": text}).status_code == 200


def test_a_default_reading_says_how_each_other_reading_was_found(api):
    body = api.get("/territories/59100/programmes").json()["territory"]
    assert body["name"] == "Bousignies" and body["population"] == 339
    (roubaix,) = body["also_matches"]
    assert roubaix["via"] == "postal_code" and roubaix["name"] == "Roubaix"
    assert roubaix["label"] == "Roubaix (code postal 59100)"
    assert roubaix["departements"] == ["59"]


@pytest.mark.parametrize("route", ["/territories/Saint-Denis", "/territories/Saint-Denis/gaps",
                                   "/territories/Saint-Denis/programmes",
                                   "/connectors?programme=programme:numerique&territory="
                                   "Saint-Denis",
                                   "/organisations?territory=Saint-Denis",
                                   "/partners/near?commune=Saint-Denis",
                                   "/viz/territory/Saint-Denis",
                                   "/viz/territory/Saint-Denis/embed",
                                   "/export/territory/Saint-Denis.json"])
def test_an_ambiguous_reference_is_a_409_with_the_candidates(api, route):
    error = assert_error_shape(api.get(route), 409, "ambiguous_territory")
    detail = error["detail"]
    assert detail["text"] == "Saint-Denis"
    assert sorted(ids(detail["candidates"])) == ["commune:11339", "commune:30247",
                                                 "commune:93066", "commune:97411"]
    first = detail["candidates"][0]
    assert {"id", "name", "level", "code", "departements", "population", "label",
            "via"} <= set(first)
    assert "département in brackets, e.g. 'Saint-Denis (974)'" in error["message"]


def test_an_unknown_reference_is_a_404_with_suggestions(api):
    error = assert_error_shape(api.get("/territories/Roubaiz/programmes"), 404,
                               "unknown_territory")
    assert ids(error["detail"]["suggestions"])[0] == "commune:59512"
    assert len(error["detail"]["suggestions"]) == 3
    assert "did you mean" in error["message"]
    near = assert_error_shape(api.get("/partners/near", params={"commune": "Roubaiz"}), 404,
                              "unknown_territory")
    assert ids(near["detail"]["suggestions"])[0] == "commune:59512"


def test_an_overseas_collectivity_is_a_404_that_says_so(api):
    error = assert_error_shape(api.get("/territories/975"), 404, "uncovered_territory")
    assert "Saint-Pierre-et-Miquelon" in error["message"]
    assert "non couverte" in error["detail"]["message_fr"]


def test_a_territory_read_but_not_loaded_says_to_load_them(api):
    error = assert_error_shape(api.get("/territories/Lyon"), 404, "territory_not_loaded")
    assert "alliance-graph load territories" in error["message"]
    assert error["detail"] == {"id": "commune:69123"}


def test_partners_near_reads_the_commune_with_the_parser(api):
    by_name = api.get("/partners/near", params={"commune": "Roubaix"}).json()
    assert by_name["centre"]["commune"]["id"] == "commune:59512"
    assert by_name["centre"]["commune"]["also_matches"] == []
    # 59100: Bousignies by INSEE code (the default), Roubaix by postal code
    postal = api.get("/partners/near", params={"commune": "59100", "radius_km": 5}).json()
    centre = postal["centre"]["commune"]
    assert centre["id"] == "commune:59100"
    assert ids(centre["also_matches"]) == ["commune:59512"]
    qualified = api.get("/partners/near", params={"commune": "Saint-Denis (93)"})
    assert qualified.status_code == 200, qualified.text
    assert qualified.json()["centre"]["commune"]["id"] == "commune:93066"
    error = assert_error_shape(api.get("/partners/near", params={"commune": "59"}), 400,
                               "invalid_parameter")
    assert "not a commune" in error["message"]


def test_viz_and_the_questions_read_a_commune_code_alike(api):
    assert api.get("/territories/59512/programmes").json()["territory"]["id"] == (
        "commune:59512")
    # Roubaix has organisations in it: drawn
    page = api.get("/viz/territory/59512")
    assert page.status_code == 200, page.text
    assert "Autour de Roubaix (30 km)" in page.text
    assert api.get("/viz/territory/59512/embed").status_code == 200
    # Bousignies has nothing in it, but the association of Lille 30 km away and the
    # programmes covering the Nord and France: drawn too, never "no territory"
    page = api.get("/viz/territory/commune:59100")
    assert page.status_code == 200, page.text
    assert "Autour de Bousignies (30 km)" in page.text
    assert "org:assoc-lille" in page.text
    # (captions are wrapped in the picture's data: a JSON "\n" where a line breaks)
    assert "programme:numerique" in page.text
    assert "1 programme couvrant le département Nord" in page.text.replace("\\n", " ")


def test_the_openapi_documents_the_409_on_territory_routes(api):
    spec = api.get("/openapi.json").json()
    for path in ("/territories/{code}", "/territories/{code}/programmes",
                 "/territories/{code}/gaps", "/connectors", "/partners/near",
                 "/organisations", "/viz/territory/{code}", "/viz/territory/{code}/embed",
                 "/viz/connectors", "/export/territory/{code}.{fmt}"):
        assert "409" in spec["paths"][path]["get"]["responses"], path
    # a route that reads neither a territory nor an element by name has no 409
    # (/programmes/{id} has one since it takes a name: ambiguous_element)
    assert "409" not in spec["paths"]["/programmes"]["get"]["responses"]


def test_an_html_picture_asks_before_drawing_a_default_reading(api):
    page = api.get("/viz/territory/59100?cap=100")
    assert page.status_code == 300
    assert page.headers["content-type"].startswith("text/html")
    assert "frame-ancestors" in page.headers["content-security-policy"]
    html = page.text
    assert "Bousignies (code INSEE 59100) ou Roubaix (code postal 59100) ?" in html
    assert 'href="/viz/territory/commune:59100?cap=100"' in html
    assert 'href="/viz/territory/commune:59512?cap=100"' in html
    # by id: one reading, drawn
    assert api.get("/viz/territory/commune:59512?cap=100").status_code == 200
    connectors = api.get("/viz/connectors", params={"programme": "programme:numerique",
                                                    "territory": "32"})
    assert connectors.status_code == 300
    assert "Gers (département 32) ou Hauts-de-France (région 32) ?" in connectors.text
    assert "territory=region%3A32" in connectors.text
    # the embed snippet and the exports answer the default, as the API does
    assert api.get("/viz/territory/32/embed").status_code == 200
    assert api.get("/export/connectors.json", params={
        "programme": "programme:numerique", "territory": "32"}).status_code == 200


def test_pictures_in_a_browser_say_why_in_french(api):
    """A page's frame or a report's iframe asks for HTML: an error is a short French page
    with the same status, never the JSON error body; API clients still get the JSON."""
    html = {"Accept": "text/html,application/xhtml+xml"}
    cases = {
        "/viz/territory/Saint-Denis": (409, "désigne plusieurs territoires"),
        "/viz/territory/Roubaiz": (404, "Vouliez-vous dire Roubaix"),
        "/viz/territory/975": (404, "collectivité d'outre-mer"),
        "/viz/neighbourhood/org:nobody": (404, "pas dans le graphe"),
    }
    for path, (status, words) in cases.items():
        response = api.get(path, headers=html)
        assert response.status_code == status, (path, response.text)
        assert response.headers["content-type"].startswith("text/html")
        assert words in html_mod.unescape(response.text), (path, response.text)
        assert '{"error"' not in response.text
    assert api.get("/viz/territory/Saint-Denis").json()["error"]["code"] == "ambiguous_territory"
