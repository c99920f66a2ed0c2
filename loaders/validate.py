"""Validation of imported tables: every row of every file, before anything is written.

:func:`validate_tables` turns the tables that :mod:`loaders.tabular` read into
:class:`Plan` objects — per file, the nodes and relationships to write and the errors
found — in three steps:

1. **parse** each row, column by column, with the parsers of :mod:`loaders.cells` (no
   database): an error names the file, row, column, value and reason;
2. **resolve** names and codes with a few bulk reads: organisations (alias table,
   SIREN/RNA, names already in the graph), territories, and the ``from``/``to`` of
   connections (ids or exact names, in this load or in the graph);
3. **decide** what survives: by default a file with any error is rejected whole; with
   ``skip_invalid`` only its bad rows are. A connection whose end is only defined by a
   rejected row (or file) is itself an error, until nothing changes.

A :class:`Validator` can take its tables in two calls of :meth:`Validator.validate`: the
files that define elements, then the files of connections only. The second call sees every
element of the first, so its answer is the one a single call would give, and the importer
writes the first files while the second call runs.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from neo4j import Driver
from neo4j.spatial import WGS84Point
from pydantic import BaseModel

from graph.vocabulary import (
    ELEMENT_TYPES,
    ID_PREFIXES,
    LABELS_BY_NAME,
    RELATIONSHIPS_BY_NAME,
    check_label,
    relationship_allows,
)
from loaders.cells import (
    MAX_CELL_CHARS,
    CellError,
    check_cell,
    check_name,
    parse_date,
    parse_float,
    parse_int,
    parse_kind,
    parse_list,
    parse_relationship,
    parse_rna,
    parse_roles,
    parse_siren,
    parse_type,
    parse_url,
    token,
)
from loaders.records import ElementIn, element_id
from loaders.resolve import OrganisationResolver, default_aliases
from loaders.tabular import CONNECTIONS, ELEMENTS, INVENTAIRE, Table
from loaders.territory_resolver import (
    ResolvedTerritory,
    TerritoryCellError,
    TerritoryNotes,
    TerritoryResolver,
)

TERRITORY = "Territory"
#: relationship types whose target is a territory: their `to` is a territory cell
TERRITORIAL = {name for name, spec in RELATIONSHIPS_BY_NAME.items()
               if set(spec.targets) <= {"Territory", "Commune", "Region", "Departement",
                                         "Epci", "Country"}}


class LoadError(BaseModel):
    """One problem: where (file, sheet, row, column), the value, and why."""

    file: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None
    reason: str

    @property
    def message(self) -> str:
        """One line: ``elements.csv row 7, column "type": "Besoinn" is not a known type…``."""
        where = self.file
        if self.sheet:
            where += f" [{self.sheet}]"
        if self.row is not None:
            where += f" row {self.row}"
        if self.column:
            where += f', column "{self.column}"'
        return f"{where}: {self.reason}"

    def __str__(self) -> str:
        return self.message


RowKey = tuple[str, str | None, int]


@dataclass(slots=True)
class ElementRow:
    """A node some row asks for (an inventaire row may ask for several)."""

    key: RowKey
    label: str
    name: str
    element: ElementData
    given_id: str | None
    implicit: bool = False  # a porteur/partenaire named by an inventaire row
    territory_column: str = "territory"
    id_column: str = "id"
    #: the property the ``kind`` cell fills (kind, phase, category), if any
    kind_property: str | None = None
    id: str | None = None
    territory_ids: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Endpoint:
    """One end of a connection: the text the user wrote and what it resolved to."""

    text: str
    column: str
    id: str | None = None
    label: str | None = None
    territory: bool = False
    #: the load's element, when the end is defined in this load (for the liveness check)
    entry: Entry | None = None
    #: the element row this end stands for (inventaire porteurs and items)
    row: ElementRow | None = None
    #: territory level, once resolved
    level: str | None = None


@dataclass(slots=True)
class ConnRow:
    key: RowKey
    type: str
    start: Endpoint
    end: Endpoint
    props: dict[str, Any]


@dataclass(slots=True)
class Entry:
    """An element id defined in this load, with every row that defines it."""

    id: str
    label: str
    rows: list[ElementRow] = field(default_factory=list)


@dataclass
class Plan:
    """What validation decided for one file."""

    file: str
    tables: list[Table] = field(default_factory=list)
    errors: list[LoadError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    rows_read: int = 0
    rejected: bool = False
    #: (label, roles) → rows of {"id", "props", "create", "aliases"}
    nodes: dict[tuple[str, tuple[str, ...]], list[dict]] = field(default_factory=dict)
    #: (type, from label, to label) → rows of {"from", "to", "source", "role", "date"…}
    relationships: dict[tuple[str, str, str], list[dict]] = field(default_factory=dict)
    rejected_rows: dict[RowKey, list[LoadError]] = field(default_factory=dict)

    @property
    def element_count(self) -> int:
        return sum(len(rows) for rows in self.nodes.values())

    @property
    def connection_count(self) -> int:
        return sum(len(rows) for rows in self.relationships.values())


class _Errors:
    """Collects errors and remembers which rows they condemn."""

    def __init__(self) -> None:
        self.by_file: dict[str, list[LoadError]] = defaultdict(list)
        self.bad_rows: dict[RowKey, list[LoadError]] = defaultdict(list)
        self.file_level: set[str] = set()

    def add(self, key: RowKey, column: str | None, value: Any, reason: str) -> None:
        file, sheet, row = key
        err = LoadError(file=file, sheet=sheet, row=row if row > 0 else None, column=column,
                        value=None if value is None else _short(str(value)), reason=reason)
        self.by_file[file].append(err)
        if row > 0:
            self.bad_rows[key].append(err)
        else:
            self.file_level.add(file)

    def add_file(self, file: str, reason: str, row: int | None = None,
                 column: str | None = None, sheet: str | None = None) -> None:
        self.by_file[file].append(LoadError(file=file, sheet=sheet, row=row, column=column,
                                            reason=reason))
        self.file_level.add(file)


def _short(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[:limit] + f"… ({len(text):,} characters)"


# --------------------------------------------------------------------------- parsing


#: a line of the joined cells of a row that starts like a formula (``=``, ``@``, ``+``, ``-``)
_SUSPECT = re.compile(r"^[=@+\-]", re.MULTILINE)


def _field_layout(table: Table) -> tuple[tuple[str, ...], Callable[[list[str]], Any], int]:
    """The table's mapped fields, a getter of their cells, and the width it needs (cached)."""
    layout = table.__dict__.get("_layout")
    if layout is None:
        idx = tuple(table.fields)
        getter = (itemgetter(*idx) if len(idx) > 1 else
                  (lambda cells: tuple(cells[i] for i in idx)))
        layout = table.__dict__["_layout"] = (tuple(table.fields.values()), getter,
                                              max(idx, default=-1) + 1)
    return layout


