"""A territory's chain, smallest first (commune ⊂ EPCI ⊂ département ⊂ région ⊂ France),
wherever the pages show a territory's place: the fiche of a territory, the territory line of
the catalyst and analyst pages, and an organisation's fiche. On the shipped data (real
territories: tests/shipped_fixtures.py)."""

from __future__ import annotations

import html
import re

import pytest

from tests.pages.test_pages import assert_page

ROUBAIX = ["Roubaix (commune)", "Métropole Européenne de Lille (intercommunalité)",
           "Nord (département)", "Hauts-de-France (région)", "France"]
LILLE = ["Lille (commune)", *ROUBAIX[1:]]


def chains(body: str) -> list[list[str]]:
    """Each chain of a page, as the text of its steps."""
    out = []
    for ol in re.findall(r'<ol class="chain"[^>]*>(.*?)</ol>', body, re.DOTALL):
        steps = re.findall(r"<li>(.*?)</li>", ol, re.DOTALL)
        out.append([" ".join(html.unescape(re.sub(r"<[^>]+>", "", s)).split()) for s in steps])
    return out


@pytest.mark.parametrize(("territory", "chain"), [
    ("commune:59512", ROUBAIX),
    ("commune:59350", LILLE),
    # overseas: the département and the région share their name
    ("commune:97411", ["Saint-Denis (commune)",
                       "CA Intercommunale du Nord de la Réunion (CINOR) (intercommunalité)",
                       "La Réunion (département)", "La Réunion (région)", "France"]),
    # its EPCI spans three départements: the chain gives the commune's own, the Var
    ("commune:83120", ["Saint-Zacharie (commune)",
                       "Métropole d'Aix-Marseille-Provence (intercommunalité)",
                       "Var (département)", "Provence-Alpes-Côte d'Azur (région)", "France"]),
    ("epci:200054807", ["Métropole d'Aix-Marseille-Provence (intercommunalité)",
                        "Bouches-du-Rhône, Var, Vaucluse (départements)",
                        "Provence-Alpes-Côte d'Azur (région)", "France"]),
    ("departement:59", ROUBAIX[2:]),
    ("region:32", ROUBAIX[3:]),
])
def test_the_fiche_of_a_territory_shows_its_chain_in_order(shipped_client, territory, chain):
    body = assert_page(shipped_client.get(f"/fiche/{territory}"))
    assert chains(body)[0] == chain
    assert "Situation :" in body


def test_france_has_no_chain(shipped_client):
    assert chains(assert_page(shipped_client.get("/fiche/FR"))) == []


def test_the_catalyst_page_shows_the_chain_of_the_commune(shipped_client):
    body = assert_page(shipped_client.get("/catalyseurs", params={"commune": "Roubaix",
                                                                  "rayon": "30"}))
    assert chains(body.split('id="partenaires"')[0]) == [ROUBAIX]


@pytest.mark.parametrize(("territoire", "chain"), [("59", ROUBAIX[2:]), ("Lille", LILLE)])
def test_the_analyst_page_shows_the_chain_of_the_territory(shipped_client, territoire, chain):
    body = assert_page(shipped_client.get("/analystes", params={
        "programme": "programme:france-relance", "territoire": territoire}))
    assert chains(body.split('id="connecteurs"')[0]) == [chain]


def test_an_organisation_fiche_shows_where_it_is_and_acts_with_chains(shipped_client):
    body = assert_page(shipped_client.get("/fiche/org:le-rameau"))
    places = body.split("<h2>Territoires</h2>", 1)[1].split("<h2>", 1)[0]
    assert "Implantation" in places and "Territoire d&#39;action" in places
    assert chains(places) == [
        ["Vincennes (commune)", "Métropole du Grand Paris (intercommunalité)",
         "Val-de-Marne (département)", "Île-de-France (région)", "France"],
        ["France"]]
    lille = assert_page(shipped_client.get("/fiche/org:fondation-de-lille"))
    assert chains(lille.split("<h2>Territoires</h2>", 1)[1])[0] == LILLE


def test_a_fiche_without_places_has_no_territory_section(shipped_client):
    body = assert_page(shipped_client.get("/fiche/space:articulation-des-ingenieries-"
                                          "nationales-et-territoriales"))
    assert "<h2>Territoires</h2>" not in body and chains(body) == []
