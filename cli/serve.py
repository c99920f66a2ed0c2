"""`alliance-graph serve`: the API (and its pages) with uvicorn."""

from __future__ import annotations

import typer

from graph.settings import get_settings


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
        uvicorn.run(create_app(settings), host=settings.api_host,
                    port=port or settings.api_port, log_level="info")
    finally:
        if supervisor is not None:
            supervisor.close()
