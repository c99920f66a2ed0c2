"""Row parsers: one row of an elements, connections or inventaire table → what it asks for.

Each row is read cell by cell with the parsers of :mod:`loaders.cells` (no database): a bad
cell becomes one :class:`~loaders.errors.LoadError` naming the file, row, column, value
and reason. A good row becomes an :class:`ElementRow` (a node) or a :class:`ConnRow`
(a relationship whose ends, :class:`Endpoint`, are still text); an inventaire row asks for
a need or a programme, its porteurs and partners, and the links between them.
:mod:`loaders.validate` then resolves the ends and decides what survives.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from graph.vocabulary import RELATIONSHIPS_BY_NAME
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
)
from loaders.errors import LoadErrors, RowKey
from loaders.messages import Reason, Words, label_words, reason
from loaders.records import ElementData
from loaders.tabular import CONNECTIONS, ELEMENTS, Table

TERRITORY = "Territory"
#: relationship types whose target is a territory: their `to` is a territory cell
TERRITORIAL = {name for name, spec in RELATIONSHIPS_BY_NAME.items()
               if set(spec.targets) <= {"Territory", "Commune", "Region", "Departement",
                                         "Epci", "Country"}}


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


#: the two ends of a connection, as a reason names them
_END_WORDS = {"from": Words("point de départ", "from"), "to": Words("point d'arrivée", "to")}

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

    def __init__(self, table: Table, row: int, cells: list[str], errors: LoadErrors):
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

    def fail(self, f: str, value: Any, why: Reason) -> None:
        self.ok = False
        if f in self.failed:
            return  # one error per cell
        self.failed.add(f)
        self.errors.add(self.key, self.table.column_of(f), value, why)

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


def _parse_element(r: _RowReader) -> ElementRow | None:
    label = role = phase = type_kind = None
    type_text = r.get("type")
    if not type_text:
        r.fail("type", "", reason("type_required"))
    else:
        try:
            label, role, phase, type_kind = parse_type(type_text)
        except CellError as exc:
            r.fail("type", type_text, exc.reason)
    name = r.parse("name", check_name)
    if name is None and "name" not in r.failed:
        r.fail("name", "", reason("name_required"))
    if label is None or name is None:
        return None
    if label == "Person":
        # a person's public role (docs/layout.md, graph model) is free text, in `kind` or `roles`
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
        r.fail("roles", r.get("roles"), reason("roles_not_allowed", label=label_words(label)))
    lat = r.parse("lat", parse_float, -90, 90, "latitude")
    lon = r.parse("lon", parse_float, -180, 180, "longitude")
    if (lat is None) != (lon is None) and r.ok:
        r.fail("lat" if lat is None else "lon", "", reason("lat_lon_pair"))
    if lat is not None and label != "Organisation":
        r.fail("lat", r.get("lat"), reason("location_not_allowed"))
    start = r.parse("start", parse_date)
    end = r.parse("end", parse_date)
    if start and end and start > end:
        r.fail("end", r.get("end"), reason("end_before_start", start=start, end=end))
    territory = parse_list(r.get("territory"))
    if territory and label not in ("Organisation", "Programme", "Need"):
        r.fail("territory", r.get("territory"), reason("territory_not_allowed"))
    siren = r.parse("siren", parse_siren)
    rna = r.parse("rna", parse_rna)
    if (siren or rna) and label != "Organisation":
        r.fail("siren" if siren else "rna", siren or rna, reason("siren_not_allowed"))
    given_id = r.get("id") or None
    if given_id is not None:
        given_id = " ".join(given_id.split())
        if any(c in given_id for c in "<>\"'`{}") or len(given_id) > 200:
            r.fail("id", given_id, reason("bad_id", value=given_id))
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
        r.fail("type", "", reason("relationship_required"))
    ends = []
    for f in ("from", "to"):
        text = " ".join(values.get(f, "").split())
        if not text:
            r.fail(f, "", reason("end_missing", end=_END_WORDS[f]))
        ends.append(text)
    date = r.parse("date", parse_date) if values.get("date") else None
    start = r.parse("start", parse_date) if values.get("start") else None
    end = r.parse("end", parse_date) if values.get("end") else None
    if start and end and start > end:
        r.fail("end", r.get("end"), reason("end_before_start", start=start, end=end))
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
        r.fail("type", "", reason("inventaire_type_required"))
    elif label is not None and label not in ("Programme", "Need"):
        r.fail("type", type_text, reason("inventaire_type", value=type_text))
    name = r.parse("name", check_name)
    if name is None and "name" not in r.failed:
        r.fail("name", "", reason("title_required"))
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


def parse_table(table: Table, errors: LoadErrors, elements: list[ElementRow],
                conns: list[ConnRow]) -> None:
    """Parse every row of ``table``: what it asks for goes to ``elements`` and ``conns``,
    each bad cell to ``errors``."""
    for row, cells in table.rows:
        r = _RowReader(table, row, cells, errors)
        if table.kind == ELEMENTS:
            el = _parse_element(r)
            if el is not None:
                elements.append(el)
        elif table.kind == CONNECTIONS:
            conn = _parse_connection(r)
            if conn is not None:
                conns.append(conn)
        else:
            _parse_inventaire(r, elements, conns)
