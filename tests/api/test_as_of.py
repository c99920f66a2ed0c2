"""``?as_of=`` on every question route, page and picture (api/as_of.py), on the fixture graph
of tests/api/conftest.py with a history:

- ``imp-a`` at T0 (2026-01-10T10:00Z), ``imp-b`` at T1 (2026-03-01T10:00Z);
- imp-b retired the Médiateur des entreprises and its links (FUNDS, PARTNERS_WITH,
  PARTICIPATES_IN), and added the Nouvelle Fabrique (Roubaix; OPERATES the digital
  programme; in space 2), first seen at T1.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.settings import get_settings

T0 = datetime(2026, 1, 10, 10, 0, tzinfo=UTC)
T1 = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)

HISTORY = """
CREATE (:Import {id: 'imp-a', at: $t0}), (:Import {id: 'imp-b', at: $t1})
WITH 1 AS one
MATCH (med:Organisation {id: 'org:mediateur'})-[r]-()
SET med.retired_at = $t1, med.retired_by = 'imp-b', r.retired_at = $t1
WITH DISTINCT 1 AS one
MATCH (roubaix:Commune {id: 'commune:59512'}), (num:Programme {id: 'programme:numerique'}),
      (s2:DialogueSpace {id: 'space:espace-2'})
CREATE (nf:Organisation {id: 'org:nouvelle', name: 'Nouvelle Fabrique',
                         name_key: 'nouvelle_fabrique', kind: 'association',
                         location: roubaix.location, location_from: 'commune',
                         first_seen: $t1, source: 'test'})
CREATE (nf)-[:LOCATED_IN {first_seen: $t1}]->(roubaix),
       (nf)-[:OPERATES {first_seen: $t1}]->(num),
       (nf)-[:PARTICIPATES_IN {first_seen: $t1}]->(s2)
