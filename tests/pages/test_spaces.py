"""The dialogue space pages (/espaces, /espaces/{id}) through the real app (TestClient) on
the fixture graph of conftest.py, plus the démarche and spaces written here."""

from __future__ import annotations

import html
import re

import pytest

from api.pages.spaces import DEMARCHE, DEMARCHE_SPACES, date_fr, members_phrase
from tests.pages.test_pages import assert_page

INGENIERIES, INVESTISSEURS = DEMARCHE_SPACES[0], DEMARCHE_SPACES[1]

#: the démarche (51 declared, Le RAMEAU copilot), two of its spaces (21 declared with the
#: catalyst named, a deliverable relayed by the relay and an event; 12 declared and none
#: named) and a space without a count (one member) — beside ``space:entreprises`` of
#: conftest.py (21 declared, 3 named)
SPACES_GRAPH = """
MATCH (rameau:Organisation {id: 'org:le-rameau'}),
      (cata:Organisation {id: 'org:roubaix-numerique'}),
      (relay:Organisation {id: 'org:mel-relais'}), (href:Organisation {id: 'org:href'})
CREATE (d:DialogueSpace {id: $demarche, name: 'Démarche collective', count: 51,
        start: '2020-03-20', end: '2020-09-03', source: 'seed:003'})
CREATE (a:DialogueSpace {id: $ingenieries, name: 'Articulation des ingénieries', count: 21,
        description: 'Espace de dialogue de la démarche.', source: 'seed:000'})
CREATE (b:DialogueSpace {id: $investisseurs, name: 'Investisseurs sociétaux', count: 12,
        source: 'seed:000'})
CREATE (c:DialogueSpace {id: 'space:sans-compte', name: 'Cercle sans compte',
        source: 'seed:001'})
CREATE (inv:Deliverable {id: 'deliverable:inventaire', name: 'Inventaire des besoins'})
CREATE (syn:Deliverable {id: 'deliverable:synthese', name: 'Synthèse des échanges'})
CREATE (ev:Event {id: 'event:session-10', name: '10e session', start: '2021-03-16'})
CREATE (rameau)-[:COPILOTS {role: 'co-pilote'}]->(d)
CREATE (d)-[:PRODUCED]->(inv)
CREATE (cata)-[:PARTICIPATES_IN {role: 'membre'}]->(a)
CREATE (a)-[:PRODUCED {role: 'livrable'}]->(syn)
CREATE (a)-[:HELD {role: '10e session', date: '2021-03-16'}]->(ev)
CREATE (relay)-[:RELAYS {role: 'relais des travaux'}]->(syn)
CREATE (href)-[:PARTICIPATES_IN]->(c)
"""


@pytest.fixture
def spaces_client(client, pages_graph, neo4j_server):
    with pages_graph.session(database=neo4j_server.database) as session:
        session.execute_write(lambda tx: tx.run(
            SPACES_GRAPH, demarche=DEMARCHE, ingenieries=INGENIERIES,
            investisseurs=INVESTISSEURS).consume())
    return client


def text_of(body: str) -> str:
    """The page as a reader sees it: tags dropped, spaces folded."""
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)).replace(" .", ".")
    return html.unescape(text)


def test_members_phrase_declared_and_named():
    assert members_phrase(21, 3) == "21 déclarés, 3 nommés"
    assert members_phrase(21, 1) == "21 déclarés, 1 nommé"
    assert members_phrase(1, 0) == "1 déclaré, aucun nommé"
    assert members_phrase(None, 3) == "3 membres nommés"
    assert members_phrase(None, 1) == "1 membre nommé"
    assert members_phrase(None, 0) == "aucun membre nommé"
    assert members_phrase(350, 2) == "350 déclarés, 2 nommés"


def test_date_fr():
    assert date_fr("2020-03-20") == "20 mars 2020"
    assert date_fr("2020-08-01") == "1er août 2020"
    assert date_fr("2021-13-01") == "2021-13-01"
    assert date_fr(None) == ""