class _RowReader:
    """Reads the cells of one row by field name, recording an error per bad cell."""

    __slots__ = ("table", "row", "cells", "errors", "key", "ok", "failed", "values")

    def __init__(self, table: Table, row: int, cells: list[str], errors: _Errors):
        self.table, self.row, self.cells, self.errors = table, row, cells, errors
        self.key: RowKey = (table.file, table.sheet, row)
        self.ok = True
        self.failed: set[str] = set()
        fields, getter, width = _field_layout(table)
        raw = (getter(cells) if len(cells) >= width
               else [cells[i] if i < len(cells) else "" for i in table.fields])
        texts = [c.strip() for c in raw]
        self.values: dict[str, str] = dict(zip(fields, texts, strict=True))
        # Fast path, decided for the whole row in C: no cell is huge and no line of the
        # joined cells starts like a formula. Otherwise every cell is checked on its own
        # (a match inside a multi-line cell only costs that exact check).
        if max(map(len, raw), default=0) > MAX_CELL_CHARS or _SUSPECT.search("\n".join(texts)):
            for f, cell in zip(fields, raw, strict=True):
                try:
                    check_cell(cell)
                except CellError as exc:
                    self.fail(f, cell, exc.reason)
                    self.values[f] = ""

    def get(self, f: str) -> str:
        return self.values.get(f, "")

    def fail(self, f: str, value: Any, reason: str) -> None:
        self.ok = False
        if f in self.failed:
            return  # one error per cell
        self.failed.add(f)
        self.errors.add(self.key, self.table.column_of(f), value, reason)

    def parse(self, f: str, fn: Callable[..., Any], *args: Any) -> Any:
        """``fn(cell, *args)``, or None for an empty (or already faulty) cell."""
        text = self.values.get(f)
        if not text or f in self.failed:
            return None
        try:
            return fn(text, *args)
        except CellError as exc:
            self.fail(f, text, exc.reason)
            return None


def parse_kind_cell(text: str, label: str, phase: str | None, type_kind: str | None):
    return parse_kind(label, text, phase, type_kind)


