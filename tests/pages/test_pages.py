"""The HTML pages through the real app (TestClient) on the fixture graph of conftest.py."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from markupsafe import escape

from tests.pages.conftest import HREF_DESCRIPTION, HREF_NAME, XSS_NAME

ESCAPED_XSS = str(escape(XSS_NAME))


class _Attributes(HTMLParser):
    """Collects the attributes of every element, as a browser would parse them."""

    def __init__(self):
        super().__init__()
        self.handlers: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        self.handlers += [(tag, name) for name, _ in attrs if name.startswith("on")]


def handler_attributes(body: str) -> list[tuple[str, str]]:
    """Every ``on…=`` attribute of the page's elements (text that merely reads so is fine)."""
    parser = _Attributes()
    parser.feed(body)
    return parser.handlers


def assert_page(response, status: int = 200) -> str:
    """Common checks: status, HTML, French, the navigation, the CSP; returns the body."""
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    csp = response.headers["content-security-policy"]
    for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'",
                      "frame-src 'self'", "object-src 'none'", "base-uri 'none'",
                      "form-action 'self'", "frame-ancestors 'self'"):
        assert directive in csp
    body = response.text
    assert '<html lang="fr">' in body
    for item in ("Accueil", "Catalyseurs", "Analystes", "Recherche"):
        assert f">{item}</a>" in body
    # Nothing inline that the CSP would block, and no handler attribute in our markup.
    assert "<script>" not in body and "<style" not in body
    assert not handler_attributes(body), "inline event handler"
    assert XSS_NAME not in body, "the XSS name must only appear escaped"
    return body


def test_home(client):
    body = assert_page(client.get("/"))
    assert "Qui relie quels programmes à quels territoires" in body
    assert 'href="/catalyseurs"' in body and 'href="/analystes"' in body
    assert 'action="/recherche"' in body
    # The figures: 5 organisations, 2 programmes, 3 needs, 1 relay and 1 catalyst.
    assert re.search(r"<td>Organisations</td><td class=\"num\">5</td>", body)
    assert re.search(r"<td>Besoins</td><td class=\"num\">3</td>", body)


