"""The path page (/chemin) and its name suggestions (/pages-api/organisations) through the
real app (TestClient) on the fixture graph of conftest.py, plus two organisations of the
same name; and the page in Chromium, typed through the suggestions."""

from __future__ import annotations

import html
import re
from urllib.parse import urlencode

import pytest

from api.pages.paths import chain_text, fold
from queries import paths
from tests.pages.conftest import XSS_NAME
from tests.pages.test_pages import assert_page

#: two organisations with one name, one tied to the relay, one to nothing
TWINS = """
MATCH (relay:Organisation {id: 'org:mel-relais'})
CREATE (a:Organisation {id: 'org:fondation-dupont-lille', name: 'Fondation Dupont',
        kind: 'fondation', source: 'test'})
CREATE (b:Organisation {id: 'org:fondation-dupont-arras', name: 'Fondation Dupont',
        kind: 'fondation', source: 'test'})
CREATE (a)-[:MEMBER_OF {source: 'test'}]->(relay)
"""

#: Roubaix Numérique — partenaire de → Relais de la Métropole — participe à → Espace
#: entreprises ← participe à — Le RAMEAU
CHAIN = ("Roubaix Numérique — partenaire de → Relais de la Métropole — participe à → "
         "Espace entreprises (espace de dialogue) ← participe à — Le RAMEAU")


@pytest.fixture
def twins_client(client, pages_graph, neo4j_server):
    from graph.schema import refresh_fulltext

    with pages_graph.session(database=neo4j_server.database) as session:
        session.execute_write(lambda tx: tx.run(TWINS).consume())
    refresh_fulltext(pages_graph, neo4j_server.database)
    return client


def text_of(body: str) -> str:
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)).replace(" .", ".")
    return html.unescape(re.sub(r"\s+([,)])", r"\1", text).replace("( ", "("))


def chemin(client, de: str, a: str, status: int = 200, **extra) -> str:
    return text_of(assert_page(client.get("/chemin?" + urlencode({"de": de, "a": a, **extra})),
                               status))


def test_fold():
    assert fold("Roubaix numérique") == fold("ROUBAIX-NUMERIQUE") == "roubaix numerique"


def test_chain_reads_each_link_in_its_direction(pages_graph, neo4j_server):
    result = paths(pages_graph, "org:roubaix-numerique", "org:le-rameau",
                   database=neo4j_server.database)
    assert [chain_text(p) for p in result.paths] == [CHAIN.replace(
        " (espace de dialogue)", "")]


def test_empty_form(client):
    body = assert_page(client.get("/chemin"))
    assert 'href="/chemin" aria-current="page"' in body
    assert body.count('data-suggest="/pages-api/organisations"') == 2
    assert "Qui peut me présenter à qui ?" in body
    assert 'id="chemins"' not in body


def test_path_by_names_accents_and_case_ignored(client):
    text = chemin(client, "roubaix numerique", "LE RAMEAU")
    assert "Chemins entre Roubaix Numérique et Le RAMEAU" in text
    assert "Le plus court chemin compte 3 liens." in text
    assert CHAIN in text
    # the boxes show the names read, not what was typed
    body = client.get("/chemin?de=roubaix+numerique&a=LE+RAMEAU").text
    assert 'value="Roubaix Numérique"' in body and 'value="Le RAMEAU"' in body


def test_several_paths_and_an_xss_name_as_text(client):
    response = client.get("/chemin?" + urlencode({"de": "Relais de la Métropole",
                                                   "a": XSS_NAME}))
    text = text_of(assert_page(response))
    assert "2 plus courts chemins, de 2 liens chacun." in text
    assert f"Relais de la Métropole — relaie → Pass numérique (programme) ← finance — {XSS_NAME}" \
        in text
    assert f"Relais de la Métropole — participe à → Espace entreprises (espace de dialogue) " \
        f"← participe à — {XSS_NAME}" in text


def test_no_path_says_why_and_offers_a_longer_search(client):
    text = chemin(client, "Roubaix Numérique", 'Collectif "href" des quartiers')
    assert ("Aucun chemin de 4 liens ou moins entre Roubaix Numérique et Collectif \"href\" "
            "des quartiers") in text
    assert "Chercher avec 5 liens au plus" in text
    assert "ne sont pas cherchés" not in text
    text = chemin(client, "Roubaix Numérique", 'Collectif "href" des quartiers', liens="6")
    assert "Aucun chemin de 6 liens ou moins" in text and "Chercher avec" not in text
    assert "Les chemins de plus de 6 liens ne sont pas cherchés" in text
    text = chemin(client, "Roubaix Numérique", "Le RAMEAU", liens="2")
    assert "Aucun chemin de 2 liens ou moins" in text
    assert "Chercher avec 3 liens au plus" in text


