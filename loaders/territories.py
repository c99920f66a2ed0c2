"""The territory reference: every région, département, EPCI and commune of France.

The file ``data/territories.jsonl.gz`` is built by ``scripts/build_territories.py`` from
public open data (``data/territories.SOURCES.md`` says which, and under which licences).
It is gzip'd JSON Lines: line 1 is a header (format, sources, counts), each further line
one territory, parents before children::

    {"t": "commune", "code": "59512", "name": "Roubaix", "pop": 98286,
     "lat": 50.69121, "lon": 3.17404, "up": ["epci:200093201", "departement:59"]}

:func:`iter_territories` streams it as :class:`TerritoryRow` objects; :func:`load_territories`
writes it to Neo4j — ``Territory`` nodes with their level label (``Country``, ``Region``,
``Departement``, ``Epci``, ``Commune``), then the ``PART_OF`` links — in ``UNWIND`` batches,
idempotently (MERGE on ``id``).
"""

from __future__ import annotations

import gzip
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from neo4j import Driver
from pydantic import BaseModel, computed_field

from graph.cache import clear_caches
from graph.schema import apply_schema, refresh_fulltext
from graph.vocabulary import LEVEL_LABELS, check_label, check_relationship, normalise_token
from loaders.batching import write_batches


def _default_file() -> Path:
    # In the repository (editable install) the file sits beside the package; a plain
    # `pip install .` (the Docker image) leaves data/ in the working directory instead.
    beside = Path(__file__).resolve().parents[1] / "data" / "territories.jsonl.gz"
    in_cwd = Path.cwd() / "data" / "territories.jsonl.gz"
    return in_cwd if not beside.exists() and in_cwd.exists() else beside


#: The committed reference file.
TERRITORIES_FILE = _default_file()
#: What line 1 of the file must say.
FORMAT = "alliance-graph/territories"
FORMAT_VERSION = 1


ProgressCallback = Callable[[int, int], None]


class TerritoryFileError(ValueError):
    """The territory file is not in the expected format; the message names file and line."""


def territory_id(level: str, code: str) -> str:
    """The node id of a territory: ``FR``, ``region:32``, ``departement:2A``, ``epci:<siren>``,
    ``commune:59512``."""
    if level not in LEVEL_LABELS:
        raise ValueError(f"unknown territory level {level!r}")
    return "FR" if level == "country" else f"{level}:{code}"


@dataclass(frozen=True, slots=True)
class TerritoryRow:
    """One territory of the file, ready to write."""

    id: str
    level: str
    code: str
    name: str
    population: int
    lat: float | None
    lon: float | None
    #: node ids of the PART_OF targets
    parents: tuple[str, ...]

    @property
    def label(self) -> str:
        return LEVEL_LABELS[self.level]


class TerritoryLoadReport(BaseModel):
    """What :func:`load_territories` wrote."""

    file: str
    source: str
    countries: int
    regions: int
    departements: int
    epcis: int
    communes: int
    #: communes with a ``location`` point
    located_communes: int
    part_of: int
    seconds: float

    @computed_field  # in model_dump() too, for `--json`
    @property
    def nodes(self) -> int:
        """Territory nodes in the file (all levels)."""
        return self.countries + self.regions + self.departements + self.epcis + self.communes


# ---------------------------------------------------------------- reading


