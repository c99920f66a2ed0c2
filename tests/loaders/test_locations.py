"""Organisations without lat/lon get their commune's location at load time.

So "partners near" searches one point index (organisation_location). The copy is marked
``location_from = 'commune'``: an explicit lat/lon always wins and clears the mark, and a
later load updates a copied location.
"""

from __future__ import annotations

import pytest

from loaders.importer import load_sources
from loaders.locations import derive_locations
from tests.loaders.test_import import TERRITORIES, csv_source, node
from tests.territory_fixtures import create_territories

HEADER = "id,type,name,kind,roles,territory,lat,lon\n"


@pytest.fixture
def loc_graph(db):
    create_territories(db, TERRITORIES)
    return db


def load(driver, text: str):
    report = load_sources(driver, [csv_source("e.csv", HEADER + text)])
    assert report.ok, [e.message for e in report.errors]
    return report


def test_commune_location_is_copied_and_marked(loc_graph):
    load(loc_graph, "org:a,Organisation,Asso A,association,,59512,,\n"
                    "org:b,Organisation,Asso B,association,,59350,50.70,3.20\n"
                    "org:c,Organisation,Asso C,association,,59,,\n")
    a, b, c = (node(loc_graph, i) for i in ("org:a", "org:b", "org:c"))
    assert a["location_from"] == "commune"
    assert (a["location"].latitude, a["location"].longitude) == (50.6942, 3.1746)
    # its own lat/lon wins over Lille's location, and carries no mark
    assert b["location"].latitude == pytest.approx(50.70) and "location_from" not in b
    # active in a département, located in no commune: no location
    assert "location" not in c and "location_from" not in c


def test_explicit_location_later_wins_and_a_move_updates(loc_graph):
    load(loc_graph, "org:a,Organisation,Asso A,association,,59512,,\n")
    load(loc_graph, "org:a,Organisation,Asso A,association,,,50.80,3.30\n")
    a = node(loc_graph, "org:a")
    assert a["location"].latitude == pytest.approx(50.80) and "location_from" not in a
    # a copied location follows the communes: the first by id when there are two
    load(loc_graph, "org:m,Organisation,Asso M,association,,59512,,\n")
    load(loc_graph, "org:m,Organisation,Asso M,association,,59350,,\n")
    m = node(loc_graph, "org:m")
    assert m["location_from"] == "commune" and m["location"].latitude == 50.6292


def test_derive_everything_after_a_raw_write(loc_graph):
    loc_graph.execute_query(
        "MATCH (c:Commune {id: 'commune:59350'}) "
        "CREATE (:Organisation {id: 'org:raw', name: 'Raw'})-[:LOCATED_IN]->(c)")
    assert derive_locations(loc_graph) == 1
    raw = node(loc_graph, "org:raw")
    assert raw["location_from"] == "commune" and raw["location"].latitude == 50.6292
    # copied locations are considered again (idempotent); own locations are not
    assert derive_locations(loc_graph) == 1
