"""`alliance-graph db hash|backup|restore`: the facts' hash, and backups of the managed Neo4j.

- ``db hash [--json]``: the digest of the facts (graph/fact_hash.py), any server;
- ``db backup FILE`` / ``db restore FILE``: ``neo4j-admin database dump`` / ``load`` on the
  managed server, stopped and started again around it (graph/backup.py). With
  ``NEO4J_URI`` set they refuse in one line and say what to run on that server instead.
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from cli.common import console, err_console, fail, print_json
from graph.settings import get_settings

_JSON = typer.Option(False, "--json", help="Print JSON.")


def hash_command(json_out: bool = _JSON) -> None:
    """Print the digest of the facts: elements, connections and their properties.

    Bookkeeping (import records, first_seen, retired_at…: graph/bookkeeping.py) is left
    out, so the same facts give the same hash whatever the load order, batch size or
    number of writers. Compare it before and after a backup and restore, or an export
    loaded into an empty database.
    """
    from neo4j.exceptions import Neo4jError, ServiceUnavailable, SessionExpired

    from graph.driver import get_database, get_driver
    from graph.fact_hash import fact_digest

    progress = Progress(TextColumn("hashing the facts"), BarColumn(), TimeElapsedColumn(),
                        console=err_console, transient=True, disable=json_out)
    try:
        with progress:
            task = progress.add_task("hash", total=None)

            def on_progress(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total)

            digest = fact_digest(get_driver(), get_database(), on_progress=on_progress)
    except (ServiceUnavailable, SessionExpired) as exc:
        fail(f"Neo4j is not reachable ({exc.__class__.__name__}); start it with "
             "`alliance-graph db start` or set NEO4J_URI")
    except Neo4jError as exc:
        fail(f"Neo4j refused the hash's query: {exc.message}")
    if json_out:
        print_json({"hash": digest.hash, "nodes": digest.nodes,
                    "relationships": digest.relationships, "seconds": digest.seconds,
                    "database": get_database(), "excluded": list(digest.excluded)})
        return
    console.print(f"{digest.hash}", highlight=False)
    console.print(f"facts: {digest.nodes:,} nodes, {digest.relationships:,} relationships "
                  f"({digest.seconds:.1f} s); bookkeeping left out: "
                  f"{', '.join(digest.excluded)}", highlight=False, style="dim")


def _managed_only(what: str, instead: str):
    """The managed server, or one line saying what to run on the external one."""
    from graph.server import ManagedNeo4j

    settings = get_settings()
    if settings.neo4j_uri:
        fail(f"`db {what}` works on the managed Neo4j only, and NEO4J_URI is set "
             f"({settings.neo4j_uri}): {instead}")
    return ManagedNeo4j(settings)


def _step(json_out: bool):
    def step(line: str) -> None:
        if line:
            err_console.print(f"· {line}", highlight=False)
    return None if json_out else step


def backup_command(
    file: Path = typer.Argument(..., metavar="FILE", help="The dump file to write."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace FILE if it exists."),
    json_out: bool = _JSON,
) -> None:
    """Dump the database into FILE with neo4j-admin (the managed Neo4j only).

    A dump needs the database offline: the server is stopped for it and started again
    after (if it was running). Restore it with `alliance-graph db restore FILE`.
    """
    from graph.backup import BackupError, backup
    from graph.server import ServerError

    server = _managed_only(
        "backup", "on that server's machine, stop the database and run `neo4j-admin "
        "database dump neo4j --to-path=DIR` (Aura: take a snapshot in its console); or "
        "write interchange files from any server with `alliance-graph export DIR`")
    try:
        result = backup(server, file, database=get_settings().neo4j_database,
                        overwrite=overwrite, on_step=_step(json_out))
    except (BackupError, ServerError) as exc:
        fail(str(exc))
    if json_out:
        print_json(result.__dict__)
        return
    console.print(f"backup written: [bold]{result.file}[/] ({result.bytes:,} bytes; dump "
                  f"{result.dump_seconds:.1f} s, {result.seconds:.1f} s in all)"
                  + ("; Neo4j is running again" if result.restarted else ""),
                  highlight=False)


def restore_command(
    file: Path = typer.Argument(..., metavar="FILE", help="A dump written by `db backup`."),
    json_out: bool = _JSON,
) -> None:
    """Replace the database by the dump FILE (the managed Neo4j only).

    The dump is loaded and checked beside the database in place first (a damaged file or
    a dump of another major version of Neo4j is refused, nothing changed); then the
    server is stopped, the restored store put in place and the server started on it. The
    previous store is kept until the restored database is online, and put back if it
    does not come online.
    """
    from graph.backup import BackupError, restore
    from graph.server import ServerError

    server = _managed_only(
        "restore", "on that server's machine, stop the database and run `neo4j-admin "
        "database load neo4j --from-path=DIR --overwrite-destination=true` (Aura: upload "
        "the dump in its console); or load interchange files with `alliance-graph load "
        "DIR` into an empty database")
    try:
        result = restore(server, file, database=get_settings().neo4j_database,
                         on_step=_step(json_out))
    except (BackupError, ServerError) as exc:
        fail(str(exc))
    if json_out:
        print_json(result.__dict__)
        return
    console.print(f"restored [bold]{result.file}[/]: {result.nodes:,} nodes, "
                  f"{result.relationships:,} relationships ({result.seconds:.1f} s)"
                  + ("; Neo4j is running" if result.running else "; Neo4j is stopped, as "
                     "it was"), highlight=False)


def register(db_app: typer.Typer) -> None:
    """Add `hash`, `backup` and `restore` to the `db` group."""
    db_app.command("hash")(hash_command)
    db_app.command("backup")(backup_command)
    db_app.command("restore")(restore_command)
