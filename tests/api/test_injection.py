"""Injection attempts through every parameter of every GET route: each gets a 4xx or an
answer about nothing (never a 500), and the graph checksum does not move."""

from __future__ import annotations

from urllib.parse import quote

from tests.api.conftest import graph_checksum

PAYLOADS = [
    "' OR 1=1 //",
    "x'}) DETACH DELETE n //",
    "org:le-rameau' OR '1'='1",
    '" OR ""="',
    "`}) MATCH (n) DETACH DELETE n //",
    "})-[:X]->(",
    "}) CREATE (:Pwned) WITH 1 AS x MATCH (n",
    "$id",
    "\\' CREATE (:Pwned) //",
    "\uff23\uff32\uff25\uff21\uff34\uff25 (:Pwned)",  # full-width CREATE
    "org:le\u2011rameau",  # non-breaking hyphen look-alike
    "a\u202eb",  # right-to-left override
    "*:*",
    "name:(a OR b)^9 AND ~",
    "\x00",
]

# route template → the parameter each payload goes into
PATH_ROUTES = [
    "/organisations/{p}",
    "/programmes/{p}",
    "/territories/{p}",
    "/territories/{p}/programmes",
    "/territories/{p}/gaps",
    "/elements/{p}/neighbourhood",
]
QUERY_ROUTES = [
    ("/search", "q", {}),
    ("/search", "label", {"q": "rameau"}),
    ("/organisations", "kind", {}),
    ("/organisations", "role", {}),
    ("/organisations", "territory", {}),
    ("/programmes", "phase", {}),
    ("/programmes", "need", {}),
    ("/connectors", "programme", {"territory": "59"}),
    ("/connectors", "territory", {"programme": "programme:numerique"}),
    ("/partners/near", "commune", {}),
    ("/partners/near", "need", {"commune": "59512"}),
    ("/partners/near", "kind", {"commune": "59512"}),
    ("/partners/near", "role", {"commune": "59512"}),
    ("/paths", "source", {"target": "org:mediateur"}),
    ("/paths", "target", {"source": "org:le-rameau"}),
    ("/territories/59/gaps", "scope", {}),
    ("/analytics/brokers", "top", {}),
    ("/analytics/communities", "resolution", {}),
    ("/dialogue-spaces", "members_limit", {}),
    ("/organisations", "limit", {}),
    ("/organisations", "offset", {}),
]


def _check(response, where):
    assert response.status_code != 500, (where, response.text)
    if response.status_code >= 400:
        assert 400 <= response.status_code < 500, (where, response.text)
        assert set(response.json()) == {"error"}
        return
    body = response.json()
    # An answer is allowed only when it is about nothing the payload named.
    for key in ("items", "gaps", "paths"):
        if key in body and body[key]:
            assert where[0] == "/search" or where[1] in (
                "need", "kind", "role", "scope", "label"), (where, body)


def test_injection_through_path_parameters(client, graph):
    before = graph_checksum(graph)
    for route in PATH_ROUTES:
        for payload in PAYLOADS:
            url = route.format(p=quote(payload, safe=""))
            _check(client.get(url), (route, payload))
    assert graph_checksum(graph) == before


def test_injection_through_query_parameters(client, graph):
    before = graph_checksum(graph)
    for route, name, extra in QUERY_ROUTES:
        for payload in PAYLOADS:
            response = client.get(route, params={**extra, name: payload})
            _check(response, (route, name, payload))
    assert graph_checksum(graph) == before


def test_injected_filters_find_nothing(client):
    for params in ({"territory": "59' OR 1=1 //"}, {"kind": "x' OR 1=1 //"}):
        response = client.get("/organisations", params=params)
        assert response.status_code in (400, 404)
    response = client.get("/programmes", params={"need": "' OR 1=1 //"})
    assert response.status_code == 200
    assert response.json()["total"] == 0
