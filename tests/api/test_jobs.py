"""Long work as jobs: 202 and ``GET /jobs/{id}`` while the analytics compute, then the
stored answer at once; the analyst page says « Calcul en cours » instead of waiting;
stored tables survive the process (disk) and are computed after a load, in the background.

The computation is held on a :class:`threading.Event` (the real one, on the real graph,
once released): a small graph computes in milliseconds, so without the hold a 202 could
never be seen.
"""

from __future__ import annotations

import html
import threading
import time

import pytest
from pydantic import SecretStr

from queries import analytics, analytics_store
from queries.analytics import broker_key
from queries.projection import graph_fingerprint


def _poll(client, location: str, within: float = 60.0) -> dict:
    started = time.monotonic()
    while True:
        view = client.get(location)
        assert view.status_code == 200, view.text
        body = view.json()
        if body["state"] in ("done", "failed"):
            return body
        assert time.monotonic() - started < within, body
        time.sleep(0.05)


@pytest.fixture
def held(monkeypatch):
    """Betweenness and Louvain wait for ``release`` (set at the end in any case)."""
    release = threading.Event()
    entered = threading.Event()
    real_betweenness, real_louvain = analytics.betweenness, analytics.louvain

    def wait_then(real):
        def run(*args, **kwargs):
            entered.set()
            assert release.wait(60), "never released"
            return real(*args, **kwargs)
        return run

    monkeypatch.setattr(analytics, "betweenness", wait_then(real_betweenness))
    monkeypatch.setattr(analytics, "louvain", wait_then(real_louvain))
    yield release, entered
    release.set()


def test_brokers_answer_202_then_the_job_then_200(graph, make_client, held):
    release, entered = held
    client = make_client(job_wait=0.2)
    accepted = client.get("/analytics/brokers", params={"top": 2})
    assert accepted.status_code == 202, accepted.text
    assert accepted.headers["retry-after"] == "2"
    location = accepted.headers["location"]
    job = accepted.json()
    assert location == f"/jobs/{job['id']}" and job["kind"] == "brokers"
    assert job["state"] in ("queued", "running") and job["result"] is None
    assert job["result_url"] == "/analytics/brokers?top=2"
    assert entered.wait(30)
    running = client.get(location).json()
    assert running["state"] == "running" and running["progress"]["step"] == "betweenness"
    release.set()
    done = _poll(client, location)
    assert done["state"] == "done" and done["error"] is None
    assert [b["id"] for b in done["result"]["items"]] == ["org:le-rameau", "org:mediateur"]
    again = client.get("/analytics/brokers", params={"top": 2})
    assert again.status_code == 200
    assert again.json()["cached"] is True
    assert again.json()["items"] == done["result"]["items"]


def test_a_failed_job_says_why_and_is_tried_again(graph, make_client, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("secret detail")

    real = analytics.louvain
    monkeypatch.setattr(analytics, "louvain", boom)
    client = make_client(job_wait=0.0)
    first = client.get("/analytics/communities")
    if first.status_code == 202:
        failed = _poll(client, first.headers["location"])
        assert failed["state"] == "failed"
        assert failed["error"]["status"] == 500 and failed["error"]["code"] == "internal_error"
        assert "secret" not in str(failed)
    else:  # ended within the (zero) wait: the route's own error
        assert first.status_code == 500
    monkeypatch.setattr(analytics, "louvain", real)
    retried = client.get("/analytics/communities")
    if retried.status_code == 202:
        assert _poll(client, retried.headers["location"])["state"] == "done"
    assert client.get("/analytics/communities").status_code == 200


def test_an_unknown_job_is_a_404_in_the_error_body(client):
    response = client.get("/jobs/no-such-job")
    assert response.status_code == 404
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"status", "code", "message", "detail"}
    assert body["error"]["status"] == 404 and body["error"]["code"] == "not_found"
    assert "no-such-job" in body["error"]["message"]
    malformed = client.get("/jobs/" + "x" * 65)  # longer than any id: refused as such
    assert malformed.status_code == 422
    assert malformed.json()["error"]["code"] == "invalid_request"


def test_async_answers_202_at_once_even_when_the_answer_is_stored(graph, client):
    stored = client.get("/analytics/brokers", params={"top": 3})
    assert stored.status_code == 200  # computed within the wait (a small graph)
    accepted = client.get("/analytics/brokers", params={"top": 3, "async": "true"})
    assert accepted.status_code == 202
    assert accepted.headers["location"] == f"/jobs/{accepted.json()['id']}"
    done = _poll(client, accepted.headers["location"])
    assert done["state"] == "done" and done["progress"]["step"] == "stored"
    assert done["result"]["items"] == stored.json()["items"]
    assert done["result"]["cached"] is True
    communities = client.get("/analytics/communities", params={"async": "true"})
    assert communities.status_code == 202
    found = _poll(client, communities.headers["location"])
    assert found["state"] == "done" and found["kind"] == "communities"
    assert found["result"]["total"] == client.get("/analytics/communities").json()["total"]


def test_an_import_job_reaches_done_with_its_report(graph, make_client):
    from tests.api.conftest import API_KEY
    from tests.api.test_imports import CONNECTIONS, ELEMENTS

    client = make_client(api_key=SecretStr(API_KEY))
    accepted = client.post("/imports", params={"async": "true"},
                           headers={"X-API-Key": API_KEY},
                           files=[("files", ("elements.csv", ELEMENTS.encode())),
                                  ("files", ("connections.csv", CONNECTIONS.encode()))])
    assert accepted.status_code == 202, accepted.text
    assert accepted.json()["kind"] == "import"
    done = _poll(client, accepted.headers["location"])
    assert done["state"] == "done" and done["error"] is None
    assert [f["status"] for f in done["result"]["files"]] == ["loaded", "loaded"]
    assert done["started"] is not None and done["finished"] is not None
    records, _, _ = graph.execute_query(
        "MATCH (:Organisation {id: 'org:import-test'})-[:EXPRESSES]->(n:Need) "
        "RETURN n.name AS need")
    assert [r["need"] for r in records] == ["Besoin importé"]  # really written


