"""The record of each load, and what replacing a dataset retires (and undoing it).

Every load that writes records one ``(:Import)`` node (bookkeeping: outside the facts'
hash): its id and time, the dataset(s), the files with their sha256, the operator's
label (``--by``), the mode (``add`` or ``replace``), its state (``running`` while it
writes, then ``done``, ``partial`` or ``interrupted``), the counts of created, updated,
unchanged and retired elements and connections, and the report as JSON text. It is
written before the first write, so a load killed midway leaves its record ``running``.

Replacing a dataset (``--replace-dataset NAME``): once every file of the new version is
written, the facts of that dataset that the new version does not state are **retired**
(``retired_at``, ``retired_by``; never deleted) when no other dataset states them; when
another does, they only leave NAME's list. :func:`retirement_plan` computes that set
(the same for a dry run and a real one), :func:`retire` writes it, :func:`undo` gives it
back.

A replace keeps its files in its record while it runs (``pending_files``: the bytes,
compressed) with its owner (``pid``, ``host``, a ``beat`` renewed while it writes): a
replace cut short (``kill -9`` of its process or of Neo4j) is finished from them by the
next load (loaders/recovery.py), so the dataset ends as its new version, never a mix of
two. A replace that ends ``done`` drops them.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import socket
import zlib
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from neo4j import Driver

from graph.vocabulary import KEYED_LABELS, LABELS, check_label, check_relationship
from loaders.batching import write_batches
from loaders.history import Stamp, entry, entry_prefix
from loaders.write_plan import Plan

#: the keyed labels in the vocabulary's order: a node is matched by the first it carries
_KEYED_ORDER = [spec.name for spec in LABELS if spec.name in KEYED_LABELS]


def sha256(data: bytes) -> str:
    """The sha256 of a file's bytes, as the Import record keeps it.

    >>> sha256(b"")[:12]
    'e3b0c44298fc'
    """
    return hashlib.sha256(data).hexdigest()


# --- the record ---------------------------------------------------------------------------


def owner() -> dict[str, Any]:
    """This process, as an import record names the process writing it."""
    return {"pid": os.getpid(), "host": socket.gethostname()}


def pack(data: bytes) -> str:
    """A file's bytes as a record keeps them: compressed, then base64 (text).

    >>> unpack(pack(b"id;nom")) == b"id;nom"
    True
    """
    return base64.b64encode(zlib.compress(data, 6)).decode("ascii")


def unpack(text: str) -> bytes:
    """The bytes :func:`pack` kept."""
    return zlib.decompress(base64.b64decode(text))


def start_import(driver: Driver, stamp: Stamp, *, database: str, datasets: list[str],
                 files: list[str], hashes: list[str], by: str | None, mode: str,
                 kept: list[bytes] | None = None) -> None:
    """Write the Import record, ``running``, before the first write of the load.

    ``kept``: the bytes of ``files`` (a replace), kept in the record until it ends, so
    that a replace cut short can be finished (loaders/recovery.py)."""
    driver.execute_query(
        "CREATE (i:Import {id: $id, at: $at, dataset: $dataset, datasets: $datasets, "
        "files: $files, sha256: $hashes, by: $by, mode: $mode, state: 'running', "
        "pid: $pid, host: $host, beat: datetime(), pending_files: $kept})",
        {"id": stamp.import_id, "at": stamp.at,
         "dataset": datasets[0] if len(set(datasets)) == 1 else None,
         "datasets": sorted(set(datasets)), "files": files, "hashes": hashes, "by": by,
         "mode": mode, "kept": [pack(d) for d in kept] if kept is not None else None,
         **owner()}, database_=database)


def beat(driver: Driver, import_id: str, *, database: str) -> None:
    """Say that the process writing ``import_id`` still lives."""
    driver.execute_query("MATCH (i:Import {id: $id}) SET i.beat = datetime()",
                         {"id": import_id}, database_=database)


def finish_import(driver: Driver, import_id: str, *, database: str, state: str,
                  counts: dict[str, int], report: dict[str, Any]) -> None:
    """Complete the record: its state, counts and report (JSON text). A replace that
    ended ``done`` (or whose files were refused: nothing more can be written from them)
    drops its kept files; one cut short keeps them and is let go, for the next load to
    finish (loaders/recovery.py)."""
    driver.execute_query(
        "MATCH (i:Import {id: $id}) "
        "WITH i, $state IN ['done', 'rejected'] AS ended "
        "SET i += $counts, i.state = $state, i.finished_at = datetime(), i.report = $report, "
        "i.pending_files = CASE WHEN ended THEN null ELSE i.pending_files END, "
        "i.released = CASE WHEN ended OR i.pending_files IS NULL THEN null ELSE true END",
        {"id": import_id, "counts": counts, "state": state,
         "report": json.dumps(report, ensure_ascii=False, default=str)}, database_=database)


# --- retirements --------------------------------------------------------------------------


@dataclass
class Retirement:
    """What replacing ``dataset`` takes out: facts stated by it alone are retired, facts
    another dataset states too only leave its list."""

    dataset: str
    #: keyed label → ids to retire / to take out of the dataset's list
    nodes_retired: dict[str, list[str]] = field(default_factory=dict)
    nodes_dropped: dict[str, list[str]] = field(default_factory=dict)
    #: (type, from label, to label) → [[from id, to id], …]
    rels_retired: dict[tuple[str, str, str], list[list[str]]] = field(default_factory=dict)
    rels_dropped: dict[tuple[str, str, str], list[list[str]]] = field(default_factory=dict)

    @property
    def elements(self) -> int:
        return sum(len(v) for v in self.nodes_retired.values())

    @property
    def connections(self) -> int:
        return sum(len(v) for v in self.rels_retired.values())

    def by_label(self) -> Counter:
        return Counter({label: len(ids) for label, ids in self.nodes_retired.items()})


def retirement_plan(driver: Driver, dataset: str, plans: list[Plan], *,
                    database: str) -> Retirement:
    """The facts of ``dataset`` alive in the graph that the new version (``plans``) does
    not state, split into those to retire and those another dataset keeps."""
    stated_nodes = {r["id"] for p in plans for rows in p.nodes.values() for r in rows}
    stated_rels = {(rel, r["from"], r["to"]) for p in plans
                   for (rel, _s, _d), rows in p.relationships.items() for r in rows}
    out = Retirement(dataset)
    records, _, _ = driver.execute_query(
        "MATCH (n) WHERE n.retired_at IS NULL AND $dataset IN n.datasets AND NOT n:Import "
        "RETURN n.id AS id, labels(n) AS labels, size(n.datasets) AS stated",
        {"dataset": dataset}, database_=database)
    for r in records:
        if r["id"] in stated_nodes:
            continue
        target = out.nodes_retired if r["stated"] == 1 else out.nodes_dropped
        target.setdefault(_keyed(r["labels"]), []).append(r["id"])
    records, _, _ = driver.execute_query(
        "MATCH (a)-[r]->(b) WHERE r.retired_at IS NULL AND $dataset IN r.datasets "
        "RETURN type(r) AS type, a.id AS a, labels(a) AS al, b.id AS b, labels(b) AS bl, "
        "size(r.datasets) AS stated", {"dataset": dataset}, database_=database)
    for r in records:
        if (r["type"], r["a"], r["b"]) in stated_rels:
            continue
        target = out.rels_retired if r["stated"] == 1 else out.rels_dropped
        key = (r["type"], _keyed(r["al"]), _keyed(r["bl"]))
        target.setdefault(key, []).append([r["a"], r["b"]])
    return out


def _keyed(labels: list[str]) -> str:
    return next(label for label in _KEYED_ORDER if label in labels)


def retire(driver: Driver, retirement: Retirement, stamp: Stamp, *, database: str,
           batch_size: int = 1000) -> None:
    """Write a retirement: ``retired_at``/``retired_by`` and a history entry on the facts
    stated by the dataset alone; the dataset taken out of the list of the others."""
    gone = entry(stamp.import_id, stamp.at, {"event": "retired", "dataset": retirement.dataset})
    dropped = entry(stamp.import_id, stamp.at,
                    {"event": "dataset_dropped", "dataset": retirement.dataset})
    params = {"at": stamp.at, "import_id": stamp.import_id, "dataset": retirement.dataset}
    retire_set = ("SET x.retired_at = $at, x.retired_by = $import_id, "
                  "x.history = coalesce(x.history, []) + $entry")
    drop_set = ("SET x.datasets = [d IN x.datasets WHERE d <> $dataset], "
                "x.history = coalesce(x.history, []) + $entry")
    for nodes, sets, note in ((retirement.nodes_retired, retire_set, gone),
                              (retirement.nodes_dropped, drop_set, dropped)):
        for label, ids in nodes.items():
            write_batches(driver, f"UNWIND $rows AS row MATCH (x:{check_label(label)} "
                                  f"{{id: row}}) WHERE x.retired_at IS NULL {sets}",
                          ids, batch_size=batch_size, database=database,
                          params={**params, "entry": note})
    for rels, sets, note in ((retirement.rels_retired, retire_set, gone),
                             (retirement.rels_dropped, drop_set, dropped)):
        for (rel, src, dst), ends in rels.items():
            write_batches(driver, f"UNWIND $rows AS row MATCH (:{check_label(src)} "
                                  f"{{id: row[0]}})-[x:{check_relationship(rel)}]->"
                                  f"(:{check_label(dst)} {{id: row[1]}}) "
                                  f"WHERE x.retired_at IS NULL {sets}",
                          ends, batch_size=batch_size, database=database,
                          params={**params, "entry": note})


@dataclass
class Undone:
    """What undoing an import's retirements gave back."""

    import_id: str
    elements: int
    connections: int
    relisted: int


