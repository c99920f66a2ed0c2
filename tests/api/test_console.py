"""POST /cypher: the read-only console, through the real app against the real Neo4j.

Attack strings must get a 4xx and leave the graph checksum unchanged; legitimate reads
work; the row cap and the timeout hold. The guard alone (no server) is tested in
tests/api/test_console_guard.py, which holds the attack and legitimate query lists.
"""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from api.console import to_json
from tests.api.conftest import graph_checksum
from tests.api.test_console_guard import ATTACKS, LEGIT


def _post(client, query, parameters=None):
    return client.post("/cypher", json={"query": query, "parameters": parameters or {}})


def test_attacks_get_4xx_and_leave_the_graph_unchanged(client, graph):
    before = graph_checksum(graph)
    for query in ATTACKS:
        response = _post(client, query)
        assert 400 <= response.status_code < 500, (query, response.text)
        assert set(response.json()) == {"error"}
    assert graph_checksum(graph) == before


def test_injection_through_parameters_is_data(client, graph):
    before = graph_checksum(graph)
    response = _post(client, "MATCH (o:Organisation {id: $id}) RETURN o.id AS id",
                     {"id": "x'}) CREATE (:Pwned) //"})
    assert response.status_code == 200
    assert response.json()["rows"] == []
    bad_name = _post(client, "RETURN 1 AS x", {"a}) CREATE (": 1})
    assert bad_name.status_code == 400
    assert graph_checksum(graph) == before


@pytest.mark.parametrize("query", LEGIT)
def test_legit_reads_work(client, query):
    response = _post(client, query, {"phase": "relance"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["query_type"] == "r"
    assert body["truncated"] is False


def test_escaped_quote_stays_inside_the_string(client, graph):
    before = graph_checksum(graph)
    response = _post(client, "RETURN 'a\\' CREATE (:Pwned) //' AS s")
    assert response.status_code == 200, response.text
    assert response.json()["rows"] == [{"s": "a' CREATE (:Pwned) //"}]
    assert graph_checksum(graph) == before


def test_rows_and_values_are_json(client):
    response = _post(client, "MATCH p = (o:Organisation {id: 'org:le-rameau'})-[r:CARRIES]->"
                             "(q:Programme) RETURN o, r, p, q.start AS start, "
                             "point({latitude: 1.5, longitude: 2.5}) AS pt")
    assert response.status_code == 200
    row = response.json()["rows"][0]
    assert row["o"]["properties"]["id"] == "org:le-rameau"
    assert set(row["o"]["labels"]) == {"Organisation", "Relay"}
    assert row["r"]["type"] == "CARRIES"
    assert row["r"]["start"] == row["o"]["id"]
    assert len(row["p"]["nodes"]) == 2
    assert row["start"] == "2020-09-01"
    assert row["pt"]["latitude"] == 1.5


def test_row_cap_sets_truncated(make_client, graph):
    client = make_client(console_max_rows=5)
    response = _post(client, "UNWIND range(1, 50) AS x RETURN x")
    assert response.status_code == 200
    body = response.json()
    assert body["row_count"] == 5
    assert body["truncated"] is True


def test_timeout_is_a_clean_408(make_client, graph):
    client = make_client(console_timeout=0.5)
    # rows, not one long expression: Neo4j stops rows at the time limit
    response = _post(client, "UNWIND range(1, 100000) AS x UNWIND range(1, 100000) AS y "
                             "WITH x WHERE (x + y) % 7 = 0 RETURN count(x) AS c")
    assert response.status_code == 408, response.text
    assert response.json()["error"]["code"] == "query_timeout"


def test_syntax_error_is_400(client):
    response = _post(client, "MATCH (n RETURN n")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "query_rejected"


def test_unknown_body_fields_are_422(client):
    response = client.post("/cypher", json={"query": "RETURN 1", "mode": "write"})
    assert response.status_code == 422


def test_to_json_non_finite_float():
    assert to_json(float("nan")) == "nan"
    assert to_json([1, {"a": b"\x00"}]) == [1, {"a": "AA=="}]


def test_explain_lock_holds_when_the_guard_is_bypassed(client, graph, monkeypatch):
    # Defence in depth: with the allowlist switched off, EXPLAIN's query type still refuses.
    import api.console_guard as guard

    monkeypatch.setattr(guard, "check_tokens", lambda tokens: None)
    before = graph_checksum(graph)
    for query in ("CREATE (:Pwned)", "MATCH (n:Organisation) SET n.pwned = 1 RETURN n",
                  "CALL db.createLabel('Pwned')"):
        response = _post(client, query)
        assert response.status_code in (400, 403), (query, response.text)
    assert graph_checksum(graph) == before


@pytest.mark.parametrize("query, reason", [
    ("RETURN reduce(s = '', x IN range(1, 1000) | s + 'xxxxxxxxxx') AS s", "reduce()"),
    ("RETURN REDUCE (s = 0, x IN [1, 2] | s + x) AS s", "reduce()"),
    ("RETURN size([x IN range(1, 1000000000000) WHERE x < 0]) AS n", "range()"),
    ("MATCH (n) WITH count(n) AS c RETURN [x IN range(1, c) | x] AS l", "range()"),
    ("RETURN range(1, $n) AS l", "range()"),
    ("UNWIND range(0, 200000, 1) AS i RETURN count(*)", "range()"),
    ("RETURN range(5, 1, 0) AS l", "range()"),
])
def test_loops_neo4j_cannot_stop_are_refused(client, query, reason):
    response = _post(client, query)
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["code"] == "query_rejected" and reason in error["message"]


@pytest.mark.parametrize("query, rows", [
    ("UNWIND range(1, 100000) AS i RETURN count(*) AS n", [{"n": 100000}]),
    ("RETURN range(10, 0, -5) AS l", [{"l": [10, 5, 0]}]),
    ("RETURN range(-3, -1) AS l", [{"l": [-3, -2, -1]}]),
    ("MATCH (n) RETURN n.range AS range LIMIT 0", []),
])
def test_small_literal_ranges_still_run(client, graph, query, rows):
    response = _post(client, query)
    assert response.status_code == 200, response.text
    assert response.json()["rows"] == rows


def test_console_access_open_key_off(make_client, graph):
    query = {"query": "RETURN 1 AS one", "parameters": {}}
    # open (the default): no key needed
    assert make_client().post("/cypher", json=query).status_code == 200
    # off: 403 in the error body, whatever the key
    off = make_client(console_access="off", api_key=SecretStr("k" * 24))
    response = off.post("/cypher", json=query, headers={"X-API-Key": "k" * 24})
    assert response.status_code == 403
    assert "ALLIANCE_CONSOLE_ACCESS" in response.json()["error"]["message"]
    # key: the imports' key, compared like it
    keyed = make_client(console_access="key", api_key=SecretStr("k" * 24))
    assert keyed.post("/cypher", json=query).status_code == 401
    assert keyed.post("/cypher", json=query,
                      headers={"X-API-Key": "wrong"}).status_code == 401
    ok = keyed.post("/cypher", json=query, headers={"X-API-Key": "k" * 24})
    assert ok.status_code == 200 and ok.json()["rows"] == [{"one": 1}]
    # key without a key configured: refused, saying what to set
    unset = make_client(console_access="key", api_key=None)
    response = unset.post("/cypher", json=query, headers={"X-API-Key": "x"})
    assert response.status_code == 403 and "ALLIANCE_API_KEY" in response.json()["error"]["message"]
