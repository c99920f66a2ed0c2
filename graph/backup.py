"""Backups of the managed Neo4j, with Neo4j's own ``neo4j-admin database dump`` / ``load``.

A dump needs the database offline, so :func:`backup` stops the managed server, dumps the
database into one file and starts the server again if it was running.

:func:`restore` never leaves the user without a database:

1. the dump is loaded into a staging area in the server's home (``restore/``) while the
   server keeps running: a file that is not a dump, or a damaged one, fails here;
2. the staged store's format is read (``neo4j-admin database info``): a dump of another
   major version of Neo4j is refused here. In both cases nothing was touched;
3. only then the server stops, the current store is moved aside (``restore/previous``),
   the staged one is moved in (renames on one file system) and the server starts on it;
4. the previous store is deleted once the restored database is online; if it does not
   come online, the previous store is put back and the server started on it again.

Each move is announced in a journal (``restore/journal``) before it is made: a restore
interrupted anywhere in 3-4 (``kill -9``, a power cut) is undone the next time the server
starts or a restore begins (:func:`undo_interrupted_restore`): the previous database is
back in place, and the restore can be run again.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from graph.admin import admin_message, run_admin
from graph.server import NEO4J_VERSION, ManagedNeo4j

#: the two directories of ``data/`` that hold one database's files
KINDS = ("databases", "transactions")
#: restore phases written to the journal: moving the current store out, moving the
#: restored one in, checking it; any of them found at start means "undo"
PHASES = ("out", "in", "check")

StepCallback = Callable[[str], None]


class BackupError(RuntimeError):
    """A backup or restore refused or failed; the message says why and what to do."""


@dataclass(frozen=True)
class BackupResult:
    """What :func:`backup` wrote."""

    file: str
    bytes: int
    #: the whole command: stop, dump, start
    seconds: float
    #: neo4j-admin's dump alone
    dump_seconds: float
    restarted: bool


@dataclass(frozen=True)
class RestoreResult:
    """What :func:`restore` put in place."""

    file: str
    store_format: str
    nodes: int
    relationships: int
    seconds: float
    #: the server runs after the restore (it runs if it ran before)
    running: bool


def restore_dir(home: Path) -> Path:
    """Where a restore stages the dump and keeps the previous store (in the server's home,
    so that moving a store is a rename)."""
    return home / "restore"


def backup(server: ManagedNeo4j, path: str | Path, *, database: str = "neo4j",
           overwrite: bool = False, on_step: StepCallback | None = None) -> BackupResult:
    """Dump ``database`` of the managed server into the file ``path``.

    The server is stopped for the dump and started again afterwards if it was running.
    The dump goes to a temporary file beside ``path``, renamed at the end: an interrupted
    backup never leaves a truncated file under the name asked for.

    Parameters
    ----------
    server
        The managed server.
    path
        The file to write (its directory is created if needed).
    overwrite
        Replace ``path`` if it exists (else refused).
    on_step
        Called with a line for each step (stopping, dumping, starting).

    Raises
    ------
    BackupError
        ``path`` exists, there is no database yet, or neo4j-admin failed (its message).
    """
    step = on_step or (lambda _: None)
    started = time.perf_counter()
    target = Path(path).expanduser().resolve()
    if target.is_dir():
        raise BackupError(f"{target} is a directory; give the file to write, e.g. "
                          f"{target / 'alliance-graph.dump'}")
    if target.exists() and not overwrite:
        raise BackupError(f"{target} exists; choose another file, or pass --overwrite")
    if not (server.data_dir / "databases" / database).is_dir():
        raise BackupError(f"there is no database {database!r} in {server.data_dir} yet: "
                          "start the managed Neo4j (`alliance-graph db start`) and load "
                          "data first")
    target.parent.mkdir(parents=True, exist_ok=True)
    was_running = server.pid() is not None
    if was_running:
        step("stopping Neo4j for the dump (a dump needs the database offline); it "
             "starts again after")
        server.stop()
    try:
        work = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
        try:
            step(f"dumping the database {database!r} with neo4j-admin")
            dump_started = time.perf_counter()
            proc = run_admin(server, ["database", "dump", database, f"--to-path={work}",
                                      "--overwrite-destination=true"])
            dump_seconds = time.perf_counter() - dump_started
            dumped = work / f"{database}.dump"
            if proc.returncode != 0 or not dumped.is_file():
                raise BackupError(f"neo4j-admin could not dump {database!r}: "
                                  f"{admin_message(proc)}")
            os.replace(dumped, target)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    finally:
        if was_running:
            step("starting Neo4j again")
            server.start()
    return BackupResult(file=str(target), bytes=target.stat().st_size,
                        seconds=round(time.perf_counter() - started, 2),
                        dump_seconds=round(dump_seconds, 2), restarted=was_running)


def restore(server: ManagedNeo4j, path: str | Path, *, database: str = "neo4j",
            on_step: StepCallback | None = None) -> RestoreResult:
    """Replace ``database`` of the managed server by the dump ``path``.

    The dump is loaded and checked beside the database in place before anything is
    touched; the previous store is kept until the restored database is online (module
    docstring). The server runs afterwards if it ran before.

    Raises
    ------
    BackupError
        The file is missing, is not a dump, is damaged or holds another major version of
        Neo4j (nothing changed); or the restored database did not come online (the
        previous one is back in place).
    """
    step = on_step or (lambda _: None)
    started = time.perf_counter()
    source = Path(path).expanduser().resolve()
    if not source.is_file():
        raise BackupError(f"{source} is not a file; give a dump written by `alliance-graph "
                          "db backup` (or `neo4j-admin database dump`)")
    if not server.data_dir.is_dir():
        raise BackupError(f"the managed Neo4j has no data directory yet ({server.data_dir}):"
                          " start it once with `alliance-graph db start`, then restore")
    was_running = server.pid() is not None
    work = restore_dir(server.home)
    if (work / "journal").is_file():  # a restore cut short: its store was never confirmed
        if was_running:
            server.stop()
        step(undo_interrupted_restore(server.home, database) or "")
        if was_running:
            server.start()
    shutil.rmtree(work, ignore_errors=True)
    try:
        store_format = _stage(server, work, source, database, step)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    if was_running:
        step("stopping Neo4j to put the restored database in place; it starts again after")
        server.stop()
    _swap_in(server, work, database)
    step("starting Neo4j on the restored database")
    try:
        server.start(restoring=True)
        nodes, relationships = _wait_online(server, database)
    except Exception as exc:
        _roll_back(server, work, database)
        if was_running:
            server.start()
        raise BackupError(f"the restored database did not come online ({exc}); the "
                          "previous database is back in place") from exc
    shutil.rmtree(work, ignore_errors=True)  # the previous store goes last
    if not was_running:
        step("Neo4j was not running before: stopping it again")
        server.stop()
    return RestoreResult(file=str(source), store_format=store_format, nodes=nodes,
                         relationships=relationships,
                         seconds=round(time.perf_counter() - started, 2),
                         running=was_running)


def undo_interrupted_restore(home: Path, database: str = "neo4j") -> str | None:
    """Put the previous store back if a restore was interrupted after it moved it aside.

    Called before the managed server starts (and before a restore): with the server
    stopped, the journal of an unfinished restore means its restored store is not
    confirmed, so the previous one goes back in place.

    Returns
    -------
    str or None
        A line saying what was done, or None when there was nothing to undo.
    """
    work = restore_dir(home)
    journal = work / "journal"
    if not journal.is_file():
        return None
    phase = journal.read_text().strip()
    data = home / "data"
    previous, failed = work / "previous", work / "failed"
    for kind in KINDS:
        kept = previous / kind / database
        live = data / kind / database
        # from "in" on, what is in place came from the dump (or nothing was there)
        if phase != "out" and live.exists():
            (failed / kind).mkdir(parents=True, exist_ok=True)
            os.replace(live, failed / kind / database)
        if kept.exists():
            live.parent.mkdir(parents=True, exist_ok=True)
            os.replace(kept, live)
    journal.unlink()
    shutil.rmtree(work, ignore_errors=True)
    return ("an interrupted restore was undone: the database that was in place before it "
            "is back")


# -- the steps ------------------------------------------------------------------------------

def _stage(server: ManagedNeo4j, work: Path, source: Path, database: str,
           step: StepCallback) -> str:
    """Load the dump into ``work`` and check its format; the store format's name."""
    (work / "conf").mkdir(parents=True)
    (work / "conf" / "neo4j.conf").write_text(
        f"server.directories.data={work / 'data'}\n"
        f"server.directories.logs={work / 'logs'}\n")
    step(f"loading {source.name} into a staging area (the database in place is not "
         "touched)")
    with open(source, "rb") as fh:
        proc = run_admin(server, ["database", "load", database, "--from-stdin",
                                  "--overwrite-destination=true"], home=work, stdin=fh)
    if proc.returncode != 0 or not (work / "data" / "databases" / database).is_dir():
        raise BackupError(f"{source.name} could not be loaded ({admin_message(proc)}): it is "
                          "not a Neo4j dump, or it is damaged; nothing was changed")
    info = run_admin(server, ["database", "info", "--format=json", database], home=work)
    fmt = _info_json(info.stdout)
    if info.returncode != 0 or fmt is None:
        raise BackupError(f"the store in {source.name} cannot be read by Neo4j "
                          f"{NEO4J_VERSION} ({admin_message(info)}); nothing was changed")
    check_major_version(fmt, source.name)
    return str(fmt.get("storeFormat"))


