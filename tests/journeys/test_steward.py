"""The steward's journey in Chromium: log in with the stewards' key, upload a French Excel
workbook with one error, read the trial's report, fix the file, load it, see the change in
the history of the imports and on the organisation's fiche — with no Cypher.

On the data ``make run`` loads (tests/journeys/conftest.py), served here with a stewards'
key (the default settings have none, and the pages then say they are closed).
"""

from __future__ import annotations

import io
import threading
import time

import pytest
from pydantic import SecretStr

from tests.conftest import free_ports, require
from tests.journeys.conftest import User

pytestmark = pytest.mark.browser

KEY = "cle-du-parcours-gestionnaire"
HEADERS = ["Nom", "Type", "Catégorie", "Territoire", "Source"]
ROWS = [["Association du Parcours Roubaisien", "Organisation", "Association", "Roubaix",
         "inventaire-relais-nord"],
        ["Entreprise du Parcours", "Organisation", "Entrprise", "Lille",  # the one error
         "inventaire-relais-nord"]]


def workbook(rows: list[list[str]]) -> bytes:
    """An Excel workbook as a relay would keep it: one sheet, French headers."""
    openpyxl = require("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Éléments"
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def steward_server(journey_graph):
    """The real app with a stewards' key, under uvicorn in a thread."""
    import uvicorn

    from api.app import create_app
    from graph.settings import get_settings

    (port,) = free_ports(1)
    settings = get_settings().model_copy(update={"api_key": SecretStr(KEY)})
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def steward(journey_browser, steward_server, shots_dir, loaded_graph):
    context = journey_browser.new_context(locale="fr-FR", viewport={"width": 1280,
                                                                    "height": 900})
    page = context.new_page()
    yield User(page, steward_server, shots_dir, "steward")
    context.close()


def upload(user: User, data: bytes) -> None:
    page = user.page
    page.locator("#fichiers").set_input_files(files=[{
        "name": "inventaire-relais-nord.xlsx", "buffer": data,
        "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}])
    page.locator("#jeu").fill("inventaire-relais-nord")
    page.locator("#par").fill("Camille Martin")
    user.submit("Essayer")


def test_steward_loads_an_inventory_with_no_cypher(steward):
    user = steward
    user.open("/gestion")
    text = user.check("connexion")
    assert "Clé des gestionnaires" in text
    user.page.locator("#cle").fill(KEY)
    user.submit("Se connecter")
    assert user.page.url.endswith("/gestion/imports")
    user.check("historique-avant")
    user.follow("Importer", within="nav.steward")

    upload(user, workbook(ROWS))
    user.expected_failures.add(user.page.url)  # the trial of a file with an error: 422
    text = user.check("essai-une-erreur")
    assert "Des lignes sont à corriger" in text
    assert "ligne 3" in text and "« Entrprise »" in text, text
    assert "Vouliez-vous dire « entreprise » ?" in text, text
    assert "Télécharger la liste des erreurs" in text
    assert user.page.get_by_role("button", name="Charger").count() == 0

    user.follow("Envoyer d'autres fichiers")
    fixed = [ROWS[0], [*ROWS[1][:2], "Entreprise", *ROWS[1][3:]]]
    upload(user, workbook(fixed))
    text = user.check("essai-corrige")
    assert "Chaque ligne est valable" in text
    assert "+2 organisations" in text, text
    user.submit("Charger")
    text = user.check("chargement")
    assert "Ce que le chargement a changé : +2 organisations" in text, text
    assert "Camille Martin" in text and "inventaire-relais-nord" in text

    user.follow("Historique des imports", within="nav.steward")
    text = user.check("historique-apres")
    assert "inventaire-relais-nord" in text and "+2 éléments" in text

    user.open("/recherche?q=Association+du+Parcours")
    user.follow("Association du Parcours Roubaisien")
    text = user.check("fiche")
    assert "Historique" in text and "« inventaire-relais-nord »" in text, text
