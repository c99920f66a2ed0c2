"""Routes that take an element accept its id, its exact name or an alias (the fixture
graph of tests/api/conftest.py; aliases from data/aliases.csv: "rameau" → Le RAMEAU,
"Le Médiateur des entreprises" → Médiateur des entreprises)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("ref", ["org:le-rameau", "Le RAMEAU", "le rameau", "rameau",
                                 "LE   RAMEAU!"])
def test_an_organisation_by_id_name_or_alias(client, ref):
    response = client.get(f"/organisations/{ref}")
    assert response.status_code == 200, response.text
    assert response.json()["id"] == "org:le-rameau"


def test_a_programme_by_name(client):
    response = client.get("/programmes/plan inclusion numerique")
    assert response.status_code == 200, response.text
    assert response.json()["id"] == "programme:numerique"
    # an organisation's name is no programme
    assert client.get("/programmes/Le RAMEAU").status_code == 404


def test_connectors_take_a_programme_by_name(client):
    by_id = client.get("/connectors", params={"programme": "programme:numerique",
                                              "territory": "59"})
    by_name = client.get("/connectors", params={"programme": "Plan inclusion numérique",
                                                "territory": "59"})
    assert by_id.status_code == by_name.status_code == 200, by_name.text
    assert by_name.json() == by_id.json()
    assert by_name.json()["programme"]["id"] == "programme:numerique"


def test_paths_take_names_and_aliases(client):
    response = client.get("/paths", params={"from": "rameau",
                                            "to": "Le Médiateur des entreprises"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["source"]["id"], body["target"]["id"]) == ("org:le-rameau", "org:mediateur")
    assert body["length"] == 1


def test_a_neighbourhood_by_name_and_a_territory_by_id(client):
    by_name = client.get("/elements/Fondation Roubaix/neighbourhood")
    assert by_name.status_code == 200, by_name.text
    assert by_name.json()["centre"]["id"] == "org:fondation-roubaix"
    assert client.get("/elements/commune:59512/neighbourhood").status_code == 200


def test_a_neighbourhood_picture_by_name(client):
    response = client.get("/viz/neighbourhood/Fondation Roubaix/embed")
    assert response.status_code == 200, response.text
    page = client.get("/viz/neighbourhood/Fondation Roubaix", headers={"accept": "text/html"})
    assert page.status_code == 200
    missing = client.get("/viz/neighbourhood/Fondation Roubiax",
                         headers={"accept": "text/html"})
    assert missing.status_code == 404
    assert "Fondation Roubaix" in missing.text  # the suggestion, in French


def test_the_openapi_lists_409_where_names_are_taken(client):
    spec = client.get("/openapi.json").json()["paths"]
    for path in ("/organisations/{organisation_id}", "/programmes/{programme_id}",
                 "/connectors", "/paths", "/elements/{element_id}/neighbourhood"):
        assert "409" in spec[path]["get"]["responses"], path
    assert "ambiguous_element" in spec["/paths"]["get"]["responses"]["409"]["description"]


def test_exports_take_names(client):
    response = client.get("/export/neighbourhood/Fondation Roubaix.json")
    assert response.status_code == 200, response.text
    assert any(n["id"] == "org:fondation-roubaix" for n in response.json()["nodes"])
    response = client.get("/export/connectors.json",
                          params={"programme": "Plan inclusion numérique", "territory": "59"})
    assert response.status_code == 200, response.text
    assert client.get("/export/connectors.json", params={
        "programme": "Plan inclusion numeriqeu", "territory": "59"}).status_code == 404
