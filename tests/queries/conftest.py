"""A small hand-made graph whose answers are worked out by hand in the tests.

Territories (PART_OF: commune → EPCI and département, département → région → FR)::

    FR ─ region:32 Hauts-de-France ─ departement:59 Nord ─┬ epci:200093201 MEL
                                    ├ commune:59512 Roubaix   (50.6942, 3.1746)
                                    ├ commune:59350 Lille     (50.6292, 3.0573)
                                    └ commune:59183 Dunkerque (51.0343, 2.3768)
       ─ region:11 Île-de-France ─ departement:75 Paris ── commune:75056 Paris (48.8566, 2.3522)

Roubaix and Lille are in the EPCI; Roubaix–Lille ≈ 11 km, Lille–Dunkerque ≈ 65 km.

Organisations (kind; roles; where; links)::

    org:rameau       Le RAMEAU                      recherche    Paris    CARRIES national,
                     PARTICIPATES_IN space:a, COPILOTS space:a, PARTNERS_WITH org:mediateur
    org:mediateur    Médiateur des entreprises      etat         Paris    COPILOTS space:a
    org:roubaix-asso Association Roubaix Numérique  association  Catalyst Roubaix
                     RELAYS national, EXPRESSES need:numerique, need:benevolat
    org:lille-fondation Fondation de Lille          fondation    Relay    Lille
                     FUNDS regional, PARTICIPATES_IN space:a, space:b, EXPRESSES need:emploi
    org:dunkerque-entreprise Entreprise Dunkerquoise entreprise  Dunkerque
                     OPERATES national, EXPRESSES need:tresorerie, need:mobilite
    org:nord-dept    Département du Nord            collectivite ACTIVE_IN departement:59
                     CARRIES regional, PARTICIPATES_IN space:b
    org:tiers-lieu   Tiers-lieu Mobile              association  Catalyst LOCATED_IN Paris but
                     its own location (50.70, 3.18) is in Roubaix: the own location wins
    org:orphelin     Orphelin                       autre        Dunkerque, no other link

Programmes (phase; COVERS; ADDRESSES)::

    programme:national  Plan national de relance associative relance FR        tresorerie
    programme:regional  Fonds régional d'urgence   urgence   region:32  numerique, tresorerie
    programme:roubaix   Roubaix solidaire          urgence   commune:59512  emploi
    programme:paris     Paris relance              relance   commune:75056  mobilite

Needs: need:tresorerie Trésorerie, need:numerique Inclusion numérique, need:emploi Emploi,
need:mobilite Mobilité, need:benevolat Bénévolat (no programme addresses it).

Dialogue spaces: space:a Ingénieries territoriales (count 21): rameau (participant and
copilot), mediateur (copilot), lille-fondation; space:b Investissement sociétal (count 12):
lille-fondation, nord-dept. They share lille-fondation: Jaccard 1 / 4 = 0.25.
"""

from __future__ import annotations

import pytest

from graph.schema import refresh_fulltext
from loaders.locations import derive_locations
from tests.territory_fixtures import create_territories

#: the territories of the diagram above (tests/territory_fixtures.py writes them)
FIXTURE_TERRITORIES = ("FR", "region:32", "region:11", "departement:59", "departement:75",
                       "epci:200093201", "commune:59512", "commune:59350", "commune:59183",
                       "commune:75056")

