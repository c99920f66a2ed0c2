"""Fixtures of the page tests: a small graph, a TestClient, and (for browser tests) a live
server and headless Chromium.

The fixture graph (the territories from tests/territory_fixtures.py, then ``PAGES_GRAPH``,
one Cypher CREATE):

- Territories: ``FR`` ← ``region:32`` Hauts-de-France ← ``departement:59`` Nord and
  ``departement:62`` Pas-de-Calais; ``epci:200093201`` Métropole Européenne de Lille;
  communes with a location: ``commune:59512`` Roubaix, ``commune:59350`` Lille,
  ``commune:59599`` Tourcoing (all three in the MEL and the Nord), ``commune:62041`` Arras
  (about 45 km from Roubaix); two of the four communes named Saint-Denis
  (``commune:93066``, ``commune:97411``: the other two are in the reference, not the
  graph); ``departement:75`` and ``commune:75056`` Paris (75111, its 11th arrondissement,
  reads as Paris).
- Organisations: ``org:le-rameau`` (recherche, located in Lille); ``org:roubaix-numerique``
  (association, **Catalyst**, Roubaix); ``org:mel-relais`` (collectivite, **Relay**, Lille);
  ``org:xss`` named ``<img src=x onerror=alert(1)>`` (Tourcoing); ``org:href`` whose name
  and description hold ``href`` and an ``<a href="javascript:…">`` (Arras).
- Programmes: ``programme:pass-numerique`` (relance, covers the Nord, addresses inclusion
  numérique; operated by the catalyst, relayed by the relay, the XSS organisation funds it);
  ``programme:fonds-urgence`` (urgence, covers FR, addresses trésorerie; carried by Le RAMEAU).
- Needs: ``need:inclusion-numerique``, ``need:tresorerie``, ``need:emploi`` (no programme:
  the gap; expressed by the catalyst in Roubaix and by the XSS organisation).
- ``space:entreprises`` (dialogue space) with Le RAMEAU, the relay and the XSS organisation;
  PARTNERS_WITH between the catalyst and the relay.
Every element and relationship of ``PAGES_GRAPH`` carries a ``source`` (``seed:001``,
``seed:002`` or ``test``); the territories come without one.

``shipped_graph``, ``shipped_client`` and ``shipped_server`` (module-scoped) hold the
shipped data instead: a few real territories and the curated dataset, loaded as `make
run` does (tests/shipped_fixtures.py).
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.schema import refresh_fulltext
from loaders.locations import derive_locations
from tests.conftest import IN_CI, ROOT, empty_graph, free_ports
from tests.shipped_fixtures import load_shipped
from tests.territory_fixtures import create_territories

XSS_NAME = "<img src=x onerror=alert(1)>"
HREF_NAME = 'Collectif "href" des quartiers'
HREF_DESCRIPTION = 'Voir <a href="javascript:alert(2)">ici</a> & ailleurs'

#: the territories of the docstring (tests/territory_fixtures.py writes them)
PAGES_TERRITORIES = ("FR", "region:32", "departement:59", "departement:62", "departement:93",
                     "departement:974", "epci:200093201", "commune:59512", "commune:59350",
                     "commune:59599", "commune:62041", "commune:93066", "commune:97411",
                     "departement:75", "commune:75056")

#: everything else, written after the territories
PAGES_GRAPH = """
MATCH (fr:Territory {id: 'FR'}), (nord:Territory {id: 'departement:59'}),
      (roubaix:Territory {id: 'commune:59512'}), (lille:Territory {id: 'commune:59350'}),
      (tourcoing:Territory {id: 'commune:59599'}), (arras:Territory {id: 'commune:62041'})
CREATE (rameau:Organisation {id: 'org:le-rameau', name: 'Le RAMEAU',
        name_key: 'le_rameau', kind: 'recherche', source: 'seed:001',
        url: 'https://www.lerameau.fr', description: 'Laboratoire de recherche sur les alliances',
        tags: ['alliances', 'recherche']})
