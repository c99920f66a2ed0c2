"""Crashes during a load: ``kill -9`` of the CLI, ``kill -9`` of Neo4j (while writing,
while validating), a lost commit acknowledgement. Each time the user gets the report,
never a traceback; counts that may hide a committed batch say "at least"; and loading
the same files again gives the facts' hash of a clean load.

The small synthetic ecosystem (tests/reliability_fixtures.py) loads with batches of 10
rows, so a load lasts long enough to be cut in the middle. Neo4j is killed on a server of
the tests' own (``own_server``), started again after.
"""

from __future__ import annotations

import os
import signal
import subprocess

import pytest

from cli.common import console
from cli.load import print_report
from graph.driver import ConnectionInfo, make_driver
from graph.fact_hash import fact_hash
from loaders.importer import load_paths
from loaders.territories import load_territories
from tests.conftest import empty_graph, own_connection
from tests.reliability_fixtures import (
    CLI,
    LostAcknowledgement,
    cli_env,
    count,
    load_small,
    wait_until,
)

#: relationships that only a load of the ecosystem's files writes (not the territories')
WRITTEN = "MATCH (:Organisation)-[r]->() RETURN count(r)"


@pytest.fixture
def clean(db, small_ecosystem):
    """The facts' hash and relationship count of a clean load of the small ecosystem."""
    territories, elements, connections = small_ecosystem
    assert load_small(db, territories, [elements, connections]).ok
    yield fact_hash(db), count(db, WRITTEN)
    empty_graph(db)


def _start_load(info: ConnectionInfo, directory, **env) -> subprocess.Popen:
    return subprocess.Popen([CLI, "load", str(directory), "--batch-size", "10"],
                            env=cli_env(info, **env), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _cut_in_the_middle(driver, proc: subprocess.Popen, total: int) -> None:
    """Wait until the load has written some of its relationships (or ended)."""
    assert wait_until(lambda: count(driver, WRITTEN) > 0 or proc.poll() is not None, 120)
    assert proc.poll() is None, "the load ended before it could be cut"


def test_kill_9_of_the_cli_then_a_rerun_gives_the_clean_hash(db, neo4j_server, clean,
                                                             small_ecosystem):
    clean_hash, total = clean
    territories, elements, connections = small_ecosystem
    empty_graph(db)
    load_territories(db, territories)
    proc = _start_load(neo4j_server, elements.parent)
    _cut_in_the_middle(db, proc, total)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)
    written = count(db, WRITTEN)
    assert 0 < written < total  # cut in the middle: the rerun has work to do
    assert fact_hash(db) != clean_hash
    assert load_paths(db, [elements, connections]).ok
    assert fact_hash(db) == clean_hash


def _kill_neo4j(server) -> None:
    pid = server.pid()
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    assert wait_until(lambda: server.pid() is None, 30)


def test_kill_9_of_neo4j_while_writing_ends_in_the_report_then_a_rerun_completes(
        own_server, clean, small_ecosystem):
    clean_hash, total = clean
    territories, elements, connections = small_ecosystem
    info = own_connection(own_server)
    with make_driver(info) as driver:
        empty_graph(driver)
        load_territories(driver, territories)
        proc = _start_load(info, elements.parent, ALLIANCE_RETRY_SECONDS="1")
        _cut_in_the_middle(driver, proc, total)
    _kill_neo4j(own_server)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 1
    assert "Traceback" not in out + err, err[-2000:]
    text = " ".join(out.split())
    assert "write_failed" in text and "load it again once Neo4j is back" in text
    own_server.start()
    with make_driver(info) as driver:
        assert 0 < count(driver, WRITTEN) < total
        assert load_paths(driver, [elements, connections]).ok
        assert fact_hash(driver) == clean_hash


def test_neo4j_gone_while_a_connections_file_is_validated_gives_the_report(
        own_server, clean, small_ecosystem):
    clean_hash, _ = clean
    territories, elements, connections = small_ecosystem
    info = own_connection(own_server)

    def kill_when_validating(stage: str, file: str, advance: int, total: int) -> None:
        if stage == "validate":  # the file is read; its rows are checked against the graph
            _kill_neo4j(own_server)

    with make_driver(info, retry_seconds=1) as driver:
        empty_graph(driver)
        assert load_small(driver, territories, [elements]).ok
        report = load_paths(driver, [connections], on_progress=kill_when_validating)
    assert not report.ok
    [file] = report.files
    assert file.status == "write_failed" and file.connections_written == 0
    assert "could not be reached while the file was validated" in file.write_error
    own_server.start()
    with make_driver(info) as driver:
        assert load_paths(driver, [connections]).ok
        assert fact_hash(driver) == clean_hash


def test_a_lost_acknowledgement_makes_the_counts_say_at_least(db, neo4j_server,
                                                              small_ecosystem):
    territories, elements, connections = small_ecosystem
    load_territories(db, territories)
    # the third batch of organisations commits, but its acknowledgement never arrives
    proxy = LostAcknowledgement(int(neo4j_server.uri.rsplit(":", 1)[1]),
                                b"MERGE (n:Organisation {id: row[0]})", after=3)
    through = ConnectionInfo(f"bolt://127.0.0.1:{proxy.port}", neo4j_server.user,
                             neo4j_server.password, neo4j_server.database)
    try:
        with make_driver(through, retry_seconds=1) as driver:
            report = load_paths(driver, [elements, connections], batch_size=10, writers=1)
    finally:
        proxy.close()
    assert proxy.dropped == 1
    by_name = {f.file: f for f in report.files}
    failed = by_name["elements.csv"]
    assert failed.status == "write_failed" and 0 < failed.elements_uncertain <= 10
    # the lost batch did commit: the graph holds what the report counts as written plus it
    assert count(db, "MATCH (n) WHERE NOT n:Territory RETURN count(n)") == (
        failed.elements_written + failed.elements_uncertain)
    assert f"after at least {failed.elements_written} elements" in failed.write_error
    assert f"up to {failed.elements_uncertain} more rows" in failed.write_error
    assert by_name["connections.csv"].status == "write_failed"
    with console.capture() as captured:
        print_report(report, json_out=False)
    assert f"≥ {failed.elements_written}" in captured.get()
