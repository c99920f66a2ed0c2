"""`alliance-graph generate`: write a synthetic France-wide ecosystem as interchange files."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from cli.common import console, err_console, fail, print_json


def _places(path: Path | None):
    """The territories to place organisations in (the reference file by default)."""
    from loaders.generate import load_places

    return load_places(path)


def generate_command(
    organisations: int = typer.Option(
        1000, "--organisations", "-n", min=1, help="Number of organisations (N)."
    ),
    seed: int = typer.Option(0, "--seed", "-s", help="Random seed: same seed, same files."),
    output: Path = typer.Option(
        ..., "--output", "-o", help="Directory for elements.csv and connections.csv."
    ),
    territories: Path | None = typer.Option(
        None, "--territories", help="Territory reference file (default: the bundled one)."
    ),
    json_out: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
    model: str = typer.Option(
        "default", "--model", "-m",
        help="How partnerships form (loaders/partnership_model.py): default (closeness "
             "and hubs, the files as always), far (distance matters little), needs (shared "
             "needs and introductions dominate)."),
) -> None:
    """Write a synthetic ecosystem (elements.csv, connections.csv) that `load` imports.

    Organisations of every kind in communes weighted by population, ~350 catalysts, ~30
    national relays, urgence and relance programmes at every territorial level, 40 needs,
    partnerships favouring closeness and hubs. Same seed, same bytes.
    """
    from loaders.generate import generate, write_ecosystem
    from loaders.partnership_model import preset

    try:
        partnership_model = preset(model)
    except ValueError as exc:
        fail(f"{exc}")
    try:
        places = _places(territories)
    except FileNotFoundError as exc:
        fail(f"territory file {exc.args[0]} not found; pass --territories FILE "
             "(the territory reference file, see data/)")
    except ImportError:
        fail("the territory loader (loaders/territories.py) is missing; "
             "pass --territories FILE once it exists")
    stages = ("organisations", "partnerships")
    progress = Progress(TextColumn("{task.description:<14}"), BarColumn(),
                        TaskProgressColumn(), TimeElapsedColumn(),
                        console=err_console, disable=json_out, transient=True)
    with progress:
        tasks = {s: progress.add_task(s, total=organisations) for s in stages}

        def on_progress(stage: str, done: int, total: int) -> None:
            if stage in tasks:
                progress.update(tasks[stage], completed=done, total=total)

        try:
            eco = generate(places, organisations, seed, on_progress=on_progress,
                           model=partnership_model)
        except ValueError as exc:
            fail(f"{exc}")
        progress.update(tasks["organisations"], description="writing")
        paths = write_ecosystem(eco, output)
    summary = eco.summary()
    summary["model"] = model
    summary["files"] = [str(p) for p in paths]
    if json_out:
        print_json(summary)
        return
    table = Table(title=f"Synthetic ecosystem — N={organisations}, seed={seed}, "
                        f"model={model}")
    table.add_column("what")
    table.add_column("count", justify="right")
    for label, count in summary["element_types"].items():
        table.add_row(label, f"{count:,}")
    for role, count in summary["roles"].items():
        table.add_row(f"  role {role}", f"{count:,}")
    for phase, count in summary["phases"].items():
        table.add_row(f"  phase {phase}", f"{count:,}")
    table.add_section()
    for rel, count in summary["connection_types"].items():
        table.add_row(rel, f"{count:,}")
    table.add_section()
    table.add_row("elements", f"{summary['elements']:,}")
    table.add_row("connections", f"{summary['connections']:,}")
    console.print(table)
    console.print(f"wrote {paths[0]} and {paths[1]}; load them (after the territories) "
                  f"with `alliance-graph load {paths[0]} {paths[1]}`", soft_wrap=True)


def register(app: typer.Typer) -> None:
    """Add the `generate` command to the main app."""
    app.command("generate")(generate_command)
