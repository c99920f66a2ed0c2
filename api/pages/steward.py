"""The stewards' pages (French), behind a login with the stewards' key:

- ``/gestion``: log in (``ALLIANCE_API_KEY``), which sets the session cookie
  (api/pages/steward_session.py); ``POST /gestion/deconnexion`` logs out;
- ``/gestion/importer`` « Importer »: upload a workbook or CSV files, read the trial's
  report in French (each error with file, row, column, value and fix, the list to
  download; what the load would change), then load, or replace the dataset;
- ``/gestion/imports`` « Historique des imports », and one load's report again, with the
  button that undoes what it retired.

The read pages stay public. Every form here carries the session's CSRF token. The upload
waits between the trial and the load in this process's memory (an hour at most): the
file is read once, and the load writes exactly what the trial showed.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.deps import DatabaseDep, DriverDep, SettingsDep
from api.pages.rendering import render
from api.pages.steward_forms import local_after, login_page, posted, refused, signed_in
from api.pages.steward_session import (
    StewardSession,
    csrf_ok,
    current_session,
    end_session,
    key_matches,
    start_session,
    stewards_enabled,
)
from graph import deadline
from graph.csv_writer import csv_bytes
from graph.french import plural, when_fr
from loaders.report import STATUS_FR, LoadReport
from loaders.tabular import Source

router = APIRouter(include_in_schema=False)

#: an upload waits this long between its trial and its load
STASH_SECONDS = 3600
#: uploads waiting at once, at most (the oldest goes first)
STASH_SIZE = 20
#: files one upload may carry, as POST /imports
MAX_FILES = 10


@dataclass
class _Upload:
    files: list[tuple[str, bytes]]
    dataset: str | None
    replace: bool
    by: str | None
    report: LoadReport | None = None
    created: float = field(default_factory=time.monotonic)


_stash: dict[str, _Upload] = {}
_stash_lock = threading.Lock()


def _keep(upload: _Upload) -> str:
    token = secrets.token_urlsafe(12)
    with _stash_lock:
        now = time.monotonic()
        for old in [t for t, u in _stash.items() if now - u.created > STASH_SECONDS]:
            del _stash[old]
        while len(_stash) >= STASH_SIZE:
            del _stash[next(iter(_stash))]
        _stash[token] = upload
    return token


def _kept(token: str) -> _Upload | None:
    with _stash_lock:
        upload = _stash.get(token)
    if upload is None or time.monotonic() - upload.created > STASH_SECONDS:
        return None
    return upload


# --- session ----------------------------------------------------------------------------


@router.get("/gestion", response_class=HTMLResponse)
def steward_home(request: Request) -> Response:
    """Log in, or go on to the history of the loads."""
    if current_session(request) is not None:
        return RedirectResponse("/gestion/imports", status_code=303)
    return login_page(request, after=request.query_params.get("suite"))


@router.post("/gestion/connexion", response_class=HTMLResponse)
def steward_login(request: Request, cle: Annotated[str, Form()] = "",
                  suite: Annotated[str, Form()] = "") -> Response:
    if not stewards_enabled(request):
        return login_page(request, status=403)
    if not key_matches(request, cle):
        return login_page(request, message="Cette clé n'est pas la bonne : vérifiez-la "
                                            "auprès de la personne qui administre le serveur.",
                           status=401, after=suite)
    response = RedirectResponse(local_after(suite), status_code=303)
    start_session(request, response)
    return response


@router.post("/gestion/deconnexion")
def steward_logout(request: Request, csrf: Annotated[str, Form()] = "") -> Response:
    session = current_session(request)
    if session is not None and not csrf_ok(session, csrf):
        return refused(request)
    response = RedirectResponse("/", status_code=303)
    end_session(response)
    return response


# --- history of the loads ---------------------------------------------------------------


@router.get("/gestion/imports", response_class=HTMLResponse)
def steward_imports(request: Request, driver: DriverDep, database: DatabaseDep) -> Response:
    """« Historique des imports »: every load, latest first."""
    from queries.imports import imports

    session = signed_in(request)
    if not isinstance(session, StewardSession):
        return session
    page = imports(driver, limit=200, database=database)
    return render(request, "steward_imports.html", {
        "nav": None, "session": session, "page": page,
        "rows": [_record_row(r) for r in page.items]})


def _record_row(record) -> dict[str, Any]:
    from queries.imports import MODE_FR, STATE_FR, changes_words

    return {"record": record, "when": when_fr(record.at),
            "dataset": record.dataset or ", ".join(record.datasets),
            "mode": MODE_FR.get(record.mode, record.mode),
            "state": STATE_FR.get(record.state, record.state)
            + (" — retraits annulés" if record.undone_at else "")
            + (f" — interrompu, repris le {when_fr(record.recovered_at)}"
               if record.recovered_at else ""),
            "changes": changes_words(record.counts)}


@router.get("/gestion/imports/{import_id}", response_class=HTMLResponse)
def steward_import(request: Request, import_id: str, driver: DriverDep,
                   database: DatabaseDep) -> Response:
    """One load: its record, its report again, and the undo of what it retired."""
    from queries.errors import NotFoundError
    from queries.imports import import_record

    session = signed_in(request)
    if not isinstance(session, StewardSession):
        return session
    try:
        record = import_record(driver, import_id, database=database)
    except NotFoundError:
        return render(request, "error.html", {
            "nav": None, "title": "Chargement introuvable",
            "message": f"Aucun chargement n'a l'identifiant « {import_id} » : voyez "
                       "l'historique des imports."}, status=404)
    report = LoadReport.model_validate(record.report) if record.report else None
    undoable = (record.counts.elements_retired or record.counts.connections_retired
                or record.mode == "replace") and record.undone_at is None
    return render(request, "steward_import.html", {
        "nav": None, "session": session, "row": _record_row(record), "record": record,
        "report": _report_view(report) if report else None, "undoable": undoable,
        "undone": request.query_params.get("annule") is not None})


@router.post("/gestion/imports/{import_id}/annuler")
def steward_undo(request: Request, import_id: str, driver: DriverDep, database: DatabaseDep,
                 csrf: Annotated[str, Form()] = "") -> Response:
    from graph.cache import clear_caches
    from loaders.import_record import undo

    session = posted(request, csrf)
    if not isinstance(session, StewardSession):
        return session
    try:
        undo(driver, import_id, by="page des gestionnaires", database=database)
    except LookupError:
        return RedirectResponse("/gestion/imports", status_code=303)
    clear_caches()
    return RedirectResponse(f"/gestion/imports/{quote(import_id)}?annule=1", status_code=303)


# --- what changed -----------------------------------------------------------------------

#: each kind of change, as the page says it
CHANGE_FR = {"appeared": "apparu", "changed": "modifié", "retired": "retiré"}


@router.get("/gestion/changements", response_class=HTMLResponse)
def steward_changes(request: Request, driver: DriverDep, database: DatabaseDep,
                    depuis: str = "", jusqua: str = "", jeu: str = "",
                    page: str = "1") -> Response:
    """« Ce qui a changé »: what appeared, changed, was retired in a window of time."""
    from api.pages.element import history_lines
    from api.pages.forms import page_number
    from graph.as_of import BadAsOf
    from queries.changes import changes, window
    from queries.errors import UnknownImport
    from queries.history import FactHistory

    session = signed_in(request)
    if not isinstance(session, StewardSession):
        return session
    form = {"depuis": depuis.strip(), "jusqua": jusqua.strip(), "jeu": jeu.strip()}
    try:
        start, end = window(driver, form["depuis"] or None, form["jusqua"] or None,
                            database=database)
    except (BadAsOf, UnknownImport):
        return render(request, "steward_changes.html", {
            "nav": None, "session": session, "form": form, "result": None,
            "message": "Donnez des dates comme 2026-06-19 (ou une date et une heure, ou "
                       "l'identifiant d'un chargement, imp-…)."}, status=400)
    number = page_number(page)
    result = changes(driver, start, end, dataset=form["jeu"] or None, limit=100,
                     offset=(number - 1) * 100, database=database)
    rows = []
    for c in result.items:
        detail = history_lines(FactHistory(entries=c.entries))
        what = [line["what"] for line in (detail or {}).get("lines", [])
                if line["what"].startswith("modifié")]
        rows.append({"change": c, "when": when_fr(c.at),
                     "said": CHANGE_FR[c.change] if c.change != "changed" or not what
                     else "; ".join(what)})
    counts = {key: result.counts.get(key, 0) for key in (
        "element appeared", "element changed", "element retired", "connection appeared",
        "connection changed", "connection retired")}
    return render(request, "steward_changes.html", {
        "nav": None, "session": session, "form": form, "result": result, "rows": rows,
        "counts": counts, "since": when_fr(start), "until": when_fr(end), "message": None,
        "page": number, "pages": max(1, -(-result.total // 100))})


# --- probable duplicates ----------------------------------------------------------------


@router.get("/gestion/doublons", response_class=HTMLResponse)
def steward_duplicates(request: Request, driver: DriverDep, database: DatabaseDep,
                       page: str = "1") -> Response:
    """« Doublons probables »: pairs of organisations that may be one, best first, each
    with its reasons, a « Fusionner » button each way and « Pas un doublon »."""
    from api.pages.forms import page_number
    from queries.duplicates import duplicates

    session = signed_in(request)
    if not isinstance(session, StewardSession):
        return session
    number = page_number(page)
    # no request deadline: at 100,000 organisations the pairs take seconds to find
    found = deadline.outside_request(duplicates)(driver, limit=50, offset=(number - 1) * 50,
                                                 database=database)
    return render(request, "steward_duplicates.html", {
        "nav": None, "session": session, "found": found, "page": number,
        "pages": max(1, -(-found.total // 50)), "done": request.query_params.get("fait")})


@router.post("/gestion/doublons/fusionner")
def steward_merge(request: Request, driver: DriverDep, database: DatabaseDep,
                  csrf: Annotated[str, Form()] = "", garder: Annotated[str, Form()] = "",
                  fondre: Annotated[str, Form()] = "") -> Response:
    """Merge ``fondre`` into ``garder`` (loaders/merge.py), then back to the list."""
    from graph.cache import clear_caches
    from loaders.merge import MergeError, merge

    session = posted(request, csrf)
    if not isinstance(session, StewardSession):
        return session
    try:
        done = merge(driver, garder, fondre, by="page des gestionnaires", database=database)
    except MergeError as exc:
        return render(request, "error.html", {
            "nav": None, "title": "Fusion impossible", "message": exc.message_fr},
            status=409)
    clear_caches()
    return RedirectResponse(f"/gestion/doublons?fait={quote(done.id)}", status_code=303)


@router.post("/gestion/doublons/ecarter")
def steward_dismiss(request: Request, driver: DriverDep, database: DatabaseDep,
                    csrf: Annotated[str, Form()] = "", a: Annotated[str, Form()] = "",
                    b: Annotated[str, Form()] = "") -> Response:
    """Mark a pair « pas un doublon »: never proposed again."""
    from graph.cache import clear_caches
    from loaders.duplicate_decisions import dismiss
    from loaders.merge import MergeError

    session = posted(request, csrf)
    if not isinstance(session, StewardSession):
        return session
    try:
        dismiss(driver, a, b, by="page des gestionnaires", database=database)
    except MergeError as exc:
        return render(request, "error.html", {
            "nav": None, "title": "Paire introuvable", "message": exc.message_fr},
            status=404)
    clear_caches()
    return RedirectResponse("/gestion/doublons", status_code=303)


@router.post("/gestion/doublons/{merge_id}/annuler")
def steward_unmerge(request: Request, merge_id: str, driver: DriverDep,
                    database: DatabaseDep, csrf: Annotated[str, Form()] = "") -> Response:
    """Undo a merge: both organisations as they were."""
    from graph.cache import clear_caches
    from loaders.merge import MergeError, undo_merge

    session = posted(request, csrf)
    if not isinstance(session, StewardSession):
        return session
    try:
        undo_merge(driver, merge_id, by="page des gestionnaires", database=database)
    except MergeError as exc:
        return render(request, "error.html", {
            "nav": None, "title": "Annulation impossible", "message": exc.message_fr},
            status=409)
    clear_caches()
    return RedirectResponse("/gestion/doublons", status_code=303)


# --- import -----------------------------------------------------------------------------


@router.get("/gestion/importer", response_class=HTMLResponse)
def steward_upload_form(request: Request) -> Response:
    """« Importer »: the upload form."""
    session = signed_in(request)
    if not isinstance(session, StewardSession):
        return session
    return render(request, "steward_upload.html", {"nav": None, "session": session,
                                                   "message": None, "form": {}})


@router.post("/gestion/importer", response_class=HTMLResponse)
def steward_upload(request: Request, driver: DriverDep, database: DatabaseDep,
                   settings: SettingsDep,
                   fichiers: Annotated[list[UploadFile], File()],
                   csrf: Annotated[str, Form()] = "", jeu: Annotated[str, Form()] = "",
                   mode: Annotated[str, Form()] = "ajout",
                   par: Annotated[str, Form()] = "") -> Response:
    """Read the files and try them (a dry run): the report in French, then « Charger »."""
    from loaders.importer import load_sources

    session = posted(request, csrf)
    if not isinstance(session, StewardSession):
        return session
    form = {"jeu": jeu.strip(), "mode": mode, "par": par.strip()}

    def again(message: str, status: int = 422) -> HTMLResponse:
        return render(request, "steward_upload.html", {
            "nav": None, "session": session, "message": message, "form": form},
            status=status)

    files = [(f.filename or "fichier", f.file.read()) for f in fichiers if f.filename]
    if not files:
        return again("Choisissez au moins un fichier (.xlsx ou .csv).")
    if len(files) > MAX_FILES:
        return again(f"{MAX_FILES} fichiers au plus à la fois, pas {len(files)} : envoyez-les "
                     "en plusieurs fois.")
    wrong = [name for name, _ in files if not name.lower().endswith((".xlsx", ".csv"))]
    if wrong:
        return again(f"« {wrong[0]} » : seuls les classeurs .xlsx et les fichiers .csv sont "
                     "acceptés.")
    replace = mode == "remplacement"
    if replace and not form["jeu"]:
        return again("Pour remplacer un jeu de données, donnez son nom (par exemple "
                     "« inventaire-relais-nord »).")
    upload = _Upload(files, form["jeu"] or None, replace, form["par"] or None)
    # no request deadline on a load: it may read and write for longer than a question
    upload.report = deadline.outside_request(load_sources)(
        driver, [Source(name, data) for name, data in files], database=database,
        dry_run=True, dataset=upload.dataset, replace=replace, by=upload.by,
        batch_size=settings.batch_size)
    token = _keep(upload)
    return render(request, "steward_trial.html", {
        "nav": None, "session": session, "token": token, "upload": upload,
        "report": _report_view(upload.report), "form": form},
        status=200 if upload.report.ok else 422)


@router.post("/gestion/importer/{token}/charger")
def steward_load(request: Request, token: str, driver: DriverDep, database: DatabaseDep,
                 settings: SettingsDep, csrf: Annotated[str, Form()] = "") -> Response:
    """Load the files just tried, as tried; then the load's page."""
    from loaders.importer import load_sources

    session = posted(request, csrf)
    if not isinstance(session, StewardSession):
        return session
    upload = _kept(token)
    if upload is None:
        return render(request, "error.html", {
            "nav": None, "title": "Envoi expiré",
            "message": "Ces fichiers ne sont plus en attente (une heure au plus, ou le "
                       "serveur a redémarré) : envoyez-les à nouveau."}, status=410)
    report = deadline.outside_request(load_sources)(
        driver, [Source(name, data) for name, data in upload.files],
                          database=database, dataset=upload.dataset, replace=upload.replace,
                          by=upload.by, batch_size=settings.batch_size)
    with _stash_lock:
        _stash.pop(token, None)
    request.app.state.refresher.poke()  # the analytics of the new graph, in the background
    if report.import_id:
        return RedirectResponse(f"/gestion/imports/{quote(report.import_id)}",
                                status_code=303)
    return render(request, "steward_trial.html", {
        "nav": None, "session": session, "token": None, "upload": upload,
        "report": _report_view(report), "form": {}}, status=422)


