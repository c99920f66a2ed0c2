"""`alliance-graph db start|stop|status|init`: the managed local Neo4j and the schema
(`db hash|backup|restore` are in cli/backup.py)."""

from __future__ import annotations

import time

import typer

from cli.common import console, fail, print_json
from graph.server import ManagedNeo4j, ServerError
from graph.settings import get_settings

app = typer.Typer(help="The managed local Neo4j 5.26 server, its schema and backups; the "
                       "facts' hash.", no_args_is_help=True)


def _server() -> ManagedNeo4j:
    return ManagedNeo4j(get_settings())


@app.command()
def start(
    timeout: float = typer.Option(None, help="Seconds to wait for Bolt (default: settings)."),
) -> None:
    """Start the managed Neo4j in the background (harmless when it already runs)."""
    settings = get_settings()
    if settings.neo4j_uri:
        console.print(f"NEO4J_URI is set ({settings.neo4j_uri}): nothing to start here.")
        return
    server = _server()
    t0 = time.monotonic()
    try:
        if not server.jars_present():
            with console.status(f"Fetching Neo4j jars with Maven into {server.lib_dir}…"):
                server.ensure_jars()
        with console.status("Starting Neo4j…"):
            status, started = server.start(timeout)
    except ServerError as exc:
        fail(str(exc))
    elapsed = time.monotonic() - t0
    verb = f"started in {elapsed:.1f} s" if started else "already running"
    version = status.version or "5.26"
    console.print(f"Neo4j {version} {verb}: [bold]{status.uri}[/] (pid {status.pid})")
    console.print(f"data: {status.data_dir}  logs: {server.logs_dir}")


@app.command()
def stop() -> None:
    """Stop the managed Neo4j (only the server this project started)."""
    if _server().stop():
        console.print("Neo4j stopped.")
    else:
        console.print("Neo4j was not running.")


@app.command()
def status(json_out: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Say whether the managed Neo4j runs, its version, URI and data directory."""
    settings = get_settings()
    if settings.neo4j_uri:
        from graph.driver import get_driver

        try:
            drv = get_driver()
            drv.verify_connectivity()
            info = drv.get_server_info()
            running, version = True, info.agent
        except Exception as exc:  # noqa: BLE001 - reported, not raised
            running, version = False, f"unreachable: {exc}"
        data = {"running": running, "version": version, "uri": settings.neo4j_uri,
                "data_dir": None, "managed": False}
    else:
        st = _server().status()
        data = {"running": st.running, "version": st.version, "uri": st.uri,
                "http": st.http_url, "data_dir": str(st.data_dir), "pid": st.pid,
                "managed": True}
    if json_out:
        print_json(data)
        return
    state = "[green]running[/]" if data["running"] else "[red]not running[/]"
    console.print(f"Neo4j: {state}")
    for key in ("version", "uri", "data_dir", "pid"):
        if data.get(key) is not None:
            console.print(f"  {key}: {data[key]}")
    if not data["running"]:
        raise typer.Exit(3)


@app.command()
def init() -> None:
    """Create the constraints and indexes (IF NOT EXISTS; running it twice is harmless)."""
    from graph.driver import get_database, get_driver
    from graph.schema import apply_schema

    try:
        n = apply_schema(get_driver(), get_database())
    except Exception as exc:  # noqa: BLE001
        fail(f"could not apply the schema: {exc}; is Neo4j running? try `alliance-graph db start`")
    console.print(f"Schema applied ({n} statements, all IF NOT EXISTS).")