def check_major_version(info: dict, name: str) -> None:
    """Refuse a store that Neo4j of another major version wrote.

    ``info`` is ``neo4j-admin database info --format=json``; its ``storeFormatIntroduced``
    is the Neo4j version that introduced the store's format (``5.0.0`` for 5.x stores,
    ``4.3.0`` for a 4.3/4.4 store).

    >>> check_major_version({"storeFormatIntroduced": "5.0.0"}, "a.dump")
    >>> check_major_version({"storeFormat": "record-aligned-0.1",
    ...                      "storeFormatIntroduced": "4.3.0"}, "old.dump")
    Traceback (most recent call last):
    ...
    graph.backup.BackupError: old.dump holds a database of Neo4j 4 (store format record-aligned-0.1, introduced in Neo4j 4.3.0); this project runs Neo4j 5.26.30: open it with a Neo4j 4 server, or migrate it first with Neo4j 5's `neo4j-admin database migrate`; nothing was changed
    """  # noqa: E501 - a doctest's expected line is as long as the message
    introduced = str(info.get("storeFormatIntroduced") or "")
    major = introduced.split(".")[0]
    if major != NEO4J_VERSION.split(".")[0]:
        raise BackupError(
            f"{name} holds a database of Neo4j {major or '?'} (store format "
            f"{info.get('storeFormat')}, introduced in Neo4j {introduced or '?'}); this "
            f"project runs Neo4j {NEO4J_VERSION}: open it with a Neo4j {major or 'other'} "
            "server, or migrate it first with Neo4j 5's `neo4j-admin database migrate`; "
            "nothing was changed")


