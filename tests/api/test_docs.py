"""/docs refers only to this server; the vendored assets are served, nothing else is."""

from fastapi.testclient import TestClient

from api.app import create_app


def test_docs_page_uses_local_assets(neo4j_driver):
    with TestClient(create_app()) as client:
        html = client.get("/docs").text
        assert "/docs-static/swagger-ui-bundle.js" in html
        assert "cdn" not in html.lower()
        assert "http://" not in html and "https://" not in html
        js = client.get("/docs-static/swagger-ui-bundle.js")
        assert js.status_code == 200 and "javascript" in js.headers["content-type"]
        assert client.get("/docs-static/swagger-ui.css").status_code == 200
        missing = client.get("/docs-static/..%2Fpages.css")
        assert missing.status_code == 404
        assert client.get("/redoc").status_code == 404
