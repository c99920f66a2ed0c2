"""A Provence graph for true territorial coverage: EPCI that span several départements.

Territories (real codes, from tests/territory_fixtures.py; PART_OF as loaded: a commune
is PART_OF its EPCI and its own département, an EPCI PART_OF every département of its
communes)::

    FR ─ region:93 PACA ─┬ departement:13 Bouches-du-Rhône ─ commune:13055 Marseille
                         │                                 └ commune:13001 Aix-en-Provence
                         ├ departement:83 Var ─ commune:83120 Saint-Zacharie
                         │                     └ commune:83137 Toulon (its EPCI left out)
                         └ departement:84 Vaucluse ─ commune:84089 Pertuis
                                                    ├ commune:84007 Avignon
                                                    └ commune:84034 Caumont-sur-Durance
       ─ region:76 Occitanie ─ departement:30 Gard ─ commune:30011 Les Angles

    epci:200054807 Aix-Marseille-Provence (PART_OF 13, 83, 84): Marseille, Aix (13),
                   Saint-Zacharie (83), Pertuis (84) — one région, three départements
    epci:248400251 Grand Avignon (PART_OF 30, 84): Avignon, Caumont (84), Les Angles (30)
                   — two régions

So ``commune:13055 → epci:200054807 → departement:83`` is a path, and the leak to avoid.

Programmes (phase; COVERS; ADDRESSES)::

    programme:bdr        Bouches-du-Rhône solidaire  urgence  departement:13  numerique
    programme:var        Var solidaire               urgence  departement:83  emploi
    programme:vaucluse   Vaucluse relance            relance  departement:84  mobilite
    programme:gard       Gard relance                relance  departement:30  mobilite
    programme:paca       Fonds PACA                  urgence  region:93       tresorerie
    programme:occitanie  Occitanie relance           relance  region:76       tresorerie
    programme:metropole  Métropole solidaire         urgence  epci:200054807  benevolat
    programme:national   Plan national               relance  FR              (none)

Organisations (where; links)::

    org:marseille-asso  Association Marseille Emploi  LOCATED_IN Marseille; RELAYS var, bdr;
                        EXPRESSES emploi, numerique, benevolat
    org:toulon-asso     Collectif Toulonnais          LOCATED_IN Toulon; RELAYS var;
                        EXPRESSES emploi
    org:zacharie        Ferme de Saint-Zacharie       LOCATED_IN Saint-Zacharie; EXPRESSES
                        mobilite
    org:metropole       Métropole Aix-Marseille       ACTIVE_IN epci:200054807; CARRIES
                        metropole
    org:avignon-asso    Avignon Partage               LOCATED_IN Avignon; EXPRESSES mobilite
    org:angles-asso     Les Angles Ensemble           LOCATED_IN Les Angles; RELAYS gard;
                        EXPRESSES tresorerie

Needs: need:tresorerie, need:numerique, need:emploi, need:mobilite, need:benevolat.
"""

from __future__ import annotations

from neo4j import Driver

from tests.territory_fixtures import create_territories

PROVENCE_TERRITORIES = (
    "FR", "region:93", "region:76", "departement:13", "departement:83", "departement:84",
    "departement:30", "epci:200054807", "epci:248400251", "commune:13055", "commune:13001",
    "commune:83120", "commune:83137", "commune:84089", "commune:84007", "commune:84034",
    "commune:30011")

AMP = "epci:200054807"
GRAND_AVIGNON = "epci:248400251"

