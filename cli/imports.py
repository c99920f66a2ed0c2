"""`alliance-graph imports`: the history of the inventory, one Import record a load.

- ``alliance-graph imports [--dataset NAME] [--limit N] [--json]``: the loads, latest first.
- ``alliance-graph imports show ID [--json]``: one load and its report again.
- ``alliance-graph imports undo ID [--by LABEL]``: give back what a replacement retired.
- ``alliance-graph imports recover``: finish the replaces cut short (every load does it
  first too).
"""

from __future__ import annotations

import typer
from rich.table import Table

from cli.common import console, fail, print_json
from graph.french import num, plural, when_fr
from queries.imports import MODE_FR, STATE_FR, changes_words

app = typer.Typer(help="The loads made, latest first: files, dataset, operator, what each "
                       "changed; show one again, or undo what it retired.",
                  invoke_without_command=True)

def _driver():
    from cli.load import _driver as driver

    return driver()


@app.callback()
def imports(
    ctx: typer.Context,
    dataset: str = typer.Option(None, "--dataset", help="Only the loads of this dataset."),
    limit: int = typer.Option(20, "--limit", min=1, max=1000, help="How many, latest first."),
    json_out: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """List the loads, latest first."""
    if ctx.invoked_subcommand is not None:
        return
    from queries.imports import imports as list_imports

    driver, database = _driver()
    page = list_imports(driver, dataset=dataset, limit=limit, database=database)
    if json_out:
        print_json(page.model_dump(mode="json"))
        return
    if not page.items:
        console.print("Aucun chargement enregistré" + (f" pour le jeu de données « {dataset} »"
                                                       if dataset else "")
                      + " : chaque `alliance-graph load` en enregistre un.")
        return
    table = Table(title=f"Chargements ({num(page.total)})")
    for col in ("id", "date", "jeu de données", "mode", "par", "état", "changements"):
        table.add_column(col, overflow="fold", no_wrap=col in ("id", "mode"))
    for r in page.items:
        state = (STATE_FR.get(r.state, r.state) + (" — annulé" if r.undone_at else "")
                 + (" — repris après interruption" if r.recovered_at else ""))
        table.add_row(r.id, when_fr(r.at), r.dataset or ", ".join(r.datasets),
                      MODE_FR.get(r.mode, r.mode), r.by or "—", state, changes_words(r.counts))
    console.print(table)


@app.command("show")
def show(import_id: str = typer.Argument(..., metavar="ID"),
         json_out: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """One load again: its record and its report."""
    from cli.load import print_report
    from loaders.report import LoadReport
    from queries.errors import NotFoundError
    from queries.imports import import_record

    driver, database = _driver()
    try:
        record = import_record(driver, import_id, database=database)
    except NotFoundError:
        fail(f"aucun chargement « {import_id} » : `alliance-graph imports` les liste")
    if json_out:
        print_json(record.model_dump(mode="json"))
        return
    console.print(f"[bold]{record.id}[/] — {when_fr(record.at)}, "
                  f"{MODE_FR.get(record.mode, record.mode)} de "
                  f"« {record.dataset or ', '.join(record.datasets)} »"
                  + (f" par {record.by}" if record.by else "")
                  + f" : {STATE_FR.get(record.state, record.state)}.", highlight=False)
    for name, digest in zip(record.files, record.sha256, strict=False):
        console.print(f"  {name}  sha256 {digest}", highlight=False)
    if record.report is not None:
        print_report(LoadReport.model_validate(record.report), False)
    else:
        console.print(changes_words(record.counts), highlight=False)


@app.command("undo")
def undo(import_id: str = typer.Argument(..., metavar="ID"),
         by: str = typer.Option(None, "--by", help="Who undoes it (kept in the record)."),
         json_out: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Give back what a load retired (a `--replace-dataset`): the facts are alive again."""
    from graph.cache import clear_caches
    from loaders.import_record import undo as undo_import

    driver, database = _driver()
    try:
        done = undo_import(driver, import_id, by=by, database=database)
    except LookupError:
        fail(f"aucun chargement « {import_id} » : `alliance-graph imports` les liste")
    clear_caches()
    if json_out:
        print_json(done.__dict__)
        return
    console.print(f"{plural(done.elements, 'élément rendu', 'éléments rendus')} et "
                  f"{plural(done.connections, 'lien rendu', 'liens rendus')} ; "
                  f"{plural(done.relisted, 'fait remis', 'faits remis')} dans son jeu de "
                  "données.", highlight=False)


@app.command("recover")
def recover(json_out: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Finish the replaces cut short (their process or Neo4j killed) from the files they
    kept: each dataset ends as its new version. Every load does it first too."""
    from graph.cache import clear_caches
    from loaders.recovery import interrupted, is_gone
    from loaders.recovery import recover as finish_interrupted

    driver, database = _driver()
    done = finish_interrupted(driver, database=database)
    clear_caches()
    waiting = [r for r in interrupted(driver, database=database) if not is_gone(r)]
    if json_out:
        print_json({"recovered": [{"import_id": r.import_id, "dataset": r.dataset,
                                   "ok": report.ok, "state_files": [f.status for f in
                                                                    report.files]}
                                  for r, report in done],
                    "running": [r.import_id for r in waiting]})
        return
    if not done and not waiting:
        console.print("Aucun remplacement interrompu : rien à reprendre.")
    for r, report in done:
        verdict = ("terminé : le jeu de données est sa nouvelle version" if report.ok
                   else f"non terminé ({report.summary.rstrip('.')})")
        console.print(f"Remplacement {r.import_id} du jeu de données « {r.dataset} » "
                      f"{verdict}.", highlight=False)
    for r in waiting:
        console.print(f"Remplacement {r.import_id} en cours dans un autre processus "
                      f"({r.host}, pid {r.pid}) : laissé à celui-ci.", highlight=False)


def register(parent: typer.Typer) -> None:
    """Add the `imports` group to the main app."""
    parent.add_typer(app, name="imports")
