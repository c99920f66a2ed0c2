"""`alliance-graph viz`: not built yet (its issue adds it)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the `viz` command to the main app (a no-op until it is built)."""
