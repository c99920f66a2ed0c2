"""The hand-made graph of tests/queries/conftest.py with a history: two imports, facts first
seen by the second, facts the second retired.

Times (UTC)::

    T0 2026-01-10T10:00Z  (:Import {id: 'imp-a'})  everything written before history was
                          kept has no first_seen (always alive); org:orphelin first seen here
    T1 2026-03-01T10:00Z  (:Import {id: 'imp-b'})  retires org:orphelin, programme:paris,
                          the partnership Le RAMEAU – Médiateur, and the RELAYS of
                          Association Roubaix Numérique to the national programme; adds
                          org:nouvelle (Nouvelle Fabrique, Roubaix): RELAYS national,
                          EXPRESSES need:numerique, PARTNERS_WITH Le RAMEAU,
                          PARTICIPATES_IN space:b

So: as of T0 (``imp-a``, or the day ``2026-01-10``), or any time before T1, the graph is
the hand-made one; before T0 org:orphelin does not exist yet; now (or any time after T1,
``imp-b``) the retired facts are gone and Nouvelle Fabrique is there.
"""

from __future__ import annotations

from datetime import UTC, datetime

from neo4j import Driver

from graph.schema import refresh_fulltext

T0 = datetime(2026, 1, 10, 10, 0, tzinfo=UTC)
T1 = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
#: between the two imports
BETWEEN = datetime(2026, 2, 1, tzinfo=UTC)
#: before the first
BEFORE = datetime(2026, 1, 1, tzinfo=UTC)

HISTORY_CYPHER = """
CREATE (:Import {id: 'imp-a', at: $t0, dataset: 'inventaire'}),
       (:Import {id: 'imp-b', at: $t1, dataset: 'inventaire'})
WITH 1 AS one
MATCH (orph:Organisation {id: 'org:orphelin'})-[l:LOCATED_IN]->()
SET orph.first_seen = $t0, orph.retired_at = $t1, orph.retired_by = 'imp-b',
    l.first_seen = $t0, l.retired_at = $t1
WITH 1 AS one
MATCH (pp:Programme {id: 'programme:paris'})-[r]-()
SET pp.retired_at = $t1, r.retired_at = $t1
WITH DISTINCT 1 AS one
MATCH (:Organisation {id: 'org:rameau'})-[p:PARTNERS_WITH]->(:Organisation {id: 'org:mediateur'})
SET p.retired_at = $t1
WITH 1 AS one
MATCH (:Organisation {id: 'org:roubaix-asso'})-[r:RELAYS]->(:Programme {id: 'programme:national'})
SET r.retired_at = $t1
WITH 1 AS one
MATCH (roubaix:Commune {id: 'commune:59512'}), (pn:Programme {id: 'programme:national'}),
      (nn:Need {id: 'need:numerique'}), (rameau:Organisation {id: 'org:rameau'}),
      (sb:DialogueSpace {id: 'space:b'})
CREATE (nf:Organisation {id: 'org:nouvelle', name: 'Nouvelle Fabrique',
                         name_key: 'nouvelle_fabrique', kind: 'association',
                         location: roubaix.location, location_from: 'commune',
                         first_seen: $t1, import_id: 'imp-b'})
CREATE (nf)-[:LOCATED_IN {first_seen: $t1}]->(roubaix),
       (nf)-[:RELAYS {first_seen: $t1}]->(pn),
       (nf)-[:EXPRESSES {first_seen: $t1}]->(nn),
       (nf)-[:PARTNERS_WITH {first_seen: $t1}]->(rameau),
       (nf)-[:PARTICIPATES_IN {first_seen: $t1}]->(sb)
"""


def add_history(driver: Driver) -> Driver:
    """Write the history above on the hand-made graph (``graph`` fixture)."""
    driver.execute_query(HISTORY_CYPHER, t0=T0, t1=T1)
    refresh_fulltext(driver)
    return driver