def test_static_files(client):
    css = client.get("/pages-static/pages.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    js = client.get("/pages-static/pages.js")
    assert js.status_code == 200 and "javascript" in js.headers["content-type"]
    assert "innerHTML" not in js.text.replace("never innerHTML", "")
    assert client.get("/pages-static/../app.py").status_code == 404
    assert client.get("/pages-static/secret.txt").status_code == 404


def test_catalysts_empty_form(client):
    body = assert_page(client.get("/catalyseurs"))
    assert "Trouver des partenaires près de chez moi" in body
    assert 'data-suggest="/pages-api/communes"' in body
    assert "Inclusion numérique" in body  # the need list
    assert "Têtes de pont seulement" in body


def test_catalysts_roubaix(client):
    body = assert_page(client.get("/catalyseurs", params={"commune": "Roubaix", "rayon": "30"}))
    assert "Partenaires près de vous" in body
    # Partners within 30 km, nearest first: the catalyst in Roubaix before Lille's.
    assert body.index("Roubaix Numérique") < body.index("Relais de la Métropole")
    assert ESCAPED_XSS in body  # Tourcoing is 3 km away: the XSS organisation, as text
    assert "Arras" not in body.split("Partenaires près de vous")[1].split("Programmes qui")[0]
    # Programmes covering Roubaix, grouped by phase; the gap.
    assert "Programmes d&#39;urgence" in body and "Programmes de relance" in body
    assert "Pass numérique" in body and "Fonds d&#39;urgence ESS" in body
    assert "Emploi des jeunes" in body.split('id="trous"')[1]
    # the picture of Roubaix with the page's radius
    assert 'src="/viz/territory/commune:59512?radius_km=30"' in body
    assert 'value="Roubaix"' in body  # the box keeps what was typed


def test_catalysts_by_code_and_filters(client):
    body = assert_page(client.get("/catalyseurs", params={
        "commune": "59512", "rayon": "60", "role": "relay"}))
    section = body.split("Partenaires près de vous")[1].split("Programmes qui")[0]
    assert ('<td data-label="Organisation"><a href="/fiche/org:mel-relais">Relais de la '
            'Métropole</a></td>') in section
    # The catalyst is no row of its own, only the relay's partner.
    assert '<td data-label="Organisation"><a href="/fiche/org:roubaix-numerique">' not in section
    assert "partenaire de <a" in section
    body = assert_page(client.get("/catalyseurs", params={
        "commune": "Roubaix (59)", "rayon": "12,5", "besoin": "need:emploi",
        "trous": "tous"}))
    assert "n'a aucun programme ici" in body
    assert "12,5 km" in body


@pytest.mark.parametrize(("params", "status", "message"), [
    ({"commune": "Atlantis"}, 404, "Aucun territoire ne s&#39;appelle « Atlantis »"),
    ({"commune": "99999"}, 404, "aucune commune n&#39;a ce code INSEE ni ce code postal"),
    ({"commune": "Saint-Denis"}, 400, "« Saint-Denis » désigne quatre communes"),
    ({"commune": "Roubaix", "rayon": "500"}, 422, "Le rayon doit être un nombre"),
    ({"commune": "Roubaix", "rayon": "-3"}, 422, "Le rayon doit être un nombre"),
    ({"commune": "Roubaix", "rayon": "trente"}, 422, "Le rayon doit être un nombre"),
    ({"commune": "Roubaix", "rayon": "nan"}, 422, "Le rayon doit être un nombre"),
    ({"commune": "Roubaix", "role": "pirate"}, 422, "Ce rôle n&#39;existe pas"),
    ({"commune": "Roubaix", "besoin": "need:nope"}, 404, "Ce besoin n&#39;est pas dans la liste"),
])
def test_catalysts_bad_input(client, params, status, message):
    body = assert_page(client.get("/catalyseurs", params=params), status)
    assert message in body
    assert 'role="alert"' in body
    assert '<form class="query"' in body  # the form again
    assert "Partenaires près de vous" not in body


def test_catalysts_xss_commune_text_is_escaped(client):
    body = assert_page(client.get("/catalyseurs", params={"commune": XSS_NAME}), 404)
    assert ESCAPED_XSS in body


def test_analysts_empty(client):
    body = assert_page(client.get("/analystes"))
    assert "Analyser le réseau des alliances" in body
    assert "Les organisations qui font le pont" in body
    assert "Les communautés" in body
    assert "Pass numérique" in body  # the programme list


def test_analysts_connectors(client):
    body = assert_page(client.get("/analystes", params={
        "programme": "programme:pass-numerique", "territoire": "59"}))
    section = body.split('id="connecteurs"')[1].split('id="trous"')[0]
    assert "Roubaix Numérique" in section and "Relais de la Métropole" in section
    assert ESCAPED_XSS in section
    assert "opère" in section and "relaie" in section
    picture = ('src="/viz/connectors?programme=programme%3Apass-numerique'
               '&amp;territory=departement%3A59"')
    assert picture in body
    assert "Emploi des jeunes" in body.split('id="trous"')[1]


def test_analysts_territory_only_gives_gaps(client):
    body = assert_page(client.get("/analystes", params={"territoire": "Roubaix (59)"}))
    assert 'id="connecteurs"' not in body
    assert "Emploi des jeunes" in body.split('id="trous"')[1]


@pytest.mark.parametrize(("params", "status", "message"), [
    ({"programme": "programme:pass-numerique"}, 422, "Indiquez aussi un territoire"),
    ({"programme": "programme:nope", "territoire": "59"}, 404, "Ce programme n&#39;est pas"),
    ({"territoire": "Atlantide"}, 404, "Aucun territoire ne s&#39;appelle « Atlantide »"),
    ({"territoire": "departement:00"}, 404, "aucun territoire (département) de code 00"),
])
def test_analysts_bad_input(client, params, status, message):
    body = assert_page(client.get("/analystes", params=params), status)
    assert message in body
    assert '<form class="query"' in body


def test_element_page(client):
    body = assert_page(client.get("/fiche/org:le-rameau"))
    assert "<h1>Le RAMEAU</h1>" in body
    assert "Propriétés" in body and "Sources" in body and "Voisinage" in body
    assert "seed:001" in body
    assert 'href="https://www.lerameau.fr"' in body
    assert 'href="/fiche/programme:fonds-urgence"' in body
    assert 'src="/viz/neighbourhood/org:le-rameau"' in body
    assert "porte" in body


def test_element_page_of_a_territory_with_pages(client):
    body = assert_page(client.get("/fiche/commune:59512"))
    assert "<h1>Roubaix</h1>" in body
    assert "Position (latitude, longitude)" in body and "50.69420" in body


def test_xss_element_is_text(client):
    body = assert_page(client.get("/fiche/org:xss"))
    assert f"<h1>{ESCAPED_XSS}</h1>" in body
    # Its url is javascript:…: shown as text, never a link.
    assert re.search(r"<dd>\s*javascript:alert\(3\)\s*</dd>", body)
    assert 'href="javascript' not in body


def test_href_element_is_text(client):
    body = assert_page(client.get("/fiche/org:href"))
    assert str(escape(HREF_NAME)) in body
    assert str(escape(HREF_DESCRIPTION)) in body
    assert 'href="javascript' not in body


def test_element_unknown(client):
    body = assert_page(client.get("/fiche/org:inconnue"), 404)
    assert "Aucun élément n&#39;a l&#39;identifiant « org:inconnue »" in body
    body = assert_page(client.get(f"/fiche/{XSS_NAME}"), 404)
    assert ESCAPED_XSS in body


def test_search(client):
    body = assert_page(client.get("/recherche"))
    assert "Tapez un nom" in body
    body = assert_page(client.get("/recherche", params={"q": "rameau"}))
    assert 'href="/fiche/org:le-rameau"' in body
    body = assert_page(client.get("/recherche", params={"q": "img onerror"}))
    assert ESCAPED_XSS in body
    body = assert_page(client.get("/recherche", params={"q": "href"}))
    assert "href" in body and 'href="/fiche/org:href"' in body
    body = assert_page(client.get("/recherche", params={"q": "***"}), 400)
    assert 'role="alert"' in body


def test_json_routes_are_not_shadowed(client):
    assert client.get("/health").status_code == 200


def test_gap_counts_in_french(client):
    # Roubaix: the catalyst expresses one need (emploi), which no programme addresses.
    body = assert_page(client.get("/catalyseurs", params={"commune": "Roubaix"}))
    assert "<p>0 besoin couvert sur 1 examiné.</p>" in body
    # Paris: nobody there expressed a need; the page says so instead of "no gap".
    body = assert_page(client.get("/analystes", params={"territoire": "Paris"}))
    assert "Aucune organisation de ce territoire n'a exprimé de besoin" in body
    assert "Aucun trou" not in body
    assert "(commune, code INSEE 75056)" in body
    body = assert_page(client.get("/catalyseurs", params={"commune": "Paris"}))
    assert "Aucun besoin exprimé ici : rien à comparer." in body
    assert "Aucune organisation de votre territoire n'a exprimé de besoin" in body


def test_home_shows_declared_roles(client, pages_graph):
    """A group node carrying a declared count: the home page says how many the documents
    declare and how many are named, instead of counting the group as one."""
    pages_graph.execute_query("CREATE (:Organisation:Catalyst {id: 'org:catalyseurs-test', "
                        "name: 'Catalyseurs territoriaux', kind: 'autre', count: 350})")
    body = assert_page(client.get("/"))
    assert "350 déclarés par les documents" in body
