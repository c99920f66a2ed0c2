"""A replace cut short (``kill -9`` of the CLI, of Neo4j) leaves the old version or the new
one, never a mix: the next load (or ``alliance-graph imports recover``) finishes it from the
files its record kept, and the facts' hash is that of a clean replace.

Two versions of one dataset, « inventaire », built from the small synthetic ecosystem
(tests/reliability_fixtures.py): version 2 is the ecosystem; version 1 lacks its last 60
organisations (and their connections), spells 20 names otherwise and has 10 organisations
version 2 no longer states. Replacing 1 by 2 creates, updates and retires. The CLI writes
with batches of 10 rows, so a replace lasts long enough to be cut in the middle.
"""

from __future__ import annotations

import csv
import json
import signal
import subprocess
from pathlib import Path

import pytest

from graph.driver import make_driver
from graph.fact_hash import fact_hash
from loaders.importer import load_paths
from loaders.recovery import Interrupted, interrupted, is_gone, recover
from loaders.territories import load_territories
from tests.conftest import empty_graph, own_connection
from tests.loaders.test_crash import RAW_ERROR, _kill_neo4j
from tests.reliability_fixtures import CLI, cli_env, count, wait_until

DATASET = "inventaire"
#: organisations only version 2 states: seen in the graph, the replace has begun writing
NEW_ONES = 60
NEW_WRITTEN = ("MATCH (o:Organisation) WHERE o.id IN $ids AND o.retired_at IS NULL "
               "RETURN count(o)")


