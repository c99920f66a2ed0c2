"""The history of the inventory: the Import record of each load (loaders/import_record.py).

:func:`imports` lists them, the latest first; :func:`import_record` gives one with the
report the load answered. Import records are bookkeeping (graph/bookkeeping.py): the
stewards read them, the questions never do.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from neo4j import Driver
from pydantic import BaseModel, Field

from graph.french import plural
from graph.import_counts import ImportCounts
from queries._run import read, read_one
from queries.errors import NotFoundError
from queries.models import Page

#: each state as a French reader reads it
STATE_FR = {"running": "en cours (ou interrompu)", "done": "terminé",
            "partial": "chargé en partie", "interrupted": "écriture interrompue",
            "rejected": "refusé à la reprise"}
MODE_FR = {"add": "ajout", "replace": "remplacement"}


def changes_words(counts: ImportCounts) -> str:
    """``+12 éléments, 5 modifiés, −3 retirés ; +40 liens, −7 retirés`` from the counts."""
    parts = []
    for what, one, many in (("elements", "élément", "éléments"), ("connections", "lien", "liens")):
        created, updated, retired = (getattr(counts, f"{what}_{k}")
                                     for k in ("created", "updated", "retired"))
        bits = [f"+{plural(created, one, many)}"]
        if updated:
            bits.append(plural(updated, "modifié", "modifiés"))
        if retired:
            bits.append(f"−{plural(retired, 'retiré', 'retirés')}")
        parts.append(", ".join(bits))
    return " ; ".join(parts)



class ImportRecord(BaseModel):
    """One load: when, by whom, of which files and dataset, how it ended, what it changed."""

    id: str = Field(description="`imp-…`: sortable by time.")
    at: dt.datetime = Field(description="When the load began (UTC); the facts it wrote are "
                                        "first seen or last changed then.")
    finished_at: dt.datetime | None = None
    dataset: str | None = Field(None, description="The dataset, when the files are one.")
    datasets: list[str] = Field(default_factory=list)
    files: list[str] = Field(default_factory=list)
    sha256: list[str] = Field(default_factory=list, description="Of each file, in order.")
    by: str | None = Field(None, description="The operator's label (`--by`).")
    mode: str = Field("add", description="`add`, or `replace`: the new full version of the "
                                         "dataset, retiring what it no longer states.")
    state: str = Field(description="`running` (or killed while running), `done`, `partial` "
                                   "(rows or files rejected), `interrupted` (a write "
                                   "failed).")
    undone_at: dt.datetime | None = Field(None, description="When its retirements were "
                                                            "undone.")
    undone_by: str | None = None
    recovered_at: dt.datetime | None = Field(
        None, description="A replace cut short (its process or Neo4j killed): when a later "
                          "load finished it from the files it kept.")
    counts: ImportCounts = Field(default_factory=ImportCounts)


class ImportDetail(ImportRecord):
    """A load with the report it answered (as `POST /imports` or `load --json` gave it)."""

    report: dict[str, Any] | None = None


class ImportsPage(Page):
    items: list[ImportRecord]


def _native(value: Any) -> Any:
    return value.to_native() if hasattr(value, "to_native") else value


def _record(row: dict[str, Any]) -> dict[str, Any]:
    counts = {k: row.get(k) or 0 for k in ImportCounts.model_fields}
    fields = {k: _native(row.get(k)) for k in ImportRecord.model_fields if k != "counts"}
    return {**{k: v for k, v in fields.items() if v is not None}, "counts": counts}


def imports(driver: Driver, *, dataset: str | None = None, limit: int = 50, offset: int = 0,
            database: str = "neo4j") -> ImportsPage:
    """The Import records, the latest first (``dataset``: that dataset's only)."""
    rows = read(driver, "imports", {"dataset": dataset, "limit": limit, "offset": offset},
                database=database)
    total = rows[0]["total"] if rows else 0
    if not rows and offset:
        total = imports(driver, dataset=dataset, limit=1, offset=0, database=database).total
    return ImportsPage(total=total, limit=limit, offset=offset,
                       items=[ImportRecord(**_record(r)) for r in rows])


def import_record(driver: Driver, import_id: str, *, database: str = "neo4j") -> ImportDetail:
    """One Import record with its report.

    Raises
    ------
    NotFoundError
        No load has this id.
    """
    row = read_one(driver, "import_report", {"id": import_id}, database=database)
    if not row:
        raise NotFoundError(f"no import {import_id!r}: `alliance-graph imports` (or GET "
                            "/imports) lists them")
    report = json.loads(row["report"]) if row.get("report") else None
    return ImportDetail(**_record(row), report=report)
