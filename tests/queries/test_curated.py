"""The questions on the curated dataset (data/curated), answers read from the seeds.

The dataset is loaded once for this module (the territories it names — FR, Lille,
Vincennes — are created first, as the territory reference would); the tests only read.
"""

import pytest

from loaders import curated
from tests.conftest import empty_graph

TERRITORIES = """
CREATE (fr:Territory:Country {id: 'FR', code: 'FR', name: 'France', name_key: 'france',
                              level: 'country'})
CREATE (:Territory:Commune {id: 'commune:59350', code: '59350', name: 'Lille',
        name_key: 'lille', level: 'commune',
        location: point({latitude: 50.6292, longitude: 3.0573})})
CREATE (:Territory:Commune {id: 'commune:94080', code: '94080', name: 'Vincennes',
        name_key: 'vincennes', level: 'commune',
        location: point({latitude: 48.8474, longitude: 2.4394})})
"""


@pytest.fixture(scope="module")
def cur(neo4j_driver, neo4j_server):
    empty_graph(neo4j_driver, neo4j_server.database)
    neo4j_driver.execute_query(TERRITORIES)
    report = curated.load_curated(neo4j_driver, database=neo4j_server.database)
    assert report.ok and not report.errors, report
    assert all(f.status == "loaded" for f in report.files), report
    yield neo4j_driver
    empty_graph(neo4j_driver, neo4j_server.database)


def test_the_partners_of_fonds_i(cur):
    from queries import neighbourhood

    page = neighbourhood(cur, "org:fonds-i", limit=200)
    partners = {e.source if e.target == "org:fonds-i" else e.target
                for e in page.edges if e.type == "PARTNERS_WITH"}
    # 002: initiated by the Caisse des Dépôts, with the State through the DJEPVA, the
    # Fondations Caritas and Carasso, the Fonds d'innovation AG2R LA MONDIALE, Le RAMEAU;
    # operated by ADASI, Avise and INCO
    assert partners == {
        "org:caisse-des-depots", "org:djepva", "org:fondation-caritas",
        "org:fondation-carasso", "org:fonds-d-innovation-ag2r-la-mondiale", "org:le-rameau",
        "org:adasi", "org:avise", "org:inco"}


def test_the_copilots_of_the_collective_demarche(cur):
    from queries import dialogue_spaces

    spaces = {s.id: s for s in dialogue_spaces(cur).spaces}
    demarche = spaces["space:demarche-anticipation-sortie-de-crise"]
    copilots = {m.organisation.id for m in demarche.members if "copilot" in m.roles}
    assert copilots == {"org:mediateur-des-entreprises", "org:le-rameau"}


def test_the_dialogue_spaces_and_their_member_counts(cur):
    from queries import dialogue_spaces

    declared = {s.id: s.declared_count for s in dialogue_spaces(cur).spaces}
    assert declared["space:demarche-anticipation-sortie-de-crise"] == 51
    assert declared["space:articulation-des-ingenieries-nationales-et-territoriales"] == 21
    assert declared["space:jouer-collectif-entre-investisseurs-societaux"] == 12
    assert declared["space:croiser-la-diversite-des-regards-sur-l-apres"] == 5
    assert declared["space:comparer-les-besoins-et-solutions-aig-et-pme"] == 7


def test_search_finds_the_caisse_des_depots_without_accents(cur):
    from queries import search

    assert search(cur, "caisse des depots").items[0].id == "org:caisse-des-depots"
    assert search(cur, "médiateur").items[0].id == "org:mediateur-des-entreprises"


def test_who_can_introduce_the_caisse_to_avise(cur):
    from queries import paths

    answer = paths(cur, "org:caisse-des-depots", "org:avise")
    assert answer.length == 2
    assert any([n.id for n in p.nodes] == ["org:caisse-des-depots", "org:fonds-i", "org:avise"]
               for p in answer.paths)


def test_brokers_and_communities_run_on_the_curated_graph(cur):
    from queries import brokers, communities, stats

    top = brokers(cur, top=5)
    assert top.method == "exact" and len(top.items) == 5
    # Fonds i joins its nine partners (a star) to the rest through Le RAMEAU and the
    # Caisse des Dépôts; Le RAMEAU co-pilots the démarche and partners Fonds i
    assert top.items[0].id == "org:fonds-i"
    assert "org:le-rameau" in {b.id for b in top.items}
    found = communities(cur)
    assert sum(c.size for c in communities(cur, limit=10_000).items) == found.nodes
    assert stats(cur).labels["DialogueSpace"] == 6
