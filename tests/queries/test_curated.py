"""The questions on the curated dataset (data/curated), answers read from the seeds.

The dataset is loaded once for this module (the territories it names — FR, Lille,
Vincennes — are created first, as the territory reference would); the tests only read.
A missing loader or query module fails these tests in CI (``CI=true``) instead of
skipping them.
"""


import pytest

from tests.conftest import empty_graph, require

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
    curated = require("loaders.curated")
    clear_cache = require("queries.analytics").clear_cache
    clear_territory_cache = require("queries.territory").clear_territory_cache

    clear_territory_cache()
    empty_graph(neo4j_driver, neo4j_server.database)
    neo4j_driver.execute_query(TERRITORIES)
    report = curated.load_curated(neo4j_driver, database=neo4j_server.database)
    assert not getattr(report, "rejected", None), report
    clear_cache()
    yield neo4j_driver
    empty_graph(neo4j_driver, neo4j_server.database)


def test_the_carriers_and_operator_of_fonds_i(cur):
    neighbourhood = require("queries").neighbourhood

    page = neighbourhood(cur, "programme:fonds-i", limit=200)
    by_type = {}
    for e in page.edges:
        if "programme:fonds-i" in (e.source, e.target):
            other = e.source if e.target == "programme:fonds-i" else e.target
            by_type.setdefault(e.type, set()).add(other)
    # 002: initiated by the Caisse des Dépôts; associates the State through the DJEPVA, the
    # Fondations Caritas and Carasso, the Fonds d'innovation AG2R LA MONDIALE, Le RAMEAU;
    # its operator is formed by ADASI, Avise and INCO; an example "au niveau national".
    # No document says who funds it: no FUNDS.
    assert by_type == {
        "CARRIES": {"org:caisse-des-depots", "org:djepva", "org:fondation-caritas",
                    "org:fondation-carasso", "org:fonds-d-innovation-ag2r-la-mondiale",
                    "org:le-rameau"},
        "OPERATES": {"org:adasi", "org:avise", "org:inco"},
        "COVERS": {"FR"},
    }


def test_the_structurel_programmes(cur):
    list_programmes = require("queries.elements").list_programmes

    for phase in ("structurel", "Structurel", "fonds"):
        page = list_programmes(cur, phase=phase)
        assert sorted((p.id, p.phase) for p in page.items) == [
            ("programme:fonds-i", "structurel"), ("programme:fonds-odd-17", "structurel")]
    assert [p.id for p in list_programmes(cur, phase="relance").items] == [
        "programme:france-relance"]


def test_the_national_actors_are_active_in_france(cur):
    rows, _, _ = cur.execute_query(
        "MATCH (o:Organisation)-[:ACTIVE_IN]->(:Country {id: 'FR'}) RETURN o.id AS id")
    assert {r["id"] for r in rows} == {
        "org:le-rameau", "org:mediateur-des-entreprises", "org:gouvernement",
        "org:caisse-des-depots", "org:djepva", "org:ministere-de-la-culture",
        "org:ministere-de-l-education-nationale", "org:mouvement-des-entreprises-de-france"}


def test_the_copilots_of_the_collective_demarche(cur):
    dialogue_spaces = require("queries").dialogue_spaces

    spaces = {s.id: s for s in dialogue_spaces(cur).spaces}
    demarche = spaces["space:demarche-anticipation-sortie-de-crise"]
    copilots = {m.organisation.id for m in demarche.members if "copilot" in m.roles}
    assert copilots == {"org:mediateur-des-entreprises", "org:le-rameau"}


def test_the_dialogue_spaces_and_their_member_counts(cur):
    dialogue_spaces = require("queries").dialogue_spaces

    spaces = dialogue_spaces(cur).spaces
    declared = {s.id: s.declared_count for s in spaces}
    # declared (000, 003) and named: never more named than declared
    assert all(s.declared_count is None or s.member_count <= s.declared_count
               for s in spaces)
    assert declared["space:demarche-anticipation-sortie-de-crise"] == 51
    assert declared["space:articulation-des-ingenieries-nationales-et-territoriales"] == 21
    assert declared["space:jouer-collectif-entre-investisseurs-societaux"] == 12
    assert declared["space:croiser-la-diversite-des-regards-sur-l-apres"] == 5
    assert declared["space:comparer-les-besoins-et-solutions-aig-et-pme"] == 7


def test_search_finds_the_caisse_des_depots_without_accents(cur):
    search = require("queries").search

    assert search(cur, "caisse des depots").items[0].id == "org:caisse-des-depots"
    assert search(cur, "médiateur").items[0].id == "org:mediateur-des-entreprises"
    assert search(cur, "fonds odd 17").items[0].id == "programme:fonds-odd-17"


def test_who_can_introduce_the_caisse_to_avise(cur):
    paths = require("queries").paths

    # the Caisse des Dépôts carries Fonds i, which Avise operates (002)
    answer = paths(cur, "org:caisse-des-depots", "org:avise")
    assert answer.length == 2
    assert any([n.id for n in p.nodes]
               == ["org:caisse-des-depots", "programme:fonds-i", "org:avise"]
               for p in answer.paths)


def test_brokers_and_communities_run_on_the_curated_graph(cur):
    queries = require("queries")
    brokers, communities, stats = queries.brokers, queries.communities, queries.stats

    top = brokers(cur, top=5)
    assert top.method == "exact" and len(top.items) == 5
    # Le RAMEAU co-pilots the démarche, carries Fonds i, partners the Médiateur, the Caisse
    # des Dépôts and the Fondation GRDF; the Caisse des Dépôts joins Fonds i and the
    # Cercle « Investisseur sociétal » to them (programmes carry paths, are not ranked)
    assert [b.id for b in top.items[:2]] == ["org:le-rameau", "org:caisse-des-depots"]
    assert all(b.label == "Organisation" for b in top.items)
    found = communities(cur)
    assert sum(c.size for c in communities(cur, limit=10_000).items) == found.nodes
    assert stats(cur).labels["DialogueSpace"] == 6


def test_the_relays_and_catalysts_declared_by_a_count(cur):
    """The documents give 30 têtes de pont and 350 catalysts without naming them one by one:
    the stats say so, so the home page can show "350 déclarés" and not "1"."""
    stats = require("queries").stats(cur)
    assert stats.roles_declared == {"relay": 30, "catalyst": 350}
    assert stats.roles_named == {"relay": 0, "catalyst": 0}
    assert stats.roles == {"relay": 1, "catalyst": 1}  # one group node each
