"""The stewards' routes (all require the API key): POST /imports loads a workbook or CSV
files, in a job, and answers the report (or 202 and the job, for a long load:
api/jobs.py); GET /imports lists the loads made, GET /imports/{id} gives one again, POST
/imports/{id}/undo gives back what it retired."""

from __future__ import annotations

import re
import threading
import uuid
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, File, Path, Query, Request, Response, UploadFile
from pydantic import BaseModel, Field

from api.deps import DatabaseDep, DriverDep, SettingsDep
from api.errors import DatabaseUnavailable, NotFound, Unprocessable
from api.jobs import AsyncParam, answer_or_accepted, runner
from api.memory import give_back
from api.openapi import ACCEPTED, responses
from api.pagination import PageDep
from api.responses import json_response
from api.security import ApiKeyDep
from graph import progress
from graph.cache import clear_caches
from graph.french import plural
from loaders.import_record import undo
from loaders.importer import LoadReport, load_sources
from loaders.tabular import Source
from queries.errors import NotFoundError
from queries.imports import ImportDetail, ImportsPage, import_record
from queries.imports import imports as imports_page
from queries.projection import graph_fingerprint

router = APIRouter(tags=["imports"])

#: the longest dataset name or operator label
DATASET_MAX = 100
DatasetParam = Annotated[str | None, Query(
    min_length=1, max_length=DATASET_MAX,
    description="The dataset the files belong to (default: each file's name without its "
                "extension); for the list, only that dataset's loads.")]
ImportId = Annotated[str, Path(min_length=1, max_length=60, pattern=r"^imp-[0-9a-z-]+$",
                               description="An import id, `imp-…`.")]

#: files one request may carry (a workbook, or elements + connections CSVs, and a few more)
MAX_FILES = 10
ACCEPTED_SUFFIXES = (".csv", ".xlsx")

EXAMPLE = {
    "ok": True, "dry_run": False, "skip_invalid": False,
    "files": [{"file": "elements.csv", "status": "loaded", "tables": ["elements"],
               "rows_read": 12, "elements_planned": 12, "connections_planned": 0,
               "elements_written": 12, "connections_written": 0,
               "rows_rejected": 0, "errors": [], "warnings": [], "warnings_en": [],
               "rejects_file": None, "write_error": None, "write_error_en": None,
               "summary": "chargé : 12 lignes lues ; écrits : 12 éléments, 0 lien ; "
                          "aucune erreur."}],
    "summary": "1 fichier (1 chargé), aucune erreur.",
}


def _safe_name(filename: str | None, index: int) -> str:
    """The upload's base name, without directories or odd characters (it names the file in
    the report and tells CSV from XLSX)."""
    base = re.split(r"[\\/]", filename or "")[-1]
    base = re.sub(r"[^A-Za-z0-9._ -]+", "_", base).strip(" .")[:120]
    return base or f"upload-{index}"


@router.post("/imports", response_model=LoadReport,
             responses={**responses(EXAMPLE, 400, 401, 403, 413), **ACCEPTED})
def imports(
    _: ApiKeyDep,
    request: Request,
    driver: DriverDep,
    database: DatabaseDep,
    settings: SettingsDep,
    files: Annotated[list[UploadFile], File(description="A workbook (.xlsx) or CSV files "
                                            "(elements, connections), as in data/.")],
    skip_invalid: Annotated[bool, Query(description="Write the valid rows of a file with "
                                        "errors; the report lists the others.")] = False,
    dry_run: Annotated[bool, Query(description="Only validate; write nothing (the report "
                                   "still says what would change).")] = False,
    dataset: DatasetParam = None,
    replace_dataset: Annotated[str | None, Query(
        min_length=1, max_length=DATASET_MAX,
        description="The files are the new full version of this dataset: what it stated "
                    "and they no longer do is retired (kept and dated; `POST "
                    "/imports/{id}/undo` gives it back). Not with `skip_invalid`.")] = None,
    by: Annotated[str | None, Query(min_length=1, max_length=DATASET_MAX,
                                    description="Who loads, kept in the import record.")] = None,
    as_job: AsyncParam = False,
) -> Response:
    """Validate then load the uploaded files (MERGE on id: loading twice changes nothing).

    Requires the `X-API-Key` header (= `ALLIANCE_API_KEY`; unset, imports are refused with
    403). A file with errors writes nothing (unless `skip_invalid`) and the answer is a 422
    whose `detail` is the full report, naming file, row and column of every error. What
    people read is French (`message`, `summary`, each error's `reason` and `message`); each
    error keeps its stable English `code`, and `reason_en` the English reason.

    The load runs as a job: when it ends within `ALLIANCE_JOB_WAIT` seconds the answer is
    the report (200) or its error, as always; a longer load answers **202** with the job,
    whose `GET /jobs/{id}` gives the progress (`validate`, `write` with rows done of
    rows), then the report as `result` or the same error as `error`; with `async=true`,
    the 202 at once. After a load the brokers and communities are computed again in the
    background.
    """
    if dataset and replace_dataset and dataset != replace_dataset:
        raise Unprocessable(f"dataset {dataset!r} and replace_dataset {replace_dataset!r}: a load "
                         "belongs to one dataset; give replace_dataset alone")
    if replace_dataset and skip_invalid:
        raise Unprocessable("replace_dataset and skip_invalid do not go together: a rejected row "
                         "would be retired from the graph")
    if len(files) > MAX_FILES:
        raise Unprocessable(f"{MAX_FILES} fichiers au plus par import, pas {len(files)} : "
                            "envoyez-les en plusieurs fois")
    sources = []
    for index, upload in enumerate(files):
        name = _safe_name(upload.filename, index)
        if not name.lower().endswith(ACCEPTED_SUFFIXES):
            raise Unprocessable(f"{name} : seuls les classeurs .xlsx et les fichiers .csv "
                                "sont acceptés")
        sources.append(Source(name, upload.file.read()))

    def load() -> LoadReport:
        try:
            report = load_sources(driver, sources, database=database,
                                  skip_invalid=skip_invalid, dry_run=dry_run,
                                  batch_size=settings.batch_size, on_progress=_progress(),
                                  dataset=replace_dataset or dataset,
                                  replace=replace_dataset is not None, by=by)
        finally:
            sources.clear()  # the uploads' bytes, before the memory is given back
            give_back()
        if not dry_run:  # the graph changed: its analytics, in the background
            request.app.state.refresher.poke()
        return report

    # one quick read within the request's deadline first: a database known down or hung
    # answers 503 (or 504) now, rather than a job that would wait for it
    graph_fingerprint(driver, database=database)
    jobs = runner(request)
    job = jobs.job(jobs.task("import", ("import", uuid.uuid4().hex), load), finish=_judged)
    return answer_or_accepted(request, job, json_response, at_once=as_job)