@dataclass(slots=True)
class ElementData:
    """The fields of :class:`loaders.records.ElementIn`, already validated cell by cell.

    A plain record: building 100,000 pydantic models would cost more than the writes.
    """

    label: str
    id: str | None
    name: str
    kind: str | None
    roles: list[str]
    territory: list[str]
    lat: float | None
    lon: float | None
    description: str | None
    url: str | None
    tags: list[str]
    start: Any
    end: Any
    source: str | None
    siren: str | None
    rna: str | None
    aliases: list[str]
    count: int | None
    audience: list[str]

    def model(self) -> ElementIn:
        """The same element as a (re-validated) pydantic model."""
        return ElementIn.model_validate({f: getattr(self, f) for f in self.__slots__})


def _parse_element(r: _RowReader) -> ElementRow | None:
    label = role = phase = type_kind = None
    type_text = r.get("type")
    if not type_text:
        r.fail("type", "", "a type is required (Organisation, Programme, Need…)")
    else:
        try:
            label, role, phase, type_kind = parse_type(type_text)
        except CellError as exc:
            r.fail("type", type_text, exc.reason)
    name = r.parse("name", check_name)
    if name is None and "name" not in r.failed:
        r.fail("name", "", "a name is required")
    if label is None or name is None:
        return None
    if label == "Person":
        # a person's public role (DESIGN.md) is free text, in `kind` or `roles`
        text = " ".join((r.get("kind") or r.get("roles")).split())
        kind = ("role", text) if text else None
        r.values["roles"] = ""
    else:
        kind = (r.parse("kind", parse_kind_cell, label, phase, type_kind) if r.get("kind")
                else parse_kind(label, "", phase, type_kind))
    roles = r.parse("roles", parse_roles) or []
    if role:
        roles = sorted({*roles, role})
    if roles and label != "Organisation":
        r.fail("roles", r.get("roles"), f"only organisations take roles; a {label} has none")
    lat = r.parse("lat", parse_float, -90, 90, "latitude")
    lon = r.parse("lon", parse_float, -180, 180, "longitude")
    if (lat is None) != (lon is None) and r.ok:
        r.fail("lat" if lat is None else "lon", "", "give both lat and lon, or neither")
    if lat is not None and label != "Organisation":
        r.fail("lat", r.get("lat"), "only organisations have a location (lat, lon)")
    start = r.parse("start", parse_date)
    end = r.parse("end", parse_date)
    if start and end and start > end:
        r.fail("end", r.get("end"), f"the end ({end}) is before the start ({start})")
    territory = parse_list(r.get("territory"))
    if territory and label not in ("Organisation", "Programme", "Need"):
        r.fail("territory", r.get("territory"),
               "only organisations, programmes and needs take a territory")
    siren = r.parse("siren", parse_siren)
    rna = r.parse("rna", parse_rna)
    if (siren or rna) and label != "Organisation":
        r.fail("siren" if siren else "rna", siren or rna,
               "only organisations have a SIREN or RNA number")
    given_id = r.get("id") or None
    if given_id is not None:
        given_id = " ".join(given_id.split())
        if any(c in given_id for c in "<>\"'`{}") or len(given_id) > 200:
            r.fail("id", given_id, "an id is a short slug (letters, digits, - _ : .)")
    values = {
        "label": label, "id": given_id, "name": name, "roles": roles,
        "kind": kind[1] if kind else None, "territory": territory, "lat": lat, "lon": lon,
        "description": r.get("description") or None, "url": r.parse("url", parse_url),
        "tags": parse_list(r.get("tags")), "start": start, "end": end,
        "source": r.get("source") or None, "siren": siren, "rna": rna,
        "aliases": [a for a in parse_list(r.get("aliases")) if a],
        "count": r.parse("count", parse_int), "audience": parse_list(r.get("audience")),
    }
    if not r.ok:
        return None
    element = ElementData(**values)
    return ElementRow(r.key, label, name, element, given_id,
                      territory_column=r.table.column_of("territory"),
                      id_column=r.table.column_of("id"),
                      kind_property=kind[0] if kind else None)


def _parse_connection(r: _RowReader) -> ConnRow | None:
    values = r.values  # most cells of a connection are empty: test them before parsing
    rel = r.parse("type", parse_relationship) if values.get("type") else None
    if not values.get("type"):
        r.fail("type", "", "a connection type is required (CARRIES, FUNDS, finance…)")
    ends = []
    for f in ("from", "to"):
        text = " ".join(values.get(f, "").split())
        if not text:
            r.fail(f, "", f'the "{f}" end of the connection is empty')
        ends.append(text)
    date = r.parse("date", parse_date) if values.get("date") else None
    start = r.parse("start", parse_date) if values.get("start") else None
    end = r.parse("end", parse_date) if values.get("end") else None
    if start and end and start > end:
        r.fail("end", r.get("end"), f"the end ({end}) is before the start ({start})")
    if not r.ok or rel is None:
        return None
    props = {"role": values.get("role") or None, "date": date, "start": start, "end": end,
             "source": values.get("source") or None}
    territorial = rel in TERRITORIAL
    return ConnRow(
        r.key, rel,
        Endpoint(ends[0], r.table.column_of("from")),
        Endpoint(ends[1], r.table.column_of("to"), territory=territorial),
        {k: v for k, v in props.items() if v is not None},
    )


