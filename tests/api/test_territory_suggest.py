"""GET /territories/suggest (api/routers/territory_suggest.py) through the real app, and
the pages' alias GET /pages-api/communes: same candidates, same order."""

from __future__ import annotations

import pytest


def suggest(client, q: str, **params) -> list[dict]:
    response = client.get("/territories/suggest", params={"q": q, **params})
    assert response.status_code == 200, response.text
    return response.json()


def test_prefix_most_populous_first(client):
    found = suggest(client, "roub")
    assert found[0]["id"] == "commune:59512"
    assert found[0] == {"id": "commune:59512", "level": "commune", "code": "59512",
                        "name": "Roubaix", "departements": ["59"],
                        "population": found[0]["population"], "via": "name",
                        "label": "Roubaix (Nord, 59)", "notice": None}
    populations = [c["population"] for c in found if c["level"] == "commune"]
    assert populations == sorted(populations, reverse=True)


def test_postal_code_prefix(client):
    found = suggest(client, "591", limit=20)
    assert found and all(c["via"] == "postal_code" for c in found)
    assert all("code postal 591" in c["label"] for c in found)
    assert "commune:59350" in [c["id"] for c in found]  # Lille, 59160


@pytest.mark.parametrize(("q", "expected"), [
    ("st-eti", "commune:42218"),        # St- for Saint-, accents ignored
    ("saint etienne", "commune:42218"),
    ("ÉVRY", "commune:91228"),          # accents and case
    ("evry-c", "commune:91228"),
    ("pac", "region:93"),               # acronym: PACA
])
def test_names_as_people_write_them(client, q, expected):
    assert expected in [c["id"] for c in suggest(client, q, limit=10)]


def test_pac_gives_the_region_first(client):
    assert suggest(client, "pac")[0]["id"] == "region:93"


def test_limits(client):
    assert suggest(client, "") == []
    assert len(suggest(client, "sa", limit=3)) == 3
    assert client.get("/territories/suggest", params={"q": "sa", "limit": 0}).status_code == 422
    bad = client.get("/territories/suggest", params={"q": "x" * 101})
    assert bad.status_code == 422 and "error" in bad.json()


def test_not_swallowed_by_territory_route(client):
    # /territories/{code} is registered after it: "suggest" is not a territory code
    assert client.get("/territories/suggest", params={"q": "lille"}).json()[0]["name"] in (
        "Lille", "Métropole Européenne de Lille")
    assert client.get("/territories/59").status_code == 200


def test_pages_alias_same_candidates(client):
    api = suggest(client, "roub", limit=8)
    pages = client.get("/pages-api/communes", params={"q": "roub"}).json()
    assert [p["id"] for p in pages] == [c["id"] for c in api]
    assert pages[0] == {"id": "commune:59512", "value": "Roubaix (59)",
                        "label": "Roubaix (Nord, 59)", "hint": pages[0]["hint"]}
    assert pages[0]["hint"].endswith(" hab.")


def test_openapi_documents_it(client):
    spec = client.get("/openapi.json").json()
    route = spec["paths"]["/territories/suggest"]["get"]
    assert route["responses"]["200"]["content"]["application/json"]["example"][0]["name"] == (
        "Roubaix")
    assert {p["name"] for p in route["parameters"]} == {"q", "limit"}
