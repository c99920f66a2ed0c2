"""The `alliance-graph` command line (Typer + Rich); one module per command group."""