def test_same_named_organisations_are_asked_back(twins_client):
    response = twins_client.get("/chemin?" + urlencode({"de": "Fondation Dupont",
                                                        "a": "Le RAMEAU"}))
    text = text_of(assert_page(response, 400))
    assert ("Plusieurs organisations s'appellent « Fondation Dupont » (point de départ). "
            "Laquelle ?") in text
    assert "Fondation — org:fondation-dupont-arras" in text
    links = re.findall(r'href="(/chemin\?[^"]+)"', response.text)
    lille = [h for h in links if "fondation-dupont-lille" in h]
    assert len(links) == 2 and len(lille) == 1
    # the choice answers: Fondation Dupont (Lille) is a member of the relay
    text = text_of(assert_page(twins_client.get(html.unescape(lille[0]))))
    assert "Chemins entre Fondation Dupont et Le RAMEAU" in text
    assert "Fondation Dupont — membre de → Relais de la Métropole" in text


def test_near_miss_gives_suggestions_never_a_pick(client):
    response = client.get("/chemin?" + urlencode({"de": "Rame", "a": "Roubaix Numérique"}))
    text = text_of(assert_page(response, 400))
    assert "Aucune organisation ne s'appelle exactement « Rame » (point de départ)" in text
    assert "Vouliez-vous dire : Le RAMEAU — Recherche" in text
    assert 'id="chemins"' not in response.text


def test_no_match_at_all(client):
    text = chemin(client, "Le RAMEAU", "Zzyzx", 404)
    assert "Aucune organisation ne correspond à « Zzyzx » (point d'arrivée)" in text


def test_form_errors_in_french(client):
    text = chemin(client, "Le RAMEAU", "", 422)
    assert "Indiquez deux organisations" in text
    text = chemin(client, "Le RAMEAU", "le rameau", 422)
    assert "le départ et l'arrivée sont la même organisation" in text


def test_suggestions(twins_client):
    found = twins_client.get("/pages-api/organisations?q=roub").json()
    assert found[0] == {"id": "org:roubaix-numerique", "value": "Roubaix Numérique",
                        "label": "Roubaix Numérique", "hint": "Association"}
    twins = twins_client.get("/pages-api/organisations?q=fondation dupont").json()
    # a shared name goes into the box as the id, which reads as exactly that one
    assert sorted(t["value"] for t in twins) == ["org:fondation-dupont-arras",
                                                 "org:fondation-dupont-lille"]
    assert twins_client.get("/pages-api/organisations?q=r").json() == []
    assert twins_client.get("/pages-api/organisations?q=pass").json() == []  # a programme


@pytest.mark.browser
def test_path_typed_with_suggestions_in_chromium(page, live_server, artifacts):
    from tests.pages.test_pages_browser import assert_clean

    tab, watch = page
    tab.goto(live_server + "/chemin", wait_until="load")
    for box, typed, wanted in (("de", "roub", "Roubaix Numérique"),
                               ("a", "rame", "Le RAMEAU")):
        tab.locator(f"#{box}").click()
        tab.locator(f"#{box}").press_sequentially(typed, delay=30)
        option = tab.locator(f"#{box}-suggestions li[role=option]").first
        option.wait_for(timeout=10_000)
        assert option.get_attribute("data-value") == wanted
        if box == "a":
            tab.screenshot(path=str(artifacts / "pages-chemin-suggestions.png"))
        option.click()
        assert tab.locator(f"#{box}").input_value() == wanted
    with tab.expect_navigation():
        tab.get_by_role("button", name="Chercher").click()
    tab.wait_for_load_state("networkidle")
    assert tab.get_by_role("heading", name="Chemins entre Roubaix Numérique et Le RAMEAU")\
        .is_visible()
    item = tab.locator("ol.paths li").first
    assert re.sub(r"\s+", " ", item.inner_text()).strip() == CHAIN
    tab.screenshot(path=str(artifacts / "pages-chemin-resultat.png"), full_page=True)
    assert_clean(watch)
