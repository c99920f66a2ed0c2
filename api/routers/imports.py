"""POST /imports: load a workbook or CSV files (requires the API key); answers the report."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, File, Query, UploadFile

from api.deps import DatabaseDep, DriverDep, SettingsDep
from api.errors import DatabaseUnavailable, Unprocessable
from api.openapi import responses
from api.security import ApiKeyDep
from loaders.importer import LoadReport, load_sources
from loaders.tabular import Source

router = APIRouter(tags=["imports"])

#: files one request may carry (a workbook, or elements + connections CSVs, and a few more)
MAX_FILES = 10
ACCEPTED_SUFFIXES = (".csv", ".xlsx")

EXAMPLE = {
    "ok": True, "dry_run": False, "skip_invalid": False,
    "files": [{"file": "elements.csv", "status": "loaded", "tables": ["elements"],
               "rows_read": 12, "elements_written": 12, "connections_written": 0,
               "rows_rejected": 0, "errors": [], "warnings": [], "rejects_file": None,
               "write_error": None}],
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
    whose `detail` is the full report, naming file, row and column of every error.
    """
    if len(files) > MAX_FILES:
        raise Unprocessable(f"at most {MAX_FILES} files per import, not {len(files)}")
    sources = []
    for index, upload in enumerate(files):
        name = _safe_name(upload.filename, index)
        if not name.lower().endswith(ACCEPTED_SUFFIXES):
            raise Unprocessable(f"{name}: only .xlsx workbooks and .csv files are accepted")
        sources.append(Source(name, upload.file.read()))
    report = load_sources(driver, sources, database=database, skip_invalid=skip_invalid,
                          dry_run=dry_run, batch_size=settings.batch_size)
    if any(f.status == "write_failed" for f in report.files):
        raise DatabaseUnavailable("the load stopped while writing; load the files again to "
                                  "complete it", detail=report.model_dump(mode="json"))
    if any(f.status == "rejected" for f in report.files):
        raise Unprocessable("a file was rejected and nothing of it was written; the report "
                            "in detail lists every error and what the other files loaded",
                            detail=report.model_dump(mode="json"))
    return report
