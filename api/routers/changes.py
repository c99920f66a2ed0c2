"""GET /changes: what appeared, changed and was retired in the graph between two instants
(the loads' bookkeeping: docs/inventory.md)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import DatabaseDep, DriverDep
from api.openapi import responses
from api.pagination import PageDep
from graph.as_of import MAX_LENGTH
from queries.changes import ChangesPage, changes, window

router = APIRouter(tags=["imports"])

_WHEN = ("a day ({end} of that day, Paris time), a time (2026-06-19T14:30, with or without "
         "an offset; without: Paris time) or an import id (`imp-…`: the time of that load)")
#: what the schema says ``since`` and ``until`` are (as ``as_of``: api/as_of.py)
_SCHEMA = {"anyOf": [
    {"type": "string", "format": "date", "maxLength": MAX_LENGTH},
    {"type": "string", "format": "date-time", "maxLength": MAX_LENGTH},
    {"type": "string", "pattern": r"^imp-[0-9A-Za-z-]+$", "maxLength": MAX_LENGTH},
]}


EXAMPLE = {
    "total": 1, "limit": 50, "offset": 0, "since": "2026-11-03T07:00:00Z",
    "until": "2026-12-03T07:00:00Z", "dataset": None,
    "counts": {"element changed": 1},
    "items": [{"what": "element", "change": "changed", "at": "2026-12-03T06:15:02.120000Z",
               "id": "org:fondation-de-lille", "name": "Fondation de Lille",
               "label": "Organisation", "type": None, "from_id": None, "from_name": None,
               "to_id": None, "to_name": None,
               "entries": [{"import_id": "imp-20261203-061502-3fa9",
                            "at": "2026-12-03T06:15:02.120000Z", "event": "changed",
                            "before": {"kind": "association"}, "dataset": None}]}]}


@router.get("/changes", response_model=ChangesPage, responses=responses(EXAMPLE, 400, 404))
def list_changes(
    driver: DriverDep, database: DatabaseDep, page: PageDep,
    since: Annotated[str | None, Query(max_length=MAX_LENGTH, json_schema_extra=_SCHEMA,
                                       description="From: " + _WHEN.format(end="the start")
                                       + ". Default: thirty days before `until`.")] = None,
    until: Annotated[str | None, Query(max_length=MAX_LENGTH, json_schema_extra=_SCHEMA,
                                       description="To: " + _WHEN.format(end="the end")
                                       + ". Default: now.")] = None,
    dataset: Annotated[str | None, Query(min_length=1, max_length=100, description=(
        "Only the facts this dataset states (or stated when retired)."))] = None,
) -> ChangesPage:
    """The elements and connections that appeared, changed or were retired between
    `since` and `until` (both included), latest first, each with its latest event, when,
    and its history entries of the window (the values before a change); `counts` by kind
    of change."""
    start, end = window(driver, since, until, database=database)
    return changes(driver, start, end, dataset=dataset, limit=page.limit, offset=page.offset,
                   database=database)
