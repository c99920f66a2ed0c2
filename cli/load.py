"""`alliance-graph load`: import CSV/XLSX files, the territory reference, or the curated data.

- ``alliance-graph load FILE... [--skip-invalid] [--dry-run] [--rejects DIR] [--json]``
  validates every row of every file, then writes in batches; exits 1 when a file (or,
  with ``--skip-invalid``, a row) was rejected.
- ``alliance-graph load territories [FILE]``: the territory reference (loaders/territories).
- ``alliance-graph load curated``: the curated dataset (loaders/curated).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from pathlib import Path

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from cli.common import console, err_console, fail, print_json
from graph.french import num, plural
from graph.settings import get_settings
from loaders.report import STATUS_FR

KEYWORDS = ("territories", "curated")


def _progress(json_out: bool) -> Progress:
    # --json keeps stdout clean: bars go to stderr, and are hidden for machines anyway
    return Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), console=err_console, transient=True, disable=json_out,
    )


def _driver():
    from graph.driver import get_database, get_driver

    try:
        driver = get_driver()
        driver.verify_connectivity()
    except Exception as exc:  # noqa: BLE001 - one line with the fix
        fail(f"Neo4j ne répond pas ({exc.__class__.__name__}: {exc}) : démarrez-le avec "
             "`alliance-graph db start`, ou donnez son adresse dans NEO4J_URI")
    return driver, get_database()


@contextlib.contextmanager
def _neo4j_gone() -> Iterator[None]:
    """One line instead of a traceback if Neo4j goes away outside what the report covers
    (the importer reports its own failed writes and validations)."""
    from neo4j.exceptions import Neo4jError, ServiceUnavailable, SessionExpired

    try:
        yield
    except (ServiceUnavailable, SessionExpired, Neo4jError) as exc:
        fail(f"Neo4j a cessé de répondre pendant le chargement ({exc.__class__.__name__}) : "
             "chargez les fichiers à nouveau quand il répondra (`alliance-graph db status`) ; "
             "recharger ne crée pas de doublon")


def _importer_progress(progress: Progress):
    tasks: dict[tuple[str, str], int] = {}
    lock = threading.Lock()  # the importer writes some files while it validates others

    def on_progress(stage: str, file: str, advance: int, total: int) -> None:
        key = ("validate", "") if stage == "validate" else ("write", file)
        with lock:
            if key not in tasks:
                label = "lecture des fichiers" if stage == "validate" else f"écriture de {file}"
                tasks[key] = progress.add_task(label, total=total)
        progress.update(tasks[key], advance=advance)

    return on_progress


#: the colour of each file status in the summary table
_COLOURS = {"loaded": "green", "validated": "green", "partial": "yellow",
            "rejected": "red", "write_failed": "red"}
#: errors printed in the table; --json gives every one
SHOWN_ERRORS = 500


def print_report(report, json_out: bool) -> None:
    """The load report, in French: a summary table of the files, then every error as one
    sentence (file, row, column, value, reason and fix), the warnings and the total.
    ``--json`` prints the report with its stable codes."""
    if json_out:
        print_json(report.model_dump(mode="json"))
        return
    title = "Chargement" + (" (essai : rien n'est écrit)" if report.dry_run else "")
    summary = Table(title=title)
    for col in ("fichier", "état", "lignes", "éléments", "liens", "rejetées", "erreurs"):
        summary.add_column(col, justify="left" if col in ("fichier", "état") else "right",
                           overflow="fold")
    for f in report.files:
        elements, connections = (
            (f.elements_planned, f.connections_planned) if report.dry_run
            else (f.elements_written, f.connections_written))
        # a commit whose acknowledgement was lost may have gone through: "au moins"
        at_least = "≥ " if not report.dry_run and f.at_least else ""
        summary.add_row(f.file, f"[{_COLOURS[f.status]}]{STATUS_FR[f.status]}[/]",
                        num(f.rows_read), at_least + num(elements), at_least + num(connections),
                        num(f.rows_rejected), num(len(f.errors)))
    console.print(summary)
    errors = report.errors
    if errors:
        # one paragraph each, as a sentence: place, value, reason and fix stay readable in
        # a narrow terminal, where a table column would cut them into pieces
        console.print(f"[bold]{_capitalised(plural(len(errors), 'erreur', 'erreurs'))} :[/]")
        for e in errors[:SHOWN_ERRORS]:
            console.print(f"[red]•[/] {escape(e.message)}", highlight=False)
        if len(errors) > SHOWN_ERRORS:
            more = len(errors) - SHOWN_ERRORS
            console.print(f"… et {plural(more, 'autre erreur', 'autres erreurs')} (--json "
                          "les donne toutes).")
    for f in report.files:
        for w in f.warnings:
            console.print(f"[yellow]attention[/] {escape(f.file)} : {escape(w)}",
                          highlight=False)
        if f.rejects_file:
            console.print(f"Les lignes rejetées de {f.file}, avec leurs raisons : "
                          f"{f.rejects_file}", highlight=False)
        if f.write_error:
            console.print(f"[bold red]écriture interrompue[/] {f.file} : {f.write_error}",
                          highlight=False)
    for import_id in report.recovered:
        console.print(f"Remplacement interrompu {import_id} terminé d'abord, à partir des "
                      "fichiers qu'il avait gardés : le jeu de données est sa nouvelle "
                      "version.", highlight=False)
    console.print(_capitalised(report.summary), highlight=False)
    changes = report.changes.summary
    if report.dry_run:
        console.print(f"Changements que ce chargement ferait : {changes}.", highlight=False)
    elif report.import_id:
        console.print(f"Changements : {changes}. Chargement enregistré : {report.import_id} "
                      "(`alliance-graph imports show` le redonne).", highlight=False)
    if not report.ok and not report.skip_invalid and any(
            f.status == "rejected" for f in report.files):
        console.print("Aucune ligne d'un fichier rejeté n'a été écrite. Corrigez les lignes "
                      "ci-dessus, ou ajoutez --skip-invalid pour charger les lignes valides.")


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _load_territories(args: list[str], json_out: bool) -> None:
    from loaders.territories import load_territories

    path = Path(args[0]) if args else None
    if path is not None and not path.exists():
        fail(f"{path} n'existe pas : donnez le fichier du référentiel des territoires, ou "
             "aucun fichier pour celui qui est fourni")
    driver, database = _driver()
    with _progress(json_out) as progress, _neo4j_gone():
        task = progress.add_task("territoires", total=None)

        def on_progress(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        try:
            report = load_territories(driver, path, database=database, on_progress=on_progress)
        except (ValueError, OSError) as exc:
            fail(f"{exc}")
    if json_out:
        print_json(report.model_dump(mode="json"))
        return
    seconds = f"{report.seconds:.1f}".replace(".", ",")
    console.print(
        f"{plural(report.nodes, 'territoire chargé', 'territoires chargés')} "
        f"({plural(report.regions, 'région', 'régions')}, "
        f"{plural(report.departements, 'département', 'départements')}, "
        f"{num(report.epcis)} EPCI, {plural(report.communes, 'commune', 'communes')}) et "
        f"{plural(report.part_of, 'lien', 'liens')} « fait partie de », en {seconds} s.",
        highlight=False)


def _load_curated(json_out: bool) -> None:
    from loaders.curated import load_curated

    driver, database = _driver()
    with _progress(json_out) as progress, _neo4j_gone():
        report = load_curated(driver, database=database,
                              on_progress=_importer_progress(progress))
    print_report(report, json_out)
    if not report.ok:
        raise typer.Exit(1)


def load(
    files: list[str] = typer.Argument(
        ..., metavar="FILE...",
        help="CSV or XLSX files (elements, connections, inventaire) or directories of them; "
             "or `territories [FILE]`; or `curated`."),
    skip_invalid: bool = typer.Option(
        False, "--skip-invalid", help="Write the valid rows; rejected rows go to a rejects "
                                      "CSV with their reasons."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Only validate: write nothing."),
    rejects: Path = typer.Option(
        None, "--rejects", metavar="DIR",
        help="Directory for rejects files (default: beside each file)."),
    batch_size: int = typer.Option(None, "--batch-size", help="Rows per UNWIND batch."),
    dataset: str = typer.Option(
        None, "--dataset", metavar="NAME",
        help="The dataset the files belong to (default: each file's name without extension)."),
    replace_dataset: str = typer.Option(
        None, "--replace-dataset", metavar="NAME",
        help="The files are the new full version of dataset NAME: what it stated and they "
             "no longer do is retired (kept, dated; `imports undo` gives it back). With "
             "--dry-run: the diff only."),
    by: str = typer.Option(None, "--by", metavar="LABEL",
                           help="Who loads (kept in the import record)."),
    json_out: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Import files (all or nothing per file), the territory reference, or the curated data.

    Examples: `alliance-graph load elements.csv connections.csv`, `alliance-graph load
    inventaire.xlsx --dry-run`, `alliance-graph load territories`, `alliance-graph load
    curated`.
    """
    if files[0] == "territories":
        _load_territories(files[1:], json_out)
        return
    if files[0] == "curated" and len(files) == 1:
        _load_curated(json_out)
        return
    if dataset and replace_dataset and dataset != replace_dataset:
        fail(f"--dataset {dataset} et --replace-dataset {replace_dataset} : un chargement "
             "appartient à un seul jeu de données ; gardez --replace-dataset seul")
    if replace_dataset and skip_invalid:
        fail("--replace-dataset et --skip-invalid ne vont pas ensemble : une ligne rejetée "
             "serait retirée du graphe. Corrigez le fichier, ou chargez-le sans remplacer")
    missing = [f for f in files if not (Path(f).is_file() or Path(f).is_dir())]
    if missing:
        fail(f"{missing[0]} n'est pas un fichier : donnez des fichiers CSV ou XLSX, ou un "
             "dossier qui en contient (ou `territories`, `curated`)")
    from loaders.importer import expand_paths, load_paths

    if not expand_paths(files):
        fail("aucun fichier CSV ou XLSX dans les dossiers donnés")

    driver, database = _driver()
    from cli.interchange import load_exported_territories, territory_file_of

    if (territories := territory_file_of(files)) is not None and not dry_run:
        # a directory written by `alliance-graph export`: its territories go first
        with _neo4j_gone():
            load_exported_territories(driver, database, territories, json_out)
    size = batch_size or get_settings().batch_size
    with _progress(json_out) as progress, _neo4j_gone():
        report = load_paths(driver, files, database=database, skip_invalid=skip_invalid,
                            dry_run=dry_run, rejects_dir=rejects, batch_size=size,
                            on_progress=_importer_progress(progress),
                            dataset=replace_dataset or dataset,
                            replace=replace_dataset is not None, by=by)
    print_report(report, json_out)
    if not report.ok:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add the `load` command to the main app."""
    app.command("load")(load)
