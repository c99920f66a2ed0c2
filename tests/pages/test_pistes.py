"""The « Pistes d'alliance » page (/pistes): an organisation's suggestions with their
reasons, introducers, proof paths and picture; a territory's coalitions, or precisely
what the data lacks; the stewards' marks (session, CSRF, back to the page); the links from
the fiche and the catalyst page.

On the fixture graph of tests/pages/conftest.py, plus one partnership written here: the
catalyst Roubaix Numérique PARTNERS_WITH Le RAMEAU. So the relay (Relais de la Métropole,
collectivité in Lille) and Le RAMEAU (recherche, Lille) share the dialogue space and are
both linked to the catalyst, who can introduce them (a catalyst, 10 km away).
"""

from __future__ import annotations

import re
from html import unescape

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from api.app import create_app
from graph.settings import get_settings
from tests.pages.conftest import XSS_NAME

KEY = "cle-des-pistes-0123"
RELAY = "org:mel-relais"
RAMEAU = "org:le-rameau"
CATALYST = "org:roubaix-numerique"


@pytest.fixture
def pistes_graph(pages_graph, neo4j_server):
    pages_graph.execute_query(
        "MATCH (c:Organisation {id: $c}), (r:Organisation {id: $r}) "
        "CREATE (c)-[:PARTNERS_WITH {source: 'test'}]->(r)",
        {"c": CATALYST, "r": RAMEAU}, database_=neo4j_server.database)
    return pages_graph


@pytest.fixture
def client(pistes_graph):
    with TestClient(create_app()) as test_client:
        yield test_client


@pytest.fixture
def steward(pistes_graph):
    settings = get_settings().model_copy(update={"api_key": SecretStr(KEY)})
    with TestClient(create_app(settings)) as test_client:
        response = test_client.post("/gestion/connexion", data={"cle": KEY},
                                    follow_redirects=False)
        assert response.status_code == 303
        yield test_client


