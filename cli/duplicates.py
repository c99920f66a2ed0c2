"""`alliance-graph duplicates`: probable duplicate organisations, merged or dismissed.

- ``alliance-graph duplicates [--min-score S] [--limit N] [--offset N] [--json]``: the
  probable duplicates, best first, each scored and explained (queries/duplicates.py).
- ``alliance-graph duplicates merge KEEP OTHER [--by LABEL]``: fold OTHER into KEEP
  (loaders/merge.py); it prints the merge's id.
- ``alliance-graph duplicates undo MERGE_ID [--by LABEL]``: give back the facts as they
  were before that merge.
- ``alliance-graph duplicates dismiss A B [--by LABEL]``: « pas un doublon », never
  proposed again.
"""

from __future__ import annotations

import typer
from rich.table import Table

from cli.common import console, fail, print_json
from graph.french import num, plural

app = typer.Typer(help="Probable duplicate organisations (same SIREN or RNA, close names, "
                       "same commune and kind), scored and explained; merge a pair (and "
                       "undo it) or say it is not one.",
                  invoke_without_command=True)


def _driver():
    from cli.load import _driver as driver

    return driver()


def _percent(score: float) -> str:
    return f"{round(score * 100)} %"


@app.callback()
def duplicates(
    ctx: typer.Context,
    min_score: float = typer.Option(0.75, "--min-score", min=0.0, max=1.0,
                                    help="The lowest score shown (1: same SIREN or RNA)."),
    limit: int = typer.Option(20, "--limit", min=1, max=1000, help="How many, best first."),
    offset: int = typer.Option(0, "--offset", min=0, help="How many to skip."),
    json_out: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """List the probable duplicates, best first."""
    if ctx.invoked_subcommand is not None:
        return
    from queries.duplicates import duplicates as find

    driver, database = _driver()
    with console.status("Recherche des doublons probables…"):
        page = find(driver, min_score=min_score, limit=limit, offset=offset,
                    database=database)
    if json_out:
        print_json(page.model_dump(mode="json"))
        return
    if not page.total:
        console.print(f"Aucun doublon probable (score d'au moins {_percent(min_score)}).",
                      highlight=False)
        return
    if not page.items:  # past the end: offset ≥ 1, so the ordinal is never « 1er »
        console.print(f"{plural(page.total, 'doublon probable', 'doublons probables')} "
                      f"(score d'au moins {_percent(min_score)}) : aucun à partir du "
                      f"{offset + 1}e.", highlight=False)
        return
    table = Table(title=plural(page.total, "doublon probable", "doublons probables")
                  + (f" (de {num(offset + 1)} à {num(offset + len(page.items))})"
                     if page.total > len(page.items) else ""))
    for col in ("score", "à garder ?", "doublon ?", "pourquoi"):
        table.add_column(col, overflow="fold")
    for pair in page.items:
        table.add_row(_percent(pair.score), f"{pair.a.name}\n{pair.a.id}",
                      f"{pair.b.name}\n{pair.b.id}", pair.explanation)
    console.print(table)
    console.print("Fusionner : `alliance-graph duplicates merge GARDÉE DOUBLON` ; "
                  "écarter : `alliance-graph duplicates dismiss A B`.", highlight=False)


@app.command("merge")
def merge(keep: str = typer.Argument(..., metavar="KEEP", help="The organisation kept (id)."),
          other: str = typer.Argument(..., metavar="OTHER",
                                      help="Its duplicate, folded into it (id)."),
          by: str = typer.Option(None, "--by", help="Who merges (kept in the record)."),
          json_out: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Fold OTHER into KEEP: its links move to KEEP, its names become KEEP's aliases; it
    stays, retired, so that its id still leads to KEEP. `duplicates undo` gives it back."""
    from loaders.merge import MergeError
    from loaders.merge import merge as fold

    driver, database = _driver()
    try:
        done = fold(driver, keep, other, by=by, database=database)
    except MergeError as exc:
        fail(exc.message_fr)
    if json_out:
        print_json(done.__dict__)
        return
    console.print(done.summary_fr(), highlight=False)
    console.print(f"Fusion {done.id} : `alliance-graph duplicates undo {done.id}` l'annule.",
                  highlight=False)


@app.command("undo")
def undo(merge_id: str = typer.Argument(..., metavar="MERGE_ID"),
         by: str = typer.Option(None, "--by", help="Who undoes it (kept in the record)."),
         json_out: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Give back the facts as they were before a merge."""
    from loaders.merge import MergeError, undo_merge

    driver, database = _driver()
    try:
        done = undo_merge(driver, merge_id, by=by, database=database)
    except MergeError as exc:
        fail(exc.message_fr)
    if json_out:
        print_json(done.__dict__)
        return
    console.print(f"Fusion {done.id} annulée : « {done.other} » est de retour avec "
                  f"{plural(done.relationships, 'lien', 'liens')}.", highlight=False)


@app.command("dismiss")
def dismiss(a: str = typer.Argument(..., metavar="A"), b: str = typer.Argument(..., metavar="B"),
            by: str = typer.Option(None, "--by", help="Who decides (kept in the record)."),
            json_out: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Say A and B are not duplicates: the pair is never proposed again."""
    from loaders.duplicate_decisions import dismiss as record
    from loaders.merge import MergeError

    driver, database = _driver()
    try:
        done = record(driver, a, b, by=by, database=database)
    except MergeError as exc:
        fail(exc.message_fr)
    if json_out:
        print_json(done.__dict__)
        return
    console.print(f"« {done.a} » et « {done.b} » : pas un doublon"
                  + (" (c'était déjà noté)." if not done.new else " ; la paire ne sera plus "
                     "proposée."), highlight=False)


def register(parent: typer.Typer) -> None:
    """Add the `duplicates` group to the main app."""
    parent.add_typer(app, name="duplicates")
