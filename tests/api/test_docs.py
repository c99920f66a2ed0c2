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


def _directives(policy: str) -> dict[str, str]:
    return dict(part.strip().split(" ", 1) for part in policy.split(";"))


def test_docs_carries_the_pages_policy(client):
    """/docs has the pages' Content-Security-Policy, framing included; its script-src adds
    only the hash of its one inline script (the one that starts Swagger UI)."""
    import base64
    import hashlib
    import re

    docs = client.get("/docs")
    home = client.get("/")
    assert docs.status_code == 200 and home.status_code == 200
    policy = _directives(docs.headers["content-security-policy"])
    pages = _directives(home.headers["content-security-policy"])
    assert "frame-ancestors" in pages and set(policy) == set(pages)
    assert {k: v for k, v in policy.items() if k != "script-src"} == {
        k: v for k, v in pages.items() if k != "script-src"}
    inline = re.findall(r"<script>(.*?)</script>", docs.text, re.DOTALL)
    assert len(inline) == 1
    digest = base64.b64encode(hashlib.sha256(inline[0].encode()).digest()).decode()
    assert policy["script-src"] == f"{pages['script-src']} 'sha256-{digest}'"