PROVENCE_GRAPH = """
MATCH (fr:Territory {id: 'FR'}), (r93:Territory {id: 'region:93'}),
      (r76:Territory {id: 'region:76'}), (d13:Territory {id: 'departement:13'}),
      (d83:Territory {id: 'departement:83'}), (d84:Territory {id: 'departement:84'}),
      (d30:Territory {id: 'departement:30'}), (amp:Territory {id: 'epci:200054807'}),
      (marseille:Territory {id: 'commune:13055'}), (toulon:Territory {id: 'commune:83137'}),
      (zacharie:Territory {id: 'commune:83120'}), (avignon:Territory {id: 'commune:84007'}),
      (angles:Territory {id: 'commune:30011'})
CREATE (pbdr:Programme {id: 'programme:bdr', name: 'Bouches-du-Rhône solidaire',
                        name_key: 'bouches_du_rhone_solidaire', phase: 'urgence'})
CREATE (pvar:Programme {id: 'programme:var', name: 'Var solidaire', name_key: 'var_solidaire',
                        phase: 'urgence'})
CREATE (pvau:Programme {id: 'programme:vaucluse', name: 'Vaucluse relance',
                        name_key: 'vaucluse_relance', phase: 'relance'})
CREATE (pgard:Programme {id: 'programme:gard', name: 'Gard relance', name_key: 'gard_relance',
                         phase: 'relance'})
CREATE (ppaca:Programme {id: 'programme:paca', name: 'Fonds PACA', name_key: 'fonds_paca',
                         phase: 'urgence'})
CREATE (pocc:Programme {id: 'programme:occitanie', name: 'Occitanie relance',
                        name_key: 'occitanie_relance', phase: 'relance'})
CREATE (pmet:Programme {id: 'programme:metropole', name: 'Métropole solidaire',
                        name_key: 'metropole_solidaire', phase: 'urgence'})
CREATE (pnat:Programme {id: 'programme:national', name: 'Plan national',
                        name_key: 'plan_national', phase: 'relance'})
CREATE (pbdr)-[:COVERS]->(d13), (pvar)-[:COVERS]->(d83), (pvau)-[:COVERS]->(d84),
       (pgard)-[:COVERS]->(d30), (ppaca)-[:COVERS]->(r93), (pocc)-[:COVERS]->(r76),
       (pmet)-[:COVERS]->(amp), (pnat)-[:COVERS]->(fr)

CREATE (nt:Need {id: 'need:tresorerie', name: 'Trésorerie', name_key: 'tresorerie',
                 category: 'finance'})
CREATE (nn:Need {id: 'need:numerique', name: 'Inclusion numérique',
                 name_key: 'inclusion_numerique', category: 'numerique'})
CREATE (ne:Need {id: 'need:emploi', name: 'Emploi', name_key: 'emploi', category: 'emploi'})
CREATE (nm:Need {id: 'need:mobilite', name: 'Mobilité', name_key: 'mobilite',
                 category: 'mobilite'})
CREATE (nb:Need {id: 'need:benevolat', name: 'Bénévolat', name_key: 'benevolat',
                 category: 'rh'})
CREATE (pbdr)-[:ADDRESSES]->(nn), (pvar)-[:ADDRESSES]->(ne), (pvau)-[:ADDRESSES]->(nm),
       (pgard)-[:ADDRESSES]->(nm), (ppaca)-[:ADDRESSES]->(nt), (pocc)-[:ADDRESSES]->(nt),
       (pmet)-[:ADDRESSES]->(nb)

CREATE (ma:Organisation {id: 'org:marseille-asso', name: 'Association Marseille Emploi',
                         name_key: 'association_marseille_emploi', kind: 'association'})
CREATE (ta:Organisation {id: 'org:toulon-asso', name: 'Collectif Toulonnais',
                         name_key: 'collectif_toulonnais', kind: 'association'})
CREATE (za:Organisation {id: 'org:zacharie', name: 'Ferme de Saint-Zacharie',
                         name_key: 'ferme_de_saint_zacharie', kind: 'entreprise'})
CREATE (me:Organisation {id: 'org:metropole', name: 'Métropole Aix-Marseille',
                         name_key: 'metropole_aix_marseille', kind: 'collectivite'})
CREATE (av:Organisation {id: 'org:avignon-asso', name: 'Avignon Partage',
                         name_key: 'avignon_partage', kind: 'association'})
CREATE (an:Organisation {id: 'org:angles-asso', name: 'Les Angles Ensemble',
                         name_key: 'les_angles_ensemble', kind: 'association'})
CREATE (ma)-[:LOCATED_IN]->(marseille), (ta)-[:LOCATED_IN]->(toulon),
       (za)-[:LOCATED_IN]->(zacharie), (me)-[:ACTIVE_IN]->(amp),
       (av)-[:LOCATED_IN]->(avignon), (an)-[:LOCATED_IN]->(angles)
CREATE (ma)-[:RELAYS]->(pvar), (ma)-[:RELAYS]->(pbdr), (ta)-[:RELAYS]->(pvar),
       (me)-[:CARRIES]->(pmet), (an)-[:RELAYS]->(pgard)
CREATE (ma)-[:EXPRESSES]->(ne), (ma)-[:EXPRESSES]->(nn), (ma)-[:EXPRESSES]->(nb),
       (ta)-[:EXPRESSES]->(ne), (za)-[:EXPRESSES]->(nm), (av)-[:EXPRESSES]->(nm),
       (an)-[:EXPRESSES]->(nt)
"""


def create_provence(driver: Driver, database: str = "neo4j") -> None:
    """Write the graph above (territories, then everything else) on an empty database."""
    from loaders.importer import derive_locations

    create_territories(driver, PROVENCE_TERRITORIES, database=database)
    driver.execute_query(PROVENCE_GRAPH, database_=database)
    derive_locations(driver, database=database)