CREATE (cata:Organisation:Catalyst {id: 'org:roubaix-numerique', name: 'Roubaix Numérique',
        name_key: 'roubaix_numerique', kind: 'association', source: 'seed:002'})
CREATE (relay:Organisation:Relay {id: 'org:mel-relais', name: 'Relais de la Métropole',
        name_key: 'relais_de_la_metropole', kind: 'collectivite', source: 'seed:002'})
CREATE (xss:Organisation {id: 'org:xss', name: $xss_name, name_key: 'img_src_x_onerror_alert_1',
        kind: 'association', source: 'test', description: $xss_name,
        url: 'javascript:alert(3)'})
CREATE (href:Organisation {id: 'org:href', name: $href_name, name_key: 'collectif_href',
        kind: 'association', source: 'test', description: $href_description})
CREATE (pass:Programme {id: 'programme:pass-numerique', name: 'Pass numérique',
        name_key: 'pass_numerique', phase: 'relance', source: 'seed:001'})
CREATE (fonds:Programme {id: 'programme:fonds-urgence', name: "Fonds d'urgence ESS",
        name_key: 'fonds_d_urgence_ess', phase: 'urgence', source: 'seed:001'})
CREATE (inclusion:Need {id: 'need:inclusion-numerique', name: 'Inclusion numérique',
        name_key: 'inclusion_numerique', category: 'numérique', source: 'seed:001'})
CREATE (treso:Need {id: 'need:tresorerie', name: 'Trésorerie',
        name_key: 'tresorerie', category: 'financement', source: 'seed:001'})
CREATE (emploi:Need {id: 'need:emploi', name: 'Emploi des jeunes',
        name_key: 'emploi_des_jeunes', category: 'emploi', source: 'seed:001'})
CREATE (space:DialogueSpace {id: 'space:entreprises', name: 'Espace entreprises',
        name_key: 'espace_entreprises', source: 'seed:001', count: 21})

