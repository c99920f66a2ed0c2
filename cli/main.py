"""Entry point of the `alliance-graph` command."""

from __future__ import annotations

import typer

from cli import db, serve

app = typer.Typer(
    help="Alliance Graph: which organisations connect which programmes to which territories.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(db.app, name="db")
app.command()(serve.serve)

if __name__ == "__main__":  # pragma: no cover
    app()