def _parse_inventaire(r: _RowReader, elements: list[ElementRow], conns: list[ConnRow]) -> None:
    label = phase = None
    type_text = r.get("type")
    try:
        if type_text:
            label, _, phase, _ = parse_type(type_text)
    except CellError as exc:
        r.fail("type", type_text, exc.reason)
    if not type_text:
        r.fail("type", "", "a type is required (Besoin, Programme d'urgence, Programme de "
               "relance)")
    elif label is not None and label not in ("Programme", "Need"):
        r.fail("type", type_text, "an inventaire row is a need (Besoin) or a programme "
               "(Programme d'urgence, Programme de relance)")
    name = r.parse("name", check_name)
    if name is None and "name" not in r.failed:
        r.fail("name", "", "a title (titre) is required")
    date = r.parse("date", parse_date)
    url = r.parse("url", parse_url)
    tags = parse_list(r.get("tags"))
    people = {}
    for f in ("porteur", "partners"):
        names = []
        for item in parse_list(r.get(f)):
            try:
                names.append(check_name(item))
            except CellError as exc:
                r.fail(f, item, exc.reason)
        people[f] = names
    if not r.ok or label not in ("Programme", "Need") or name is None:
        return
    kind = ("phase", phase) if label == "Programme" and phase else (
        ("category", tags[0]) if label == "Need" and tags else None)
    element = ElementData(
        label=label, id=r.get("id") or None, name=name, kind=kind[1] if kind else None,
        roles=[], territory=parse_list(r.get("territory")), lat=None, lon=None,
        description=r.get("description") or None, url=url, tags=tags, start=date, end=None,
        source=r.get("source") or None, siren=None, rna=None, aliases=[], count=None,
        audience=parse_list(r.get("audience")))
    item = ElementRow(r.key, label, name, element, r.get("id") or None,
                      territory_column=r.table.column_of("territory"),
                      kind_property=kind[0] if kind else None)
    elements.append(item)
    rel = "CARRIES" if label == "Programme" else "EXPRESSES"
    for f, role in (("porteur", "porteur"), ("partners", "partenaire")):
        column = r.table.column_of(f)
        for org_name in people[f]:
            org = ElementData(
                label="Organisation", id=None, name=org_name, kind=None, roles=[],
                territory=[], lat=None, lon=None, description=None, url=None, tags=[],
                start=None, end=None, source=r.get("source") or None, siren=None, rna=None,
                aliases=[], count=None, audience=[])
            org_row = ElementRow(r.key, "Organisation", org_name, org, None, implicit=True)
            elements.append(org_row)
            conns.append(ConnRow(r.key, rel, Endpoint(org_name, column, row=org_row),
                                 Endpoint(name, r.table.column_of("name"), row=item),
                                 {"role": role, "source": r.get("source") or None}))
    if label == "Programme":
        for need in parse_list(r.get("needs")):
            conns.append(ConnRow(r.key, "ADDRESSES",
                                 Endpoint(name, r.table.column_of("name"), row=item),
                                 Endpoint(need, r.table.column_of("needs")),
                                 {"source": r.get("source") or None}))
    for c in conns:
        c.props = {k: v for k, v in c.props.items() if v is not None}


# --------------------------------------------------------------------------- resolving


