"""Interchange files of the whole graph: what ``alliance-graph load`` takes back.

``alliance-graph export DIR`` writes, in the import format of docs/import.md:

- ``elements.csv``: one row per element, with its explicit ``id`` and every property the
  importer sets (kind, roles, description, url, tags, dates, source, SIREN/RNA, aliases,
  count, audience; ``lat``/``lon`` only where the location was given, not copied from the
  commune; a need's territories in ``territory``);
- ``connections.csv``: one row per relationship leaving an element, territories named by
  id (``commune:59512``, ``FR``), with role, dates and source;
- ``territories.jsonl.gz``: the territories of the graph in the territory reference's
  format (loaders/territories.py), parents first, which ``alliance-graph load DIR`` loads
  before the CSV files.

Loaded into an empty database, they give the same facts' hash (graph/fact_hash.py) as
the graph they came from, for everything the importer can write. What the format cannot
carry (a property no column holds, a list item containing ``;``, ``,``, ``|`` or a line
break, a node of a label the vocabulary does not know) is counted in ``warnings``.

CSV as Excel opens it in French: ``;`` between cells, UTF-8 with a byte-order mark, lists
joined by ``; ``, numbers with a decimal comma written exactly (every digit of the
double). Values are written as they are, with no apostrophe before a leading ``-`` or
``=``: the importer refused such cells, so none came from a load, and one would change the
value read back. Rows come in the database's order; the files are streamed, a fetch at a
time.
"""

from __future__ import annotations

import csv
import gzip
import json
import os
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from neo4j import Driver
from neo4j.spatial import WGS84Point

from graph.bookkeeping import is_bookkeeping
from graph.vocabulary import ELEMENT_TYPES, LABELS_BY_NAME, ROLES
from loaders.territories import FORMAT, FORMAT_VERSION
from loaders.write_plan import REL_PROPERTIES
from queries.interchange import interchange_reader

ELEMENTS_FILE = "elements.csv"
CONNECTIONS_FILE = "connections.csv"
TERRITORIES_FILE = "territories.jsonl.gz"
#: the files an export writes (a directory holding anything else is refused by the CLI)
FILES = (ELEMENTS_FILE, CONNECTIONS_FILE, TERRITORIES_FILE)

ELEMENT_COLUMNS = ("id", "type", "name", "kind", "roles", "territory", "lat", "lon",
                   "description", "url", "tags", "start", "end", "source", "siren", "rna",
                   "aliases", "count", "audience")
CONNECTION_COLUMNS = ("from", "to", "type", *(p for p in ("role", "date", "start", "end",
                                                          "source") if p in REL_PROPERTIES))
#: element properties written as they are, one column each
_PLAIN = ("description", "url", "start", "end", "source", "siren", "rna", "count")
_LISTS = ("tags", "aliases", "audience")
#: properties the importer derives from the others: not columns, rebuilt by the load
_DERIVED = {"id", "name", "name_key", "aliases_text", "location", "location_from",
            "territories"}
#: what separates the items of a list cell (loaders/cells.py, parse_list)
_LIST_SEPARATOR = re.compile(r"[;,|\n]")
_ROLE_OF_LABEL = {label: role for role, label in ROLES.items()}


@dataclass
class InterchangeExport:
    """What :func:`write_interchange` wrote."""

    files: list[str]
    elements: int = 0
    connections: int = 0
    territories: int = 0
    seconds: float = 0.0
    #: what the format could not carry, one line each
    warnings: list[str] = field(default_factory=list)


def write_interchange(driver: Driver, directory: str | Path, *,
                      database: str = "neo4j") -> InterchangeExport:
    """Write the whole graph as interchange files into ``directory`` (made if missing).

    Parameters
    ----------
    driver, database
        Where to read (one read transaction, streamed).
    directory
        Where ``elements.csv``, ``connections.csv`` and (when the graph holds
        territories) ``territories.jsonl.gz`` go; each is written under a temporary name
        and renamed when complete.

    Returns
    -------
    InterchangeExport
        The files, the counts, and what could not be carried.
    """
    started = time.perf_counter()
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    lost: Counter[str] = Counter()
    result = InterchangeExport(files=[])
    with interchange_reader(driver, database=database) as reader:
        with _Partial(out / ELEMENTS_FILE) as fh:
            writer = _csv_writer(fh, ELEMENT_COLUMNS)
            for labels, props in reader.elements():
                row = element_row(labels, props, lost)
                if row is not None:
                    writer.writerow(row)
                    result.elements += 1
        result.files.append(str(out / ELEMENTS_FILE))
        with _Partial(out / CONNECTIONS_FILE) as fh:
            writer = _csv_writer(fh, CONNECTION_COLUMNS)
            for rel_type, start, end, props, _ in reader.connections():
                row = connection_row(rel_type, start, end, props, lost)
                if row is not None:
                    writer.writerow(row)
                    result.connections += 1
        result.files.append(str(out / CONNECTIONS_FILE))
        result.territories = _write_territories(reader.territories(), out / TERRITORIES_FILE,
                                                lost)
        if result.territories:
            result.files.append(str(out / TERRITORIES_FILE))
        else:
            (out / TERRITORIES_FILE).unlink(missing_ok=True)  # no stale file of an older export
    result.warnings = [f"{what} ({n:,})" for what, n in sorted(lost.items())]
    result.seconds = round(time.perf_counter() - started, 2)
    return result


