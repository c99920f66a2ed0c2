"""What a load changes, fact by fact, and the stamp its writes carry.

Before a file is written, :func:`diff_plan` reads from the graph the facts the file
states (its nodes by id, its relationships by type and ends) and sorts each into
*created* (absent, or retired and back), *updated* (some property the file sets has
another value: the old values go into the fact's ``history``) or *unchanged*. The
writes then carry a :class:`Stamp` — the import's id and time and the file's dataset —
and set the bookkeeping of graph/bookkeeping.py: ``first_seen``, ``last_changed``,
``import_id``, ``datasets``, ``history``, ``retired_at`` cleared.

A dry run reads the same diff and writes nothing, so « +12 organisations, 5 éléments
modifiés (nom, territoire) » is what the real load will do.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from neo4j import Driver
from neo4j.spatial import Point

from graph.vocabulary import check_label, check_relationship
from loaders.write_plan import Plan

#: ids (or relationship ends) read from the graph per query
READ_BATCH = 5000


@dataclass(frozen=True)
class Stamp:
    """What every write of one import carries: who wrote the fact, when, for which dataset.

    ``dataset`` is the dataset of the file being written (one import may load files of
    several datasets when none is named: each file's stem).
    """

    import_id: str
    at: dt.datetime
    dataset: str

    @classmethod
    def new(cls, dataset: str, at: dt.datetime | None = None) -> Stamp:
        """A stamp for a new import now (UTC)."""
        at = at or dt.datetime.now(dt.UTC)
        return cls(new_import_id(at), at, dataset)

    def for_dataset(self, dataset: str) -> Stamp:
        return Stamp(self.import_id, self.at, dataset)

    def params(self) -> dict[str, Any]:
        """The ``$at``, ``$import_id`` and ``$dataset`` of the write queries."""
        return {"at": self.at, "import_id": self.import_id, "dataset": self.dataset}


def dataset_of(file: str) -> str:
    """The dataset a file belongs to when none is named: its name without the extension
    (``inventaire-2026.xlsx`` → ``inventaire-2026``).

    >>> dataset_of("inventaire-2026.xlsx"), dataset_of("connections.csv (2)")
    ('inventaire-2026', 'connections')
    """
    name = file.rsplit(" (", 1)[0] if file.endswith(")") else file
    return name.rsplit(".", 1)[0] if "." in name else name


def new_import_id(at: dt.datetime) -> str:
    """``imp-20261203-061502-3fa9``: sortable by time, unique with its random tail.

    >>> new_import_id(dt.datetime(2026, 12, 3, 6, 15, 2, tzinfo=dt.UTC))[:20]
    'imp-20261203-061502-'
    """
    return f"imp-{at.astimezone(dt.UTC):%Y%m%d-%H%M%S}-{secrets.token_hex(2)}"


# --- the diff -----------------------------------------------------------------------------


@dataclass
class PlanDiff:
    """What writing one plan changes: counts, and per label and per field."""

    elements_created: int = 0
    elements_updated: int = 0
    elements_unchanged: int = 0
    connections_created: int = 0
    connections_updated: int = 0
    connections_unchanged: int = 0
    #: label → elements created (``Organisation`` → 12)
    created_by_label: Counter = field(default_factory=Counter)
    #: property (or ``territory``) → elements or connections where it changed
    fields_changed: Counter = field(default_factory=Counter)


#: properties derived from others for the indexes (``name_key`` from ``name``): not
#: changes of their own
DERIVED = frozenset({"name_key", "aliases_text"})

#: the property an organisation's LOCATED_IN stands for in a fiche's history
TERRITORY_FIELD = "territory"


def diff_plan(driver: Driver, plan: Plan, stamp: Stamp, *, database: str) -> PlanDiff:
    """Compare a plan with the graph; mark each row for the writes and count.

    Each node row gets ``changed`` (its properties differ, or it is new) and ``history``
    (a JSON entry of the old values, or None); each relationship row the same. An
    organisation given a LOCATED_IN it did not have, while it had another, changes its
    ``territory``.
    """
    diff = PlanDiff()
    if plan.rejected:
        return diff
    nodes: dict[str, dict] = {}
    for (label, _roles), rows in plan.nodes.items():
        keys = sorted({k for r in rows for k in r["props"]} - DERIVED)
        current = _current_nodes(driver, label, [r["id"] for r in rows], keys, database)
        for row in rows:
            nodes[row["id"]] = row
            old = current.get(row["id"])
            if old is None or old.get("retired_at") is not None:
                row["changed"], row["history"] = True, (
                    None if old is None else _entry(stamp, {"event": "restored"}))
                row["state"] = "created"
                diff.elements_created += 1
                diff.created_by_label[label] += 1
                continue
            changes = {k: _plain(old.get(k)) for k, v in row["props"].items()
                       if k not in DERIVED and not same(old.get(k), v)}
            _mark(row, changes, diff, "elements", stamp)
    moved = _moves(driver, plan, nodes, database)
    for (rel, src, dst), rows in plan.relationships.items():
        current = _current_relationships(driver, rel, src, dst,
                                         [[r["from"], r["to"]] for r in rows], database)
        for row in rows:
            old = current.get((row["from"], row["to"]))
            if old is None or old.get("retired_at") is not None:
                row["changed"], row["history"] = True, (
                    None if old is None else _entry(stamp, {"event": "restored"}))
                diff.connections_created += 1
                continue
            changes = {k: _plain(old.get(k)) for k in ("source", "role", "date", "start", "end")
                       if row.get(k) is not None and not same(old.get(k), row[k])}
            _mark(row, changes, diff, "connections", stamp)
    for element_id, before in moved.items():
        row = nodes.get(element_id)
        if row is None or row.get("state") == "created":
            continue
        changes = row.get("changes") or {}
        if not changes:
            diff.elements_unchanged -= 1
            diff.elements_updated += 1
            row["state"] = "updated"
        changes[TERRITORY_FIELD] = before
        diff.fields_changed[TERRITORY_FIELD] += 1
        row["changes"], row["changed"] = changes, True
        row["history"] = _entry(stamp, {"changes": changes})
    return diff


def _mark(row: dict, changes: dict[str, Any], diff: PlanDiff, what: str,
          stamp: Stamp) -> None:
    row["state"] = "updated" if changes else "unchanged"
    row["changes"], row["changed"] = changes, bool(changes)
    row["history"] = _entry(stamp, {"changes": changes}) if changes else None
    if changes:
        setattr(diff, f"{what}_updated", getattr(diff, f"{what}_updated") + 1)
        diff.fields_changed.update(changes.keys())
    else:
        setattr(diff, f"{what}_unchanged", getattr(diff, f"{what}_unchanged") + 1)


def _moves(driver: Driver, plan: Plan, nodes: dict[str, dict],
           database: str) -> dict[str, list[str]]:
    """Organisations of the plan given a territory they were not in while they were in
    another: id → the territories they were in."""
    given: dict[str, set[str]] = {}
    for (rel, src, _dst), rows in plan.relationships.items():
        if rel == "LOCATED_IN" and src == "Organisation":
            for r in rows:
                given.setdefault(r["from"], set()).add(r["to"])
    ids = [i for i in given if i in nodes]
    if not ids:
        return {}
    out: dict[str, list[str]] = {}
    for part in _chunks(ids):
        records, _, _ = driver.execute_query(
            "UNWIND $ids AS id "
            "MATCH (o:Organisation {id: id})-[r:LOCATED_IN]->(t:Territory) "
            "WHERE r.retired_at IS NULL "
            "RETURN id, collect(t.id) AS territories", {"ids": part}, database_=database)
        for record in records:
            before = sorted(record["territories"])
            if before and not given[record["id"]] <= set(before):
                out[record["id"]] = before
    return out


def _current_nodes(driver: Driver, label: str, ids: list[str], keys: list[str],
                   database: str) -> dict[str, dict]:
    """The ``keys`` of the nodes ``ids`` and whether each is retired (``retired_at``:
    True or None). Only those: the bookkeeping times would cost the driver more to read
    than everything else (a DateTime with its zone, several per fact)."""
    out: dict[str, dict] = {}
    for part in _chunks(ids):
        records, _, _ = driver.execute_query(
            f"UNWIND $ids AS id MATCH (n:{check_label(label)} {{id: id}}) "
            "RETURN id, n.retired_at IS NOT NULL AS retired, [k IN $keys | n[k]] AS v",
            {"ids": part, "keys": keys}, database_=database)
        for r in records:
            values = dict(zip(keys, r["v"], strict=True))
            values["retired_at"] = True if r["retired"] else None
            out[r["id"]] = values
    return out


def _current_relationships(driver: Driver, rel: str, src: str, dst: str,
                           ends: list[list[str]], database: str) -> dict[tuple, dict]:
    """The fact properties of the relationships ``ends`` and whether each is retired."""
    out: dict[tuple, dict] = {}
    for part in _chunks(ends):
        records, _, _ = driver.execute_query(
            f"UNWIND $ends AS e MATCH (a:{check_label(src)} {{id: e[0]}})"
            f"-[r:{check_relationship(rel)}]->(b:{check_label(dst)} {{id: e[1]}}) "
            "RETURN e[0] AS a, e[1] AS b, r.retired_at IS NOT NULL AS retired, "
            "r {.source, .role, .date, .start, .end} AS p", {"ends": part},
            database_=database)
        for r in records:
            out[(r["a"], r["b"])] = {**r["p"], "retired_at": True if r["retired"] else None}
    return out


def _chunks(items: list) -> Iterable[list]:
    for start in range(0, len(items), READ_BATCH):
        yield items[start:start + READ_BATCH]


# --- values -------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """A property value as JSON holds it: dates as ISO text, a point as lat/lon."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Point):
        return {"lat": value[1], "lon": value[0]}
    if hasattr(value, "to_native"):
        value = value.to_native()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def same(old: Any, new: Any) -> bool:
    """Whether a stored value and the value a file gives are the same fact.

    >>> same("Lille", "Lille"), same(None, None), same(["a"], ("a",)), same(3, 3.0)
    (True, True, True, True)
    >>> same("Lille", "Roubaix"), same(None, "x")
    (False, False)
    """
    return _plain(old) == _plain(new)


def _entry(stamp: Stamp, content: dict[str, Any]) -> str:
    """One history entry as stored: JSON text that starts with the import and its time
    (``{"import": "imp-…", "at": "…", …}``: undoing an import finds its entries by that
    prefix), then what happened: ``changes`` (property → the value before) or ``event``
    (``restored``, ``retired``, ``dataset_dropped``)."""
    return entry(stamp.import_id, stamp.at, content)


def entry(import_id: str, at: dt.datetime, content: dict[str, Any]) -> str:
    """See :func:`_entry`.

    >>> entry("imp-1", dt.datetime(2026, 1, 2, tzinfo=dt.UTC), {"event": "retired"})
    '{"import": "imp-1", "at": "2026-01-02T00:00:00+00:00", "event": "retired"}'
    """
    head = json.dumps({"import": import_id, "at": at.isoformat()}, ensure_ascii=False)
    rest = json.dumps(content, ensure_ascii=False, sort_keys=True)
    return head[:-1] + (", " + rest[1:] if rest != "{}" else "}")


def entry_prefix(import_id: str) -> str:
    """The text every history entry of ``import_id`` starts with."""
    return json.dumps({"import": import_id})[:-1] + ","
