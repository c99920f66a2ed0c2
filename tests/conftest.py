"""Shared fixtures: a real Neo4j 5.26 for the whole test session, emptied before each test.

Where Neo4j comes from, in order (as in docs/operations.md):

1. ``NEO4J_URI`` (+ ``NEO4J_USER``/``NEO4J_PASSWORD``) set: that server. Its database is
   emptied before each test, so never point it at data you care about.
2. testcontainers, when a Docker engine answers: the ``neo4j:<version>-community`` image.
3. The managed local server (graph/server.py), in its own home ``.alliance/neo4j-test``
   (``ALLIANCE_TEST_DB_DIR``) on Bolt port 27687 (``ALLIANCE_TEST_BOLT_PORT``), so it
   never touches the development server. Started once per session; stopped at the end
   if the session started it.

With ``CI=true`` a missing Neo4j fails the session; elsewhere the Neo4j tests are skipped.

Fixtures:

- ``neo4j_server`` (session): the connection info; also exported to ``NEO4J_*`` so that
  code reading the settings (the API, the CLI) uses the same server.
- ``neo4j_driver`` (session): one driver, installed as the process driver, schema applied.
- ``db`` (function): the driver, on an empty graph (schema kept).
- ``fresh_query_caches`` (autouse): the queries' caches (``graph/cache.py``) emptied
  around every test.
- ``own_neo4j`` (session) / ``own_server`` (function, started again if a test left it
  down): a second managed server, in a temporary home on free ports, for the tests that
  stop, ``kill -9``, back up or restore a server (tests/reliability_fixtures.py).
"""

from __future__ import annotations

import atexit
import os
import shutil
import socket
import tempfile
from pathlib import Path

import pytest

from graph import driver as driver_mod
from graph.driver import ConnectionInfo, make_driver
from graph.schema import apply_schema
from graph.server import NEO4J_VERSION, ManagedNeo4j, ServerError
from graph.settings import Settings, get_settings

ROOT = Path(__file__).resolve().parents[1]
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

# The suite's own bounds (docs/testing.md), unless the caller set them: the time bounds are
# generous, because a shared 2-core machine plans a cold query in seconds (the tests of the
# deadlines, tests/api/test_deadlines.py, set theirs); no background analytics racing the
# tests' own; stored analytics in a directory of the session, not the repository's.
os.environ.setdefault("ALLIANCE_REQUEST_DEADLINE", "60")
os.environ.setdefault("ALLIANCE_JOB_WAIT", "60")
os.environ.setdefault("ALLIANCE_ANALYTICS_REFRESH", "0")
# no warm-up thread in each of the hundreds of apps the tests create (api/warm_up.py)
os.environ.setdefault("ALLIANCE_WARM_UP", "false")
if "ALLIANCE_ANALYTICS_DIR" not in os.environ:
    _analytics_dir = tempfile.mkdtemp(prefix="alliance-analytics-")
    os.environ["ALLIANCE_ANALYTICS_DIR"] = _analytics_dir
    atexit.register(shutil.rmtree, _analytics_dir, ignore_errors=True)


def free_ports(count: int = 1) -> list[int]:
    """``count`` distinct loopback ports nothing listens on now."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def _docker_engine_answers() -> bool:
    try:
        import docker

        client = docker.from_env(timeout=3)
        client.ping()
        return True
    except Exception:
        return False


def require(module: str):
    """Import ``module`` for a test; if it is missing, fail in CI and skip elsewhere (the
    curated-data tests use it so that a missing module never passes silently in CI)."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:
        message = f"{module} is missing: {exc}"
        if IN_CI:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)


def test_settings(**overrides) -> Settings:
    """Settings of the managed test server (its own home and ports)."""
    values = {
        "db_dir": Path(os.environ.get("ALLIANCE_TEST_DB_DIR", ROOT / ".alliance" / "neo4j-test")),
        "bolt_port": int(os.environ.get("ALLIANCE_TEST_BOLT_PORT", "27687")),
        "http_port": int(os.environ.get("ALLIANCE_TEST_HTTP_PORT", "27474")),
        "heap": os.environ.get("ALLIANCE_TEST_HEAP", "1g"),
        "pagecache": os.environ.get("ALLIANCE_TEST_PAGECACHE", "512m"),
    }
    values.update(overrides)
    return Settings(NEO4J_URI=None, **values)


test_settings.__test__ = False  # a helper, not a test


