"""queries.places: a territory's chain (commune ⊂ EPCI ⊂ département ⊂ région ⊂ France) and
the places of an element, on hand-made territories (tests/territory_fixtures.py)."""

from __future__ import annotations

from queries.places import element_places, territory_chain, territory_chains
from tests.territory_fixtures import create_territories

#: a second EPCI for Roubaix (the reference has no commune in two EPCIs, the model allows
#: it), and an organisation located in Roubaix, active in the Nord and in three communes
EXTRA = """
MATCH (roubaix:Territory {id: 'commune:59512'}), (lille:Territory {id: 'commune:59350'}),
      (tourcoing:Territory {id: 'commune:59599'}), (nord:Territory {id: 'departement:59'})
CREATE (e:Territory:Epci {id: 'epci:999999999', code: '999999999', level: 'epci',
        name: 'Agglomération imaginaire'})-[:PART_OF]->(nord)
CREATE (roubaix)-[:PART_OF]->(e)
CREATE (o:Organisation {id: 'org:x', name: 'X', kind: 'association'})
CREATE (o)-[:LOCATED_IN]->(roubaix), (o)-[:ACTIVE_IN]->(nord), (o)-[:ACTIVE_IN]->(lille),
       (o)-[:ACTIVE_IN]->(tourcoing), (o)-[:ACTIVE_IN]->(roubaix)
"""


def names(chain) -> list[list[str]]:
    return [[t.name for t in step] for step in chain.steps]


def test_a_commune_chain_runs_up_to_france_one_level_a_step(db):
    create_territories(db, ["FR", "region:32", "departement:59", "epci:200093201",
                            "commune:59512"])
    chain = territory_chain(db, "commune:59512")
    assert names(chain) == [["Roubaix"], ["Métropole Européenne de Lille"], ["Nord"],
                            ["Hauts-de-France"], ["France"]]
    assert [step[0].level for step in chain.steps] == ["commune", "epci", "departement",
                                                       "region", "country"]


def test_a_commune_in_two_epcis_has_both_in_one_step(db):
    create_territories(db, ["FR", "region:32", "departement:59", "epci:200093201",
                            "commune:59512", "commune:59350", "commune:59599"])
    db.execute_query(EXTRA)
    assert names(territory_chain(db, "commune:59512"))[1] == [
        "Agglomération imaginaire", "Métropole Européenne de Lille"]


def test_an_epci_over_several_departements_lists_them_and_a_commune_keeps_its_own(db):
    create_territories(db, ["FR", "region:93", "departement:13", "departement:83",
                            "departement:84", "epci:200054807", "commune:83120"])
    chains = territory_chains(db, ["epci:200054807", "commune:83120", "nowhere"])
    assert set(chains) == {"epci:200054807", "commune:83120"}
    assert names(chains["epci:200054807"])[1] == ["Bouches-du-Rhône", "Var", "Vaucluse"]
    assert names(chains["commune:83120"])[2] == ["Var"]


def test_missing_levels_are_skipped(db):
    # the fixture's La Réunion has no région node: the chain stops at the département
    create_territories(db, ["FR", "departement:974", "commune:97411"])
    assert names(territory_chain(db, "commune:97411")) == [["Saint-Denis"], ["La Réunion"]]
    assert territory_chain(db, "commune:00000") is None


def test_element_places_by_relation_smallest_first_and_limited(db):
    create_territories(db, ["FR", "region:32", "departement:59", "epci:200093201",
                            "commune:59512", "commune:59350", "commune:59599"])
    db.execute_query(EXTRA)
    places = element_places(db, "org:x", limit=3)
    assert [p.relation for p in places] == ["LOCATED_IN", "ACTIVE_IN"]
    assert places[0].total == 1 and places[0].chains[0].territory.id == "commune:59512"
    active = places[1]
    assert active.total == 4
    # communes first (by name), then the département; the fourth is left out
    assert [c.territory.name for c in active.chains] == ["Lille", "Roubaix", "Tourcoing"]
    assert element_places(db, "org:nothing") == []
