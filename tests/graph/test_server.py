"""The managed local Neo4j: start, idempotent start, status, stop, and the clear errors.

These tests run a second managed server in a temporary home on spare ports, so the
session's server is never touched. They need Java 17+ (and the jars, or Maven).
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graph.server import NEO4J_VERSION, POM, ManagedNeo4j, ServerError
from tests.conftest import IN_CI, ROOT, free_ports, test_settings

# free ports, not fixed ones: fixed ports collided with a benchmark server
_bolt, _http = free_ports(2)
SPARE_BOLT = int(os.environ.get("ALLIANCE_TEST_SPARE_BOLT_PORT", _bolt))
SPARE_HTTP = int(os.environ.get("ALLIANCE_TEST_SPARE_HTTP_PORT", _http))


def _java_available() -> bool:
    try:
        ManagedNeo4j.find_java()
        return True
    except ServerError:
        return False


needs_java = pytest.mark.skipif(
    not _java_available() and not IN_CI, reason="no Java 17+ here (CI always has it)"
)


@needs_java
def test_start_idempotent_status_stop(tmp_path):
    server = ManagedNeo4j(
        test_settings(db_dir=tmp_path / "home", bolt_port=SPARE_BOLT, http_port=SPARE_HTTP,
                      heap="512m", pagecache="128m")
    )
    try:
        status, started = server.start()
        assert started
        assert status.running
        assert status.version.startswith("5.26.")
        assert status.version == NEO4J_VERSION
        assert status.uri == f"bolt://127.0.0.1:{SPARE_BOLT}"
        first_pid = status.pid

        again, started_again = server.start()
        assert not started_again
        assert again.pid == first_pid

        # the generated password is readable by its owner only
        mode = stat.S_IMODE(server.password_file.stat().st_mode)
        assert mode == 0o600
        conf = (server.conf_dir / "neo4j.conf").read_text()
        assert "dbms.security.allow_csv_import_from_file_urls=false" in conf
        assert "server.default_listen_address=127.0.0.1" in conf
        assert "dbms.security.auth_enabled=true" in conf
        assert server.pid_file.exists()
        assert (server.logs_dir / "neo4j.log").exists()

        # the default credential no longer works
        from neo4j import GraphDatabase
        from neo4j.exceptions import AuthError, ClientError

        with (
            pytest.raises((AuthError, ClientError)),
            GraphDatabase.driver(server.uri, auth=("neo4j", "neo4j")) as drv,
        ):
            drv.execute_query("RETURN 1")
    finally:
        assert server.stop()
    assert not server.status().running
    assert server.stop() is False


@needs_java
def test_cli_status_of_a_stopped_server(tmp_path, monkeypatch):
    from cli.main import app
    from graph.settings import get_settings

    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.setenv("ALLIANCE_DB_DIR", str(tmp_path / "home"))
    monkeypatch.setenv("ALLIANCE_BOLT_PORT", str(SPARE_BOLT))
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["db", "status", "--json"])
    finally:
        get_settings.cache_clear()
    assert '"running": false' in result.output
    assert str(tmp_path / "home") in result.output


def test_error_without_java_names_the_three_ways_out(tmp_path, monkeypatch):
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.delenv("JAVA_HOME", raising=False)
    server = ManagedNeo4j(test_settings(db_dir=tmp_path / "home", cache_dir=tmp_path / "cache",
                                        bolt_port=SPARE_BOLT, http_port=SPARE_HTTP))
    with pytest.raises(ServerError) as err:
        server.start(timeout=5)
    message = str(err.value)
    assert "Java 17+" in message
    assert "NEO4J_URI" in message
    assert "docker compose" in message
    assert "Maven" in message


@needs_java
def test_error_without_maven_when_jars_are_missing(tmp_path, monkeypatch):
    java = ManagedNeo4j.find_java()
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "java").symlink_to(java)
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.delenv("JAVA_HOME", raising=False)
    server = ManagedNeo4j(test_settings(db_dir=tmp_path / "home", cache_dir=tmp_path / "cache",
                                        bolt_port=SPARE_BOLT, http_port=SPARE_HTTP))
    with pytest.raises(ServerError) as err:
        server.start(timeout=5)
    message = str(err.value)
    assert "Maven (mvn) is not installed" in message
    assert "NEO4J_URI" in message and "docker compose" in message


def test_cli_reports_the_error_in_one_line(tmp_path, monkeypatch):
    from cli.main import app
    from graph.settings import get_settings

    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.setenv("ALLIANCE_DB_DIR", str(tmp_path / "home"))
    monkeypatch.setenv("ALLIANCE_CACHE_DIR", str(tmp_path / "cache"))
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["db", "start"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 1
    assert "error:" in result.output and "NEO4J_URI" in result.output


def test_one_version_everywhere():
    pom = POM.read_text()
    assert f"<neo4j.version>{NEO4J_VERSION}</neo4j.version>" in pom
    compose = (ROOT / "docker-compose.yml").read_text()
    assert re.search(rf"neo4j:{re.escape(NEO4J_VERSION)}-community", compose)
    assert NEO4J_VERSION.startswith("5.26.")
    assert Path(POM).exists()
