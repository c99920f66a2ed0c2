"""Importing user files: read, validate everything, then write in UNWIND batches.

:func:`load_sources` is the one entry point (the CLI passes files from disk through
:func:`load_paths`, the API passes uploads). Per file, all or nothing by default: a
file with any error writes nothing and its report lists every error with file, row,
column, value and reason. With ``skip_invalid`` the valid rows are written and the
rejected ones go to a rejects CSV with their reasons; with ``dry_run`` nothing is
written at all. Writes MERGE on ``id``, so loading the same files twice changes nothing.

If a write fails midway (the server goes away), the file's report says so
(``status="write_failed"``) with how many nodes and relationships were written: the
batches already committed stay, and loading the file again completes it.
"""

from __future__ import annotations

import contextlib
import csv
import gc
import io
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Literal

from neo4j import Driver
from neo4j.exceptions import Neo4jError, ServiceUnavailable, SessionExpired
from pydantic import BaseModel, Field

from graph.models import looks_like_formula
from graph.schema import apply_schema, refresh_fulltext
from graph.settings import get_settings
from graph.vocabulary import ROLES, check_label, check_relationship, labels_for
from loaders.batching import write_batches
from loaders.tabular import ReadError, Source, Table, read_source
from loaders.validate import LoadError, Plan, validate_tables

#: callback(stage, file, advance, total): stage is "validate" or "write"
ProgressCallback = Callable[[str, str, int, int], None]


class FileReport(BaseModel):
    """What happened to one file."""

    file: str
    status: Literal["loaded", "partial", "rejected", "validated", "write_failed"]
    tables: list[str] = Field(default_factory=list, description="kind of each table read")
    rows_read: int = 0
    #: what validation accepted (what a dry run would write)
    elements_planned: int = 0
    connections_planned: int = 0
    elements_written: int = 0
    connections_written: int = 0
    rows_rejected: int = 0
    errors: list[LoadError] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    rejects_file: str | None = None
    write_error: str | None = None


class LoadReport(BaseModel):
    """What happened to every file of a load; ``ok`` is False when any file was rejected."""

    ok: bool
    dry_run: bool = False
    skip_invalid: bool = False
    files: list[FileReport] = Field(default_factory=list)

    @property
    def errors(self) -> list[LoadError]:
        return [e for f in self.files for e in f.errors]


