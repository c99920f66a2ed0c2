"""GET /health through the real app against the real Neo4j, and 503 without it."""

from fastapi.testclient import TestClient

from api.app import create_app
from graph.settings import Settings


def test_health_ok(db):
    with TestClient(create_app()) as client:
        response = client.get("/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["version"].startswith("Neo4j/5.26")


def test_health_503_when_neo4j_is_unreachable(db):
    from graph import driver as driver_mod

    with driver_mod.set_aside():  # let the app open its own driver to a closed port
        app = create_app(Settings(NEO4J_URI="bolt://127.0.0.1:1", NEO4J_PASSWORD="x"))
        with TestClient(app) as client:
            response = client.get("/health")
    assert response.status_code == 503
    body = response.json()
    assert body["error"]["status"] == 503
    assert body["error"]["code"] == "database_unavailable"
