"""The "Télécharger (Excel)" links of the pages: one under every list, the same bytes as
the API's ``format=csv`` for the same question, and the page's French message when the
question cannot be answered (fixture graph of conftest.py, plus a national actor)."""

from __future__ import annotations

import re
from html import unescape

import pytest

from tests.csv_reading import csv_rows
from tests.pages.conftest import XSS_NAME
from tests.pages.test_pages import assert_page

NATIONAL = """
MATCH (fr:Territory {id: 'FR'}), (fonds:Programme {id: 'programme:fonds-urgence'})
CREATE (nat:Organisation {id: 'org:national', name: 'Acteur national', kind: 'etat'})
CREATE (nat)-[:ACTIVE_IN]->(fr), (nat)-[:CARRIES]->(fonds)
"""


@pytest.fixture
def national(pages_graph):
    pages_graph.execute_query(NATIONAL)


def download_links(body: str) -> dict[str, str]:
    """The page's download links: what each completes "Télécharger (Excel)" with → href."""
    links = re.findall(r'<a href="([^"]+)">Télécharger \(Excel\)<span class="skip"> : '
                       r'([^<]+)</span></a>', body)
    return {unescape(what): unescape(href) for href, what in links}


def test_the_catalyst_page_links_each_list_to_the_api_file(national, client):
    body = assert_page(client.get("/catalyseurs", params={"commune": "Roubaix",
                                                          "rayon": "20"}))
    links = download_links(body)
    assert set(links) == {"partenaires près de vous",
                          "organisations actives sur votre territoire",
                          "programmes qui couvrent votre territoire", "besoins sans programme"}
    same = {
        "partenaires près de vous": ("/partners/near", {
            "commune": "commune:59512", "radius_km": 20, "limit": 200}),
        "organisations actives sur votre territoire": ("/partners/near", {
            "commune": "commune:59512", "radius_km": 20, "limit": 200,
            "rows": "active_on_territory"}),
        "programmes qui couvrent votre territoire": (
            "/territories/commune:59512/programmes", {}),
        "besoins sans programme": ("/territories/commune:59512/gaps", {}),
    }
    for what, (url, params) in same.items():
        page_file = client.get(links[what])
        assert csv_rows(page_file), what
        api_file = client.get(url, params={**params, "format": "csv"})
        assert page_file.content == api_file.content, what
        assert (page_file.headers["content-disposition"]
                == api_file.headers["content-disposition"])
    near = csv_rows(client.get(links["partenaires près de vous"]),
                    "partenaires-roubaix-20-km.csv")
    assert {r["Organisation"] for r in near} >= {"Roubaix Numérique", "Le RAMEAU"}


def test_the_catalyst_links_keep_the_need_the_role_and_the_gaps_asked(client):
    body = assert_page(client.get("/catalyseurs", params={
        "commune": "59512", "rayon": "12,5", "besoin": "need:emploi", "role": "catalyst",
        "trous": "tous"}))
    links = download_links(body)
    page_file = client.get(links["partenaires près de vous"])
    assert [r["Organisation"] for r in csv_rows(page_file)] == ["Roubaix Numérique"]
    assert page_file.content == client.get("/partners/near", params={
        "commune": "commune:59512", "radius_km": 12.5, "need": "need:emploi",
        "role": "catalyst", "limit": 200, "format": "csv"}).content
    gaps = client.get(links["besoins sans programme"])
    assert gaps.content == client.get("/territories/commune:59512/gaps", params={
        "scope": "all", "format": "csv"}).content
    assert "tous-les-besoins-sans-programme-roubaix.csv" in gaps.headers[
        "content-disposition"]


