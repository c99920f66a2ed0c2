"""Partners near and connectors say what the data knows beyond the obvious: organisations
placed by a commune or a territory they act in, those acting on a territory containing the
commune, those covering a territory from above, and why an answer is empty.

The hand-made graph of tests/queries/conftest.py, plus (EXTRA below):

    org:lille-active   Lille Active        ACTIVE_IN Lille only: placed at Lille
    org:paris-actif    Actif à Roubaix     LOCATED_IN Paris, ACTIVE_IN Roubaix
    org:national       Acteur national     ACTIVE_IN FR only: placed nowhere
    org:rameau         Le RAMEAU           also ACTIVE_IN FR (located in Paris)
    org:pdc            Pas-de-Calais actif ACTIVE_IN the Pas-de-Calais (no commune of it in
                       the graph: no centre, placed nowhere)

org:nord-dept (ACTIVE_IN the Nord, no commune) is placed at the average of the Nord's
communes (Roubaix, Lille, Dunkerque): (50.7859, 2.8696), ~24 km from Roubaix.
"""

import pytest

from queries import connectors, partners_near

EXTRA = """
MATCH (fr:Territory {id: 'FR'}), (roubaix:Territory {id: 'commune:59512'}),
      (lille:Territory {id: 'commune:59350'}), (paris:Territory {id: 'commune:75056'}),
      (rameau:Organisation {id: 'org:rameau'}), (pdc:Territory {id: 'departement:62'})
CREATE (la:Organisation {id: 'org:lille-active', name: 'Lille Active', kind: 'association'})
CREATE (pa:Organisation {id: 'org:paris-actif', name: 'Actif à Roubaix', kind: 'association'})
CREATE (na:Organisation {id: 'org:national', name: 'Acteur national', kind: 'association'})
CREATE (pc:Organisation {id: 'org:pdc', name: 'Pas-de-Calais actif', kind: 'association'})
CREATE (la)-[:ACTIVE_IN]->(lille), (pa)-[:LOCATED_IN]->(paris), (pa)-[:ACTIVE_IN]->(roubaix),
       (na)-[:ACTIVE_IN]->(fr), (rameau)-[:ACTIVE_IN]->(fr), (pc)-[:ACTIVE_IN]->(pdc)
"""


@pytest.fixture
def placed(graph):
    from loaders.locations import derive_locations
    from tests.territory_fixtures import create_territories

    create_territories(graph, ["departement:62"])
    graph.execute_query(EXTRA)
    derive_locations(graph)
    return graph


def test_partners_near_places_organisations_by_what_the_data_knows(placed):
    page = partners_near(placed, commune="59512", radius_km=20)
    assert [(i.organisation.id, i.placed_by) for i in page.items] == [
        ("org:roubaix-asso", "commune"), ("org:tiers-lieu", "own"),
        ("org:lille-active", "commune"), ("org:lille-fondation", "commune")]
    assert page.total == 4
    # at Lille, as the foundation located there (ties broken by id)
    assert 10 < page.items[2].distance_km == page.items[3].distance_km < 12
    # the département's organisation: at the centre of the Nord's communes, ~24 km away
    wider = partners_near(placed, commune="59512", radius_km=30)
    nord = [i for i in wider.items if i.organisation.id == "org:nord-dept"]
    assert len(nord) == 1 and nord[0].placed_by == "territory"
    assert 20 < nord[0].distance_km < 30
    assert wider.total == 5


def test_partners_near_lists_who_acts_on_the_territory_after_the_radius(placed):
    active = partners_near(placed, commune="59512", radius_km=20).active_on_territory
    # nearest territory first (the commune, its département, FR), then by name; not the
    # Pas-de-Calais (beside the Nord), nor anyone within the radius
    assert [(i.organisation.id, i.territory.id) for i in active.items] == [
        ("org:paris-actif", "commune:59512"), ("org:nord-dept", "departement:59"),
        ("org:national", "FR"), ("org:rameau", "FR")]
    assert active.total == 4
    # the département's organisation is within 30 km: near, not listed again
    wider = partners_near(placed, commune="59512", radius_km=30).active_on_territory
    assert "org:nord-dept" not in [i.organisation.id for i in wider.items]
    assert wider.total == 3
    # paged like the items, filtered like them
    page = partners_near(placed, commune="59512", radius_km=20, limit=1, offset=2)
    assert page.active_on_territory.total == 4
    assert [i.organisation.id for i in page.active_on_territory.items] == ["org:national"]
    carriers = partners_near(placed, commune="59512", radius_km=20, need="need:tresorerie")
    assert [i.organisation.id for i in carriers.active_on_territory.items] == [
        "org:nord-dept", "org:rameau"]


def test_partners_near_a_point_has_no_territory(placed):
    page = partners_near(placed, lat=50.6942, lon=3.1746, radius_km=20)
    assert page.total == 4
    assert page.active_on_territory.total == 0 and page.active_on_territory.items == []


def test_connectors_covering_from_above_come_apart_with_their_proof(placed):
    page = connectors(placed, "programme:national", "59")
    assert [c.organisation.id for c in page.items] == [
        "org:roubaix-asso", "org:dunkerque-entreprise"]
    assert page.covering.total == 1
    (rameau,) = page.covering.items
    assert rameau.organisation.id == "org:rameau" and rameau.relations == ["CARRIES"]
    assert [t.id for t in rameau.territories] == ["FR"]
    (path,) = rameau.paths
    assert [n.id for n in path.nodes] == [
        "programme:national", "org:rameau", "FR", "region:32", "departement:59"]
    assert [(r.type, r.source, r.target) for r in path.relationships] == [
        ("CARRIES", "org:rameau", "programme:national"),
        ("ACTIVE_IN", "org:rameau", "FR"),
        ("PART_OF", "region:32", "FR"),
        ("PART_OF", "departement:59", "region:32")]
    assert page.reason is None


def test_connectors_covering_a_commune_from_its_departement(placed):
    page = connectors(placed, "programme:regional", "59512")
    assert page.total == 0 and page.items == []
    # the département's organisation covers Roubaix; the Lille foundation is beside it
    assert [c.organisation.id for c in page.covering.items] == ["org:nord-dept"]
    assert [n.id for n in page.covering.items[0].paths[0].nodes] == [
        "programme:regional", "org:nord-dept", "departement:59", "commune:59512"]
    assert page.reason is None


def test_connectors_say_which_half_is_missing(placed):
    # Paris relance has no carrier, funder, operator or relay at all
    assert connectors(placed, "programme:paris", "59").reason == "programme_not_placed"
    # the regional fund's actors are in the Nord: nobody in Paris, nobody above it
    empty = connectors(placed, "programme:regional", "75")
    assert (empty.total, empty.covering.total) == (0, 0)
    assert empty.reason == "none_in_territory"
