"""What every command shares: the Rich consoles and the one-line error with its fix."""

from __future__ import annotations

import json
from typing import Any, NoReturn

import typer
from rich.console import Console

console = Console()
err_console = Console(stderr=True)


def fail(message: str, code: int = 1) -> NoReturn:
    """Print one line ``error: what went wrong; how to fix it`` and exit."""
    err_console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def print_json(data: Any) -> None:
    """Machine output for --json: plain JSON on stdout, nothing else."""
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