class Validator:
    """Validates a set of tables together (a pair of CSVs may reference each other)."""

    def __init__(self, driver: Driver | None, database: str = "neo4j",
                 skip_invalid: bool = False):
        self.driver = driver
        self.database = database
        self.skip_invalid = skip_invalid
        self.errors = _Errors()
        self.elements: list[ElementRow] = []
        self.conns: list[ConnRow] = []
        self.entries: dict[str, Entry] = {}
        self.names: dict[str, list[Entry]] = defaultdict(list)
        self.orgs = OrganisationResolver(aliases=default_aliases())
        self.territories = TerritoryResolver(driver, database) if driver else None
        self.territory_notes = TerritoryNotes()
        self.plans: dict[str, Plan] = {}
        # where the current call of validate() starts in the lists above
        self._first_element = 0
        self._first_conn = 0
        self._checked_ids: set[str] = set()

    def validate(self, tables: list[Table], files: set[str] | None = None) -> dict[str, Plan]:
        """Parse, resolve and decide ``tables``; the plans of their files (and ``files``).

        May be called again with more tables, as long as they define no element an earlier
        call's connections could name (the importer passes connection-only files second):
        the later call resolves its connections against every element defined so far.
        """
        self._first_element, self._first_conn = len(self.elements), len(self.conns)
        files = {t.file for t in tables} | set(files or ())
        for file in files:
            self.plans.setdefault(file, Plan(file))
        self.parse(tables)
        self.resolve()
        self.decide(files)
        return {f: self.plans[f] for f in files}

    # ---- step 1
    def parse(self, tables: list[Table]) -> None:
        # element tables first: connection tables may name their elements
        order = {ELEMENTS: 0, INVENTAIRE: 1, CONNECTIONS: 2}
        for table in sorted(tables, key=lambda t: order[t.kind]):
            plan = self.plans.setdefault(table.file, Plan(table.file))
            plan.tables.append(table)
            plan.warnings.extend(table.warnings)
            plan.rows_read += len(table.rows)
            for row, cells in table.rows:
                r = _RowReader(table, row, cells, self.errors)
                if table.kind == ELEMENTS:
                    el = _parse_element(r)
                    if el is not None:
                        self.elements.append(el)
                elif table.kind == CONNECTIONS:
                    conn = _parse_connection(r)
                    if conn is not None:
                        self.conns.append(conn)
                else:
                    _parse_inventaire(r, self.elements, self.conns)

    def file_error(self, file: str, reason: str, row: int | None = None,
                   column: str | None = None) -> None:
        self.plans.setdefault(file, Plan(file))
        self.errors.add_file(file, reason, row, column)

    # ---- step 2
    def resolve(self) -> None:
        self._assign_ids()
        self._check_ids_against_graph()
        self._territories()
        self._endpoints()
        for file, warnings in self.territory_notes.drain().items():
            self.plans.setdefault(file, Plan(file)).warnings.extend(warnings)

    def _new_elements(self) -> list[ElementRow]:
        return self.elements[self._first_element:]

    def _new_conns(self) -> list[ConnRow]:
        return self.conns[self._first_conn:]

    def _assign_ids(self) -> None:
        # rows with an explicit id first: later rows naming them join them, and a load
        # with ids everywhere (a generated one) needs no name lookup in the graph at all
        derived = []
        for e in self._new_elements():
            if e.given_id:
                e.id = e.given_id
                if e.label == "Organisation":
                    self.orgs.remember(e.id, e.name, e.element.siren, e.element.rna)
                self._register(e)
            else:
                derived.append(e)
        if self.driver is not None:
            orgs = [e for e in derived if e.label == "Organisation"]
            refs = [end.text for c in self._new_conns() for end in (c.start, c.end)
                    if end.row is None and not end.territory and end.text not in self.entries]
            if orgs or refs:
                self.orgs.prefetch(self.driver, [e.name for e in orgs] + refs,
                                   [e.element.siren for e in orgs if e.element.siren],
                                   [e.element.rna for e in orgs if e.element.rna],
                                   self.database)
        for e in derived:
            if e.label == "Organisation":
                e.id = self.orgs.resolve(e.name, e.element.siren, e.element.rna)
            else:
                e.id = element_id(e.label, e.name)
            self._register(e)

    def _register(self, e: ElementRow) -> None:
        entry = self.entries.get(e.id)
        if entry is None:
            entry = self.entries[e.id] = Entry(e.id, e.label)
        elif entry.label != e.label:
            first = entry.rows[0].key if entry.rows else None
            where = f"row {first[2]}" if first and first[0] == e.key[0] else (
                f"{first[0]} row {first[2]}" if first else "another row")
            self.errors.add(e.key, e.id_column, e.id, f'duplicate id "{e.id}" with conflicting '
                            f"types: {entry.label} on {where}, {e.label} here")
            return
        entry.rows.append(e)
        same_name = self.names[token(e.name)]
        if entry not in same_name:
            same_name.append(entry)

    def _check_ids_against_graph(self) -> None:
        """An explicit id already used by a node of another label is a conflict."""
        if self.driver is None:
            return
        odd = [e for e in self.entries.values() if e.id not in self._checked_ids
               and not e.id.startswith(ID_PREFIXES[e.label] + ":")]
        self._checked_ids.update(e.id for e in odd)
        if not odd:
            return
        ids = sorted(e.id for e in odd)
        found = self._graph_ids(ids)
        for entry in odd:
            other = found.get(entry.id)
            if other and other != entry.label:
                for e in entry.rows:
                    self.errors.add(e.key, e.id_column, e.id, f'id "{e.id}" already belongs to a '
                                    f"{other} in the graph; this row says {entry.label}")

    def _graph_ids(self, ids: list[str]) -> dict[str, str]:
        labels = [*ELEMENT_TYPES, TERRITORY]

        def work(tx):
            out = {}
            for label in labels:
                q = (f"MATCH (n:{check_label(label)}) WHERE n.id IN $ids "
                     "RETURN n.id AS id")
                for rec in tx.run(q, ids=ids):
                    out.setdefault(rec["id"], label)
            return out

        with self.driver.session(database=self.database) as session:
            return session.execute_read(work)

    def _graph_names(self, keys: list[str]) -> dict[str, list[tuple[str, str]]]:
        def work(tx):
            out: dict[str, list[tuple[str, str]]] = defaultdict(list)
            for label in ELEMENT_TYPES:
                q = (f"MATCH (n:{check_label(label)}) WHERE n.name_key IN $keys "
                     "RETURN n.id AS id, n.name_key AS key")
                for rec in tx.run(q, keys=keys):
                    out[rec["key"]].append((rec["id"], label))
            return out

        with self.driver.session(database=self.database) as session:
            return session.execute_read(work)

    def _territories(self) -> None:
        elements, conns = self._new_elements(), self._new_conns()
        cells = {c for e in elements for c in e.element.territory}
        cells |= {c.end.text for c in conns if c.end.territory}
        if self.territories is not None and cells:
            self.territories.prefetch(cells)
        for e in elements:
            for cell in e.element.territory:
                if self.territories is None:
                    continue
                ref = self._territory(e.key, e.territory_column, cell)
                if ref is None:
                    continue
                e.territory_ids.append(ref.id)
                if e.label == "Need":
                    continue  # stored as a property: the model has no need→territory link
                rel = ("COVERS" if e.label == "Programme" else
                       "LOCATED_IN" if ref.level == "commune" else "ACTIVE_IN")
                start = Endpoint(e.name, e.territory_column, id=e.id, label=e.label,
                                 entry=self.entries.get(e.id or ""))
                end = Endpoint(cell, e.territory_column, id=ref.id, label=TERRITORY,
                               territory=True, level=ref.level)
                source = e.element.source
                self.conns.append(ConnRow(e.key, rel, start, end,
                                          {"source": source} if source else {}))

    def _endpoints(self) -> None:
        pending: list[Endpoint] = []
        conns = self._new_conns()  # with the territory links _territories just added
        for c in conns:
            for end in (c.start, c.end):
                if end.id is not None:
                    continue
                row = end.row
                if row is not None and row.id is not None:
                    end.id, end.label, end.entry = row.id, row.label, self.entries.get(row.id)
                elif end.territory:
                    continue
                elif not self._resolve_in_load(c, end):
                    pending.append(end)
        graph_ids: dict[str, str] = {}
        graph_names: dict[str, list[tuple[str, str]]] = {}
        if pending and self.driver is not None:
            texts = sorted({e.text for e in pending})
            graph_ids = self._graph_ids(texts)
            graph_names = self._graph_names(sorted({token(t) for t in texts}))
        for c in conns:
            for end in (c.start, c.end):
                if end.id is None and not end.territory:
                    self._resolve_in_graph(c, end, graph_ids, graph_names)
            if c.end.territory and c.end.id is None:
                self._resolve_territory(c)
            if c.start.id is None or c.end.id is None:
                continue
            self._check_labels(c)

    def _resolve_in_load(self, c: ConnRow, end: Endpoint) -> bool:
        entry = self.entries.get(end.text)
        if entry is None:
            candidates = self.names.get(token(end.text), [])
            org_id = self.orgs.lookup(end.text)
            if org_id and org_id in self.entries and self.entries[org_id] not in candidates:
                candidates = [*candidates, self.entries[org_id]]
            if len(candidates) > 1:
                allowed = _allowed(c, end)
                fitting = [x for x in candidates if _label_set(x.label) & allowed]
                candidates = fitting or candidates
            if len(candidates) > 1:
                shown = ", ".join(f"{x.id} ({x.label})" for x in candidates[:5])
                self.errors.add(c.key, end.column, end.text,
                                f'"{end.text}" names several elements ({shown}): use the id')
                end.id = ""
                return True
            entry = candidates[0] if candidates else None
        if entry is None:
            return False
        end.id, end.label, end.entry = entry.id, entry.label, entry
        return True

    def _resolve_in_graph(self, c: ConnRow, end: Endpoint, graph_ids: dict[str, str],
                          graph_names: dict[str, list[tuple[str, str]]]) -> None:
        if end.text in graph_ids:
            end.id, end.label = end.text, graph_ids[end.text]
            return
        found = {x for x in graph_names.get(token(end.text), [])}
        org_id = self.orgs.lookup(end.text)
        if org_id:
            found.add((org_id, "Organisation"))
        if len(found) > 1:
            allowed = _allowed(c, end)
            found = {x for x in found if _label_set(x[1]) & allowed} or found
        if len(found) == 1:
            end.id, end.label = next(iter(found))
            return
        if len(found) > 1:
            shown = ", ".join(f"{i} ({lab})" for i, lab in sorted(found)[:5])
            self.errors.add(c.key, end.column, end.text,
                            f'"{end.text}" names several elements ({shown}): use the id')
            return
        self.errors.add(c.key, end.column, end.text,
                        f'"{end.text}" is not an element of this file nor of the graph '
                        "(no such id or name)")

    def _territory(self, key: RowKey, column: str, cell: str) -> ResolvedTerritory | None:
        """The territory of a cell, its other readings and notices noted for the report;
        None (and a row error) when the cell is refused."""
        try:
            ref = self.territories.resolve(cell)
        except TerritoryCellError as exc:
            self.errors.add(key, column, cell, str(exc))
            return None
        if ref is not None:
            file, sheet, row = key
            self.territory_notes.note(file, sheet, row, column, cell,
                                      self.territories.reading(cell))
        return ref

    def _resolve_territory(self, c: ConnRow) -> None:
        if self.territories is None:
            return
        ref = self._territory(c.key, c.end.column, c.end.text)
        if ref is None:
            return
        c.end.id, c.end.label = ref.id, TERRITORY
        c.end.level = ref.level

    def _check_labels(self, c: ConnRow) -> None:
        if not c.start.id or not c.end.id:
            return
        if c.start.id == c.end.id:
            self.errors.add(c.key, c.end.column, c.end.text,
                            f'a connection cannot join "{c.start.id}" to itself')
            c.start.id = None
            return
        src = _label_set(c.start.label)
        dst = _label_set(c.end.label, c.end.level)
        if not relationship_allows(c.type, src, dst):
            spec = RELATIONSHIPS_BY_NAME[c.type]
            self.errors.add(
                c.key, c.start.column, f"{c.start.text} → {c.end.text}",
                f"{c.type} cannot join a {c.start.label} to a {c.end.label} (it joins "
                f"{'/'.join(spec.sources)} → {'/'.join(spec.targets)})")
            c.start.id = None
            return
        if RELATIONSHIPS_BY_NAME[c.type].symmetric and c.start.id > c.end.id:
            c.start, c.end = c.end, c.start  # stored once, in id order

    # ---- step 3
    def decide(self, files: set[str] | None = None) -> dict[str, Plan]:
        """Reject what must be, then group what survives into write batches.

        ``files``: the files to decide (None: all); the rows of this call only.
        """
        conns = self._new_conns()
        # without a single error every row lives: the liveness pass would change nothing
        while any(self.errors.by_file.values()):
            changed = False
            for c in conns:
                if not self._row_alive(c.key):
                    continue
                for end in (c.start, c.end):
                    entry = end.entry
                    if entry is None:
                        continue
                    if not any(self._row_alive(r.key) for r in entry.rows):
                        first = entry.rows[0].key
                        self.errors.add(c.key, end.column, end.text,
                                        f'"{end.text}" is defined by {first[0]} row {first[2]}, '
                                        "which was rejected")
                        changed = True
                        break
            if not changed:
                break
        for file, plan in self.plans.items():
            if files is not None and file not in files:
                continue
            plan.errors = self.errors.by_file.get(file, [])
            plan.rejected = bool(plan.errors) and (
                not self.skip_invalid or file in self.errors.file_level)
            plan.rejected_rows = {k: v for k, v in self.errors.bad_rows.items() if k[0] == file}
        self._group()
        return self.plans

    def _row_alive(self, key: RowKey) -> bool:
        file = key[0]
        if file in self.errors.file_level:
            return False
        if not self.skip_invalid:
            return not self.errors.by_file.get(file)
        return key not in self.errors.bad_rows

    def _group(self) -> None:
        merged: dict[tuple[str, str], dict] = {}
        clean = not any(self.errors.by_file.values())  # every row lives
        for e in self._new_elements():
            if e.id is None or not (clean or self._row_alive(e.key)):
                continue
            if self.entries.get(e.id) is None or self.entries[e.id].label != e.label:
                continue
            file = e.key[0]
            node = merged.get((file, e.id))
            fresh = _node_row(e)
            if node is None:
                merged[(file, e.id)] = fresh
            else:
                _merge_node(node, fresh)
        for (file, _), node in merged.items():
            key = (node.pop("label"), tuple(node.pop("roles")))
            self.plans[file].nodes.setdefault(key, []).append(node)
        seen: set[tuple] = set()
        for c in self._new_conns():
            if not c.start.id or not c.end.id or not (clean or self._row_alive(c.key)):
                continue
            file = c.key[0]
            sig = (file, c.type, c.start.id, c.end.id)
            if sig in seen:
                continue
            seen.add(sig)
            start_label = _primary(c.start.label)
            end_label = _primary(c.end.label)
            self.plans[file].relationships.setdefault((c.type, start_label, end_label), []).append(
                {"from": c.start.id, "to": c.end.id, "origin": file, **c.props})


