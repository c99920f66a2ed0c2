"""The one error body shape, pinned: every error is exactly
``{"error": {"status", "code", "message", "detail"}}`` with ``status`` = the HTTP status.

Also the middleware: body size limit (declared and streamed), security headers, CORS off
unless configured.
"""

from __future__ import annotations

from pydantic import SecretStr

ERROR_KEYS = {"status", "code", "message", "detail"}


def assert_error_shape(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == ERROR_KEYS
    assert body["error"]["status"] == status
    assert isinstance(body["error"]["code"], str) and body["error"]["code"]
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    if code is not None:
        assert body["error"]["code"] == code
    return body["error"]


def test_unknown_route_404(client):
    assert_error_shape(client.get("/no-such-route"), 404, "not_found")


def test_wrong_method_405(client):
    assert_error_shape(client.delete("/health"), 405, "method_not_allowed")


def test_validation_422_lists_the_fields(client):
    error = assert_error_shape(client.post("/cypher", json={"nope": 1}), 422, "invalid_request")
    assert any(item["loc"][-1] == "query" for item in error["detail"])


def test_malformed_json_422(client):
    response = client.post("/cypher", content=b"{not json",
                           headers={"content-type": "application/json"})
    assert_error_shape(response, 422, "invalid_request")


def test_page_size_above_maximum_422(client):
    error = assert_error_shape(client.get("/organisations?limit=100000"), 422, "invalid_request")
    assert error["detail"][0]["loc"] == ["query", "limit"]


def test_domain_not_found_404(client):
    assert_error_shape(client.get("/organisations/org:nobody"), 404, "not_found")


def test_ambiguous_territory_409_lists_the_candidates(client):
    error = assert_error_shape(client.get("/territories/Saint-Denis"), 409,
                               "ambiguous_territory")
    assert set(error["detail"]) == {"text", "status", "candidates", "suggestions",
                                    "message_fr"}
    assert error["detail"]["status"] == "ambiguous"
    assert all(c["id"].startswith("commune:") for c in error["detail"]["candidates"])


def test_unknown_territory_404_with_suggestions(client):
    error = assert_error_shape(client.get("/territories/Roubaiz"), 404, "unknown_territory")
    assert error["detail"]["status"] == "unknown"
    assert error["detail"]["suggestions"][0]["id"] == "commune:59512"
    assert_error_shape(client.get("/territories/987"), 404, "uncovered_territory")


def test_ambiguous_element_409_lists_the_candidates(client, graph):
    # a second organisation of the fixture's name "Le RAMEAU" (another SIREN)
    graph.execute_query("CREATE (:Organisation {id: 'org:le-rameau-2', name: 'Le Rameau', "
                        "name_key: 'le_rameau', kind: 'entreprise'})")
    error = assert_error_shape(client.get("/organisations/le rameau"), 409,
                               "ambiguous_element")
    assert set(error["detail"]) == {"text", "status", "candidates", "suggestions",
                                    "message_fr"}
    assert error["detail"]["status"] == "ambiguous"
    assert [(c["id"], c["name"], c["label"], c["kind"]) for c in error["detail"]["candidates"]
            ] == [("org:le-rameau", "Le RAMEAU", "Organisation", "association"),
                  ("org:le-rameau-2", "Le Rameau", "Organisation", "entreprise")]
    # the id still answers
    assert client.get("/organisations/org:le-rameau-2").status_code == 200


def test_unknown_element_404_with_suggestions(client):
    error = assert_error_shape(client.get("/organisations/Fondation Roubiax"), 404,
                               "not_found")
    assert error["detail"]["status"] == "unknown"
    assert error["detail"]["suggestions"][0]["id"] == "org:fondation-roubaix"
    assert "org:fondation-roubaix" in error["message"]


def test_domain_bad_parameter_400(client):
    assert_error_shape(client.post("/cypher", json={"query": "CREATE (n)"}), 400,
                       "query_rejected")


def test_imports_disabled_403(make_client):
    client = make_client(api_key=None)
    error = assert_error_shape(client.post("/imports", files={"files": ("a.csv", b"x")}),
                               403, "forbidden")
    assert "ALLIANCE_API_KEY" in error["message"]


def test_imports_without_key_401(make_client):
    client = make_client(api_key=SecretStr("k" * 20))
    assert_error_shape(client.post("/imports", files={"files": ("a.csv", b"x")}), 401,
                       "unauthorized")


def test_declared_body_too_large_413(make_client):
    client = make_client(max_body_bytes=100)
    response = client.post("/cypher", content=b"x" * 500,
                           headers={"content-type": "application/json"})
    assert_error_shape(response, 413, "payload_too_large")


def test_streamed_body_too_large_413(make_client):
    # No Content-Length: a generator body goes out chunked; the counted bytes trip the limit.
    client = make_client(max_body_bytes=100)

    def chunks():
        for _ in range(10):
            yield b'{"query": "' + b"x" * 50

    response = client.post("/cypher", content=chunks(),
                           headers={"content-type": "application/json"})
    assert "content-length" not in {k.lower() for k in response.request.headers}
    assert_error_shape(response, 413, "payload_too_large")


def test_database_unreachable_503(db):
    from fastapi.testclient import TestClient
    from neo4j import GraphDatabase

    from api.app import create_app
    from graph import driver as driver_mod
    from graph.settings import Settings

    # A driver to a closed port, without the managed retries' 30 s of patience.
    dead = GraphDatabase.driver("bolt://127.0.0.1:1", auth=("neo4j", "x"),
                                max_transaction_retry_time=0, connection_timeout=2)
    try:
        with driver_mod.set_aside(dead):
            app = create_app(Settings(NEO4J_URI="bolt://127.0.0.1:1", NEO4J_PASSWORD="x"))
            with TestClient(app) as client:
                health = client.get("/health")
                listing = client.get("/organisations")
    finally:
        dead.close()
    assert_error_shape(health, 503, "database_unavailable")
    assert_error_shape(listing, 503, "database_unavailable")


def test_internal_error_500_hides_the_exception(make_client):
    client = make_client()
    client.app.add_api_route("/boom", _boom)
    from fastapi.testclient import TestClient

    with TestClient(client.app, raise_server_exceptions=False) as raw:
        error = assert_error_shape(raw.get("/boom"), 500, "internal_error")
    assert "secret" not in error["message"]


def _boom():
    raise RuntimeError("secret detail")


def test_security_headers_on_every_response(client):
    for response in (client.get("/health"), client.get("/no-such-route")):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"


def test_cors_off_by_default(client):
    response = client.get("/health", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in response.headers
    preflight = client.options("/cypher", headers={
        "Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in preflight.headers


def test_cors_on_when_configured(make_client):
    client = make_client(cors_origins=["https://reports.example"])
    ok = client.get("/health", headers={"Origin": "https://reports.example"})
    assert ok.headers["access-control-allow-origin"] == "https://reports.example"
    other = client.get("/health", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers


def test_an_empty_filter_is_no_value_of_its_list(client):
    """``?phase=`` is not one of the phases the schema lists: a 400, as any other value
    outside the list (schemathesis found it accepted; so is a repeated parameter whose last
    value is empty)."""
    for url in ("/programmes?phase=", "/organisations?kind=", "/organisations?role=",
                "/programmes?phase=relance&phase="):
        response = client.get(url)
        assert response.status_code == 400, url
        assert response.json()["error"]["code"] == "invalid_parameter"
    assert client.get("/programmes?phase=relance").status_code == 200


def test_a_search_without_any_word_finds_nothing(client):
    response = client.get("/search", params={"q": "?! \U000a643a"})
    assert response.status_code == 200 and response.json()["total"] == 0