CREATE (rameau)-[:LOCATED_IN {source: 'seed:001'}]->(lille)
CREATE (cata)-[:LOCATED_IN {source: 'seed:002'}]->(roubaix)
CREATE (relay)-[:LOCATED_IN {source: 'seed:002'}]->(lille)
CREATE (xss)-[:LOCATED_IN {source: 'test'}]->(tourcoing)
CREATE (href)-[:LOCATED_IN {source: 'test'}]->(arras)
CREATE (pass)-[:COVERS {source: 'seed:001'}]->(nord)
CREATE (fonds)-[:COVERS {source: 'seed:001'}]->(fr)
CREATE (pass)-[:ADDRESSES {source: 'seed:001'}]->(inclusion)
CREATE (fonds)-[:ADDRESSES {source: 'seed:001'}]->(treso)
CREATE (cata)-[:OPERATES {source: 'seed:002'}]->(pass)
CREATE (relay)-[:RELAYS {source: 'seed:002'}]->(pass)
CREATE (xss)-[:FUNDS {source: 'test'}]->(pass)
CREATE (rameau)-[:CARRIES {source: 'seed:001'}]->(fonds)
CREATE (cata)-[:EXPRESSES {source: 'seed:002'}]->(emploi)
CREATE (xss)-[:EXPRESSES {source: 'test'}]->(emploi)
CREATE (href)-[:EXPRESSES {source: 'test'}]->(inclusion)
CREATE (cata)-[:PARTNERS_WITH {source: 'seed:002'}]->(relay)
CREATE (rameau)-[:PARTICIPATES_IN {source: 'seed:001', role: 'copilote'}]->(space)
CREATE (relay)-[:PARTICIPATES_IN {source: 'seed:001'}]->(space)
CREATE (xss)-[:PARTICIPATES_IN {source: 'test'}]->(space)
"""


def load_pages_graph(driver, database: str = "neo4j") -> None:
    """Write the fixture graph (the database must be empty)."""
    create_territories(driver, PAGES_TERRITORIES, database)
    with driver.session(database=database) as session:
        session.execute_write(lambda tx: tx.run(
            PAGES_GRAPH, xss_name=XSS_NAME, href_name=HREF_NAME,
            href_description=HREF_DESCRIPTION).consume())
    # as the importer does: organisations without lat/lon get their commune's location,
    # and the (eventually consistent) full-text index catches up before any search
    derive_locations(driver, database=database)
    refresh_fulltext(driver, database)


@pytest.fixture
def pages_graph(db, neo4j_server):
    """The fixture graph on an empty database; returns the driver."""
    load_pages_graph(db, neo4j_server.database)
    return db


@pytest.fixture
def client(pages_graph):
    """A TestClient of the real app, on the fixture graph."""
    with TestClient(create_app()) as test_client:
        yield test_client


# --- browser tests ---------------------------------------------------------------------

CHROMIUM = os.environ.get("ALLIANCE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="module")
def live_server(neo4j_driver, neo4j_server):
    """The real app under uvicorn in a background thread, on the fixture graph.

    Module-scoped (one graph for every browser test of the module): it empties the
    database and loads the graph itself instead of using the function-scoped ``db``.
    """
    empty_graph(neo4j_driver, neo4j_server.database)
    load_pages_graph(neo4j_driver, neo4j_server.database)
    yield from serve_app()


def serve_app():
    """Serve the real app under uvicorn in a background thread; yields its base URL, then
    stops it (the body of a module-scoped server fixture)."""
    import uvicorn

    (port,) = free_ports(1)
    config = uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning",
                            lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start", pytrace=False)
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


# --- the shipped data (tests/shipped_fixtures.py), for a whole module --------------------


@pytest.fixture(scope="module")
def shipped_graph(neo4j_driver, neo4j_server, tmp_path_factory):
    """The territories the tests need and the curated dataset, loaded as `make run` does
    (tests/shipped_fixtures.py); module-scoped, so the module's tests only read."""
    load_shipped(neo4j_driver, neo4j_server.database, tmp_path_factory.mktemp("shipped"))
    yield neo4j_driver
    empty_graph(neo4j_driver, neo4j_server.database)


@pytest.fixture(scope="module")
def shipped_client(shipped_graph):
    """A TestClient of the real app, on the shipped data."""
    with TestClient(create_app()) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def shipped_server(shipped_graph):
    """The real app under uvicorn, on the shipped data; its base URL."""
    yield from serve_app()


@pytest.fixture(scope="module")
def browser(playwright_driver):
    """Headless Chromium through Playwright (the system Chromium; never `playwright install`)."""
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        message = f"no Chromium at {CHROMIUM} (set ALLIANCE_CHROMIUM)"
        if IN_CI:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    chromium = playwright_driver.chromium.launch(executable_path=CHROMIUM, headless=True,
                                                 args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


class PageWatch:
    """What a page did: console errors, requests to other hosts, dialogs."""

    def __init__(self, origin: str):
        self.origin = origin
        self.console_errors: list[str] = []
        self.foreign_requests: list[str] = []
        self.dialogs: list[str] = []

    def attach(self, page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.console_errors.append(f"pageerror: {exc}"))
        page.on("request", self._request)
        page.on("dialog", self._dialog)

    def _console(self, message) -> None:
        if message.type == "error":
            where = (message.location or {}).get("url", "")
            self.console_errors.append(f"{message.text} [{where}]")

    def _request(self, request) -> None:
        url = request.url
        if url.startswith(("data:", "about:", "blob:")):
            return
        if not url.startswith(self.origin + "/"):
            self.foreign_requests.append(url)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser page, watched; yields (page, watch)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    watch = PageWatch(live_server)
    watch.attach(tab)
    yield tab, watch
    context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