def _label_set(label: str | None, level: str | None = None) -> set[str]:
    if label is None:
        return set()
    labels = {label}
    spec = LABELS_BY_NAME.get(label)
    if spec:
        labels.update(spec.parents)
    if label == TERRITORY and level:
        labels.add({"country": "Country", "region": "Region", "departement": "Departement",
                    "epci": "Epci", "commune": "Commune"}.get(level, TERRITORY))
    return labels


def _allowed(c: ConnRow, end: Endpoint) -> set[str]:
    """The labels the vocabulary allows at this end of the connection."""
    spec = RELATIONSHIPS_BY_NAME[c.type]
    if spec.symmetric:
        return {*spec.sources, *spec.targets}
    return set(spec.sources if end is c.start else spec.targets)


def _primary(label: str | None) -> str:
    return TERRITORY if label in (None, TERRITORY) else label


def _node_row(e: ElementRow) -> dict:
    """The parameters of one node MERGE: always-set props, on-create props, aliases."""
    el = e.element
    props: dict[str, Any] = {}
    create: dict[str, Any] = {}
    naming = props if e.given_id else create
    canonical = e.name
    if e.label == "Organisation":
        canonical = default_aliases().canonical_name(e.name)
    # Spellings to keep for search. The row's own spelling matters when the node may bear
    # another name: an alias-table variant ("CDC"), or a node found by SIREN or in the graph
    # (its id is not the one this name derives). The query drops the node's own name.
    derived = not e.given_id and e.id == element_id(e.label, canonical)
    aliases = [a for a in (e.name, *el.aliases)
               if a != canonical or not (derived or e.given_id)]
    aliases = list(dict.fromkeys(aliases))
    naming["name"] = canonical
    naming["name_key"] = token(canonical)
    if e.kind_property and el.kind:
        props[e.kind_property] = el.kind
    for key in ("description", "url", "start", "end", "siren", "rna", "count"):
        value = getattr(el, key)
        if value is not None:
            props[key] = value
    if el.tags:
        props["tags"] = el.tags
    if el.audience:
        props["audience"] = el.audience
    if el.lat is not None and el.lon is not None:
        props["location"] = WGS84Point((el.lon, el.lat))
        # an explicit lat/lon wins: drop the mark of a location copied from the commune
        props["location_from"] = None
    if e.label == "Need" and e.territory_ids:
        props["territories"] = e.territory_ids
    if el.source:
        props["source"] = el.source
    else:
        create["source"] = e.key[0]
    return {"label": e.label, "roles": list(el.roles), "id": e.id, "props": props,
            "create": create, "aliases": aliases}