def _facts(props: dict[str, Any]) -> dict[str, Any]:
    """A node's or relationship's properties without the bookkeeping (first seen, datasets,
    history…): what the interchange files carry."""
    return {k: v for k, v in props.items() if not is_bookkeeping(k)}


def element_row(labels: list[str], props: dict[str, Any], lost: Counter[str]) -> list | None:
    """The ``elements.csv`` row of a node, or None (and a count in ``lost``) when the
    vocabulary has no element type for it. Bookkeeping (graph/bookkeeping.py) is not a
    fact: it is left out."""
    props = _facts(props)
    label = next((lab for lab in ELEMENT_TYPES if lab in labels), None)
    node_id = props.get("id")
    if label is None or node_id is None:
        lost["nodes without an element label or an id, left out"] += 1
        return None
    kind_property = LABELS_BY_NAME[label].kind_property or (
        "role" if label == "Person" else None)  # a person's public role (loaders/rows.py)
    row = dict.fromkeys(ELEMENT_COLUMNS, "")
    row.update(id=node_id, type=label, name=props.get("name") or "")
    if kind_property and props.get(kind_property) is not None:
        row["kind"] = props[kind_property]
    row["roles"] = "; ".join(sorted(_ROLE_OF_LABEL[lab] for lab in labels
                                    if lab in _ROLE_OF_LABEL))
    for key in _PLAIN:
        value = props.get(key)
        if value is not None:
            row[key] = _text(value)
    for key in _LISTS:
        row[key] = _list_cell(props.get(key), lost)
    if label == "Need":
        row["territory"] = _list_cell(props.get("territories"), lost)
    location = props.get("location")
    if location is not None and props.get("location_from") != "commune":
        if isinstance(location, WGS84Point) and len(location) == 2:
            row["lat"], row["lon"] = _number(location.latitude), _number(location.longitude)
        else:
            lost["locations that are not WGS-84 latitude/longitude, left out"] += 1
    unknown = set(props) - _DERIVED - set(_PLAIN) - set(_LISTS) - {kind_property}
    for key in sorted(unknown):
        lost[f"element property {key!r}: no column holds it"] += 1
    return [row[c] for c in ELEMENT_COLUMNS]


def connection_row(rel_type: str, start: str | None, end: str | None, props: dict[str, Any],
                   lost: Counter[str]) -> list | None:
    """The ``connections.csv`` row of a relationship, or None when an end has no id."""
    if start is None or end is None:
        lost["relationships to a node without id, left out"] += 1
        return None
    row = dict.fromkeys(CONNECTION_COLUMNS, "")
    row.update({"from": start, "to": end, "type": rel_type})
    for key, value in _facts(props).items():
        if key in row and key not in ("from", "to", "type") and value is not None:
            row[key] = _text(value)
        else:
            lost[f"connection property {key!r}: no column holds it"] += 1
    return [row[c] for c in CONNECTION_COLUMNS]


def _write_territories(rows, path: Path, lost: Counter[str]) -> int:
    """The territory reference file of the graph's territories; how many were written."""
    count, source = 0, None
    with _Partial(path, binary=True) as raw, gzip.open(raw, "wt", encoding="utf-8") as fh:
        for _id, level, code, name, population, lat, lon, row_source, parents in rows:
            if count == 0:
                source = row_source or ""
                # the loader stores the sources' names joined by "; " as `source`
                header = {"format": FORMAT, "version": FORMAT_VERSION,
                          "exported_by": "alliance-graph export",
                          "sources": [{"name": s} for s in source.split("; ")]}
                fh.write(json.dumps(header, ensure_ascii=False) + "\n")
            if (row_source or "") != source:
                lost["territories of another source than the first (the file has one)"] += 1
            obj: dict[str, Any] = {"t": level, "code": code, "name": name,
                                   "pop": population or 0}
            if lat is not None:
                obj.update(lat=lat, lon=lon)
            if parents:
                obj["up"] = parents
            fh.write(json.dumps(obj, ensure_ascii=False) + "\n")
            count += 1
    return count


class _Partial:
    """A file written under a temporary name beside ``path``, renamed when complete."""

    def __init__(self, path: Path, binary: bool = False):
        self.path, self.binary = path, binary
        self.partial = path.with_name(f".{path.name}.partial")

    def __enter__(self):
        if self.binary:
            self.fh = open(self.partial, "wb")  # noqa: SIM115 - closed in __exit__
        else:
            # a byte-order mark, so Excel reads the accents; the importer skips it
            self.fh = open(self.partial, "w", encoding="utf-8-sig", newline="")  # noqa: SIM115
        return self.fh

    def __exit__(self, exc_type, exc, tb) -> None:
        self.fh.close()
        if exc_type is None:
            os.replace(self.partial, self.path)
        else:
            self.partial.unlink(missing_ok=True)


def _csv_writer(fh, columns: tuple[str, ...]):
    writer = csv.writer(fh, delimiter=";", lineterminator="\r\n")
    writer.writerow(columns)
    return writer


def _number(value: float) -> str:
    """Every digit of a double, with a decimal comma (``50,69121``)."""
    return repr(float(value)).replace(".", ",")


def _text(value: Any) -> str:
    if isinstance(value, float):
        return _number(value)
    if hasattr(value, "iso_format"):  # neo4j.time.Date
        return value.iso_format()
    return str(value)


def _list_cell(values: list | None, lost: Counter[str]) -> str:
    if not values:
        return ""
    items = [str(v) for v in values]
    if any(_LIST_SEPARATOR.search(item) for item in items):
        lost["list items containing ; , | or a line break: read back as several"] += 1
    return "; ".join(items)
