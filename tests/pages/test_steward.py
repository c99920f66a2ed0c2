"""The stewards' pages: log in with the key (a signed HttpOnly, SameSite=Strict cookie),
try a file (errors in French, their list to download), load it, read it in the history,
undo what a replacement retired; every form refused without its session's token.

The fixture graph is tests/pages/conftest.py's (communes of the Nord among others); the
files are written here.
"""

from __future__ import annotations

import re
from html import unescape

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from api.app import create_app
from graph.settings import get_settings

KEY = "cle-des-gestionnaires-0123"
GOOD = ("id,type,name,kind,territory,source\n"
        "org:steward-a,Organisation,Association Steward A,association,59512,essai\n"
        "org:steward-b,Organisation,Entreprise Steward B,entreprise,59512,essai\n")
ONE_ERROR = GOOD + "org:steward-c,Organisation,Steward C,nimportequoi,59512,essai\n"
V2 = ("id,type,name,kind,territory,source\n"
      "org:steward-a,Organisation,Association Steward A,association,59512,essai\n")


@pytest.fixture
def steward(pages_graph):
    settings = get_settings().model_copy(update={"api_key": SecretStr(KEY)})
    with TestClient(create_app(settings)) as client:
        yield client


def _csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html)[1]


def _login(client: TestClient) -> None:
    response = client.post("/gestion/connexion", data={"cle": KEY, "suite": "/gestion/importer"},
                           follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/gestion/importer"
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")


def _try(client: TestClient, text: str, **form) -> tuple[int, str]:
    page = client.get("/gestion/importer")
    response = client.post("/gestion/importer", data={"csrf": _csrf(page.text), **form},
                           files=[("fichiers", ("inventaire.csv", text.encode(), "text/csv"))])
    return response.status_code, response.text


def test_the_pages_need_the_key(steward):
    page = steward.get("/gestion/imports")
    assert page.status_code == 401 and "Clé des gestionnaires" in page.text
    wrong = steward.post("/gestion/connexion", data={"cle": "non"})
    assert wrong.status_code == 401 and "Cette clé n'est pas la bonne" in unescape(wrong.text)
    forged = steward.get("/gestion/imports", cookies={"alliance_steward": "9999999999.a.b"})
    assert forged.status_code == 401


def test_the_pages_are_closed_without_a_key(client):
    page = client.get("/gestion")
    assert "Les pages des gestionnaires sont fermées" in page.text


def test_try_fix_load_read_and_undo(steward, pages_graph):
    _login(steward)
    status, html = _try(steward, ONE_ERROR, jeu="inventaire-test", mode="remplacement",
                        par="Camille")
    assert status == 422
    assert "ligne 4" in html and "nimportequoi" in html and "Télécharger la liste" in html
    link = re.search(r'href="(/gestion/importer/[^"]+/erreurs\.csv)"', html)[1]
    errors = steward.get(link)
    assert errors.content.startswith(b"\xef\xbb\xbf") and "nimportequoi" in errors.text

    status, html = _try(steward, GOOD, jeu="inventaire-test", mode="remplacement", par="Camille")
    assert status == 200 and "+2 organisations" in html
    action = re.search(r'action="(/gestion/importer/[^"]+/charger)"', html)[1]
    assert steward.post(action, data={}).status_code == 403  # no token: refused
    loaded = steward.post(action, data={"csrf": _csrf(html)})
    assert loaded.status_code == 200 and "Ce que le chargement a changé" in loaded.text
    assert "Camille" in loaded.text and "inventaire-test" in loaded.text

    status, html = _try(steward, V2, jeu="inventaire-test", mode="remplacement")
    assert "−1 organisation" in html
    action = re.search(r'action="(/gestion/importer/[^"]+/charger)"', html)[1]
    page = steward.post(action, data={"csrf": _csrf(html)})
    assert "Annuler les retraits" in page.text
    history = steward.get("/gestion/imports")
    assert history.text.count("inventaire-test") >= 2
    changed = unescape(steward.get("/gestion/changements").text)
    assert "Ce qui a changé" in changed and "Entreprise Steward B" in changed
    assert "retiré" in changed and "apparu" in changed
    bad = steward.get("/gestion/changements", params={"depuis": "hier"})
    assert bad.status_code == 400 and "2026-06-19" in bad.text
    undo = re.search(r'action="(/gestion/imports/[^"]+/annuler)"', page.text)[1]
    back = steward.post(undo, data={"csrf": _csrf(page.text)})
    assert "est de retour dans le graphe" in back.text
    with pages_graph.session() as session:
        alive = session.run("MATCH (n {id: 'org:steward-b'}) RETURN n.retired_at IS NULL")
        assert alive.single()[0] is True


def test_probable_duplicates_merged_then_the_merge_undone(steward, pages_graph):
    two = ("id,type,name,kind,territory,source\n"
           "org:fondation-parcours,Organisation,Fondation du Parcours,fondation,59512,essai\n"
           "org:fondation-parcours-2,Organisation,Fondation Parcours,fondation,59512,essai\n")
    _login(steward)
    status, html = _try(steward, two)
    action = re.search(r'action="(/gestion/importer/[^"]+/charger)"', html)[1]
    steward.post(action, data={"csrf": _csrf(html)})
    page = steward.get("/gestion/doublons")
    text = unescape(page.text)
    assert "Doublons probables" in text and "Fondation du Parcours" in text, text[-3000:]
    assert "même commune" in text and "même type" in text
    merged = steward.post("/gestion/doublons/fusionner", data={
        "csrf": _csrf(page.text), "garder": "org:fondation-parcours",
        "fondre": "org:fondation-parcours-2"})
    assert "Annuler cette fusion" in merged.text
    undo = re.search(r'action="(/gestion/doublons/[^"]+/annuler)"', merged.text)[1]
    back = steward.post(undo, data={"csrf": _csrf(merged.text)})
    assert back.status_code == 200 and "Fondation Parcours" in unescape(back.text)
    refused = steward.post("/gestion/doublons/fusionner", data={
        "csrf": _csrf(page.text), "garder": "org:fondation-parcours",
        "fondre": "org:fondation-parcours"})
    assert refused.status_code == 409