def test_the_analyst_page_links_each_list_to_the_api_file(national, client):
    body = assert_page(client.get("/analystes", params={
        "programme": "programme:pass-numerique", "territoire": "Nord"}))
    links = download_links(body)
    assert set(links) == {"organisations qui relient le programme au territoire",
                          "besoins sans programme dans ce territoire",
                          "organisations qui font le pont", "communautés"}
    same = {
        "organisations qui relient le programme au territoire": ("/connectors", {
            "programme": "programme:pass-numerique", "territory": "departement:59",
            "limit": 200}),
        "besoins sans programme dans ce territoire": ("/territories/departement:59/gaps", {}),
        "organisations qui font le pont": ("/analytics/brokers", {}),
        "communautés": ("/analytics/communities", {"limit": 200}),
    }
    for what, (url, params) in same.items():
        page_file = client.get(links[what])
        assert csv_rows(page_file), what
        assert page_file.content == client.get(url, params={**params,
                                                            "format": "csv"}).content, what
    covering = download_links(assert_page(client.get("/analystes", params={
        "programme": "programme:fonds-urgence", "territoire": "62"})))
    what = "organisations qui couvrent le territoire depuis un territoire plus large"
    rows = csv_rows(client.get(covering[what]))
    assert [r["Organisation"] for r in rows] == ["Acteur national"]
    assert client.get(covering[what]).content == client.get("/connectors", params={
        "programme": "programme:fonds-urgence", "territory": "departement:62",
        "limit": 200, "rows": "covering", "format": "csv"}).content


def test_no_link_under_an_empty_list(client):
    body = assert_page(client.get("/catalyseurs", params={"commune": "Paris",
                                                          "rayon": "5"}))
    assert "partenaires près de vous" not in download_links(body)
    assert "besoins sans programme" not in download_links(body)


@pytest.mark.parametrize(("url", "params", "status", "message"), [
    ("/catalyseurs/partenaires.csv", {"commune": "Roubaiz", "rayon": "30"}, 404,
     "Aucun territoire ne s&#39;appelle « Roubaiz »"),
    ("/catalyseurs/actifs.csv", {"commune": "59512", "rayon": "301"}, 422,
     "Le rayon doit être un nombre de kilomètres entre 1 et 300"),
    ("/catalyseurs/programmes.csv", {"commune": "59100"}, 400, "Roubaix (code postal 59100)"),
    ("/catalyseurs/trous.csv", {"commune": "Saint-Denis"}, 400, "Vouliez-vous dire"),
    ("/analystes/connecteurs.csv", {"programme": "programme:nope", "territoire": "59"}, 404,
     "Ce programme n&#39;est pas dans la liste"),
    ("/analystes/couvrent.csv", {"programme": "programme:pass-numerique",
                                 "territoire": "Roubaiz"}, 404, "Roubaiz"),
    ("/analystes/trous.csv", {"territoire": "Roubaiz"}, 404, "Roubaiz"),
])
def test_a_file_that_cannot_be_made_is_the_french_page(client, url, params, status, message):
    body = assert_page(client.get(url, params=params), status)
    assert message in body
    # the analyst page always ranks the brokers and the communities of the whole network
    assert set(download_links(body)) <= {"organisations qui font le pont", "communautés"}


def test_the_space_page_links_its_lists(client):
    body = assert_page(client.get("/espaces/space:entreprises"))
    links = download_links(body)
    assert links == {"membres nommés de l'espace":
                     "/espaces/space:entreprises/membres.csv"}
    rows = csv_rows(client.get(links["membres nommés de l'espace"]),
                    "membres-espace-entreprises.csv")
    assert {(r["Membre"], r["Type"], r["Catégorie"], r["À quel titre"]) for r in rows} == {
        ("Le RAMEAU", "Organisation", "Recherche", "participe"),
        ("Relais de la Métropole", "Organisation", "Collectivité", "participe"),
        (XSS_NAME, "Organisation", "Association", "participe")}
    assert_page(client.get("/espaces/space:nope/membres.csv"), 404)
    body = assert_page(client.get("/espaces/space:entreprises/budget.csv"), 404)
    assert "pas de liste « budget »" in body