def undo(driver: Driver, import_id: str, *, by: str | None = None,
         database: str = "neo4j") -> Undone:
    """Give back what import ``import_id`` retired: the facts it retired are alive again
    (a history entry says so), those it took out of its dataset's list are back in it;
    the Import record says when and by whom it was undone.

    Raises
    ------
    LookupError
        No import has this id.
    """
    records, _, _ = driver.execute_query(
        "MATCH (i:Import {id: $id}) RETURN i.dataset AS dataset", {"id": import_id},
        database_=database)
    if not records:
        raise LookupError(import_id)
    dataset = records[0]["dataset"]
    at = dt.datetime.now(dt.UTC)
    note = entry(import_id, at, {"event": "restored", "undo": True})
    prefix = entry_prefix(import_id)
    counts = {}
    for what, pattern in (("elements", "(x)"), ("connections", "()-[x]->()")):
        records, _, _ = driver.execute_query(
            f"MATCH {pattern} WHERE x.retired_by = $id "
            "SET x.retired_at = null, x.retired_by = null, "
            "x.history = coalesce(x.history, []) + $entry RETURN count(x) AS n",
            {"id": import_id, "entry": note}, database_=database)
        counts[what] = records[0]["n"]
    relisted = 0
    if dataset is not None:
        for pattern in ("(x) WHERE NOT x:Import AND", "()-[x]->() WHERE"):
            records, _, _ = driver.execute_query(
                f"MATCH {pattern} NOT $dataset IN coalesce(x.datasets, []) "
                "AND any(h IN coalesce(x.history, []) WHERE h STARTS WITH $prefix "
                "AND h CONTAINS '\"event\": \"dataset_dropped\"') "
                "SET x.datasets = coalesce(x.datasets, []) + $dataset RETURN count(x) AS n",
                {"dataset": dataset, "prefix": prefix}, database_=database)
            relisted += records[0]["n"]
    driver.execute_query(
        "MATCH (i:Import {id: $id}) SET i.undone_at = $at, i.undone_by = $by",
        {"id": import_id, "at": at, "by": by}, database_=database)
    return Undone(import_id, counts["elements"], counts["connections"], relisted)
