"""The managed server's guards against memory (issue 14): each transaction's memory is
bounded, the JVM exits on OutOfMemoryError, and the supervisor of ``alliance-graph serve``
starts a server that died again, but never one that was stopped.

One more managed server, in a temporary home on free ports (the session's is never
touched); about a minute, most of it two starts.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from neo4j import GraphDatabase
from neo4j.exceptions import Neo4jError

from graph.server import ManagedNeo4j
from graph.supervisor import Supervisor
from tests.conftest import free_ports, test_settings


def _wait(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_memory_bound_oom_exit_and_restart(tmp_path):
    bolt, http = free_ports(2)
    settings = test_settings(db_dir=tmp_path / "home", bolt_port=bolt, http_port=http,
                             heap="512m", pagecache="64m", transaction_memory="32m")
    server = ManagedNeo4j(settings)
    server.start()
    supervisor = Supervisor(settings, every=0.5).start()
    try:
        pid = server.pid()
        command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        assert b"-XX:+ExitOnOutOfMemoryError" in command

        # one transaction past db.memory.transaction.max fails alone
        with GraphDatabase.driver(server.uri, auth=("neo4j", server.password())) as driver:
            with pytest.raises(Neo4jError) as refused, driver.session() as session:
                session.run("UNWIND range(1, 3000000) AS i "
                            "RETURN size(collect(toString(i))) AS n").consume()
            assert "memory" in (refused.value.code or "").lower() + str(refused.value).lower()
            with driver.session() as session:
                assert session.run("RETURN 1 AS one").single()["one"] == 1

        # a server that dies is started again
        os.kill(pid, signal.SIGKILL)
        assert _wait(lambda: supervisor.restarts == 1, 120), (
            "the supervisor did not start the server again")
        assert server.pid() not in (None, pid) and server.bolt_open()

        # a stop asked for is not undone
        server.stop()
        time.sleep(2.0)
        assert server.pid() is None and supervisor.restarts == 1
    finally:
        supervisor.close()
        server.stop()


def test_the_console_needs_the_key_off_loopback():
    s = test_settings()
    assert s.console_access is None
    assert s.console_access_for("127.0.0.1") == "open"
    assert s.console_access_for("localhost") == "open"
    assert s.console_access_for("::1") == "open"
    assert s.console_access_for("0.0.0.0") == "key"
    assert s.console_access_for("192.168.1.20") == "key"
    assert test_settings(console_access="open").console_access_for("0.0.0.0") == "open"
    assert test_settings(console_access="off").console_access_for("127.0.0.1") == "off"