def _merge_node(node: dict, other: dict) -> None:
    """Two rows of one file define one node: first non-empty value wins, lists join."""
    for part in ("props", "create"):
        for k, v in other[part].items():
            node[part].setdefault(k, v)
    if "name" in node["props"]:
        node["create"].pop("name", None)
        node["create"].pop("name_key", None)
    node["roles"] = sorted(set(node["roles"]) | set(other["roles"]))
    other_name = other["props"].get("name") or other["create"].get("name")
    own_name = node["props"].get("name") or node["create"].get("name")
    for a in [*other["aliases"], other_name]:
        if a and a != own_name and a not in node["aliases"]:
            node["aliases"].append(a)


def validate_tables(driver: Driver | None, tables: list[Table], *, database: str = "neo4j",
                    skip_invalid: bool = False,
                    file_errors: list[LoadError] | None = None) -> dict[str, Plan]:
    """Validate every row of every table; return one :class:`Plan` per file.

    Parameters
    ----------
    driver
        Used for a few bulk *reads* (organisations, territories, ids and names already in
        the graph); ``None`` validates offline (territories and graph names unresolved).
    file_errors
        Errors met while reading (undecodable bytes, empty file…): their files are rejected.
    """
    v = Validator(driver, database, skip_invalid)
    for err in file_errors or []:
        v.file_error(err.file, err.reason, err.row, err.column)
    return v.validate(tables, set(v.plans))

