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


def element_fail(exc: Exception) -> None:
    """An element given by name that names several (numbered candidates, exit 2) or none
    but is near some (numbered suggestions, exit 1); returns for any other error."""
    from queries.errors import AmbiguousElement, UnknownElement

    def numbered(candidates: list) -> None:
        for n, c in enumerate(candidates, 1):
            err_console.print(f"  {n}. {c.id}  {c.name or ''}  {c.label}  {c.kind or ''}",
                              highlight=False, soft_wrap=True)

    if isinstance(exc, AmbiguousElement):
        err_console.print(f"[bold red]error:[/] {exc.reading.text!r} names "
                          f"{len(exc.reading.candidates)} elements; ask again with one of "
                          "these ids:", highlight=False, soft_wrap=True)
        numbered(exc.reading.candidates)
        raise typer.Exit(2)
    if isinstance(exc, UnknownElement) and exc.reading.suggestions:
        err_console.print(f"[bold red]error:[/] nothing has the id, name or alias "
                          f"{exc.reading.text!r}; did you mean:", highlight=False,
                          soft_wrap=True)
        numbered(exc.reading.suggestions)
        raise typer.Exit(1)


def territory_fail(exc: Exception) -> NoReturn:
    """A territory parameter that cannot be read: an ambiguous one prints the numbered
    candidates and exits 2; an unknown one its near misses (exit 1); anything else one
    line (exit 1). An element given by name goes through :func:`element_fail` first."""
    from graph.territory_table import get_table
    from queries.errors import AmbiguousTerritory, UnknownTerritory

    element_fail(exc)

    def numbered(candidates: list) -> None:
        table = get_table()
        for n, c in enumerate(candidates, 1):
            where = ", ".join(f"{table.departement_name(d)} ({d})" for d in c.departements)
            err_console.print(f"  {n}. {c.id}  {c.name}  {where or c.level}  "
                              f"pop. {c.population:,}", highlight=False, soft_wrap=True)

    if isinstance(exc, AmbiguousTerritory):
        text = exc.reading.text
        err_console.print(f"[bold red]error:[/] {text!r} names several territories; ask "
                          "again with one of these ids (or the département in brackets, "
                          "e.g. 'Saint-Denis (93)'):", highlight=False, soft_wrap=True)
        numbered(exc.reading.candidates)
        raise typer.Exit(2)
    if isinstance(exc, UnknownTerritory) and exc.reading.suggestions:
        err_console.print(f"[bold red]error:[/] no territory {exc.reading.text!r} in the "
                          "reference; did you mean:", highlight=False, soft_wrap=True)
        numbered(exc.reading.suggestions)
        raise typer.Exit(1)
    fail(str(exc))


def territory_param(text: str | None, *, level: str | None = None) -> str | None:
    """Read a territory argument with the product's parser before asking (no database):
    a reading among others prints one warning line on stderr and goes on; an ambiguous,
    unknown or uncovered one stops here (:func:`territory_fail`). Returns ``text``, which
    the question reads the same way (its answer carries ``also_matches``)."""
    from queries.errors import InvalidParameter, NotFoundError
    from queries.territory import parse_cached, read_territory, reading_warning

    if text is None:
        return None
    try:
        taken, others = read_territory(text, level=level)
    except (InvalidParameter, NotFoundError) as exc:
        territory_fail(exc)
    warning = reading_warning(text, taken, others)
    if warning:
        err_console.print(f"[yellow]warning:[/] {warning}", highlight=False, soft_wrap=True)
    elif taken.notice:
        reading = parse_cached(text.strip())
        err_console.print(f"note: {reading.message or taken.notice}", highlight=False,
                          soft_wrap=True)
    return text