@router.get("/gestion/importer/{token}/erreurs.csv")
def steward_errors(request: Request, token: str) -> Response:
    """The errors of a trial, one row each, for Excel in French (``;``, UTF-8 with BOM)."""
    session = signed_in(request)
    if not isinstance(session, StewardSession):
        return session
    upload = _kept(token)
    if upload is None or upload.report is None:
        return Response("Cet envoi n'est plus en attente : envoyez les fichiers à nouveau.",
                        status_code=410, media_type="text/plain; charset=utf-8")
    rows = [["fichier", "feuille", "ligne", "colonne", "valeur", "erreur et correction"]]
    rows += [[e.file, e.sheet or "", e.row or "", e.column or "", e.value or "", e.reason]
             for e in upload.report.errors]
    return Response(csv_bytes(rows), media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": 'attachment; filename="erreurs-du-chargement.csv"'})


def _report_view(report: LoadReport) -> dict[str, Any]:
    """A load report as the pages show it: files, errors, warnings, what changes."""
    files = []
    for f in report.files:
        written = (f.elements_planned, f.connections_planned) if report.dry_run else (
            f.elements_written, f.connections_written)
        files.append({"file": f.file, "status": STATUS_FR[f.status], "ok": f.status in (
            "loaded", "validated"), "rows": f.rows_read, "elements": written[0],
            "connections": written[1], "rejected": f.rows_rejected,
            "errors": len(f.errors), "warnings": f.warnings, "dataset": f.dataset,
            "write_error": f.write_error})
    errors = report.errors
    return {"ok": report.ok, "dry_run": report.dry_run, "files": files,
            "errors": errors[:500], "more_errors": max(0, len(errors) - 500),
            "errors_title": plural(len(errors), "erreur", "erreurs"),
            "summary": report.summary, "changes": report.changes.summary,
            "import_id": report.import_id}
