"""Backups of the managed Neo4j (graph/backup.py, `alliance-graph db backup|restore`).

Backup then restore gives back the same facts' hash; a dump of Neo4j 4.4 and a damaged
file are refused before anything is touched; a restore cut short is undone when the
server next starts, so the previous database is back; an external server is refused in
one line. On a server of the tests' own (``own_server``): these tests stop it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graph.backup import KINDS, restore_dir, undo_interrupted_restore
from graph.driver import make_driver
from graph.fact_hash import fact_hash
from graph.settings import get_settings
from tests.conftest import ROOT, empty_graph, own_connection
from tests.reliability_fixtures import load_small

DUMP_44 = ROOT / "tests" / "data" / "dumps" / "neo4j-4.4.dump"


def _cli(monkeypatch, server, args: list[str]):
    """`alliance-graph ARGS` in this process, on the managed server ``server``."""
    from cli.main import app

    monkeypatch.delenv("NEO4J_URI", raising=False)
    s = server.settings
    for key, value in (("ALLIANCE_DB_DIR", s.db_dir), ("ALLIANCE_BOLT_PORT", s.bolt_port),
                       ("ALLIANCE_HTTP_PORT", s.http_port), ("ALLIANCE_HEAP", s.heap),
                       ("ALLIANCE_PAGECACHE", s.pagecache)):
        monkeypatch.setenv(key, str(value))
    get_settings.cache_clear()
    try:
        return CliRunner().invoke(app, args)
    finally:
        get_settings.cache_clear()


def _hash(server) -> str:
    with make_driver(own_connection(server)) as driver:
        return fact_hash(driver)


def _fill(server, small_ecosystem) -> str:
    territories, elements, connections = small_ecosystem
    with make_driver(own_connection(server)) as driver:
        empty_graph(driver)
        assert load_small(driver, territories, [elements, connections]).ok
        return fact_hash(driver)


def test_backup_then_restore_gives_the_same_facts(own_server, small_ecosystem, tmp_path,
                                                  monkeypatch):
    before = _fill(own_server, small_ecosystem)
    dump = tmp_path / "backups" / "alliance.dump"
    result = _cli(monkeypatch, own_server, ["db", "backup", str(dump)])
    assert result.exit_code == 0, result.output
    assert "stopping Neo4j for the dump" in result.output
    assert "Neo4j is running again" in result.output
    assert dump.stat().st_size > 1000 and dump.read_bytes()[:4] == b"DZV1"
    assert not [p for p in dump.parent.iterdir() if p != dump]  # no partial file left
    assert own_server.pid() is not None and _hash(own_server) == before

    refused = _cli(monkeypatch, own_server, ["db", "backup", str(dump)])
    assert refused.exit_code == 1 and "--overwrite" in refused.output

    with make_driver(own_connection(own_server)) as driver:  # the facts change
        driver.execute_query("MATCH (n:Organisation) WITH n LIMIT 10 DETACH DELETE n")
    assert _hash(own_server) != before
    result = _cli(monkeypatch, own_server, ["db", "restore", str(dump)])
    assert result.exit_code == 0, result.output
    assert "staging area" in result.output and "stopping Neo4j" in result.output
    assert own_server.pid() is not None and _hash(own_server) == before
    assert not restore_dir(own_server.home).exists()  # the previous store is gone now


def test_restore_refuses_another_major_version_or_a_damaged_file(own_server, small_ecosystem,
                                                                 tmp_path, monkeypatch):
    before = _hash(own_server)
    pid = own_server.pid()
    result = _cli(monkeypatch, own_server, ["db", "restore", str(DUMP_44)])
    assert result.exit_code == 1
    message = " ".join(result.output.split())
    assert "holds a database of Neo4j 4" in message and "introduced in Neo4j 4.3.0" in message
    assert "this project runs Neo4j 5.26" in message and "nothing was changed" in message

    damaged = tmp_path / "damaged.dump"
    damaged.write_bytes(b"DZV1" + os.urandom(4000))
    result = _cli(monkeypatch, own_server, ["db", "restore", str(damaged)])
    assert result.exit_code == 1
    assert "not a Neo4j dump, or it is damaged" in " ".join(result.output.split())
    # the server was never stopped, and its database is as it was
    assert own_server.pid() == pid and _hash(own_server) == before
    assert not restore_dir(own_server.home).exists()


def test_a_restore_cut_short_is_undone_when_the_server_starts(own_server, small_ecosystem):
    before = _fill(own_server, small_ecosystem)
    own_server.stop()
    # as a kill -9 leaves it between moving the store aside and moving the dump's in
    work = restore_dir(own_server.home)
    for kind in KINDS:
        (work / "previous" / kind).mkdir(parents=True)
        os.replace(own_server.data_dir / kind / "neo4j", work / "previous" / kind / "neo4j")
    (work / "journal").write_text("in\n")
    own_server.start()
    assert _hash(own_server) == before
    assert not work.exists()


def _store(home: Path, kind: str, name: str, text: str) -> None:
    path = home / name / kind / "neo4j"
    path.mkdir(parents=True, exist_ok=True)
    (path / "marker").write_text(text)


@pytest.mark.parametrize("phase", ["out", "in", "check"])
def test_undo_puts_the_previous_store_back_at_every_phase(tmp_path, phase):
    home = tmp_path / "home"
    work = restore_dir(home)
    # "out": only the first kind was moved aside; later: both aside, the dump's in place
    moved = KINDS[:1] if phase == "out" else KINDS
    for kind in KINDS:
        if kind in moved:
            _store(work, kind, "previous", "old")
            if phase != "out":
                _store(home, kind, "data", "restored")
        else:
            _store(home, kind, "data", "old")
    work.mkdir(parents=True, exist_ok=True)
    (work / "journal").write_text(phase + "\n")
    assert "undone" in undo_interrupted_restore(home)
    for kind in KINDS:
        assert (home / "data" / kind / "neo4j" / "marker").read_text() == "old"
    assert not work.exists()
    assert undo_interrupted_restore(home) is None  # nothing left to undo


@pytest.mark.parametrize("command", ["backup", "restore"])
def test_an_external_server_is_refused_in_one_line(tmp_path, monkeypatch, command):
    from cli.main import app

    monkeypatch.setenv("NEO4J_URI", "neo4j+s://example.databases.neo4j.io")
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["db", command, str(tmp_path / "x.dump")])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 1
    line = " ".join(result.output.split())
    assert line.startswith("error: `db " + command + "` works on the managed Neo4j only")
    assert f"neo4j-admin database {'dump' if command == 'backup' else 'load'}" in line
    assert "alliance-graph " + ("export" if command == "backup" else "load") in line
