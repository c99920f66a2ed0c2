"""No error under load, the short version of ``bench/load_http.py`` (issue 14, item 3).

The real API, served by ``alliance-graph serve`` (the product's uvicorn options) in its own
process on a free loopback port, against the test Neo4j holding the Nord's territories and
a generated ecosystem of 600 organisations there: 50 clients, each with its own
connection, ask the read routes (partners near, connectors, programmes, gaps, a territory,
a neighbourhood, search, paths) for about 10 s while ``POST /imports`` loads a generated
file again and again. No connection error, no 5xx, every import answered 200, and the
API's memory after the run at most 1.2 × its memory after a warm-up pass. The bench's own
code drives it (``bench/load_http.py``: the same clients, the same mix).

And the keep-alive: a connection left idle longer than uvicorn's default 5 s (and
httpx's) is still served, so a client that reuses it never races the server's close.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import random
import socket
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, empty_graph
from tests.shipped_fixtures import write_reference_subset

pytestmark = pytest.mark.slow

CLIENTS = 50
SECONDS = 10.0
ORGANISATIONS = 600


def _module(name: str, path: Path):
    """A script of bench/ as a module (once: its dataclasses need it in sys.modules)."""
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture(scope="module")
def load_http():
    return _module("bench_load_http", ROOT / "bench" / "load_http.py")


def _nord_communes() -> list[str]:
    from loaders.territories import TERRITORIES_FILE

    with gzip.open(TERRITORIES_FILE, "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in list(fh)[1:] if line.strip()]
    return [f"commune:{r['code']}" for r in rows
            if r["t"] == "commune" and "departement:59" in r.get("up", [])]


@pytest.fixture(scope="module")
def ecosystem(neo4j_driver, neo4j_server, tmp_path_factory):
    """The Nord's territories and 600 generated organisations there; the import file (300
    more, ids of their own); emptied at the end."""
    from loaders.generate import generate, load_places, write_ecosystem
    from loaders.importer import load_paths
    from loaders.territories import load_territories

    tmp = tmp_path_factory.mktemp("load")
    database = neo4j_server.database
    empty_graph(neo4j_driver, database)
    subset = tmp / "territories.jsonl.gz"
    write_reference_subset(subset, _nord_communes())
    load_territories(neo4j_driver, subset, database=database)
    places = load_places(subset)
    write_ecosystem(generate(places, ORGANISATIONS, 1), tmp / "eco")
    report = load_paths(neo4j_driver, [tmp / "eco"], database=database, skip_invalid=True,
                        rejects_dir=tmp)
    assert report.ok, report.summary
    # the import job's file: ids of its own (org:loadjob-…), as the bench makes it
    files = _module("bench_load_http", ROOT / "bench" / "load_http.py").import_files(
        tmp / "import", 300, 2, places)
    yield {"import_files": files, "tmp": tmp}
    empty_graph(neo4j_driver, database)


@pytest.fixture(scope="module")
def api(load_http, neo4j_server, ecosystem):
    key = "load-test-key"
    process = load_http.ApiProcess(load_http.api_env(neo4j_server, key),
                                   ecosystem["tmp"] / "api.log")
    try:
        process.wait_ready(timeout=120)
        yield process, key
    finally:
        process.stop()


def test_fifty_clients_for_ten_seconds_during_imports(load_http, api, ecosystem,
                                                      neo4j_driver, neo4j_server):
    process, key = api
    bench_queries = _module("bench_queries", ROOT / "bench" / "queries.py")
    rng = random.Random(3)
    params = bench_queries.draw_parameters(neo4j_driver, neo4j_server.database, rng, 60)
    asks = load_http.question_mix(params, params["programmes"] + params["gaps_departement"])
    assert {a.route for a in asks} == {"partners_near", "connectors",
                                       "programmes_of_territory", "gaps", "territory",
                                       "neighbourhood", "search", "paths"}
    pids = {"api": process.pid}

    # Warm-up: each route once in turn (a fresh Neo4j plans each question first, seconds
    # each on a busy machine), then every client for 3 s; neither is judged here.
    import httpx

    with httpx.Client(base_url=process.base_url, timeout=120) as http:
        for ask in asks[:8]:
            http.get(ask.path)
    load_http.run_http(process.base_url, asks, CLIENTS, 3.0, 1, "warm-up", pids)
    loop = load_http.ImportLoop(process.base_url, key, ecosystem["import_files"], process.pid)
    loop.run_once()  # the warm-up's import
    rss_warm = load_http.rss_mb(process.pid)

    loop = load_http.ImportLoop(process.base_url, key, ecosystem["import_files"],
                                process.pid).start()
    try:
        run = load_http.run_http(process.base_url, asks, CLIENTS, SECONDS, 2, "reads", pids)
    finally:
        imports = loop.stop(timeout=120)
    rss_after = load_http.rss_mb(process.pid)

    # the clients really asked: every route of the mix answered during the run
    assert set(run["by_route"]) == {a.route for a in asks}, run["by_route"]
    assert run["connection_errors"] == 0, run["error_samples"]
    assert run["status_5xx"] == 0, run["statuses"]
    # every question of the mix is one the graph answers (no 4xx either: the parameters
    # come from the graph)
    assert set(run["statuses"]) == {"200"}, run["statuses"]
    assert imports and all(i.get("status") == 200 for i in imports), imports
    assert rss_after <= 1.2 * rss_warm, (rss_warm, rss_after, imports)
    problems = process.log_problems()
    assert problems["error_lines"] == 0, problems["first"]


def _http_get(sock: socket.socket, path: str) -> bytes:
    """One HTTP/1.1 GET on ``sock`` (kept alive); the status line, or b"" when the server
    had closed the connection."""
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return b""
        data += chunk
    head, body = data.split(b"\r\n\r\n", 1)
    length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n")
                  if line.lower().startswith(b"content-length:"))
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            return b""
        body += chunk
    return head.split(b"\r\n")[0]


def test_an_idle_connection_outlives_the_usual_client_timeouts(api):
    """uvicorn's default closes a connection idle for 5 s, exactly when httpx would reuse
    it; the API keeps it longer than the clients do (ALLIANCE_API_KEEP_ALIVE_SECONDS)."""
    process, _ = api
    with socket.create_connection((process.host, process.port), timeout=10) as sock:
        assert _http_get(sock, "/health").startswith(b"HTTP/1.1 200")
        time.sleep(6.0)
        assert _http_get(sock, "/health").startswith(b"HTTP/1.1 200")