def test_the_analyst_page_says_calcul_en_cours_instead_of_waiting(graph, make_client, held):
    release, _ = held
    client = make_client(job_wait=0.2)
    page = client.get("/analystes")
    assert page.status_code == 200
    said = html.unescape(page.text)
    assert said.count("Calcul en cours… revenez dans un instant") == 2  # brokers, communities
    download = client.get("/analystes/ponts.csv")
    assert download.status_code == 202
    assert "Calcul en cours" in html.unescape(download.text)
    release.set()
    started = time.monotonic()
    while "Calcul en cours" in html.unescape(client.get("/analystes").text):
        assert time.monotonic() - started < 60
        time.sleep(0.1)
    ready = html.unescape(client.get("/analystes").text)
    assert "Le RAMEAU" in ready.split('id="ponts"')[1]


def test_stored_tables_outlive_the_process_memory(graph, make_client, monkeypatch):
    client = make_client()
    first = client.get("/analytics/brokers").json()
    assert first["cached"] is False
    # a new process: nothing in memory; computing again would fail
    analytics_store._memory.clear()
    analytics.clear_cache()
    monkeypatch.setattr(analytics, "betweenness", lambda *a, **k: 1 / 0)
    again = client.get("/analytics/brokers")
    assert again.status_code == 200, again.text
    assert again.json()["items"] == first["items"] and again.json()["cached"] is True


def test_analytics_are_computed_after_a_load_in_the_background(graph, make_client):
    key = broker_key("neo4j", graph_fingerprint(graph))
    assert analytics_store.load("brokers", key) is None
    make_client(analytics_refresh=0.2)  # nobody asks for the analytics
    started = time.monotonic()
    while analytics_store.load("brokers", key) is None:
        assert time.monotonic() - started < 60, "not computed in the background"
        time.sleep(0.1)
    graph.execute_query("MATCH (o:Organisation {id: 'org:mediateur'}) SET o.name = 'M.'")
    renamed = broker_key("neo4j", graph_fingerprint(graph))
    started = time.monotonic()
    while analytics_store.load("brokers", renamed) is None:  # the next load, seen too
        assert time.monotonic() - started < 60, "the change was not seen"
        time.sleep(0.1)


@pytest.fixture
def held_loads(monkeypatch):
    """Loads through POST /imports wait for ``release`` before they start."""
    from api.routers import imports

    release = threading.Event()
    real = imports.load_sources

    def held(*args, **kwargs):
        assert release.wait(60), "never released"
        return real(*args, **kwargs)

    monkeypatch.setattr(imports, "load_sources", held)
    yield release
    release.set()


def test_a_long_import_answers_202_then_its_report_or_its_error(graph, make_client,
                                                                held_loads):
    from tests.api.conftest import API_KEY
    from tests.api.test_imports import BAD, ELEMENTS

    client = make_client(api_key=SecretStr(API_KEY), job_wait=0.2)
    headers = {"X-API-Key": API_KEY}
    good = client.post("/imports", headers=headers,
                       files=[("files", ("elements.csv", ELEMENTS.encode()))])
    bad = client.post("/imports", headers=headers,
                      files=[("files", ("bad.csv", BAD.encode()))])
    assert good.status_code == bad.status_code == 202
    assert good.json()["kind"] == "import" and good.json()["result_url"] is None
    held_loads.set()
    loaded = _poll(client, good.headers["location"])
    assert loaded["state"] == "done"
    assert loaded["result"]["files"][0]["status"] == "loaded"
    assert loaded["progress"]["step"] == "write"
    written = loaded["result"]["files"][0]
    rows = written["elements_written"] + written["connections_written"]
    assert rows >= 2  # two elements, and the organisation's territory link
    assert loaded["progress"]["done"] == loaded["progress"]["total"] == rows
    rejected = _poll(client, bad.headers["location"])
    assert rejected["state"] == "failed"
    assert rejected["error"]["status"] == 422 and rejected["error"]["code"] == "unprocessable"
    assert rejected["error"]["detail"]["files"][0]["status"] == "rejected"


def test_the_full_export_is_a_job_then_a_file(graph, make_client, monkeypatch):
    from viz import views

    release = threading.Event()
    real = views.export_view

    def held(*args, **kwargs):
        assert release.wait(60), "never released"
        return real(*args, **kwargs)

    monkeypatch.setattr(views, "export_view", held)
    client = make_client(job_wait=0.2)
    try:
        accepted = client.get("/export/graph.json")
        assert accepted.status_code == 202
        assert accepted.json()["result_url"] == "/export/graph.json"
    finally:
        release.set()
    done = _poll(client, accepted.headers["location"])
    assert done["state"] == "done" and done["result"] is None
    monkeypatch.setattr(views, "export_view", lambda *a, **k: 1 / 0)  # kept: not built again
    for _ in range(2):
        file = client.get("/export/graph.json")
        assert file.status_code == 200
        assert 'filename="alliance-graph.json"' in file.headers["content-disposition"]
        assert any(n["id"] == "org:le-rameau" for n in file.json()["nodes"])
