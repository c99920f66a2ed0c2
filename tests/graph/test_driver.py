"""The process's driver: put aside and put back whole, and an app closes only its own.

Runs against the session's Neo4j (``neo4j_driver``): the driver the tests install, with
where it connects, is what must come back. Before :func:`graph.driver.set_aside`, tests
that ran an app against another server put the driver back without its connection info:
the API's probes then knocked where the settings point (nothing listened there) and the
schema fuzz that ran later saw « Neo4j down » on a healthy server.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.app import create_app
from graph import driver as driver_mod
from graph.settings import Settings


def test_set_aside_puts_back_the_driver_its_database_and_where_it_connects(neo4j_driver):
    before = (driver_mod.get_driver(), driver_mod.get_database(), driver_mod.driver_uri())
    with driver_mod.set_aside():
        assert not driver_mod.has_driver()
        # what the settings name, while nothing is installed
        assert driver_mod.driver_uri(Settings(NEO4J_URI="bolt://127.0.0.1:1")) \
            == "bolt://127.0.0.1:1"
    after = (driver_mod.get_driver(), driver_mod.get_database(), driver_mod.driver_uri())
    assert after == before
    # where the driver talks, whatever settings an app was built with (the schema fuzz's
    # app reads its settings before the session's server is known)
    elsewhere = Settings(NEO4J_URI="bolt://127.0.0.1:1")
    assert driver_mod.driver_uri(elsewhere) == before[2]
    neo4j_driver.verify_connectivity()  # still open


def test_an_app_closes_the_driver_it_opened_and_never_another(neo4j_driver, neo4j_server):
    settings = Settings(NEO4J_URI=neo4j_server.uri, NEO4J_PASSWORD=neo4j_server.password)
    with driver_mod.set_aside():
        app = create_app(settings)
        with TestClient(app) as client:
            assert client.get("/health").status_code == 200
            opened = app.state.driver
            assert opened is not neo4j_driver
            # another driver installed while the app runs (as a test's own app would)
            driver_mod._driver = neo4j_driver
        # at shutdown the app closed the driver it opened, not the one installed meanwhile
        assert driver_mod.get_driver() is neo4j_driver
        neo4j_driver.verify_connectivity()
    assert driver_mod.get_driver() is neo4j_driver
