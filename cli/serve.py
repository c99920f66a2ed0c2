"""`alliance-graph serve`: the API (and its pages) with uvicorn.

:func:`uvicorn_options` is the one place the server's options are chosen: ``serve`` runs
with them, and ``bench/load_http.py`` serves the API through ``serve`` itself.
"""

from __future__ import annotations

from typing import Any

import typer

from graph.settings import Settings, get_settings


def uvicorn_options(settings: Settings, host: str | None = None,
                    port: int | None = None) -> dict[str, Any]:
    """The keyword arguments of ``uvicorn.run`` for the API (see docs/configuration.md for
    why each setting has its value)."""
    return {
        "host": host or settings.api_host,
        "port": port or settings.api_port,
        "log_level": "info",
        "backlog": settings.api_backlog,
        "timeout_keep_alive": settings.api_keep_alive_seconds,
        # No cap of uvicorn's own (it answers 503 past it): connections wait in the backlog
        # and requests in the thread pool's queue instead (api_threads).
        "limit_concurrency": None,
    }


def serve(
    host: str = typer.Option(None, help="Bind address (default ALLIANCE_API_HOST)."),
    port: int = typer.Option(None, help="Port (default ALLIANCE_API_PORT)."),
) -> None:
    """Serve the HTTP API and the web pages."""
    import uvicorn

    from api.app import create_app

    settings = get_settings()
    if host:
        # the console's default access follows the address really listened on
        settings = settings.model_copy(update={"api_host": host})
    access = settings.console_access_for()
    if settings.console_access is None and access == "key":
        typer.echo(f"Listening on {settings.api_host}, not loopback only: the Cypher console "
                   "needs the X-API-Key (set ALLIANCE_CONSOLE_ACCESS=open to open it).",
                   err=True)
    supervisor = None
    if settings.managed:
        from graph.supervisor import Supervisor

        # the managed server exits on OutOfMemoryError: start it again while we serve
        supervisor = Supervisor(settings).start()
    try:
        uvicorn.run(create_app(settings), **uvicorn_options(settings, host, port))
    finally:
        if supervisor is not None:
            supervisor.close()
