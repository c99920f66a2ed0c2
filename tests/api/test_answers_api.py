"""GET /partners/near and /connectors: the new fields (placed_by, active_on_territory,
covering, reason) on the pages' fixture graph plus a national actor."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from tests.pages.conftest import load_pages_graph

EXTRA = """
MATCH (fr:Territory {id: 'FR'}), (fonds:Programme {id: 'programme:fonds-urgence'})
CREATE (nat:Organisation {id: 'org:national', name: 'Acteur national', kind: 'association'})
CREATE (nat)-[:ACTIVE_IN]->(fr), (nat)-[:CARRIES]->(fonds)
"""


@pytest.fixture
def api(db, neo4j_server):
    load_pages_graph(db, neo4j_server.database)
    db.execute_query(EXTRA)
    with TestClient(create_app()) as client:
        yield client


def test_near_says_how_each_is_placed_and_who_acts_on_the_territory(api):
    body = api.get("/partners/near", params={"commune": "59512", "radius_km": 20,
                                             "limit": 1}).json()
    assert body["items"][0]["placed_by"] == "commune"
    assert body["total"] == 4  # the catalyst, the relay, Le RAMEAU (Lille), Tourcoing
    active = body["active_on_territory"]
    assert (active["total"], active["limit"], active["offset"]) == (1, 1, 0)
    assert active["items"][0]["organisation"]["id"] == "org:national"
    assert active["items"][0]["territory"]["id"] == "FR"


def test_connectors_covering_and_reason(api):
    body = api.get("/connectors", params={"programme": "programme:fonds-urgence",
                                          "territory": "62"}).json()
    assert body["total"] == 0 and body["items"] == []
    assert body["covering"]["total"] == 1
    (item,) = body["covering"]["items"]
    assert item["organisation"]["id"] == "org:national"
    assert [n["id"] for n in item["paths"][0]["nodes"]] == [
        "programme:fonds-urgence", "org:national", "FR", "region:32", "departement:62"]
    assert body["reason"] is None
    empty = api.get("/connectors", params={"programme": "programme:pass-numerique",
                                           "territory": "75"}).json()
    assert empty["reason"] == "none_in_territory"
    assert empty["covering"] == {"total": 0, "limit": 50, "offset": 0, "items": []}