"""

#: between the imports: the Médiateur is there, the Nouvelle Fabrique is not yet
THEN = ("imp-a", "2026-02-01", "2026-02-01T12:00", "2026-02-01T12:00:00+01:00")


@pytest.fixture
def history(graph):
    from graph.schema import refresh_fulltext

    graph.execute_query(HISTORY, t0=T0, t1=T1)
    refresh_fulltext(graph)
    return graph


@pytest.fixture
def api(history):
    with TestClient(create_app(get_settings())) as test_client:
        yield test_client


def _ids(items, key="id"):
    return {item[key] if key else item for item in items}


def test_search_now_and_then(api):
    assert api.get("/search", params={"q": "mediateur"}).json()["total"] == 0
    assert api.get("/search", params={"q": "nouvelle"}).json()["total"] == 1
    for when in THEN:
        response = api.get("/search", params={"q": "mediateur", "as_of": when})
        assert response.status_code == 200, (when, response.text)
        assert _ids(response.json()["items"]) == {"org:mediateur"}, when
        assert api.get("/search", params={"q": "nouvelle", "as_of": when}).json()["total"] == 0
    # a time to come is now (and the last import, here)
    for when in ("2999-01-01", "imp-b"):
        response = api.get("/search", params={"q": "nouvelle", "as_of": when})
        assert response.json()["total"] == 1, when


def test_a_bad_as_of_is_a_400_that_says_what_is_accepted(api):
    assert api.get("/stats", params={"as_of": ""}).status_code == 400  # said, but empty
    response = api.get("/stats", params={"as_of": "hier"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "bad_request"
    assert "2026-06-19" in error["message"] and "imp-" in error["message"]
    assert error["detail"]["as_of"] == "hier"
    assert "n'est pas une date" in error["detail"]["message_fr"]


def test_an_unknown_import_is_a_404_naming_it(api):
    response = api.get("/paths", params={"source": "org:le-rameau",
                                         "target": "org:assoc-lille", "as_of": "imp-zzz"})
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "not_found" and "imp-zzz" in error["message"]
    assert "imp-zzz" in error["detail"]["message_fr"]


def test_the_instant_reaches_the_driver_from_the_route_thread(api, history, monkeypatch):
    """The dependency sets the instant in the request's task; the sync route runs in a
    worker thread that copies the context; _execute reads it there and sends it."""
    import threading

    sent = []
    real = history.execute_query

    def spy(query, parameters=None, **options):
        sent.append((parameters or {}).get("as_of", "absent"))
        return real(query, parameters, **options)

    monkeypatch.setattr(history, "execute_query", spy)
    routes = []
    from queries import _run

    execute = _run._execute

    def recording(*args, **kwargs):
        routes.append(threading.current_thread().name)
        return execute(*args, **kwargs)

    monkeypatch.setattr(_run, "_execute", recording)
    assert api.get("/stats", params={"as_of": "imp-a"}).status_code == 200
    assert T0 in sent
    assert all(name != threading.main_thread().name for name in routes)
    sent.clear()
    assert api.get("/stats").status_code == 200
    assert sent and all(value is None for value in sent)


def test_every_question_route_takes_as_of(api):
    """Each answers as of imp-a: the Médiateur is back (where the route would show it)."""
    then = {"as_of": "imp-a"}
    stats_now = api.get("/stats").json()
    stats_then = api.get("/stats", params=then).json()
    assert stats_now["labels"]["Organisation"] == stats_then["labels"]["Organisation"] == 4
    assert stats_now["relationships"]["FUNDS"] == 0 and stats_then["relationships"]["FUNDS"] == 1

    # retired now: 410 gone, saying since when (api/retired.py)
    assert api.get("/organisations/org:mediateur").status_code == 410
    assert api.get("/organisations/org:mediateur", params=then).json()["name"] == (
        "Médiateur des entreprises")
    organisations = _ids(api.get("/organisations", params=then).json()["items"])
    assert "org:mediateur" in organisations and "org:nouvelle" not in organisations

    hood = api.get("/elements/org:le-rameau/neighbourhood").json()
    assert "org:mediateur" not in _ids([i["node"] for i in hood["items"]])
    hood = api.get("/elements/org:le-rameau/neighbourhood", params=then).json()
    assert "org:mediateur" in _ids([i["node"] for i in hood["items"]])

    now = api.get("/paths", params={"source": "org:le-rameau", "target": "org:mediateur"})
    assert now.status_code == 404
    then_paths = api.get("/paths", params={"source": "org:le-rameau",
                                           "target": "org:mediateur", **then}).json()
    assert then_paths["length"] == 1

    connectors = {"programme": "programme:numerique", "territory": "59"}
    now_c = _ids([i["organisation"] for i in api.get("/connectors", params=connectors)
                  .json()["items"]])
    then_c = _ids([i["organisation"] for i in api.get("/connectors", params={
        **connectors, **then}).json()["items"]])
    assert "org:nouvelle" in now_c and "org:nouvelle" not in then_c

    near = {"commune": "59512", "radius_km": 30}
    assert "org:nouvelle" in _ids([i["organisation"] for i in api.get(
        "/partners/near", params=near).json()["items"]])
    assert "org:nouvelle" not in _ids([i["organisation"] for i in api.get(
        "/partners/near", params={**near, **then}).json()["items"]])

    spaces = {s["id"]: s for s in api.get("/dialogue-spaces", params=then).json()["spaces"]}
    assert spaces["space:espace-1"]["member_count"] == 3
    spaces = {s["id"]: s for s in api.get("/dialogue-spaces").json()["spaces"]}
    assert spaces["space:espace-1"]["member_count"] == 2

    for url in ("/programmes", "/programmes/programme:fonds-urgence", "/territories/59",
                "/territories/59/programmes", "/territories/59/gaps",
                "/analytics/brokers", "/analytics/communities"):
        response = api.get(url, params=then)
        assert response.status_code == 200, (url, response.text)
    urgence = api.get("/programmes/programme:fonds-urgence").json()
    assert "org:mediateur" not in _ids([link["node"] for link in urgence["links"]])
    urgence = api.get("/programmes/programme:fonds-urgence", params=then).json()
    assert "org:mediateur" in _ids([link["node"] for link in urgence["links"]])
    brokers_now = api.get("/analytics/brokers").json()
    brokers_then = api.get("/analytics/brokers", params=then).json()
    assert brokers_now["fingerprint"] != brokers_then["fingerprint"]


def test_exports_and_pictures_take_as_of(api):
    then = {"as_of": "imp-a"}
    now = api.get("/export/graph.json").json()
    assert "org:mediateur" not in _ids(now["nodes"])
    past = api.get("/export/graph.json", params=then).json()
    assert "org:mediateur" in _ids(past["nodes"]) and "org:nouvelle" not in _ids(past["nodes"])
    assert api.get("/viz/neighbourhood/org:mediateur").status_code == 410  # retired now
    page = api.get("/viz/neighbourhood/org:mediateur", params=then)
    assert page.status_code == 200 and "Médiateur des entreprises" in page.text
    embed = api.get("/viz/neighbourhood/org:mediateur/embed", params=then).json()
    assert "as_of=imp-a" in embed["src"]
    export = api.get("/export/neighbourhood/org:le-rameau.nodes.csv", params=then)
    assert export.status_code == 200 and "Médiateur" in export.text
    # a browser opening a picture with a bad as_of gets the French page
    refused = api.get("/viz/neighbourhood/org:le-rameau", params={"as_of": "demain"},
                      headers={"Accept": "text/html"})
    assert refused.status_code == 400 and "pas une date" in refused.text


def test_a_job_asks_as_of_the_request(api):
    then = api.get("/export/graph.json", params={"as_of": "imp-a", "async": "true"})
    assert then.status_code == 202, then.text
    job = then.headers["Location"]
    for _ in range(200):
        state = api.get(job).json()
        if state["state"] in ("done", "failed"):
            break
        time.sleep(0.05)
    assert state["state"] == "done", state
    assert "as_of=imp-a" in state["result_url"]
    # asked again, the file built in the job, of that instant; now is another file
    past = api.get("/export/graph.json", params={"as_of": "imp-a"}).json()
    assert "org:mediateur" in _ids(past["nodes"])
    assert "org:mediateur" not in _ids(api.get("/export/graph.json").json()["nodes"])


def test_the_fiche_keeps_as_of_in_its_links(api):
    assert api.get("/fiche/org:mediateur").status_code == 410  # retired now, said so
    page = api.get("/fiche/org:mediateur", params={"as_of": "2026-02-01"})
    assert page.status_code == 200, page.text
    html = page.text
    assert "Médiateur des entreprises" in html
    assert "tel qu'il était le 1er février 2026 à 23:59" in html
    # the picture, the neighbours and the navigation stay at that time
    assert "/viz/neighbourhood/org:mediateur?as_of=2026-02-01" in html
    assert 'href="/fiche/org:le-rameau?as_of=2026-02-01"' in html
    assert 'href="/catalyseurs?as_of=2026-02-01"' in html
    assert 'href="/fiche/org:mediateur"' in html  # back to today
    search = api.get("/recherche", params={"q": "mediateur", "as_of": "2026-02-01"}).text
    assert '<input type="hidden" name="as_of" value="2026-02-01">' in search
    assert "Médiateur des entreprises" in search
    refused = api.get("/fiche/org:le-rameau", params={"as_of": "imp-zzz"})
    assert refused.status_code == 404 and "imp-zzz" in refused.text
    assert "<html" in refused.text


def test_routes_without_questions_do_not_take_it(api):
    schema = api.get("/openapi.json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            names = {p["name"] for p in operation.get("parameters", [])}
            # the bookkeeping's own routes (the loads and their history) are not questions
            asks = not (path in ("/health", "/imports", "/cypher", "/territories/suggest",
                                 "/changes")
                        or path.startswith(("/jobs", "/imports/", "/duplicates", "/merges"))
                        or path.endswith("/mark"))  # a steward's mark: bookkeeping
            assert ("as_of" in names) == asks, (method, path)
            if asks:
                assert {"400", "404"} <= set(operation["responses"]), (method, path)
                described = next(p for p in operation["parameters"] if p["name"] == "as_of")
                assert "imp-" in described["description"]