def _lines(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise TerritoryFileError(f"{path}: line {number}: not JSON ({exc.msg})") from exc
            if not isinstance(obj, dict):
                raise TerritoryFileError(f"{path}: line {number}: expected a JSON object")
            yield number, obj


def read_header(path: str | Path | None = None) -> dict[str, Any]:
    """Line 1 of the file: format, sources, licences and counts.

    Raises
    ------
    TerritoryFileError
        When the file does not start with a header of the expected format.
    """
    path = Path(path) if path is not None else TERRITORIES_FILE
    for number, obj in _lines(path):
        _check_header(path, number, obj)
        return obj
    raise TerritoryFileError(f"{path}: empty file; rebuild it with scripts/build_territories.py")


def _check_header(path: Path, number: int, obj: dict[str, Any]) -> None:
    if obj.get("format") != FORMAT:
        raise TerritoryFileError(
            f"{path}: line {number}: not a territory file (expected a header with "
            f'"format": "{FORMAT}"); rebuild it with scripts/build_territories.py'
        )
    if obj.get("version") != FORMAT_VERSION:
        raise TerritoryFileError(
            f"{path}: line {number}: format version {obj.get('version')!r}, this code reads "
            f"version {FORMAT_VERSION}"
        )


def _row(path: Path, number: int, obj: dict[str, Any]) -> TerritoryRow:
    def bad(message: str) -> TerritoryFileError:
        return TerritoryFileError(f"{path}: line {number}: {message}")

    level = obj.get("t")
    if level not in LEVEL_LABELS:
        raise bad(f'"t" is {level!r}, expected one of {", ".join(LEVEL_LABELS)}')
    code, name, pop = obj.get("code"), obj.get("name"), obj.get("pop", 0)
    if not isinstance(code, str) or not code:
        raise bad('"code" must be a non-empty string')
    if not isinstance(name, str) or not name:
        raise bad('"name" must be a non-empty string')
    if not isinstance(pop, int) or isinstance(pop, bool) or pop < 0:
        raise bad('"pop" must be a non-negative integer')
    lat, lon = obj.get("lat"), obj.get("lon")
    if (lat is None) != (lon is None):
        raise bad('"lat" and "lon" go together')
    if lat is not None:
        if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (lat, lon)):
            raise bad('"lat" and "lon" must be numbers')
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise bad(f"({lat}, {lon}) is not a WGS-84 latitude/longitude")
    up = obj.get("up", [])
    if not isinstance(up, list) or not all(isinstance(p, str) and p for p in up):
        raise bad('"up" must be a list of territory ids')
    if level != "country" and not up:
        raise bad(f"a {level} needs a parent in \"up\"")
    return TerritoryRow(
        id=territory_id(level, code),
        level=level,
        code=code,
        name=name,
        population=pop,
        lat=float(lat) if lat is not None else None,
        lon=float(lon) if lon is not None else None,
        parents=tuple(up),
    )


def iter_territories(path: str | Path | None = None) -> Iterator[TerritoryRow]:
    """Stream the territories of a file, parents before children, checking each line.

    Parameters
    ----------
    path
        The file; default :data:`TERRITORIES_FILE`. ``.gz`` is read through gzip.

    Yields
    ------
    TerritoryRow
        One per territory (the header is checked, not yielded).

    Raises
    ------
    TerritoryFileError
        On the first malformed line (file and line number in the message), or when a
        parent is not defined on an earlier line.
    """
    path = Path(path) if path is not None else TERRITORIES_FILE
    seen: set[str] = set()
    header_seen = False
    for number, obj in _lines(path):
        if not header_seen:
            _check_header(path, number, obj)
            header_seen = True
            continue
        row = _row(path, number, obj)
        if row.id in seen:
            raise TerritoryFileError(f"{path}: line {number}: {row.id} appears twice")
        for parent in row.parents:
            if parent not in seen:
                raise TerritoryFileError(
                    f"{path}: line {number}: parent {parent} of {row.id} is not defined on "
                    "an earlier line"
                )
        seen.add(row.id)
        yield row
    if not header_seen:
        raise TerritoryFileError(f"{path}: empty file; rebuild it with "
                                 "scripts/build_territories.py")


# ---------------------------------------------------------------- writing


def _node_query(label: str) -> str:
    location = (
        ", t.location = CASE WHEN row.lat IS NULL THEN null "
        "ELSE point({latitude: row.lat, longitude: row.lon}) END"
        if label == "Commune" else ""
    )
    # MERGE on the one constrained label (Territory.id), then add the level label.
    return (
        "UNWIND $rows AS row "
        f"MERGE (t:{check_label('Territory')} {{id: row.id}}) "
        f"SET t:{check_label(label)}, t.code = row.code, t.name = row.name, "
        "t.name_key = row.name_key, t.level = row.level, t.population = row.population, "
        f"t.source = $source{location}"
    )