#: one load as GET /imports lists it
RECORD_EXAMPLE = {
    "id": "imp-20261203-061502-3fa9", "at": "2026-12-03T06:15:02.120000Z",
    "finished_at": "2026-12-03T06:15:09.870000Z", "dataset": "inventaire-relais-nord",
    "datasets": ["inventaire-relais-nord"], "files": ["inventaire-relais-nord.xlsx"],
    "sha256": ["9f2c…"], "by": "Camille Martin", "mode": "replace", "state": "done",
    "undone_at": None, "undone_by": None,
    "counts": {"elements_created": 12, "elements_updated": 5, "elements_unchanged": 230,
               "elements_retired": 3, "connections_created": 40, "connections_updated": 0,
               "connections_unchanged": 611, "connections_retired": 7}}


@router.get("/imports", response_model=ImportsPage, responses=responses(
    {"total": 1, "limit": 50, "offset": 0, "items": [RECORD_EXAMPLE]}, 401, 403))
def list_imports(_: ApiKeyDep, driver: DriverDep, database: DatabaseDep, page: PageDep,
                 dataset: DatasetParam = None) -> ImportsPage:
    """The loads made, the latest first: when, files and their sha256, dataset, operator,
    mode, state and the counts of elements and connections created, updated, unchanged
    and retired. Requires the `X-API-Key` header (the stewards' key)."""
    return imports_page(driver, dataset=dataset, limit=page.limit, offset=page.offset,
                        database=database)


@router.get("/imports/{import_id}", response_model=ImportDetail,
            responses=responses({**RECORD_EXAMPLE, "report": EXAMPLE}, 401, 403, 404))
def get_import(_: ApiKeyDep, import_id: ImportId, driver: DriverDep,
               database: DatabaseDep) -> ImportDetail:
    """One load: its record and the report it answered, again. Requires `X-API-Key`."""
    try:
        return import_record(driver, import_id, database=database)
    except NotFoundError as exc:
        raise NotFound(str(exc)) from exc


class UndoAnswer(BaseModel):
    """What undoing a load's retirements gave back."""

    import_id: str
    elements: int = Field(description="Elements alive again.")
    connections: int = Field(description="Connections alive again.")
    relisted: int = Field(description="Facts another dataset kept, listed again in this "
                                      "load's dataset.")


@router.post("/imports/{import_id}/undo", response_model=UndoAnswer,
             responses=responses(None, 401, 403, 404))
def undo_import(_: ApiKeyDep, import_id: ImportId, driver: DriverDep, database: DatabaseDep,
                by: Annotated[str | None, Query(min_length=1, max_length=DATASET_MAX,
                                                description="Who undoes it.")] = None,
                ) -> UndoAnswer:
    """Give back what a load retired (a replacement of its dataset): those facts are alive
    again, with a history entry saying so. Requires `X-API-Key`."""
    try:
        done = undo(driver, import_id, by=by, database=database)
    except LookupError as exc:
        raise NotFound(f"no import {import_id!r}: GET /imports lists them") from exc
    clear_caches()
    return UndoAnswer(**done.__dict__)


def _progress() -> Callable[[str, str, int, int], None]:
    """The loader's progress for the job's view: ``validate`` (files done of files), then
    ``write`` (rows written of the file's rows)."""
    counted: dict[tuple[str, str], int] = {}
    lock = threading.Lock()  # a file's batches may end in two writer threads at once

    def report(stage: str, file: str, advance: int, total: int) -> None:
        key = (stage, file if stage == "write" else "")  # validate counts files
        with lock:
            done = counted[key] = counted.get(key, 0) + advance
        progress.report(stage, done, total)

    return report


def _judged(report: LoadReport) -> LoadReport:
    """The report, or the error the route answers for it (503 interrupted, 422 rejected)."""
    if any(f.status == "write_failed" for f in report.files):
        raise DatabaseUnavailable(
            "le chargement s'est interrompu pendant l'écriture : envoyez à nouveau les "
            f"fichiers pour le terminer. Bilan : {report.summary}",
            detail=report.model_dump(mode="json"))
    rejected = [f for f in report.files if f.status == "rejected"]
    if rejected:
        raise Unprocessable(
            f"{plural(len(rejected), 'fichier rejeté', 'fichiers rejetés')} : rien n'en a été "
            f"écrit. Bilan : {report.summary} Le rapport (detail) donne chaque erreur avec "
            "son fichier, sa ligne, sa colonne et la correction à faire.",
            detail=report.model_dump(mode="json"))
    return report