def load_paths(driver: Driver, paths: Iterable[str | Path], *, database: str = "neo4j",
               skip_invalid: bool = False, dry_run: bool = False,
               rejects_dir: str | Path | None = None, batch_size: int | None = None,
               on_progress: ProgressCallback | None = None) -> LoadReport:
    """Load CSV/XLSX files from disk; see :func:`load_sources`.

    A directory stands for its CSV and XLSX files (``alliance-graph generate`` writes
    one). Rejects files go to ``rejects_dir``, or next to each input file when it is None.
    """
    sources, dirs = [], {}
    for path in expand_paths(paths):
        sources.append(Source.from_path(path))
        dirs[path.name] = path.parent
    return load_sources(driver, sources, database=database, skip_invalid=skip_invalid,
                        dry_run=dry_run, batch_size=batch_size, on_progress=on_progress,
                        rejects_dir=rejects_dir, _default_dirs=dirs)


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given; a directory gives its ``*.csv``/``*.xlsx`` (rejects files excepted)."""
    out: list[Path] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            out.extend(sorted(
                f for f in path.iterdir()
                if f.is_file() and f.suffix.lower() in (".csv", ".xlsx", ".xlsm")
                and not f.name.endswith(".rejects.csv")))
        else:
            out.append(path)
    return out


def load_sources(driver: Driver, sources: list[Source], *, database: str = "neo4j",
                 skip_invalid: bool = False, dry_run: bool = False,
                 rejects_dir: str | Path | None = None, batch_size: int | None = None,
                 on_progress: ProgressCallback | None = None,
                 _default_dirs: dict[str, Path] | None = None) -> LoadReport:
    """Validate every row of every source, then write what is valid in batches.

    Parameters
    ----------
    driver
        The Neo4j driver (validation reads through it: names and territories in bulk).
    sources
        Files as name + bytes (CSV or XLSX); a pair of CSVs (elements, connections) may
        reference each other.
    skip_invalid
        Write the valid rows of a file with errors, and its rejected rows to a rejects
        CSV (``<file>.rejects.csv``, or one per sheet) with their reasons.
    dry_run
        Only validate: nothing is written (not even a rejects file).
    rejects_dir
        Where rejects files go; None: beside the input file (for uploads: nowhere, the
        report still lists every error).
    batch_size
        Rows per ``UNWIND`` transaction; None: the ``ALLIANCE_BATCH_SIZE`` setting (5,000).
    on_progress
        ``callback(stage, file, advance, total)`` for progress bars.

    Returns
    -------
    LoadReport
        Per file: rows read, elements and connections written, errors, rejects file.
    """
    # Reading and validation build hundreds of thousands of small objects and no cycles:
    # the cyclic garbage collector would rescan them over and over (a third of the time).
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        plans, names = _read_and_validate(driver, sources, database, skip_invalid, on_progress)
    finally:
        if gc_was_enabled:
            gc.enable()
    if not dry_run and any(not p.rejected and (p.nodes or p.relationships)
                           for p in plans.values()):
        apply_schema(driver, database)
    if batch_size is None:
        batch_size = get_settings().batch_size
    reports = []
    # element-bearing files first: another file's connections may need their nodes
    ordered = sorted(names, key=lambda n: _file_rank(plans.get(n)))
    for name in ordered:
        plan = plans.get(name) or Plan(name)
        reports.append(_run_plan(driver, plan, database=database, dry_run=dry_run,
                                 skip_invalid=skip_invalid, batch_size=batch_size,
                                 on_progress=on_progress,
                                 rejects_dir=_rejects_dir(name, rejects_dir, _default_dirs)))
    if any(r.elements_written or r.connections_written for r in reports):
        # the full-text index is eventually consistent: searches right after see every name
        # (a server gone mid-load: the reports already say write_failed)
        with contextlib.suppress(ServiceUnavailable, SessionExpired, Neo4jError, OSError):
            refresh_fulltext(driver, database)
    if not dry_run:
        touched = _organisations_touched(plans, reports)
        if touched:
            try:
                derive_locations(driver, touched, database=database, batch_size=batch_size)
            except (ServiceUnavailable, SessionExpired, Neo4jError, OSError) as exc:
                for r in reports:
                    if r.status in ("loaded", "partial"):
                        r.warnings.append(
                            "the organisations' locations were not copied from their communes "
                            f"({exc.__class__.__name__}); load the files again once Neo4j is "
                            "back")
    reports.sort(key=lambda r: names.index(r.file))
    # ok: nothing rejected, not even a row (--skip-invalid), and every write went through
    ok = all(r.status in ("loaded", "validated") and not r.errors for r in reports)
    return LoadReport(ok=ok, dry_run=dry_run, skip_invalid=skip_invalid, files=reports)


def _read_and_validate(driver: Driver, sources: list[Source], database: str,
                       skip_invalid: bool, on_progress: ProgressCallback | None,
                       ) -> tuple[dict[str, Plan], list[str]]:
    tables: list[Table] = []
    read_errors: list[LoadError] = []
    names = _unique_names(sources)
    for source, name in zip(sources, names, strict=True):
        if name != source.name:
            source = Source(name, source.data)
        try:
            tables.extend(read_source(source))
        except ReadError as exc:
            read_errors.append(LoadError(file=name, row=exc.row, column=exc.column,
                                         reason=exc.reason))
        if on_progress:
            on_progress("validate", name, 1, len(sources))
    plans = validate_tables(driver, tables, database=database, skip_invalid=skip_invalid,
                            file_errors=read_errors)
    return plans, names


def _unique_names(sources: list[Source]) -> list[str]:
    # two uploads called data.csv must not share a report line
    out, seen = [], {}
    for s in sources:
        name = s.name or "upload"
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out


def _file_rank(plan: Plan | None) -> int:
    if plan is None:
        return 2
    kinds = {t.kind for t in plan.tables}
    return 0 if "elements" in kinds else 1 if "inventaire" in kinds else 2


def _rejects_dir(name: str, rejects_dir: str | Path | None,
                 defaults: dict[str, Path] | None) -> Path | None:
    if rejects_dir is not None:
        return Path(rejects_dir)
    return (defaults or {}).get(name)


def _run_plan(driver: Driver, plan: Plan, *, database: str, dry_run: bool, skip_invalid: bool,
              batch_size: int, on_progress: ProgressCallback | None,
              rejects_dir: Path | None) -> FileReport:
    report = FileReport(
        file=plan.file, status="validated", tables=[t.kind for t in plan.tables],
        rows_read=plan.rows_read, errors=plan.errors, warnings=plan.warnings,
        rows_rejected=len(plan.rejected_rows),
    )
    if not plan.rejected:
        report.elements_planned = plan.element_count
        report.connections_planned = plan.connection_count
    if plan.rejected:
        report.status = "rejected"
        return report
    if skip_invalid and plan.rejected_rows and not dry_run and rejects_dir is not None:
        report.rejects_file = str(write_rejects(plan, rejects_dir))
    if dry_run:
        return report
    total = plan.element_count + plan.connection_count

    def progress(n: int) -> None:
        if on_progress:
            on_progress("write", plan.file, n, total)

    try:
        for (label, roles), rows in sorted(plan.nodes.items()):
            for (props, create), group in _by_keys(rows):
                write_batches(driver, node_query(label, roles, props, create), group,
                              batch_size=batch_size, database=database,
                              on_batch=lambda n: _count(report, "e", n, progress))
            named = [{"id": r["id"], "aliases": r["aliases"]} for r in rows if r["aliases"]]
            if named:
                write_batches(driver, aliases_query(label), named, batch_size=batch_size,
                              database=database)
        for (rel, src, dst), rows in sorted(plan.relationships.items()):
            for props, group in _by_rel_props(rows):
                write_batches(driver, relationship_query(rel, src, dst, props), group,
                              batch_size=batch_size, database=database,
                              on_batch=lambda n: _count(report, "c", n, progress))
    except (ServiceUnavailable, SessionExpired, Neo4jError, OSError) as exc:
        report.status = "write_failed"
        report.write_error = (
            f"the write failed after {report.elements_written} elements and "
            f"{report.connections_written} connections of {total} were committed "
            f"({exc.__class__.__name__}: {exc}); the file is partly written — load it again "
            "once Neo4j is back: MERGE makes that safe")
        return report
    report.status = "partial" if plan.rejected_rows else "loaded"
    return report


def _organisations_touched(plans: dict[str, Plan], reports: list[FileReport]) -> list[str]:
    """Ids of organisations a load wrote, or gave a LOCATED_IN (files actually written)."""
    written = {r.file for r in reports if r.status in ("loaded", "partial", "write_failed")}
    ids: set[str] = set()
    for name, plan in plans.items():
        if name not in written:
            continue
        for (label, _roles), rows in plan.nodes.items():
            if label == "Organisation":
                ids.update(r["id"] for r in rows)
        for (rel, src, _dst), rows in plan.relationships.items():
            if rel == "LOCATED_IN" and src == "Organisation":
                ids.update(r["from"] for r in rows)
    return sorted(ids)


#: Give an organisation without lat/lon its commune's location (the first commune by id
#: when it has two, the one partners near shows), marked ``location_from = 'commune'`` so
#: an explicit lat/lon (which clears the mark) always wins and a later load updates it.
DERIVE_LOCATIONS = (
    "UNWIND $rows AS row "
    "MATCH (o:Organisation {id: row.id}) "
    # a CASE, not an OR: with `location IS NULL OR …` the planner scanned the whole id index
    # for every row (5,000 rows: 42 s instead of 0.2 s once 20,000 organisations existed)
    "WHERE CASE WHEN o.location IS NULL THEN true ELSE o.location_from = 'commune' END "
    "WITH o, head(COLLECT { MATCH (o)-[:LOCATED_IN]->(c:Commune) "
    "                       WHERE c.location IS NOT NULL RETURN c ORDER BY c.id }) AS c "
    "SET o.location = c.location, "
    "    o.location_from = CASE WHEN c IS NULL THEN null ELSE 'commune' END"
)


def derive_locations(driver: Driver, ids: Iterable[str] | None = None, *,
                     database: str = "neo4j", batch_size: int = 1000) -> int:
    """Copy their commune's location onto organisations that have none of their own.

    Partners near then searches one point index (``organisation_location``) instead of
    two branches, one of which walked every organisation of every commune in the radius.

    Parameters
    ----------
    driver, database
        Where to write.
    ids
        The organisations to update; ``None``: every organisation (after loading a graph
        written before this rule, or reloading the territories).
    batch_size
        Organisations per transaction.

    Returns
    -------
    int
        How many organisations were considered.
    """
    if ids is None:
        records, _, _ = driver.execute_query(
            "MATCH (o:Organisation) WHERE o.location IS NULL OR o.location_from = 'commune' "
            "RETURN o.id AS id", database_=database, routing_="r")
        ids = [r["id"] for r in records]
    rows = [{"id": i} for i in ids]
    if rows:
        write_batches(driver, DERIVE_LOCATIONS, rows, batch_size=batch_size, database=database)
    return len(rows)


def _count(report: FileReport, what: str, n: int, progress: Callable[[int], None]) -> None:
    if what == "e":
        report.elements_written += n
    else:
        report.connections_written += n
    progress(n)


_PROPERTY_NAME = re.compile(r"^[a-z][a-z_]*$")


def _by_keys(rows: list[dict]) -> list[tuple[tuple[tuple[str, ...], tuple[str, ...]],
                                              list[dict]]]:
    """Rows grouped by the property names they set (a file's rows share a few shapes)."""
    groups: dict[tuple[tuple[str, ...], tuple[str, ...]], list[dict]] = {}
    for row in rows:
        key = (tuple(sorted(row["props"])), tuple(sorted(row["create"])))
        groups.setdefault(key, []).append(row)
    return sorted(groups.items())


def node_query(label: str, roles: tuple[str, ...], props: tuple[str, ...] | None = None,
               create: tuple[str, ...] | None = None) -> str:
    """The MERGE of one label (and role labels): labels come from the vocabulary only.

    With ``props``/``create`` (the property names of the rows, which come from the code,
    never from a file), each property is set by name: unlike ``SET n += row.props`` this
    spares the planner an eager barrier. Without them, the map form.
    """
    extra = [lab for lab in labels_for(check_label(label)) if lab != label]
    extra += [check_label(ROLES[r]) for r in roles]
    set_labels = f"SET n:{':'.join(extra)} " if extra else ""
    if props is None or create is None:
        on_create, sets = "ON CREATE SET n += row.create ", "SET n += row.props "
    else:
        for key in (*props, *create):
            if not _PROPERTY_NAME.match(key) or key == "id":
                raise ValueError(f"{key!r} is not a property the importer writes")
        on_create = ("ON CREATE SET " + ", ".join(f"n.{k} = row.create.{k}" for k in create)
                     + " ") if create else ""
        sets = ("SET " + ", ".join(f"n.{k} = row.props.{k}" for k in props) + " "
                ) if props else ""
    return (
        "UNWIND $rows AS row "
        f"MERGE (n:{check_label(label)} {{id: row.id}}) "
        f"{on_create}{sets}{set_labels}"
    )


def aliases_query(label: str) -> str:
    """Add spellings to ``aliases`` (all but the node's name) and rebuild ``aliases_text``.

    Separate from :func:`node_query`, so the MERGE of the many rows without aliases needs
    no eager read-after-write.
    """
    return (
        "UNWIND $rows AS row "
        f"MATCH (n:{check_label(label)} {{id: row.id}}) "
        "WITH n, reduce(acc = coalesce(n.aliases, []), a IN row.aliases | "
        "  CASE WHEN a IN acc OR a = n.name THEN acc ELSE acc + a END) AS aliases "
        "WHERE size(aliases) > 0 "
        "SET n.aliases = aliases, "
        "    n.aliases_text = reduce(s = '', a IN aliases | "
        "      s + CASE WHEN s = '' THEN '' ELSE ' ' END + a)"
    )


#: relationship properties the interchange format carries
REL_PROPERTIES = ("source", "role", "date", "start", "end")


def _by_rel_props(rows: list[dict]) -> list[tuple[tuple[str, ...], list[dict]]]:
    """Rows grouped by the relationship properties they carry (most carry one or two)."""
    groups: dict[tuple[str, ...], list[dict]] = {}
    for row in rows:
        key = tuple(p for p in REL_PROPERTIES if row.get(p) is not None)
        groups.setdefault(key, []).append(row)
    return sorted(groups.items())


def relationship_query(rel: str, src: str, dst: str,
                       props: tuple[str, ...] | None = None) -> str:
    """The MERGE of one relationship type between two labels, all from the vocabulary.

    An empty cell keeps what a previous load set (``coalesce``): a relationship keeps its
    source and dates; ``source`` defaults to the file that first created it. With
    ``props`` (the properties the rows carry, from :data:`REL_PROPERTIES` only) just those
    are set: an absent one would be set to itself, a write for nothing.
    """
    if props is not None and not set(props) <= set(REL_PROPERTIES):
        raise ValueError(f"{props!r}: not relationship properties the importer writes")
    sets = ", ".join(f"r.{p} = coalesce(row.{p}, r.{p})"
                     for p in (REL_PROPERTIES if props is None else props))
    return (
        "UNWIND $rows AS row "
        f"MATCH (a:{check_label(src)} {{id: row.from}}) "
        f"MATCH (b:{check_label(dst)} {{id: row.to}}) "
        f"MERGE (a)-[r:{check_relationship(rel)}]->(b) "
        "ON CREATE SET r.source = coalesce(row.source, row.origin) "
        + (f"SET {sets}" if sets else "")
    )


def write_rejects(plan: Plan, directory: Path) -> Path:
    """Write the rejected rows of a file, with their reasons, to a CSV beside it.

    One CSV per table: the original columns plus ``rejection_reasons``, so the file can be
    fixed and loaded again. Cells that look like formulas are prefixed with ``'`` so a
    spreadsheet opening the rejects file does not run them.
    """
    directory.mkdir(parents=True, exist_ok=True)
    stem = Path(plan.file).stem
    first: Path | None = None
    for table in plan.tables:
        rejected = [(row, cells) for row, cells in table.rows
                    if (table.file, table.sheet, row) in plan.rejected_rows]
        if not rejected:
            continue
        suffix = f".{table.sheet}" if table.sheet else ""
        path = directory / f"{stem}{suffix}.rejects.csv"
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(["row", *table.headers, "rejection_reasons"])
        for row, cells in rejected:
            reasons = " | ".join(
                (f'column "{e.column}": ' if e.column else "") + e.reason
                for e in plan.rejected_rows[(table.file, table.sheet, row)])
            writer.writerow([row, *(_defuse(c) for c in cells), reasons])
        path.write_text(buf.getvalue(), encoding="utf-8-sig")
        first = first or path
    return first or directory


def _defuse(cell: str) -> str:
    return "'" + cell if looks_like_formula(cell) else cell
