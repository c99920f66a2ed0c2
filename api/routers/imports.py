"""POST /imports: load a workbook or CSV files (requires the API key); answers the report."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, File, Query, UploadFile

from api.deps import DatabaseDep, DriverDep, SettingsDep
from api.errors import DatabaseUnavailable, Unprocessable
from api.openapi import responses
from api.security import ApiKeyDep
from graph.french import plural
from loaders.importer import LoadReport, load_sources
from loaders.tabular import Source

router = APIRouter(tags=["imports"])

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
             responses=responses(EXAMPLE, 401, 403, 413))
def imports(
    _: ApiKeyDep,
    driver: DriverDep,
    database: DatabaseDep,
    settings: SettingsDep,
    files: Annotated[list[UploadFile], File(description="A workbook (.xlsx) or CSV files "
                                            "(elements, connections), as in data/.")],
    skip_invalid: Annotated[bool, Query(description="Write the valid rows of a file with "
                                        "errors; the report lists the others.")] = False,
    dry_run: Annotated[bool, Query(description="Only validate; write nothing.")] = False,
) -> LoadReport:
    """Validate then load the uploaded files (MERGE on id: loading twice changes nothing).

    Requires the `X-API-Key` header (= `ALLIANCE_API_KEY`; unset, imports are refused with
    403). A file with errors writes nothing (unless `skip_invalid`) and the answer is a 422
    whose `detail` is the full report, naming file, row and column of every error. What
    people read is French (`message`, `summary`, each error's `reason` and `message`); each
    error keeps its stable English `code`, and `reason_en` the English reason.
    """
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
    report = load_sources(driver, sources, database=database, skip_invalid=skip_invalid,
                          dry_run=dry_run, batch_size=settings.batch_size)
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
