"""GET /paths takes ``source``/``target`` or their aliases ``from``/``to``."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("params", [
    {"source": "org:le-rameau", "target": "org:mediateur"},
    {"from": "org:le-rameau", "to": "org:mediateur"},
    {"from": "org:le-rameau", "target": "org:mediateur"},
    {"source": "org:le-rameau", "to": "org:mediateur"},
    # both spellings of one end, the same value: no conflict
    {"source": "org:le-rameau", "from": "org:le-rameau", "to": "org:mediateur"},
])
def test_either_spelling_gives_the_same_paths(client, params):
    response = client.get("/paths", params=params)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["source"]["id"] == "org:le-rameau"
    assert body["target"]["id"] == "org:mediateur"
    assert body["length"] == 1


def test_two_spellings_with_different_values_are_a_422(client):
    response = client.get("/paths", params={"source": "org:le-rameau", "from": "org:mediateur",
                                            "to": "org:assoc-lille"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_request"
    assert error["detail"][0]["loc"] == ["query", "source"]
    assert "from" in error["detail"][0]["msg"]


@pytest.mark.parametrize(("params", "missing"), [
    ({"target": "org:mediateur"}, "source"),
    ({"to": "org:mediateur"}, "source"),
    ({"from": "org:le-rameau"}, "target"),
    ({}, "source"),
])
def test_a_missing_end_is_a_422_naming_it(client, params, missing):
    response = client.get("/paths", params=params)
    assert response.status_code == 422
    error = response.json()["error"]
    assert set(response.json()) == {"error"} and error["status"] == 422
    assert error["detail"][0]["loc"] == ["query", missing]
    assert error["detail"][0]["type"] == "missing"


def test_openapi_documents_both_spellings(client):
    operation = client.get("/openapi.json").json()["paths"]["/paths"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"source", "target", "from", "to"} <= names
    described = {p["name"]: p.get("description", "") for p in operation["parameters"]}
    assert "from" in described["source"] and "source" in described["from"]
