"""`alliance-graph load`: import CSV/XLSX files, the territory reference, or the curated data.

- ``alliance-graph load FILE... [--skip-invalid] [--dry-run] [--rejects DIR] [--json]``
  validates every row of every file, then writes in batches; exits 1 when a file (or,
  with ``--skip-invalid``, a row) was rejected.
- ``alliance-graph load territories [FILE]``: the territory reference (loaders/territories).
- ``alliance-graph load curated``: the curated dataset (loaders/curated).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from cli.common import console, err_console, fail, print_json
from graph.settings import get_settings

KEYWORDS = ("territories", "curated")


def _progress(json_out: bool) -> Progress:
    # --json keeps stdout clean: bars go to stderr, and are hidden for machines anyway
    return Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), console=err_console, transient=True, disable=json_out,
    )


def _driver():
    from graph.driver import get_database, get_driver

    try:
        driver = get_driver()
        driver.verify_connectivity()
    except Exception as exc:  # noqa: BLE001 - one line with the fix
        fail(f"Neo4j is not reachable ({exc.__class__.__name__}: {exc}); start it with "
             "`alliance-graph db start` or set NEO4J_URI")
    return driver, get_database()


@contextlib.contextmanager
def _neo4j_gone() -> Iterator[None]:
    """One line instead of a traceback if Neo4j goes away outside what the report covers
    (the importer reports its own failed writes and validations)."""
    from neo4j.exceptions import Neo4jError, ServiceUnavailable, SessionExpired

    try:
        yield
    except (ServiceUnavailable, SessionExpired, Neo4jError) as exc:
        fail(f"Neo4j went away during the load ({exc.__class__.__name__}: {exc}); load the "
             "files again once it is back (`alliance-graph db status`): MERGE makes that safe")


def _importer_progress(progress: Progress):
    tasks: dict[tuple[str, str], int] = {}
    lock = threading.Lock()  # the importer writes some files while it validates others

    def on_progress(stage: str, file: str, advance: int, total: int) -> None:
        key = ("validate", "") if stage == "validate" else ("write", file)
        with lock:
            if key not in tasks:
                label = "reading files" if stage == "validate" else f"writing {file}"
                tasks[key] = progress.add_task(label, total=total)
        progress.update(tasks[key], advance=advance)

    return on_progress


def print_report(report, json_out: bool) -> None:
    """The load report: a summary table per file, then a table of errors."""
    if json_out:
        print_json(report.model_dump(mode="json"))
        return
    summary = Table(title="Import" + (" (dry run: nothing written)" if report.dry_run else ""))
    for col in ("file", "status", "rows", "elements", "connections", "rejected", "errors"):
        summary.add_column(col, justify="right" if col not in ("file", "status") else "left",
                           overflow="fold")
    colours = {"loaded": "green", "validated": "green", "partial": "yellow",
               "rejected": "red", "write_failed": "red"}
    for f in report.files:
        elements, connections = (
            (f.elements_planned, f.connections_planned) if report.dry_run
            else (f.elements_written, f.connections_written))
        # a commit whose acknowledgement was lost may have gone through: "at least"
        summary.add_row(f.file, f"[{colours[f.status]}]{f.status}[/]", str(f.rows_read),
                        ("≥ " if f.elements_uncertain else "") + str(elements),
                        ("≥ " if f.connections_uncertain else "") + str(connections),
                        str(f.rows_rejected), str(len(f.errors)))
    console.print(summary)
    errors = report.errors
    if errors:
        table = Table(title=f"{len(errors)} error(s)", show_lines=False)
        for col in ("file", "row", "column", "value", "reason"):
            table.add_column(col, overflow="fold")
        for e in errors[:500]:
            file = e.file + (f" [{e.sheet}]" if e.sheet else "")
            table.add_row(file, "" if e.row is None else str(e.row), e.column or "",
                          (e.value or "")[:80], e.reason)
        console.print(table, highlight=False)
        if len(errors) > 500:
            console.print(f"… and {len(errors) - 500} more (use --json for all of them)")
    for f in report.files:
        for w in f.warnings:
            console.print(f"[yellow]warning[/] {f.file}: {w}", highlight=False)
        if f.rejects_file:
            console.print(f"rejected rows of {f.file} with their reasons: {f.rejects_file}")
        if f.write_error:
            console.print(f"[bold red]write failed[/] {f.file}: {f.write_error}",
                          highlight=False)
    if not report.ok and not report.skip_invalid and any(
            f.status == "rejected" for f in report.files):
        console.print("Nothing of a rejected file was written. Fix the rows above, or use "
                      "--skip-invalid to load the valid rows.")


def _load_territories(args: list[str], json_out: bool) -> None:
    from loaders.territories import load_territories

    path = Path(args[0]) if args else None
    if path is not None and not path.exists():
        fail(f"{path} does not exist; give the territory reference file, or no file for the "
             "bundled one")
    driver, database = _driver()
    with _progress(json_out) as progress, _neo4j_gone():
        task = progress.add_task("territories", total=None)

        def on_progress(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        try:
            report = load_territories(driver, path, database=database, on_progress=on_progress)
        except (ValueError, OSError) as exc:
            fail(f"{exc}")
    if json_out:
        print_json(report.model_dump(mode="json"))
        return
    console.print(
        f"Loaded {report.nodes:,} territories ({report.regions} régions, "
        f"{report.departements} départements, {report.epcis:,} EPCI, {report.communes:,} "
        f"communes) and {report.part_of:,} PART_OF links in {report.seconds:.1f} s.")


def _load_curated(json_out: bool) -> None:
    from loaders.curated import load_curated

    driver, database = _driver()
    with _progress(json_out) as progress, _neo4j_gone():
        report = load_curated(driver, database=database,
                              on_progress=_importer_progress(progress))
    print_report(report, json_out)
    if not report.ok:
        raise typer.Exit(1)


def load(
    files: list[str] = typer.Argument(
        ..., metavar="FILE...",
        help="CSV or XLSX files (elements, connections, inventaire) or directories of them; "
             "or `territories [FILE]`; or `curated`."),
    skip_invalid: bool = typer.Option(
        False, "--skip-invalid", help="Write the valid rows; rejected rows go to a rejects "
                                      "CSV with their reasons."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Only validate: write nothing."),
    rejects: Path = typer.Option(
        None, "--rejects", metavar="DIR",
        help="Directory for rejects files (default: beside each file)."),
    batch_size: int = typer.Option(None, "--batch-size", help="Rows per UNWIND batch."),
    json_out: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Import files (all or nothing per file), the territory reference, or the curated data.

    Examples: `alliance-graph load elements.csv connections.csv`, `alliance-graph load
    inventaire.xlsx --dry-run`, `alliance-graph load territories`, `alliance-graph load
    curated`.
    """
    if files[0] == "territories":
        _load_territories(files[1:], json_out)
        return
    if files[0] == "curated" and len(files) == 1:
        _load_curated(json_out)
        return
    missing = [f for f in files if not (Path(f).is_file() or Path(f).is_dir())]
    if missing:
        fail(f"{missing[0]} is not a file; give CSV or XLSX files or a directory of them "
             "(or `territories`, `curated`)")
    from loaders.importer import expand_paths, load_paths

    if not expand_paths(files):
        fail("no CSV or XLSX file in the given directories")

    driver, database = _driver()
    from cli.interchange import load_exported_territories, territory_file_of

    if (territories := territory_file_of(files)) is not None and not dry_run:
        # a directory written by `alliance-graph export`: its territories go first
        with _neo4j_gone():
            load_exported_territories(driver, database, territories, json_out)
    size = batch_size or get_settings().batch_size
    with _progress(json_out) as progress, _neo4j_gone():
        report = load_paths(driver, files, database=database, skip_invalid=skip_invalid,
                            dry_run=dry_run, rejects_dir=rejects, batch_size=size,
                            on_progress=_importer_progress(progress))
    print_report(report, json_out)
    if not report.ok:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add the `load` command to the main app."""
    app.command("load")(load)