#: everything else, written after the territories
FIXTURE_CYPHER = """
MATCH (fr:Territory {id: 'FR'}), (r32:Territory {id: 'region:32'}),
      (d59:Territory {id: 'departement:59'}), (roubaix:Territory {id: 'commune:59512'}),
      (lille:Territory {id: 'commune:59350'}), (dk:Territory {id: 'commune:59183'}),
      (paris:Territory {id: 'commune:75056'})
CREATE (rameau:Organisation {id: 'org:rameau', name: 'Le RAMEAU', name_key: 'le_rameau',
                             kind: 'recherche'})
CREATE (med:Organisation {id: 'org:mediateur', name: 'Médiateur des entreprises',
                          name_key: 'mediateur_des_entreprises', kind: 'etat'})
CREATE (ra:Organisation:Catalyst {id: 'org:roubaix-asso', name: 'Association Roubaix Numérique',
                                  name_key: 'association_roubaix_numerique',
                                  kind: 'association'})
CREATE (lf:Organisation:Relay {id: 'org:lille-fondation', name: 'Fondation de Lille',
                               name_key: 'fondation_de_lille', kind: 'fondation'})
CREATE (de:Organisation {id: 'org:dunkerque-entreprise', name: 'Entreprise Dunkerquoise',
                         name_key: 'entreprise_dunkerquoise', kind: 'entreprise'})
CREATE (nd:Organisation {id: 'org:nord-dept', name: 'Département du Nord',
                         name_key: 'departement_du_nord', kind: 'collectivite'})
CREATE (tl:Organisation:Catalyst {id: 'org:tiers-lieu', name: 'Tiers-lieu Mobile',
                                  name_key: 'tiers_lieu_mobile', kind: 'association',
                                  location: point({latitude: 50.70, longitude: 3.18})})
CREATE (orph:Organisation {id: 'org:orphelin', name: 'Orphelin', name_key: 'orphelin',
                           kind: 'autre'})
CREATE (rameau)-[:LOCATED_IN]->(paris), (med)-[:LOCATED_IN]->(paris),
       (ra)-[:LOCATED_IN]->(roubaix), (lf)-[:LOCATED_IN]->(lille),
       (de)-[:LOCATED_IN]->(dk), (nd)-[:ACTIVE_IN]->(d59), (tl)-[:LOCATED_IN]->(paris),
       (orph)-[:LOCATED_IN]->(dk)

CREATE (pn:Programme {id: 'programme:national', name: 'Plan national de relance associative',
                      name_key: 'plan_national_de_relance_associative', phase: 'relance'})
CREATE (pr:Programme {id: 'programme:regional', name: "Fonds régional d'urgence",
                      name_key: 'fonds_regional_d_urgence', phase: 'urgence'})
CREATE (pb:Programme {id: 'programme:roubaix', name: 'Roubaix solidaire',
                      name_key: 'roubaix_solidaire', phase: 'urgence'})
CREATE (pp:Programme {id: 'programme:paris', name: 'Paris relance', name_key: 'paris_relance',
                      phase: 'relance'})
CREATE (pn)-[:COVERS]->(fr), (pr)-[:COVERS]->(r32), (pb)-[:COVERS]->(roubaix),
       (pp)-[:COVERS]->(paris)

CREATE (nt:Need {id: 'need:tresorerie', name: 'Trésorerie', name_key: 'tresorerie',
                 category: 'finance'})
CREATE (nn:Need {id: 'need:numerique', name: 'Inclusion numérique',
                 name_key: 'inclusion_numerique', category: 'numerique'})
CREATE (ne:Need {id: 'need:emploi', name: 'Emploi', name_key: 'emploi', category: 'emploi'})
CREATE (nm:Need {id: 'need:mobilite', name: 'Mobilité', name_key: 'mobilite',
                 category: 'mobilite'})
CREATE (nb:Need {id: 'need:benevolat', name: 'Bénévolat', name_key: 'benevolat',
                 category: 'rh'})
CREATE (pn)-[:ADDRESSES]->(nt), (pr)-[:ADDRESSES]->(nn), (pr)-[:ADDRESSES]->(nt),
       (pb)-[:ADDRESSES]->(ne), (pp)-[:ADDRESSES]->(nm)

CREATE (rameau)-[:CARRIES]->(pn), (ra)-[:RELAYS]->(pn), (de)-[:OPERATES]->(pn),
       (lf)-[:FUNDS]->(pr), (nd)-[:CARRIES]->(pr)
CREATE (ra)-[:EXPRESSES]->(nn), (ra)-[:EXPRESSES]->(nb), (lf)-[:EXPRESSES]->(ne),
       (de)-[:EXPRESSES]->(nt), (de)-[:EXPRESSES]->(nm)

CREATE (sa:DialogueSpace {id: 'space:a', name: 'Ingénieries territoriales',
                          name_key: 'ingenieries_territoriales', count: 21})
CREATE (sb:DialogueSpace {id: 'space:b', name: 'Investissement sociétal',
                          name_key: 'investissement_societal', count: 12})
CREATE (rameau)-[:PARTICIPATES_IN]->(sa), (rameau)-[:COPILOTS]->(sa),
       (med)-[:COPILOTS]->(sa), (lf)-[:PARTICIPATES_IN]->(sa),
       (lf)-[:PARTICIPATES_IN]->(sb), (nd)-[:PARTICIPATES_IN]->(sb)
CREATE (rameau)-[:PARTNERS_WITH]->(med)
"""


@pytest.fixture
def graph(db):
    """The hand-made graph above, on an empty database (the caches are emptied around
    every test: tests/conftest.py)."""
    create_territories(db, FIXTURE_TERRITORIES)
    db.execute_query(FIXTURE_CYPHER)
    # as the importer does: organisations without lat/lon get their commune's location
    derive_locations(db)
    refresh_fulltext(db)  # the full-text index is eventually consistent
    return db


@pytest.fixture
def provence(db):
    """The Provence graph of tests/coverage_fixtures.py (EPCI spanning départements)."""
    from tests.coverage_fixtures import create_provence

    create_provence(db)
    return db
