"""Fixtures of the viz tests: a tiny graph with hostile names, and small views.

The graph (``viz_graph``, one Cypher CREATE)::

    FR ─ region:32 ─ departement:59 Nord ─┬ commune:59512 Roubaix (50.6942, 3.1746)
                                          └ commune:59350 Lille   (50.6292, 3.0573)
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

XSS_NAME = "<img src=x onerror=alert(1)>"
HREF_NAME = 'Fondation <a href="javascript:alert(2)">href</a>'

FIXTURE = """
CREATE (fr:Territory:Country {id: 'FR', code: 'FR', name: 'France', level: 'country'})
CREATE (r32:Territory:Region {id: 'region:32', code: '32', name: 'Hauts-de-France',
        level: 'region'})
CREATE (d59:Territory:Departement {id: 'departement:59', code: '59', name: 'Nord',
        name_key: 'nord', level: 'departement'})
CREATE (roubaix:Territory:Commune {id: 'commune:59512', code: '59512', name: 'Roubaix',
        name_key: 'roubaix', level: 'commune',
        location: point({latitude: 50.6942, longitude: 3.1746})})
CREATE (lille:Territory:Commune {id: 'commune:59350', code: '59350', name: 'Lille',
        name_key: 'lille', level: 'commune',
        location: point({latitude: 50.6292, longitude: 3.0573})})
CREATE (dk:Territory:Commune {id: 'commune:59183', code: '59183', name: 'Dunkerque',
        name_key: 'dunkerque', level: 'commune',
        location: point({latitude: 51.0343, longitude: 2.3768})})
CREATE (r32)-[:PART_OF]->(fr), (d59)-[:PART_OF]->(r32)
CREATE (roubaix)-[:PART_OF]->(d59), (lille)-[:PART_OF]->(d59), (dk)-[:PART_OF]->(d59)
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
    with db.session(database=neo4j_server.database) as session:
        session.execute_write(lambda tx: tx.run(FIXTURE, xss=XSS_NAME, href=HREF_NAME).consume())
    return db