def _rows(path: Path) -> tuple[list[str], list[dict]]:
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def _write(path: Path, fields: list[str], rows: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture(scope="session")
def versions(small_ecosystem, tmp_path_factory):
    """(territories, version 1 directory, version 2 directory, ids only version 2 has)."""
    territories, elements, connections = small_ecosystem
    root = tmp_path_factory.mktemp("versions")
    e_fields, e_rows = _rows(elements)
    c_fields, c_rows = _rows(connections)
    orgs = [r for r in e_rows if r["type"] == "Organisation"]
    new = {r["id"] for r in orgs[-NEW_ONES:]}
    v1_elements = [dict(r) for r in e_rows if r["id"] not in new]
    for r in [r for r in v1_elements if r["type"] == "Organisation"][:20]:
        r["name"] = r["name"] + " (ancien nom)"
    gone = [dict(r, id=f"org:ancienne-{i}", name=f"Ancienne organisation {i}")
            for i, r in enumerate(orgs[:10])]
    v1_connections = [r for r in c_rows if r["from"] not in new and r["to"] not in new]
    v1 = root / "v1"
    _write(v1 / "elements.csv", e_fields, v1_elements + gone)
    _write(v1 / "connections.csv", c_fields, v1_connections)
    v2 = root / "v2"
    _write(v2 / "elements.csv", e_fields, e_rows)
    _write(v2 / "connections.csv", c_fields, c_rows)
    return territories, v1, v2, sorted(new)


def _files(directory: Path) -> list[Path]:
    return [directory / "elements.csv", directory / "connections.csv"]


def _replace(driver, directory: Path, **kwargs):
    return load_paths(driver, _files(directory), dataset=DATASET, replace=True, **kwargs)


@pytest.fixture(scope="session")
def hashes(neo4j_driver, versions):
    """The facts' hash after version 1 alone, and after a clean replace of 1 by 2."""
    territories, v1, v2, _ = versions
    empty_graph(neo4j_driver)
    load_territories(neo4j_driver, territories)
    assert _replace(neo4j_driver, v1).ok
    old = fact_hash(neo4j_driver)
    report = _replace(neo4j_driver, v2)
    assert report.ok and report.changes.elements_retired == 10, report.changes
    assert report.changes.elements_updated >= 20
    new = fact_hash(neo4j_driver)
    assert new != old
    empty_graph(neo4j_driver)
    return old, new


def _start_replace(info, directory: Path, *args: str, **env) -> subprocess.Popen:
    return subprocess.Popen(
        [CLI, "load", str(directory), "--replace-dataset", DATASET, "--batch-size", "10",
         *args], env=cli_env(info, **env), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True)


def _cut_when_begun(driver, proc: subprocess.Popen, new_ids: list[str]) -> None:
    """Wait until the replace has written some of version 2's new organisations."""
    assert wait_until(lambda: count_new(driver, new_ids) > 0 or proc.poll() is not None, 120)
    assert proc.poll() is None, "the replace ended before it could be cut"


def count_new(driver, ids: list[str]) -> int:
    records, _, _ = driver.execute_query(NEW_WRITTEN, {"ids": ids})
    return records[0][0]


def test_kill_9_of_the_cli_during_a_replace_then_the_next_load_finishes_it(
        db, neo4j_server, versions, hashes):
    old, new = hashes
    territories, v1, v2, new_ids = versions
    load_territories(db, territories)
    assert _replace(db, v1).ok
    proc = _start_replace(neo4j_server, v2)
    try:
        _cut_when_begun(db, proc, new_ids)
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    # cut in the middle: a mix of both versions, and the record says who was writing
    assert fact_hash(db) not in (old, new)
    cut = interrupted(db)
    assert [r.dataset for r in cut] == [DATASET] and is_gone(cut[0])
    # the next load, whatever it loads, finishes the replace first
    report = load_paths(db, [v2 / "elements.csv"], dataset="autre", dry_run=False)
    assert report.recovered == [cut[0].import_id]
    # (that load stated the same elements again under another dataset: facts unchanged)
    assert fact_hash(db) == new
    assert interrupted(db) == []
    records, _, _ = db.execute_query("MATCH (i:Import {id: $id}) RETURN i.state AS state, "
                                     "i.recovered_at IS NOT NULL AS recovered",
                                     {"id": cut[0].import_id})
    assert records[0]["state"] == "done" and records[0]["recovered"]
    # the stewards' list says so (`alliance-graph imports`, GET /imports, the page)
    from queries.imports import imports

    listed = {r.id: r for r in imports(db, limit=10).items}
    assert listed[cut[0].import_id].recovered_at is not None
    # the organisations version 2 no longer states are retired, by that replace
    assert count(db, "MATCH (o:Organisation) WHERE o.id STARTS WITH 'org:ancienne-' "
                     "AND o.retired_by IS NOT NULL RETURN count(o)") == 10


def test_kill_9_of_neo4j_during_a_replace_then_recover_gives_the_new_version(
        own_server, versions, hashes):
    old, new = hashes
    territories, v1, v2, new_ids = versions
    info = own_connection(own_server)
    with make_driver(info) as driver:
        empty_graph(driver)
        load_territories(driver, territories)
        assert _replace(driver, v1).ok
        proc = _start_replace(info, v2, "--json", ALLIANCE_RETRY_SECONDS="1")
        _cut_when_begun(driver, proc, new_ids)
    _kill_neo4j(own_server)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 1 and not RAW_ERROR.search(out + err), (out + err)[-3000:]
    assert any(f["status"] == "write_failed" for f in json.loads(out)["files"])
    own_server.start()
    with make_driver(info) as driver:
        assert fact_hash(driver) not in (old, new)
        # `alliance-graph imports recover`, in French
        done = subprocess.run([CLI, "imports", "recover"], env=cli_env(info),
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        assert f"du jeu de données « {DATASET} » terminé" in done.stdout, done.stdout
        assert fact_hash(driver) == new
        assert recover(driver) == []  # nothing left to finish


def test_a_replace_with_a_refused_file_writes_nothing(db, versions, hashes, tmp_path):
    old, _ = hashes
    territories, v1, v2, _ = versions
    load_territories(db, territories)
    assert _replace(db, v1).ok
    broken = tmp_path / "v2"
    broken.mkdir()
    (broken / "elements.csv").write_bytes((v2 / "elements.csv").read_bytes())
    (broken / "connections.csv").write_text(
        (v2 / "connections.csv").read_text(encoding="utf-8")
        + "org:inconnue,commune:75056,LOCATED_IN,,,x\n", encoding="utf-8")
    report = _replace(db, broken)
    assert not report.ok
    assert {f.file: f.status for f in report.files} == {"elements.csv": "validated",
                                                          "connections.csv": "rejected"}
    held = next(f for f in report.files if f.file == "elements.csv")
    assert any("s'écrit en entier ou pas du tout" in w and "connections.csv est refusé" in w
               for w in held.warnings), held.warnings
    assert fact_hash(db) == old  # the old version, whole
    assert interrupted(db) == []


def _record(**kw) -> Interrupted:
    import datetime as dt
    import socket

    base = dict(import_id="imp-x", at=dt.datetime(2026, 12, 3, tzinfo=dt.UTC),
                dataset=DATASET, by=None, files=["a.csv"], pid=None,
                host=socket.gethostname(), silent_for=0.0)
    return Interrupted(**{**base, **kw})


def test_who_is_gone():
    import os

    dead = subprocess.Popen(["true"])
    dead.wait()
    assert is_gone(_record(pid=dead.pid), lease=60)  # a process of this host, ended
    assert not is_gone(_record(pid=os.getpid()), lease=60)  # this one, beating
    assert is_gone(_record(pid=os.getpid(), silent_for=61), lease=60)  # silent too long
    assert is_gone(_record(released=True), lease=60)  # it let the replace go
    # another machine's writer: only its silence tells
    assert not is_gone(_record(host="ailleurs", pid=1, silent_for=10), lease=60)
    assert is_gone(_record(host="ailleurs", pid=1, silent_for=61), lease=60)
