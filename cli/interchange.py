"""`alliance-graph export DIR`: the whole graph as interchange files (viz/interchange.py),
and what `alliance-graph load DIR` does with the territory file such a directory holds."""

from __future__ import annotations

from pathlib import Path

from cli.common import console, err_console, fail, print_json
from graph.french import plural


def export_interchange(directory: Path | None, *, view: str, json_out: bool) -> None:
    """Write elements.csv, connections.csv and territories.jsonl.gz of the whole graph."""
    from neo4j.exceptions import Neo4jError, ServiceUnavailable, SessionExpired

    from graph.driver import get_database, get_driver
    from viz.interchange import FILES, write_interchange

    if directory is None:
        fail("interchange files go into a directory: `alliance-graph export DIR`", code=2)
    if view != "graph":
        fail("interchange files hold the whole graph: leave out --view", code=2)
    if directory.exists() and not directory.is_dir():
        fail(f"{directory} is a file; give a directory for the interchange files", code=2)
    if directory.is_dir():
        # `alliance-graph load DIR` reads every CSV and XLSX file of DIR
        others = sorted(p.name for p in directory.iterdir() if p.name not in FILES
                        and p.suffix.lower() in (".csv", ".xlsx", ".xlsm", ".gz"))
        if others:
            fail(f"{directory} already holds {', '.join(others[:3])}, which `alliance-graph "
                 "load` would read with the export; choose an empty directory", code=2)
    try:
        with err_console.status("writing interchange files…"):
            result = write_interchange(get_driver(), directory, database=get_database())
    except (ServiceUnavailable, SessionExpired) as exc:
        fail(f"Neo4j is not reachable ({exc.__class__.__name__}); start it with "
             "`alliance-graph db start` or set NEO4J_URI")
    except Neo4jError as exc:
        fail(f"Neo4j refused the export's query: {exc.message}")
    except OSError as exc:
        fail(f"could not write into {directory}: {exc}")
    if json_out:
        print_json(result.__dict__)
        return
    console.print(f"wrote {', '.join(Path(f).name for f in result.files)} into {directory} "
                  f"({result.elements:,} elements, {result.connections:,} connections, "
                  f"{result.territories:,} territories, {result.seconds:.1f} s); load them "
                  f"into an empty database with `alliance-graph load {directory}`",
                  highlight=False)
    for warning in result.warnings:
        err_console.print(f"[yellow]warning:[/] not carried by the format: {warning}",
                          highlight=False)


def territory_file_of(paths: list[str]) -> Path | None:
    """The territory file of an exported directory among the paths given to `load`."""
    from viz.interchange import TERRITORIES_FILE

    for p in paths:
        candidate = Path(p) / TERRITORIES_FILE
        if Path(p).is_dir() and candidate.is_file():
            return candidate
    return None


def load_exported_territories(driver, database: str, path: Path, json_out: bool) -> None:
    """Load the territory file of an exported directory (before its CSV files, which name
    its territories); one line on stderr, so that --json keeps stdout for the report."""
    from loaders.territories import TerritoryFileError, load_territories

    try:
        report = load_territories(driver, path, database=database)
    except (TerritoryFileError, OSError) as exc:
        fail(f"{exc}")
    if not json_out:  # the load command speaks French, as its report
        err_console.print(f"{plural(report.nodes, 'territoire chargé', 'territoires chargés')}"
                          f" d'abord, depuis {path}", highlight=False)
