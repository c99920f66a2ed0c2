"""Partners near and connectors on the curated dataset (data/curated): the catalyst in
Roubaix and the analyst asking France Relance × Nord get an answer or the reason why.

The territories the dataset names (FR, Lille, Vincennes) are created with Roubaix and the
chain above it, as the territory reference would; the tests only read.
"""

import pytest

from loaders.curated import load_curated
from queries import connectors, partners_near
from tests.conftest import empty_graph
from tests.territory_fixtures import create_territories

VINCENNES = """
MATCH (d:Territory {id: 'departement:94'})
CREATE (:Territory:Commune {id: 'commune:94080', code: '94080', name: 'Vincennes',
        name_key: 'vincennes', level: 'commune', population: 49000,
        location: point({latitude: 48.8474, longitude: 2.4394})})-[:PART_OF]->(d)
"""
DEPARTEMENT_94 = """
MATCH (r:Territory {id: 'region:11'})
CREATE (:Territory:Departement {id: 'departement:94', code: '94', name: 'Val-de-Marne',
        name_key: 'val_de_marne', level: 'departement', population: 1400000})-[:PART_OF]->(r)
"""


@pytest.fixture(scope="module")
def cur(neo4j_driver, neo4j_server):
    from queries.analytics import clear_cache
    from queries.questions import clear_location_cache
    from queries.territory import clear_territory_cache

    clear_territory_cache()
    clear_location_cache()
    empty_graph(neo4j_driver, neo4j_server.database)
    create_territories(neo4j_driver, ["FR", "region:32", "region:11", "departement:59",
                                      "epci:200093201", "commune:59512", "commune:59350"],
                       neo4j_server.database)
    neo4j_driver.execute_query(DEPARTEMENT_94, database_=neo4j_server.database)
    neo4j_driver.execute_query(VINCENNES, database_=neo4j_server.database)
    report = load_curated(neo4j_driver, database=neo4j_server.database)
    assert report.ok, [e.message for e in report.errors]
    clear_cache()
    yield neo4j_driver
    empty_graph(neo4j_driver, neo4j_server.database)


def test_roubaix_at_20_km_finds_the_fondation_de_lille_and_the_national_actors(cur):
    page = partners_near(cur, commune="Roubaix", radius_km=20)
    lille = [i for i in page.items if i.organisation.id == "org:fondation-de-lille"]
    assert len(lille) == 1 and lille[0].placed_by == "commune"  # active in Lille
    assert 9 < lille[0].distance_km < 12
    active = page.active_on_territory
    # Le RAMEAU (located in Vincennes) acts on France
    assert ("org:le-rameau", "FR") in {(i.organisation.id, i.territory.id)
                                       for i in active.items}
    assert active.total >= 1


def test_france_relance_in_the_nord_answers_or_says_why(cur):
    page = connectors(cur, "programme:france-relance", "59")
    if page.total == 0 and page.covering.total == 0:
        assert page.reason in {"programme_not_placed", "none_in_territory"}
    else:
        assert page.reason is None