def test_spaces_page_lists_the_demarche_its_spaces_and_the_others(spaces_client):
    body = assert_page(spaces_client.get("/espaces"))
    assert 'href="/espaces" aria-current="page"' in body
    text = text_of(body)
    assert "La démarche collective" in text
    assert "Du 20 mars 2020 au 3 septembre 2020" in text
    assert "Membres : 51 déclarés, 1 nommé." in text
    assert "Copilote : Le RAMEAU." in text
    assert "1 livrable : Inventaire des besoins" in text
    assert "Les 2 espaces de dialogue de la démarche" in text
    # the démarche's spaces in the order of the documents, before the others
    assert text.index("Articulation des ingénieries") < text.index("Investisseurs sociétaux")
    assert text.index("Investisseurs sociétaux") < text.index("Autres espaces de dialogue")
    assert "Membres : 21 déclarés, 1 nommé." in text
    assert "Membres : 12 déclarés, aucun nommé." in text
    assert "Membres : 21 déclarés, 3 nommés." in text  # space:entreprises
    assert "Membres : 1 membre nommé." in text  # no count: named members only
    assert "1 événement : 10e session (16 mars 2021)" in text
    assert "1 relais : Relais de la Métropole" in text
    assert "Aucun livrable enregistré." in text
    assert text.count("Espace de dialogue de la démarche : Démarche collective.") == 2
    assert f'href="/espaces/{INGENIERIES}"' in body
    assert 'href="/fiche/org:roubaix-numerique"' in body
    assert 'href="/fiche/deliverable:synthese"' in body


def test_spaces_page_without_the_demarche_lists_every_space(client):
    text = text_of(assert_page(client.get("/espaces")))
    assert "La démarche collective" not in text and "Autres espaces" not in text
    assert "Espaces de dialogue" in text and "Espace entreprises" in text
    assert "Membres : 21 déclarés, 3 nommés." in text


def test_one_space_in_full(spaces_client):
    body = assert_page(spaces_client.get(f"/espaces/{INGENIERIES}"))
    text = text_of(body)
    assert "Espace de dialogue de la démarche : Démarche collective." in text
    assert f'href="/espaces/{DEMARCHE}"' in body
    assert "Membres : 21 déclarés, 1 nommé." in text
    assert "Les documents donnent le nombre de membres sans tous les nommer." in text
    assert f'href="/viz/space/{INGENIERIES}"' in body
    assert "Roubaix Numérique Organisation Association participe (membre)" in text
    assert 'href="/fiche/org:roubaix-numerique"' in body
    assert "Les données ne nomment aucun copilote pour cet espace." in text
    assert "Synthèse des échanges Livrable non daté" in text
    assert "10e session 16 mars 2021 10e session" in text
    assert "Relais de la Métropole Synthèse des échanges relais des travaux" in text


def test_the_demarche_in_full_lists_its_spaces_and_copilots(spaces_client):
    text = text_of(assert_page(spaces_client.get(f"/espaces/{DEMARCHE}")))
    assert "Ses espaces de dialogue" in text
    assert "Articulation des ingénieries — 21 déclarés, 1 nommé" in text
    assert "Investisseurs sociétaux — 12 déclarés, aucun nommé" in text
    assert "Copilotes Le RAMEAU — Organisation" in text
    assert "Le RAMEAU Organisation Recherche copilote" in text


def test_a_space_without_members_says_why(spaces_client):
    text = text_of(assert_page(spaces_client.get(f"/espaces/{INVESTISSEURS}")))
    assert ("Les données ne nomment aucun membre de cet espace : les documents en déclarent "
            "12 sans les nommer.") in text
    assert "Aucun événement tenu par cet espace n'est enregistré." in text
    assert "Aucune organisation n'est enregistrée comme relais" in text


def test_xss_member_is_text(spaces_client):
    body = assert_page(spaces_client.get("/espaces/space:entreprises"))
    assert "&lt;img src=x onerror=alert(1)&gt;" in body


@pytest.mark.parametrize("space_id", ["space:nope", "org:le-rameau"])
def test_unknown_space_is_a_french_404(spaces_client, space_id):
    body = assert_page(spaces_client.get(f"/espaces/{space_id}"), 404)
    assert "Espace de dialogue introuvable" in body
    assert f"Aucun espace de dialogue n'a l'identifiant « {space_id} »" in text_of(body)
    assert "Traceback" not in body and '{"' not in body
