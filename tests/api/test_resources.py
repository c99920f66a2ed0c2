"""The resource routes through the real app against the real Neo4j (fixture graph in
conftest.py): one test per question, plus pagination and OpenAPI."""

from __future__ import annotations

import pytest


def ids(items, key="id"):
    return [item[key] for item in items]


def test_search_finds_by_name_without_accents(client):
    body = client.get("/search", params={"q": "mediateur"}).json()
    assert ids(body["items"]) == ["org:mediateur"]
    assert client.get("/search", params={"q": "numerique", "label": "Need"}).json()[
        "items"][0]["id"] == "need:inclusion-numerique"


def test_search_unknown_label_is_400(client):
    response = client.get("/search", params={"q": "x", "label": "Nope"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_parameter"


def test_organisations_list_filters_and_pages(client):
    body = client.get("/organisations").json()
    assert body["total"] == 4
    assert ids(body["items"]) == ["org:assoc-lille", "org:fondation-roubaix",
                                  "org:le-rameau", "org:mediateur"]
    page = client.get("/organisations", params={"limit": 2, "offset": 2}).json()
    assert (page["total"], page["limit"], page["offset"]) == (4, 2, 2)
    assert ids(page["items"]) == ["org:le-rameau", "org:mediateur"]
    assert ids(client.get("/organisations", params={"territory": "59"}).json()["items"]) == [
        "org:assoc-lille", "org:fondation-roubaix"]
    assert ids(client.get("/organisations", params={"role": "catalyseur"}).json()[
        "items"]) == ["org:fondation-roubaix"]
    assert client.get("/organisations", params={"kind": "État"}).json()["total"] == 1


@pytest.mark.parametrize("params", [{"kind": "nope"}, {"role": "boss"}])
def test_organisations_bad_filter_is_400(client, params):
    assert client.get("/organisations", params=params).status_code == 400


def test_page_limits(client):
    assert client.get("/organisations", params={"limit": 0}).status_code == 422
    assert client.get("/organisations", params={"offset": -1}).status_code == 422
    assert client.get("/organisations", params={"limit": 200}).status_code == 200
    assert client.get("/organisations", params={"limit": 201}).status_code == 422


def test_organisation_detail(client):
    body = client.get("/organisations/org:le-rameau").json()
    assert body["roles"] == ["relay"]
    assert body["commune"]["id"] == "commune:75056"
    links = {(link["type"], link["node"]["id"]) for link in body["links"]}
    assert ("CARRIES", "programme:numerique") in links
    assert ("PARTNERS_WITH", "org:mediateur") in links
    assert "name_key" not in body["properties"]


def test_programmes(client):
    assert ids(client.get("/programmes", params={"phase": "recovery"}).json()["items"]) == [
        "programme:numerique"]
    assert ids(client.get("/programmes", params={"need": "need:tresorerie"}).json()[
        "items"]) == ["programme:fonds-urgence"]
    body = client.get("/programmes/programme:numerique").json()
    assert body["kind"] == "relance"
    assert body["properties"]["start"] == "2020-09-01"
    assert client.get("/programmes/org:le-rameau").status_code == 404


def test_territory_detail(client):
    body = client.get("/territories/59").json()
    assert body["id"] == "departement:59"
    assert ids(body["parents"]) == ["region:32", "FR"]
    assert body["organisations"] == 2
    assert body["programmes"] == 2
    assert client.get("/territories/Roubaix").json()["location"]["latitude"] == 50.6942
    assert client.get("/territories/99999").status_code == 404
    # the territory parser reads "nope:1" as a name: nothing of that name
    assert client.get("/territories/nope:1").json()["error"]["code"] == "unknown_territory"
    assert client.get("/territories/%20").status_code == 400


def test_territory_programmes_and_gaps(client):
    body = client.get("/territories/59512/programmes").json()
    assert body["total"] == 2
    gaps = client.get("/territories/departement:59/gaps").json()
    assert ids(gaps["gaps"]) == ["need:mobilite"]
    assert client.get("/territories/59/gaps", params={"scope": "nope"}).status_code == 422


def test_connectors(client):
    body = client.get("/connectors", params={"programme": "programme:numerique",
                                             "territory": "59"}).json()
    assert [item["organisation"]["id"] for item in body["items"]] == ["org:fondation-roubaix"]
    missing = client.get("/connectors", params={"programme": "programme:nope",
                                                "territory": "59"})
    assert missing.status_code == 404
    assert client.get("/connectors", params={"territory": "59"}).status_code == 422


def test_partners_near(client):
    body = client.get("/partners/near", params={"commune": "59512", "radius_km": 30}).json()
    assert [i["organisation"]["id"] for i in body["items"]] == [
        "org:fondation-roubaix", "org:assoc-lille"]
    point = client.get("/partners/near", params={"lat": 50.69, "lon": 3.17,
                                                 "role": "catalyst"}).json()
    assert point["total"] == 1
    assert client.get("/partners/near", params={"commune": "59512",
                                                "radius_km": 0}).status_code == 422
    assert client.get("/partners/near", params={"lat": "nan", "lon": 3}).status_code == 422


def test_neighbourhood_and_paths(client):
    body = client.get("/elements/org:le-rameau/neighbourhood", params={"limit": 2}).json()
    assert body["total"] == 5 and len(body["items"]) == 2
    assert client.get("/elements/org:nope/neighbourhood").status_code == 404
    assert client.get("/elements/org:le-rameau/neighbourhood",
                      params={"depth": 9}).status_code == 422
    paths = client.get("/paths", params={"source": "org:le-rameau",
                                         "target": "org:mediateur"}).json()
    assert paths["length"] == 1
    same = client.get("/paths", params={"source": "org:le-rameau", "target": "org:le-rameau"})
    assert same.status_code == 400


def test_dialogue_spaces_stats_analytics(client):
    spaces = client.get("/dialogue-spaces").json()
    assert spaces["overlaps"][0]["shared_count"] == 1
    stats = client.get("/stats").json()
    assert stats["labels"]["Organisation"] == 4
    brokers = client.get("/analytics/brokers", params={"top": 1}).json()
    assert ids(brokers["items"]) == ["org:le-rameau"]
    communities = client.get("/analytics/communities").json()
    assert communities["total"] >= 1


def test_openapi_has_every_route_with_examples(client):
    spec = client.get("/openapi.json").json()
    expected = {
        "/health", "/search", "/organisations", "/organisations/{organisation_id}",
        "/programmes", "/programmes/{programme_id}", "/territories/{code}",
        "/territories/{code}/programmes", "/territories/{code}/gaps", "/connectors",
        "/partners/near", "/elements/{element_id}/neighbourhood", "/paths",
        "/dialogue-spaces", "/analytics/brokers", "/analytics/communities", "/stats",
        "/imports", "/cypher", "/organisations/{organisation_id}/suggestions",
        "/territories/{code}/alliances",
        "/organisations/{organisation_id}/suggestions/{other_id}/mark",
    }
    assert expected <= set(spec["paths"])
    for path in expected - {"/health"}:
        for method, operation in spec["paths"][path].items():
            ok = operation["responses"]["200"]["content"]["application/json"]
            assert "example" in ok or "examples" in ok or method == "post", path
            assert operation["responses"]["503"]["content"]["application/json"]["schema"][
                "$ref"].endswith("/ErrorBody")


def test_not_found_and_missing_centre_speak_to_api_users(client):
    # the questions are shared with the command line: their messages name both ways to
    # find an id, and no command-line flag
    missing = client.get("/partners/near")
    assert missing.status_code == 400
    message = missing.json()["error"]["message"]
    assert "59512" in message and "--" not in message
    unknown = client.get("/elements/org:nobody/neighbourhood")
    assert unknown.status_code == 404
    assert "GET /search" in unknown.json()["error"]["message"]
