"""Entry point of the `alliance-graph` command."""

from __future__ import annotations

import typer

from cli import backup, db, duplicates, generate, imports, load, query, serve, viz

app = typer.Typer(
    help="Alliance Graph: which organisations connect which programmes to which territories.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(db.app, name="db")
backup.register(db.app)  # db hash, db backup, db restore
# Each module below owns one command (or group); they register themselves here.
load.register(app)
imports.register(app)
duplicates.register(app)
generate.register(app)
query.register(app)
viz.register(app)
app.command()(serve.serve)

if __name__ == "__main__":  # pragma: no cover
    app()