def _link_query() -> str:
    part_of = check_relationship("PART_OF")
    territory = check_label("Territory")
    # Links no longer in the file (a commune that changed EPCI) are removed, so loading a
    # newer file converges to it; the others are MERGEd, so a reload changes nothing.
    return (
        "UNWIND $rows AS row "
        f"MATCH (child:{territory} {{id: row.id}}) "
        f"OPTIONAL MATCH (child)-[old:{part_of}]->(gone:{territory}) "
        "WHERE NOT gone.id IN row.parents "
        "DELETE old "
        "WITH DISTINCT child, row "
        "UNWIND row.parents AS pid "
        f"MATCH (parent:{territory} {{id: pid}}) "
        f"MERGE (child)-[:{part_of}]->(parent)"
    )


def _source(path: Path) -> str:
    header = read_header(path)
    names = [s.get("name", "?") for s in header.get("sources", []) if isinstance(s, dict)]
    return "; ".join(names) or path.name


def load_territories(
    driver: Driver,
    path: str | Path | None = None,
    *,
    database: str = "neo4j",
    batch_size: int = 1000,
    on_progress: ProgressCallback | None = None,
) -> TerritoryLoadReport:
    """Load the territory reference into Neo4j: nodes, then ``PART_OF`` links.

    The whole file is read and checked before anything is written, so a malformed file
    writes nothing. The schema is applied first. Loading the same file twice changes
    nothing (MERGE on ``id``; properties set to the same values; links MERGEd).

    Parameters
    ----------
    driver
        A driver to the target database.
    path
        The territory file; default :data:`TERRITORIES_FILE`.
    database
        The database name.
    batch_size
        Rows per ``UNWIND`` transaction.
    on_progress
        Called as ``on_progress(done, total)``: once with ``done=0`` before the first
        write, then after each batch. ``total`` is twice the number of territories (each
        is written once as a node and once for its links), so ``done == total`` at the end.
        Fits a Rich ``Progress.update(task, completed=done, total=total)``.

    Returns
    -------
    TerritoryLoadReport
        Territories per level, communes with a location, PART_OF links, seconds taken.

    Raises
    ------
    TerritoryFileError
        When the file is malformed (file and line in the message).
    FileNotFoundError
        When the file does not exist.
    """
    started = time.perf_counter()
    path = Path(path) if path is not None else TERRITORIES_FILE
    source = _source(path)
    rows = list(iter_territories(path))
    apply_schema(driver, database)

    total = 2 * len(rows)
    done = 0

    def advance(n: int) -> None:
        nonlocal done
        done += n
        if on_progress is not None:
            on_progress(done, total)

    if on_progress is not None:
        on_progress(0, total)

    by_level: dict[str, list[dict[str, Any]]] = {level: [] for level in LEVEL_LABELS}
    for row in rows:
        by_level[row.level].append({
            "id": row.id, "code": row.code, "name": row.name,
            "name_key": normalise_token(row.name), "level": row.level,
            "population": row.population, "lat": row.lat, "lon": row.lon,
        })
    # Top down, so every parent exists before its children's links.
    for level, level_rows in by_level.items():
        write_batches(driver, _node_query(LEVEL_LABELS[level]), level_rows,
                      batch_size=batch_size, database=database, params={"source": source},
                      on_batch=advance)

    links = [{"id": row.id, "parents": list(row.parents)} for row in rows if row.parents]
    advance(len(rows) - len(links))  # the country has no link to write
    write_batches(driver, _link_query(), links, batch_size=batch_size, database=database,
                  on_batch=advance)
    # organisations that took their commune's location follow it when it moved
    from loaders.locations import derive_locations

    derive_locations(driver, database=database)
    # the full-text index is eventually consistent: a search right after sees every name
    refresh_fulltext(driver, database)

    clear_caches()  # the queries' cached answers may be stale now
    counts = {level: len(level_rows) for level, level_rows in by_level.items()}
    return TerritoryLoadReport(
        file=str(path),
        source=source,
        countries=counts["country"],
        regions=counts["region"],
        departements=counts["departement"],
        epcis=counts["epci"],
        communes=counts["commune"],
        located_communes=sum(1 for r in rows if r.level == "commune" and r.lat is not None),
        part_of=sum(len(link["parents"]) for link in links),
        seconds=round(time.perf_counter() - started, 2),
    )