def text_of(html: str) -> str:
    """The page's main text, tags removed, spaces collapsed."""
    main = html.split('<main id="contenu">', 1)[1].split("</main>", 1)[0]
    main = re.sub(r"<select.*?</select>", " ", main, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", main)).split())


def test_an_organisation_sees_its_pistes_with_reasons_introducers_and_proof(client):
    page = client.get("/pistes", params={"organisation": RELAY, "rayon": "30"})
    assert page.status_code == 200
    text = text_of(page.text)
    assert "Les pistes de Relais de la Métropole" in text
    assert "Piste d'alliance : Le RAMEAU" in text
    # the reasons, part by part, in French
    assert "participent à l'espace de dialogue « Espace entreprises »" in text
    assert "collectivité + recherche" in text or "recherche + collectivité" in text
    # the catalyst knows both: an introducer, linked to her fiche
    card = text.split("Piste d'alliance : Le RAMEAU", 1)[1].split("Voir l'image", 1)[0]
    assert "Qui peut les présenter Roubaix Numérique" in card, card
    assert f'href="/fiche/{CATALYST}"' in page.text
    # the proof paths, as chains
    assert "Relais de la Métropole — participe à → Espace entreprises" in card, card
    # the picture of the first piste, with its « Intégrer » panel and downloads
    assert (f'src="/viz/suggestion/{RELAY}/{RAMEAU}?radius_km=30"' in page.text)
    assert "Intégrer ou télécharger l'image" in page.text
    assert (f'/viz/suggestion/{RELAY}/{RAMEAU}.png?radius_km=30' in page.text)
    assert (f'/export/suggestion/{RELAY}/{RAMEAU}.nodes.csv?radius_km=30' in page.text)
    assert "piste-d-alliance-relais-de-la-metropole-et-le-rameau.png" in page.text
    # a partner already linked is never a piste
    assert "Piste d'alliance : Roubaix Numérique" not in text


def test_the_hostile_name_is_text(client):
    page = client.get("/pistes", params={"organisation": CATALYST})
    assert page.status_code == 200
    assert XSS_NAME not in page.text
    assert "&lt;img src=x onerror=alert(1)&gt;" in page.text


def test_an_organisation_by_name_and_the_radius(client):
    page = client.get("/pistes", params={"organisation": "relais de la metropole",
                                         "rayon": "12,5"})
    assert page.status_code == 200
    assert "dans un rayon de 12,5 km" in text_of(page.text)
    refused = client.get("/pistes", params={"organisation": RELAY, "rayon": "500"})
    assert refused.status_code == 422
    assert "Le rayon doit être un nombre de kilomètres entre 1 et 300" in unescape(
        refused.text)


def test_an_unknown_organisation_is_asked_back_in_french(client):
    page = client.get("/pistes", params={"organisation": "Relais de la Metropolle"})
    assert page.status_code in (400, 404)
    text = text_of(page.text)
    assert "Relais de la Métropole" in text  # the near miss, as a choice
    assert "Aucune organisation ne s'appelle « Relais de la Metropolle »" in text
    unknown_need = client.get("/pistes", params={"territoire": "Roubaix", "besoin": "zzz"})
    assert unknown_need.status_code == 404
    assert "Aucun besoin ne s'appelle « zzz »" in text_of(unknown_need.text)
    assert "Traceback" not in page.text and '{"' not in page.text


def test_no_piste_says_why(client):
    # the Arras collective, 45 km from the rest, shares nothing within 5 km
    page = client.get("/pistes", params={"organisation": "org:href", "rayon": "5"})
    assert page.status_code == 200
    text = text_of(page.text)
    assert ("Aucune piste d'alliance pour Collectif \"href\" des quartiers dans un rayon "
            "de 5 km") in text
    assert ("aucune organisation sans lien avec elle n'est située dans ce rayon, et aucune "
            "de celles qui agissent sur son territoire ne partage avec elle un besoin") in text
    assert "située à Arras" in text
    assert 'class="pistes"' not in page.text
    assert "/viz/suggestion/" not in page.text


def test_another_pair_drawn_on_request(client):
    page = client.get("/pistes", params={"organisation": CATALYST, "avec": RAMEAU})
    assert page.status_code == 200
    # Le RAMEAU is now the catalyst's partner: not a piste, so the first one is drawn
    assert f"/viz/suggestion/{CATALYST}/{RAMEAU}" not in page.text
    first = re.search(r'src="/viz/suggestion/([^/]+)/([^?"]+)', page.text)
    assert first and first[1] == CATALYST


def test_a_territory_and_a_need_say_what_is_missing(client):
    # Roubaix, « Emploi des jeunes » (by its name): the catalyst expresses it, but no
    # company or foundation, and no public actor, is in Roubaix or above it
    page = client.get("/pistes", params={"territoire": "Roubaix", "besoin": "Emploi des jeunes"})
    assert page.status_code == 200
    text = text_of(page.text)
    assert "pour le besoin « Emploi des jeunes »" in text
    assert ("Aucune coalition possible sur le territoire de Roubaix pour ce besoin : aucune "
            "entreprise ni fondation située ou active sur le territoire de Roubaix n'exprime "
            "ce besoin ni n'agit sur un programme qui y répond ; aucune collectivité ni "
            "service de l'État n'est situé ou actif sur le territoire de Roubaix") in text
    assert "Aucun programme répondant à ce besoin ne couvre ce territoire" in text


def test_a_territory_with_every_seat_gives_coalitions(client, pistes_graph, neo4j_server):
    pistes_graph.execute_query(
        "MATCH (n:Need {id: 'need:emploi'}), (t:Territory {id: 'commune:59350'}) "
        "CREATE (f:Organisation {id: 'org:fondation-test', name: 'Fondation Test', "
        "        kind: 'fondation', source: 'test'})-[:EXPRESSES {source: 'test'}]->(n), "
        "       (f)-[:LOCATED_IN {source: 'test'}]->(t)",
        database_=neo4j_server.database)
    from loaders.locations import derive_locations

    derive_locations(pistes_graph, database=neo4j_server.database)
    page = client.get("/pistes", params={"territoire": "departement:59",
                                         "besoin": "need:emploi"})
    assert page.status_code == 200
    text = text_of(page.text)
    assert "Sur le territoire Nord (département)" in text
    assert "Coalition 1" in text, text
    assert "Fondation Test" in text and "Relais de la Métropole" in text
    assert "Lien le plus faible" in text and "Pour les réunir" in text
    assert "Financement possible" in text
    assert "ses pistes" in text


def test_a_territory_without_need_asks_for_one_and_both_are_refused(client):
    page = client.get("/pistes", params={"territoire": "commune:59512", "rayon": "30"})
    assert page.status_code == 200
    assert "choisissez un besoin ou un programme" in text_of(page.text)
    # or one click per need
    assert ('href="/pistes?territoire=commune%3A59512&amp;besoin=need%3Aemploi&amp;rayon=30"'
            in page.text)
    both = client.get("/pistes", params={"territoire": "Roubaix", "besoin": "need:emploi",
                                         "programme": "programme:pass-numerique"})
    assert both.status_code == 422
    assert "pas les deux" in unescape(both.text)


def test_a_programme_by_name(client):
    page = client.get("/pistes", params={"territoire": "Roubaix", "programme": "Pass numérique"})
    assert page.status_code == 200
    text = text_of(page.text)
    assert "pour le programme « Pass numérique »" in text
    assert "Pass numérique" in text.split("Qui pourrait financer", 1)[1]


def test_the_fiche_and_the_catalyst_page_lead_here(client):
    fiche = client.get(f"/fiche/{RELAY}")
    assert f'href="/pistes?organisation={RELAY.replace(":", "%3A")}"' in fiche.text
    assert "Pistes d'alliance de Relais de la Métropole" in unescape(fiche.text)
    catalyst = client.get("/catalyseurs", params={"commune": "commune:59512", "rayon": "30",
                                                  "besoin": "need:emploi"})
    text = unescape(catalyst.text)
    assert ("/pistes?territoire=commune%3A59512&amp;rayon=30&amp;besoin=need%3Aemploi"
            in catalyst.text)
    assert "Coalitions possibles autour de Roubaix pour le besoin « Emploi des jeunes »" in text
    assert "Pistes de Roubaix Numérique" in text


def test_without_a_session_no_mark_button(client):
    page = client.get("/pistes", params={"organisation": RELAY})
    assert "/pistes/marquer" not in page.text
    assert "Les gestionnaires connectés" in unescape(page.text)
    refused = client.post("/pistes/marquer", data={"a": RELAY, "b": RAMEAU,
                                                    "verdict": "en_contact"})
    assert refused.status_code == 401


def _csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html)[1]


