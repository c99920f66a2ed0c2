"""Crashes during a load: ``kill -9`` of the CLI, ``kill -9`` of Neo4j (while writing,
while validating), a lost commit acknowledgement. Each time the user gets the French
report, never a traceback; counts that may hide a committed batch say « au moins »; and
loading the same files again gives the facts' hash of a clean load.

The small synthetic ecosystem (tests/reliability_fixtures.py) loads with batches of 10
rows, so a load lasts long enough to be cut in the middle. Neo4j is killed on a server of
the tests' own (``own_server``, spare ports, a temporary home), started again after; the
session's server is never killed.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time

import pytest
from typer.testing import CliRunner

from cli.common import console
from cli.load import print_report
from graph.driver import ConnectionInfo, make_driver
from graph.fact_hash import fact_hash
from graph.french import num
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
#: every relationship that does not start at a territory
#: the nodes a load writes: neither the territory reference nor the import records
FACT_NODES = "MATCH (n) WHERE NOT n:Territory AND NOT n:Import RETURN count(n)"
NOT_TERRITORIAL = "MATCH (a)-[r]->() WHERE NOT a:Territory RETURN count(r)"
#: a Python traceback, or an exception's name printed raw
RAW_ERROR = re.compile(r"Traceback|^\w*(Error|Unavailable|Expired)\b", re.MULTILINE)


@pytest.fixture(scope="session")
def clean(neo4j_driver, small_ecosystem):
    """The facts' hash and the relationship count of a clean load of the small ecosystem
    (on the session's server, once; its database is emptied after)."""
    territories, elements, connections = small_ecosystem
    empty_graph(neo4j_driver)
    assert load_small(neo4j_driver, territories, [elements, connections]).ok
    result = fact_hash(neo4j_driver), count(neo4j_driver, WRITTEN)
    empty_graph(neo4j_driver)
    return result


@pytest.fixture
def start_load():
    """Start ``alliance-graph load DIR --batch-size 10 ARGS`` on a server; the processes
    started are killed (by pid) at the end of the test if they still run."""
    started: list[subprocess.Popen] = []

    def start(info: ConnectionInfo, directory, *args: str, **env) -> subprocess.Popen:
        proc = subprocess.Popen([CLI, "load", str(directory), "--batch-size", "10", *args],
                                env=cli_env(info, **env), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        started.append(proc)
        return proc

    yield start
    for proc in started:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


def _cut_in_the_middle(driver, proc: subprocess.Popen) -> None:
    """Wait until the load has written some of its relationships (or ended)."""
    assert wait_until(lambda: count(driver, WRITTEN) > 0 or proc.poll() is not None, 120)
    assert proc.poll() is None, "the load ended before it could be cut"


def _kill_neo4j(server) -> None:
    """``kill -9`` of the server the test started (its pid, nothing else)."""
    pid = server.pid()
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    assert wait_until(lambda: server.pid() is None, 30)


def test_kill_9_of_the_cli_then_a_rerun_gives_the_clean_hash(db, neo4j_server, clean,
                                                             small_ecosystem, start_load):
    clean_hash, total = clean
    territories, elements, connections = small_ecosystem
    load_territories(db, territories)
    proc = start_load(neo4j_server, elements.parent)
    _cut_in_the_middle(db, proc)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)
    written = count(db, WRITTEN)
    assert 0 < written < total  # cut in the middle: the rerun has work to do
    assert fact_hash(db) != clean_hash
    assert load_paths(db, [elements, connections]).ok
    assert fact_hash(db) == clean_hash


def test_kill_9_of_neo4j_while_writing_ends_in_the_report_then_a_rerun_completes(
        own_server, clean, small_ecosystem, start_load):
    clean_hash, total = clean
    territories, elements, connections = small_ecosystem
    info = own_connection(own_server)
    with make_driver(info) as driver:
        empty_graph(driver)
        load_territories(driver, territories)
        proc = start_load(info, elements.parent, "--json", ALLIANCE_RETRY_SECONDS="1")
        _cut_in_the_middle(driver, proc)
    _kill_neo4j(own_server)
    out, err = proc.communicate(timeout=120)
    # the report, whole, and nothing raw: no traceback, no exception printed alone
    assert proc.returncode == 1
    assert not RAW_ERROR.search(out + err), (out + err)[-3000:]
    report = json.loads(out)
    failed = [f for f in report["files"] if f["status"] == "write_failed"]
    assert failed, report
    for f in failed:
        assert f["summary"].startswith("écriture interrompue : ")
        assert "à nouveau quand Neo4j répondra" in f["write_error"], f["write_error"]
        # « au moins » exactly when a commit's acknowledgement was lost
        unsure = f["elements_uncertain"] + f["connections_uncertain"]
        assert ("au moins" in f["write_error"]) == (unsure > 0), f["write_error"]
    own_server.start()
    with make_driver(info) as driver:
        assert 0 < count(driver, WRITTEN) < total
        # what the report counts as written is in the graph; at most the rows whose
        # acknowledgement was lost more
        for key, query in (("elements", FACT_NODES),
                           ("connections", NOT_TERRITORIAL)):
            written = sum(f[f"{key}_written"] for f in report["files"])
            unsure = sum(f[f"{key}_uncertain"] for f in report["files"])
            assert written <= count(driver, query) <= written + unsure, (key, report)
        assert load_paths(driver, [elements, connections]).ok
        assert fact_hash(driver) == clean_hash


def test_neo4j_gone_while_a_connections_file_is_validated_gives_the_report(
        own_server, small_ecosystem, monkeypatch):
    """The case of issue 14: ``kill -9`` of Neo4j while the CLI checks a connections file
    against the graph ended in a raw ``ServiceUnavailable`` traceback."""
    import cli.load
    from cli.main import app

    territories, elements, connections = small_ecosystem
    info = own_connection(own_server)
    with make_driver(info) as driver:
        empty_graph(driver)
        assert load_small(driver, territories, [elements]).ok

    real_progress = cli.load._importer_progress

    def kill_when_validating(progress):
        report = real_progress(progress)

        def on_progress(stage: str, file: str, advance: int, total: int) -> None:
            if stage == "validate" and own_server.pid() is not None:
                # the file is read; its rows are checked against the graph next
                _kill_neo4j(own_server)
            report(stage, file, advance, total)

        return on_progress

    driver = make_driver(info, retry_seconds=1)
    monkeypatch.setattr(cli.load, "_importer_progress", kill_when_validating)
    monkeypatch.setattr(cli.load, "_driver", lambda: (driver, "neo4j"))
    try:
        result = CliRunner().invoke(app, ["load", str(connections)])
    finally:
        driver.close()
    # the French report, ended as a report ends (exit 1), not by an exception
    assert isinstance(result.exception, SystemExit) and result.exit_code == 1, (
        result.exception, result.output)
    assert not RAW_ERROR.search(result.output), result.output
    text = " ".join(result.output.split())
    assert ("écriture interrompue connections.csv : rien n'a été écrit : Neo4j ne "
            "répondait plus pendant la vérification du fichier") in text
    assert "Chargez-le à nouveau quand Neo4j répondra" in text
    assert text.endswith("1 fichier (1 écriture interrompue), aucune erreur.")
    # the server stays down: the next test that needs it starts it (``own_server``); that
    # a rerun after a kill gives the clean hash is the test above


@pytest.mark.parametrize("what", ["elements", "connections"])
def test_a_lost_acknowledgement_makes_the_counts_say_at_least(db, neo4j_server, clean,
                                                              small_ecosystem, what):
    """A batch commits but its acknowledgement never arrives (a proxy loses it): the
    report counts it as maybe written — « au moins » — and the graph holds exactly what
    it counts as written plus that batch. The bug of issue 14: the report said 16,774
    connections were committed when 18,080 were."""
    clean_hash, _ = clean
    territories, elements, connections = small_ecosystem
    load_territories(db, territories)
    if what == "connections":
        assert load_paths(db, [elements]).ok  # acknowledged: only connections go through
        files, marker = [connections], b"MERGE (a)-[r:"
    else:
        files, marker = [elements, connections], b"MERGE (n:Organisation {id: row[0]})"
    query = (FACT_NODES if what == "elements"
             else NOT_TERRITORIAL)
    before = count(db, query)
    proxy = LostAcknowledgement(int(neo4j_server.uri.rsplit(":", 1)[1]), marker, after=3)
    through = ConnectionInfo(f"bolt://127.0.0.1:{proxy.port}", neo4j_server.user,
                             neo4j_server.password, neo4j_server.database)
    started = time.monotonic()
    try:
        with make_driver(through, retry_seconds=1) as driver:
            report = load_paths(driver, files, batch_size=10, writers=2)
    finally:
        proxy.close()
    assert time.monotonic() - started < 60
    assert proxy.dropped == 1
    failed = report.files[0]
    written, unsure = ((failed.elements_written, failed.elements_uncertain)
                       if what == "elements" else
                       (failed.connections_written, failed.connections_uncertain))
    assert failed.status == "write_failed" and 0 < unsure <= 10
    # the lost batch did commit: the graph holds what the report counts plus that batch
    assert count(db, query) - before == written + unsure
    n_el, n_co = failed.elements_written, failed.connections_written
    assert (f"l'écriture s'est interrompue après au moins {num(n_el)} élément"
            in failed.write_error), failed.write_error
    assert f"et {num(n_co)} lien" in failed.write_error
    assert f"peut-être jusqu'à {num(unsure)} ligne" in failed.write_error
    assert f"after at least {n_el} elements" in failed.write_error_en
    assert failed.summary.startswith("écriture interrompue : ")
    assert "écrits : au moins " in failed.summary
    with console.capture() as captured:
        print_report(report, json_out=False)
    assert f"≥ {num(written)}" in captured.get()
    # and loading the files again completes the graph: the clean load's hash
    assert load_paths(db, [elements, connections]).ok
    assert fact_hash(db) == clean_hash
