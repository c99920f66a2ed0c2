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
    uvicorn.run(create_app(settings), host=host or settings.api_host,
                port=port or settings.api_port, log_level="info")
