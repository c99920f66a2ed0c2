"""Replaces cut short, finished: a dataset is its old version or its new one, never a mix.

A replace writes its new version in many transactions, then retires what it no longer
states (loaders/import_record.py). Cut anywhere in between (``kill -9`` of its process,
of Neo4j, a power cut), the graph holds part of the new version beside the old: a mix.
So a replace keeps its files in its ``(:Import)`` record while it runs, with its owner
(``pid``, ``host``) and a ``beat`` it renews. The next load — or ``alliance-graph imports
recover`` — finds a record still holding files whose owner is gone, takes it over, and
runs the same replace again from the kept bytes, with the same import id and time: writes
MERGE on ids, so what was written already is found unchanged, what was not is written,
then the retirements run. The dataset ends as the new version, the hash of a clean replace.

Gone means: a process of this host that no longer exists (known at once), or a beat older
than ``ALLIANCE_IMPORT_LEASE`` (a writer on another machine). Taking over is one
compare-and-set on the record, so two processes never finish the same replace.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
from dataclasses import dataclass
from typing import TYPE_CHECKING

from neo4j import Driver

from graph.server import pid_alive
from graph.settings import get_settings
from loaders.history import Stamp
from loaders.import_record import owner, unpack
from loaders.tabular import Source

if TYPE_CHECKING:
    from loaders.report import LoadReport


@dataclass(frozen=True)
class Interrupted:
    """A replace cut short, as its record tells it."""

    import_id: str
    at: dt.datetime
    dataset: str
    by: str | None
    files: list[str]
    pid: int | None
    host: str | None
    #: seconds since its process last said it lived
    silent_for: float
    #: its process ended it cut short (Neo4j gone midway) and let it go
    released: bool = False


def interrupted(driver: Driver, *, database: str = "neo4j") -> list[Interrupted]:
    """Every replace that still keeps its files (running, or ended without ``done``),
    oldest first — whether or not its process is gone."""
    records, _, _ = driver.execute_query(
        "MATCH (i:Import) WHERE i.pending_files IS NOT NULL "
        "RETURN i.id AS id, i.at AS at, i.dataset AS dataset, i.by AS by, i.files AS files, "
        "i.pid AS pid, i.host AS host, coalesce(i.released, false) AS released, "
        "duration.inSeconds(coalesce(i.beat, i.at), datetime()).seconds AS silent "
        "ORDER BY i.at", database_=database)
    return [Interrupted(r["id"], r["at"].to_native(), r["dataset"], r["by"], list(r["files"]),
                        r["pid"], r["host"], float(r["silent"]), r["released"])
            for r in records]


def is_gone(record: Interrupted, *, lease: float | None = None) -> bool:
    """Whether the process that wrote ``record`` can no longer finish it: it let it go, it
    was a process of this host that no longer exists, or it has been silent past the
    lease (a writer elsewhere, or one that could not even record its end)."""
    if record.released:
        return True
    if (record.host == socket.gethostname() and record.pid is not None
            and record.pid != os.getpid() and not pid_alive(record.pid)):
        return True
    lease = get_settings().import_lease if lease is None else lease
    return record.silent_for > lease


def take_over(driver: Driver, record: Interrupted, *, database: str = "neo4j") -> bool:
    """Make this process the owner of ``record``, if nobody else did first (one write that
    checks the owner is still the one that was read: two takers cannot both win)."""
    records, _, _ = driver.execute_query(
        "MATCH (i:Import {id: $id}) "
        "WHERE i.pending_files IS NOT NULL AND coalesce(i.pid, -1) = coalesce($pid, -1) "
        "AND coalesce(i.host, '') = coalesce($host, '') "
        "SET i.pid = $me_pid, i.host = $me_host, i.beat = datetime(), i.state = 'running', "
        "i.released = null, i.recovered_at = datetime() "
        "RETURN i.pending_files AS kept",
        {"id": record.import_id, "pid": record.pid, "host": record.host,
         **{f"me_{k}": v for k, v in owner().items()}}, database_=database)
    return bool(records)


def kept_sources(driver: Driver, import_id: str, *, database: str = "neo4j") -> list[Source]:
    """The files a replace kept, as they were given to it."""
    records, _, _ = driver.execute_query(
        "MATCH (i:Import {id: $id}) RETURN i.files AS files, i.pending_files AS kept",
        {"id": import_id}, database_=database)
    if not records or records[0]["kept"] is None:
        return []
    files, kept = records[0]["files"], records[0]["kept"]
    return [Source(name=name, data=unpack(text)) for name, text in zip(files, kept, strict=True)]


def recover(driver: Driver, *, database: str = "neo4j",
            lease: float | None = None) -> list[tuple[Interrupted, LoadReport]]:
    """Finish every replace whose process is gone; each with the report of its end.

    Called at the start of every load (loaders/importer.py) and by ``alliance-graph
    imports recover``. A replace whose process still lives is left alone."""
    from loaders.importer import load_sources  # the importer calls us first

    done = []
    for record in interrupted(driver, database=database):
        if not is_gone(record, lease=lease) or not take_over(driver, record,
                                                             database=database):
            continue
        sources = kept_sources(driver, record.import_id, database=database)
        stamp = Stamp(record.import_id, record.at, record.dataset)
        report = load_sources(driver, sources, database=database, dataset=record.dataset,
                              replace=True, by=record.by, _resume=stamp)
        done.append((record, report))
    return done
