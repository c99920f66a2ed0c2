"""Fixtures of the API tests: a small graph, a client on the real app, a graph checksum.

The fixture graph (``graph`` fixture): the territories from tests/territory_fixtures.py,
then one Cypher CREATE; ids per the project
conventions::

    FR ─ region:32 Hauts-de-France ─ departement:59 Nord ─ epci:200093201 MEL
                                                         ├ commune:59512 Roubaix (50.6942, 3.1746)
                                                         └ commune:59350 Lille   (50.6292, 3.0573)
       ─ region:11 Île-de-France ─ departement:75 Paris ─ commune:75056 Paris (48.8566, 2.3522)

    org:le-rameau            association, Relay, LOCATED_IN Paris, CARRIES programme:numerique
    org:mediateur            etat, FUNDS programme:fonds-urgence, PARTNERS_WITH org:le-rameau
    org:fondation-roubaix    fondation, Catalyst, LOCATED_IN Roubaix, OPERATES programme:numerique
    org:assoc-lille          association, LOCATED_IN Lille, EXPRESSES need:mobilite and
                             need:inclusion-numerique, ACTIVE_IN departement:59
    programme:numerique      relance, COVERS departement:59, ADDRESSES need:inclusion-numerique
    programme:fonds-urgence  urgence, COVERS FR, ADDRESSES need:tresorerie
    need:mobilite            no programme answers it: a gap in Nord
    space:espace-1           org:le-rameau, org:mediateur, org:assoc-lille
    space:espace-2           org:le-rameau, org:fondation-roubaix
"""

from __future__ import annotations

import hashlib
import json

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.schema import refresh_fulltext
from graph.settings import get_settings
from loaders.locations import derive_locations
from tests.territory_fixtures import create_territories

#: the territories of the diagram above (tests/territory_fixtures.py writes them)
FIXTURE_TERRITORIES = ("FR", "region:32", "region:11", "departement:59", "departement:75",
                       "epci:200093201", "commune:59512", "commune:59350", "commune:75056")

#: everything else, written after the territories
FIXTURE_GRAPH = """
MATCH (fr:Territory {id: 'FR'}), (d59:Territory {id: 'departement:59'}),
      (roubaix:Territory {id: 'commune:59512'}), (lille:Territory {id: 'commune:59350'}),
      (paris:Territory {id: 'commune:75056'})
CREATE (rameau:Organisation:Relay {id: 'org:le-rameau', name: 'Le RAMEAU',
        name_key: 'le_rameau', kind: 'association', source: 'test',
        description: 'Laboratoire de recherche sur les alliances', tags: ['alliances']})
CREATE (med:Organisation {id: 'org:mediateur', name: 'Médiateur des entreprises',
        name_key: 'mediateur_des_entreprises', kind: 'etat', source: 'test'})
CREATE (fdr:Organisation:Catalyst {id: 'org:fondation-roubaix', name: 'Fondation Roubaix',
        name_key: 'fondation_roubaix', kind: 'fondation', source: 'test'})
CREATE (asl:Organisation {id: 'org:assoc-lille', name: 'Association Lilloise Numérique',
        name_key: 'association_lilloise_numerique', kind: 'association', source: 'test'})
CREATE (num:Programme {id: 'programme:numerique', name: 'Plan inclusion numérique',
        name_key: 'plan_inclusion_numerique', phase: 'relance', source: 'test',
        start: date('2020-09-01')})
CREATE (urg:Programme {id: 'programme:fonds-urgence', name: 'Fonds d urgence',
        name_key: 'fonds_d_urgence', phase: 'urgence', source: 'test'})
CREATE (n1:Need {id: 'need:inclusion-numerique', name: 'Inclusion numérique',
        name_key: 'inclusion_numerique', category: 'numerique', source: 'test'})
CREATE (n2:Need {id: 'need:tresorerie', name: 'Trésorerie', name_key: 'tresorerie',
        category: 'financement', source: 'test'})
CREATE (n3:Need {id: 'need:mobilite', name: 'Mobilité', name_key: 'mobilite',
        category: 'mobilite', source: 'test'})
CREATE (s1:DialogueSpace {id: 'space:espace-1', name: 'Espace 1', name_key: 'espace_1',
        count: 3, source: 'test'})
CREATE (s2:DialogueSpace {id: 'space:espace-2', name: 'Espace 2', name_key: 'espace_2',
        count: 2, source: 'test'})

CREATE (rameau)-[:LOCATED_IN {source: 'test'}]->(paris)
CREATE (fdr)-[:LOCATED_IN {source: 'test'}]->(roubaix)
CREATE (asl)-[:LOCATED_IN {source: 'test'}]->(lille)
CREATE (fdr)-[:ACTIVE_IN {source: 'test'}]->(roubaix)
CREATE (asl)-[:ACTIVE_IN {source: 'test'}]->(d59)
CREATE (rameau)-[:CARRIES {source: 'test'}]->(num)
CREATE (fdr)-[:OPERATES {source: 'test'}]->(num)
CREATE (med)-[:FUNDS {source: 'test'}]->(urg)
CREATE (rameau)-[:PARTNERS_WITH {source: 'test'}]->(med)
CREATE (num)-[:COVERS {source: 'test'}]->(d59)
CREATE (urg)-[:COVERS {source: 'test'}]->(fr)
CREATE (num)-[:ADDRESSES {source: 'test'}]->(n1)
CREATE (urg)-[:ADDRESSES {source: 'test'}]->(n2)
CREATE (asl)-[:EXPRESSES {source: 'test'}]->(n1)
CREATE (asl)-[:EXPRESSES {source: 'test'}]->(n3)
CREATE (rameau)-[:PARTICIPATES_IN {source: 'test'}]->(s1)
CREATE (med)-[:PARTICIPATES_IN {source: 'test'}]->(s1)
CREATE (asl)-[:PARTICIPATES_IN {source: 'test'}]->(s1)
CREATE (rameau)-[:PARTICIPATES_IN {source: 'test'}]->(s2)
CREATE (fdr)-[:PARTICIPATES_IN {source: 'test'}]->(s2)
"""