@pytest.fixture(scope="session")
def neo4j_server():
    started: ManagedNeo4j | None = None
    container = None
    if os.environ.get("NEO4J_URI"):
        settings = get_settings()
        pw = settings.neo4j_password.get_secret_value() if settings.neo4j_password else None
        info = ConnectionInfo(settings.neo4j_uri, settings.neo4j_user, pw,
                              settings.neo4j_database)
    elif _docker_engine_answers():
        from testcontainers.neo4j import Neo4jContainer

        container = Neo4jContainer(f"neo4j:{NEO4J_VERSION}-community")
        container.start()
        info = ConnectionInfo(container.get_connection_url(), "neo4j", container.password,
                              "neo4j")
    else:
        server = ManagedNeo4j(test_settings())
        try:
            _, did_start = server.start()
        except ServerError as exc:
            message = f"no Neo4j for the tests: {exc}"
            if IN_CI:
                pytest.fail(message, pytrace=False)
            pytest.skip(message)
        if did_start and not os.environ.get("ALLIANCE_TEST_KEEP_SERVER"):
            started = server
        info = ConnectionInfo(server.uri, "neo4j", server.password(), "neo4j")
    saved = {k: os.environ.get(k) for k in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD",
                                            "NEO4J_DATABASE")}
    os.environ.update({"NEO4J_URI": info.uri, "NEO4J_USER": info.user,
                       "NEO4J_PASSWORD": info.password or "", "NEO4J_DATABASE": info.database})
    get_settings.cache_clear()
    yield info
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    get_settings.cache_clear()
    if started is not None:
        started.stop()
    if container is not None:
        container.stop()


@pytest.fixture(scope="session")
def neo4j_driver(neo4j_server):
    drv = make_driver(neo4j_server)
    drv.verify_connectivity()
    apply_schema(drv, neo4j_server.database)
    driver_mod.set_driver(drv, neo4j_server.database, neo4j_server)
    yield drv
    driver_mod.set_driver(None)


@pytest.fixture(autouse=True)
def fresh_query_caches():
    """Every test starts with the queries' caches empty (each test writes its own graph,
    and not through the product's loaders, which clear them)."""
    from graph.cache import clear_caches

    clear_caches()
    yield
    clear_caches()


def empty_graph(drv, database: str = "neo4j") -> None:
    """Delete every node and relationship, keeping constraints and indexes."""
    # IN TRANSACTIONS needs an auto-commit transaction, hence session.run.
    with drv.session(database=database) as session:
        session.run(
            "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
        ).consume()


@pytest.fixture
def db(neo4j_driver, neo4j_server):
    """The session driver, on an empty graph."""
    empty_graph(neo4j_driver, neo4j_server.database)
    return neo4j_driver


@pytest.fixture(scope="session")
def own_neo4j(tmp_path_factory):
    """A managed Neo4j of the tests' own (not the session's), which the crash and backup
    tests stop, ``kill -9``, back up and restore: a temporary home under pytest's
    ``tmp_path``, free ports (or ``ALLIANCE_TEST_OWN_BOLT_PORT``,
    ``ALLIANCE_TEST_OWN_HTTP_PORT``), a small heap. Started on first use, stopped at the
    end of the session (by its pid: it is the only process of that home). Skipped (failed
    in CI) without Java or the jars, like the session's server."""
    bolt, http = free_ports(2)
    server = ManagedNeo4j(test_settings(
        db_dir=tmp_path_factory.mktemp("own-neo4j") / "home",
        bolt_port=int(os.environ.get("ALLIANCE_TEST_OWN_BOLT_PORT", bolt)),
        http_port=int(os.environ.get("ALLIANCE_TEST_OWN_HTTP_PORT", http)),
        heap="512m", pagecache="128m"))
    try:
        server.start()
    except ServerError as exc:
        server.stop()
        if IN_CI:
            pytest.fail(f"no Neo4j of the tests' own: {exc}", pytrace=False)
        pytest.skip(f"no Neo4j of the tests' own: {exc}")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def own_server(own_neo4j):
    """:func:`own_neo4j`, running: a test that left it stopped or killed does not restart
    it itself (a restart costs seconds); the next test that needs it gets it back here."""
    if own_neo4j.pid() is None:
        own_neo4j.start()
    return own_neo4j


@pytest.fixture(scope="session")
def small_ecosystem(tmp_path_factory):
    """(territory file, elements.csv, connections.csv) of the small synthetic ecosystem
    (tests/reliability_fixtures.py)."""
    from tests.reliability_fixtures import write_small_ecosystem

    return write_small_ecosystem(tmp_path_factory.mktemp("small-ecosystem"))


def own_connection(server: ManagedNeo4j) -> ConnectionInfo:
    """How to reach a server of :func:`own_server`."""
    return ConnectionInfo(server.uri, "neo4j", server.password(), "neo4j")


@pytest.fixture(scope="session")
def playwright_driver():
    """One Playwright for the whole session (a second sync instance cannot run beside it).

    Browser fixtures (tests/browser/conftest.py, tests/pages/conftest.py) launch Chromium
    from it. Outside CI a missing Playwright skips; with ``CI=true`` it fails.
    """
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        if IN_CI:
            pytest.fail(f"playwright is not installed: {exc}", pytrace=False)
        pytest.skip(f"playwright is not installed: {exc}")
    manager = sync_playwright()
    pw = manager.start()
    yield pw
    manager.__exit__(None, None, None)
