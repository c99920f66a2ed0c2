"""True coverage through the API: /territories/{code}/programmes and /gaps of an EPCI that
spans several départements (the Provence graph of tests/coverage_fixtures.py)."""

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.settings import get_settings
from tests.coverage_fixtures import create_provence


@pytest.fixture
def provence_client(db):
    from queries.territory import clear_territory_cache

    clear_territory_cache()
    create_provence(db)
    with TestClient(create_app(get_settings())) as client:
        yield client


def test_programmes_of_marseille_and_of_its_epci(provence_client):
    body = provence_client.get("/territories/13055/programmes").json()
    listed = {p["id"] for g in body["groups"] for p in g["programmes"]}
    assert "programme:var" not in listed and "programme:bdr" in listed
    assert body["partial"] == []

    body = provence_client.get("/territories/200054807/programmes").json()
    assert [t["id"] for t in body["scope"]] == ["epci:200054807", "region:93", "FR"]
    var = body["partial"][1]
    assert var["programme"] == {"id": "programme:var", "name": "Var solidaire",
                                "phase": "urgence"}
    assert var["territory"]["id"] == "departement:83"
    assert (var["communes_covered"], var["communes_total"]) == (1, 4)
    assert [n["id"] for n in var["needs"]] == ["need:emploi"]


def test_gaps_and_detail_of_the_epci(provence_client):
    body = provence_client.get("/territories/200054807/gaps").json()
    emploi = next(g for g in body["gaps"] if g["id"] == "need:emploi")
    assert [(p["programme"]["id"], p["communes_covered"], p["communes_total"])
            for p in emploi["partial"]] == [("programme:var", 1, 4)]
    detail = provence_client.get("/territories/200054807").json()
    assert (detail["programmes"], detail["programmes_partial"]) == (3, 3)
    assert provence_client.get("/territories/83").json()["organisations"] == 3