API_KEY = "test-key-0123456789"


def graph_checksum(driver, database: str = "neo4j") -> str:
    """A hash of every node (labels, properties), relationship, label and index name."""
    with driver.session(database=database) as session:
        nodes = session.run(
            "MATCH (n) RETURN labels(n) AS l, properties(n) AS p"
        ).data()
        rels = session.run(
            "MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS t, properties(r) AS p, b.id AS b"
        ).data()
        labels = session.run("CALL db.labels() YIELD label RETURN label").value()
        types = session.run(
            "CALL db.relationshipTypes() YIELD relationshipType RETURN relationshipType"
        ).value()
        indexes = session.run("SHOW INDEXES YIELD name RETURN name").value()
        constraints = session.run("SHOW CONSTRAINTS YIELD name RETURN name").value()
    canon = json.dumps(
        {
            "nodes": sorted(json.dumps(n, sort_keys=True, default=str) for n in nodes),
            "rels": sorted(json.dumps(r, sort_keys=True, default=str) for r in rels),
            "labels": sorted(labels),
            "types": sorted(types),
            "indexes": sorted(indexes),
            "constraints": sorted(constraints),
        },
        sort_keys=True,
    )
    return hashlib.sha256(canon.encode()).hexdigest()


def write_fixture_graph(driver) -> None:
    """Write the fixture graph above on an empty database."""
    create_territories(driver, FIXTURE_TERRITORIES)
    with driver.session() as session:
        session.run(FIXTURE_GRAPH).consume()
    # as the importer does: organisations without lat/lon get their commune's location
    derive_locations(driver)
    refresh_fulltext(driver)  # the full-text index is eventually consistent


@pytest.fixture
def graph(db):
    """The fixture graph above, on an empty database; yields the driver."""
    write_fixture_graph(db)
    return db


@pytest.fixture
def client(graph):
    """A TestClient on the real app, against the fixture graph."""
    with TestClient(create_app(get_settings())) as test_client:
        yield test_client


@pytest.fixture
def make_client(db):
    """Build a client with settings overrides (``max_body_bytes=10``, ``api_key=...``)."""
    clients: list[TestClient] = []

    def make(**overrides) -> TestClient:
        settings = get_settings().model_copy(update=overrides)
        test_client = TestClient(create_app(settings))
        test_client.__enter__()
        clients.append(test_client)
        return test_client

    yield make
    for test_client in clients:
        test_client.__exit__(None, None, None)