def test_a_steward_marks_a_piste_then_undoes_it(steward):
    url = f"/pistes?organisation={RELAY}&rayon=30"
    page = steward.get(url)
    assert "Déjà en contact" in page.text and "Pas pertinent" in page.text
    token = _csrf(page.text)
    # a form of another session (or none) is refused
    forged = steward.post("/pistes/marquer", data={"csrf": "x", "a": RELAY, "b": RAMEAU,
                                                   "verdict": "en_contact", "retour": url})
    assert forged.status_code == 403
    done = steward.post("/pistes/marquer", data={"csrf": token, "a": RELAY, "b": RAMEAU,
                                                 "verdict": "en_contact", "retour": url},
                        follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == url
    after = text_of(steward.get(url).text)
    assert "Piste d'alliance : Le RAMEAU" not in after
    marked = after.split("Pistes écartées par les gestionnaires", 1)[1]
    assert "Le RAMEAU — déjà en contact" in marked and "Annuler" in marked
    # the same pair read from the other side is marked too
    other = text_of(steward.get(f"/pistes?organisation={RAMEAU}").text)
    assert "Piste d'alliance : Relais de la Métropole" not in other
    undone = steward.post("/pistes/annuler", data={"csrf": token, "a": RELAY, "b": RAMEAU,
                                                   "retour": url}, follow_redirects=False)
    assert undone.status_code == 303
    assert "Piste d'alliance : Le RAMEAU" in text_of(steward.get(url).text)


def test_a_mark_goes_back_to_this_site_only(steward):
    token = _csrf(steward.get(f"/pistes?organisation={RELAY}").text)
    done = steward.post("/pistes/marquer", data={"csrf": token, "a": RELAY, "b": RAMEAU,
                                                 "verdict": "pas_pertinent",
                                                 "retour": "https://example.org/pistes"},
                        follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/pistes"
    bad = steward.post("/pistes/marquer", data={"csrf": token, "a": RELAY, "b": RELAY,
                                                "verdict": "pas_pertinent"})
    assert bad.status_code == 422 and "Marque impossible" in unescape(bad.text)