def _info_json(stdout: str) -> dict | None:
    for line in reversed(stdout.splitlines()):
        if line.startswith("{"):
            try:
                return json.loads(line)
            except json.JSONDecodeError:
                return None
    return None


def _journal(work: Path, phase: str) -> None:
    """Write the phase, durably, before its moves."""
    path = work / "journal"
    with open(path, "w") as fh:
        fh.write(phase + "\n")
        fh.flush()
        os.fsync(fh.fileno())


def _swap_in(server: ManagedNeo4j, work: Path, database: str) -> None:
    """Move the current store to ``work/previous`` and the staged one in (server stopped)."""
    data, previous = server.data_dir, work / "previous"
    _journal(work, "out")
    for kind in KINDS:
        live = data / kind / database
        if live.exists():
            (previous / kind).mkdir(parents=True, exist_ok=True)
            os.replace(live, previous / kind / database)
    _journal(work, "in")
    for kind in KINDS:
        staged = work / "data" / kind / database
        if staged.exists():
            (data / kind).mkdir(parents=True, exist_ok=True)
            os.replace(staged, data / kind / database)
    _journal(work, "check")


def _roll_back(server: ManagedNeo4j, work: Path, database: str) -> None:
    """The restored store did not come online: stop, and put the previous one back."""
    server.stop()
    undo_interrupted_restore(server.home, database)


def _wait_online(server: ManagedNeo4j, database: str) -> tuple[int, int]:
    """Wait until ``database`` is online; its node and relationship counts.

    Raises
    ------
    RuntimeError
        The database is offline (its status message), or not online within the start
        timeout.
    """
    from neo4j import GraphDatabase

    deadline = time.monotonic() + server.settings.start_timeout
    status, message = "unknown", ""
    with GraphDatabase.driver(server.uri, auth=("neo4j", server.password())) as driver:
        while time.monotonic() < deadline:
            records, _, _ = driver.execute_query(
                "SHOW DATABASES YIELD name, currentStatus, statusMessage "
                "WHERE name = $name RETURN currentStatus, statusMessage",
                name=database, database_="system")
            if records:
                status, message = records[0]["currentStatus"], records[0]["statusMessage"]
            if status == "online":
                counts, _, _ = driver.execute_query(
                    "CALL () { MATCH (n) RETURN count(n) AS nodes } "
                    "CALL () { MATCH ()-[r]->() RETURN count(r) AS relationships } "
                    "RETURN nodes, relationships", database_=database)
                return counts[0]["nodes"], counts[0]["relationships"]
            if status == "offline" and message:
                break
            time.sleep(0.5)
    raise RuntimeError(f"database {database!r} is {status}"
                       + (f": {message}" if message else ""))
