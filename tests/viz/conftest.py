"""Fixtures of the viz tests: a tiny graph with hostile names, and small views.

The graph (``viz_graph``: the territories from tests/territory_fixtures.py, then one
Cypher CREATE)::

    FR ─ region:32 ─ departement:59 Nord ─┬ commune:59512 Roubaix   (50.6942, 3.1746)
                                          ├ commune:59350 Lille     (50.6292, 3.0573)
                                          └ commune:59183 Dunkerque (51.0343, 2.3768)
    org:xss   "<img src=x onerror=alert(1)>"  association, Catalyst, LOCATED_IN Roubaix,
              CARRIES programme:relance, PARTICIPATES_IN space:dialogue, source "seed<script>"
    org:href  'Fondation <a href="javascript:alert(2)">href</a>' fondation, LOCATED_IN Lille,
              FUNDS programme:relance, COPILOTS space:dialogue, PARTNERS_WITH org:xss
    org:etat  Préfecture du Nord, etat, ACTIVE_IN departement:59
    programme:relance  Plan de relance, relance, COVERS departement:59
    space:dialogue     Espace "dialogue" & co, count 21
"""

from __future__ import annotations

import pytest

from loaders.locations import derive_locations
from tests.territory_fixtures import create_territories

XSS_NAME = "<img src=x onerror=alert(1)>"
HREF_NAME = 'Fondation <a href="javascript:alert(2)">href</a>'

#: the territories of the diagram above (tests/territory_fixtures.py writes them; without
#: the EPCI, the communes are PART_OF the Nord directly)
FIXTURE_TERRITORIES = ("FR", "region:32", "departement:59", "commune:59512", "commune:59350",
                       "commune:59183")

#: everything else, written after the territories
FIXTURE = """
MATCH (d59:Territory {id: 'departement:59'}), (roubaix:Territory {id: 'commune:59512'}),
      (lille:Territory {id: 'commune:59350'})
CREATE (xss:Organisation:Catalyst {id: 'org:xss', name: $xss, kind: 'association',
        source: 'seed<script>'})
CREATE (href:Organisation {id: 'org:href', name: $href, kind: 'fondation', source: 'seed'})
CREATE (etat:Organisation {id: 'org:etat', name: 'Préfecture du Nord', kind: 'etat',
        source: 'seed'})
CREATE (p:Programme {id: 'programme:relance', name: 'Plan de relance', phase: 'relance',
        source: 'seed'})
CREATE (s:DialogueSpace {id: 'space:dialogue', name: 'Espace "dialogue" & co', count: 21,
        source: 'seed'})
CREATE (xss)-[:LOCATED_IN]->(roubaix), (href)-[:LOCATED_IN]->(lille)
CREATE (etat)-[:ACTIVE_IN]->(d59)
CREATE (xss)-[:CARRIES]->(p), (href)-[:FUNDS]->(p), (p)-[:COVERS]->(d59)
CREATE (xss)-[:PARTICIPATES_IN {role: 'membre'}]->(s), (href)-[:COPILOTS]->(s)
CREATE (href)-[:PARTNERS_WITH]->(xss)
"""


@pytest.fixture
def viz_graph(db, neo4j_server):
    """The tiny graph above, on an empty database; yields the driver."""
    create_territories(db, FIXTURE_TERRITORIES, neo4j_server.database)
    with db.session(database=neo4j_server.database) as session:
        session.execute_write(lambda tx: tx.run(FIXTURE, xss=XSS_NAME, href=HREF_NAME).consume())
    # as every load does: organisations take their commune's location (partners near)
    derive_locations(db, database=neo4j_server.database)
    return db
