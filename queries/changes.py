"""What changed in the graph between two instants (the stewards' page « Ce qui a changé »,
``GET /changes``), from the bookkeeping every load writes (loaders/history.py)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any, Literal

from neo4j import Driver
from pydantic import BaseModel, Field

from queries._run import read
from queries.history import HistoryEntry, fact_history
from queries.models import Page, primary_label


class Change(BaseModel):
    """One fact that appeared, changed or was retired in the window (its latest event)."""

    what: Literal["element", "connection"]
    change: Literal["appeared", "changed", "retired"]
    at: dt.datetime
    id: str | None = Field(None, description="The element (null for a connection).")
    name: str | None = None
    label: str | None = None
    type: str | None = Field(None, description="The connection's type.")
    from_id: str | None = None
    from_name: str | None = None
    to_id: str | None = None
    to_name: str | None = None
    entries: list[HistoryEntry] = Field(default_factory=list,
                                        description="Its history entries of the window.")


class ChangesPage(Page):
    since: dt.datetime
    until: dt.datetime
    dataset: str | None = None
    counts: dict[str, int] = Field(default_factory=dict, description="`element appeared`… → "
                                                                     "how many.")
    items: list[Change]


def _native(value: Any) -> Any:
    return value.to_native() if hasattr(value, "to_native") else value


def changes(driver: Driver, since: dt.datetime, until: dt.datetime, *,
            dataset: str | None = None, limit: int = 50, offset: int = 0,
            database: str = "neo4j") -> ChangesPage:
    """The facts that appeared, changed or were retired between ``since`` and ``until``
    (UTC, both included), latest first, with the counts of each kind of change."""
    # in UTC as an offset, like the stamps: Cypher orders a DateTime of the same instant in
    # a named zone ("UTC", as the driver hands them back) after one with an offset
    since, until = since.astimezone(dt.UTC), until.astimezone(dt.UTC)
    rows = read(driver, "changes", {"since": since, "until": until, "dataset": dataset},
                database=database)
    counts = Counter(f"{r['what']} {r['change']}" for r in rows)
    items = []
    for r in rows[offset:offset + limit]:
        history = fact_history({"history": r["history"] or [], "datasets": []})
        entries = [e for e in (history.entries if history else [])
                   if e.at is not None and since <= e.at <= until]
        items.append(Change(
            what=r["what"], change=r["change"], at=_native(r["at"]), id=r["id"],
            name=r["name"], label=primary_label(r["labels"]) if r["labels"] else None,
            type=r["type"], from_id=r["from_id"], from_name=r["from_name"], to_id=r["to_id"],
            to_name=r["to_name"], entries=entries))
    return ChangesPage(total=len(rows), limit=limit, offset=offset, since=since, until=until,
                       dataset=dataset, counts=dict(counts), items=items)


#: the window when none is given: the last thirty days
DEFAULT_DAYS = 30


def window(driver: Driver, since: str | None, until: str | None, *,
           database: str = "neo4j") -> tuple[dt.datetime, dt.datetime]:
    """The instants of ``since`` and ``until`` as people write them (one reading with
    ``as_of``: a day — since its first instant, until its last —, a time, an import id);
    absent: the last thirty days, until now.

    Raises
    ------
    graph.as_of.BadAsOf
        A text that is none of these (API: 400).
    queries.errors.UnknownImport
        An import id no load has (API: 404).
    """
    from graph.as_of import parse_as_of, start_of_window
    from queries.as_of import import_time

    def instant(text: str, read) -> dt.datetime:
        asked = read(text)
        if asked.import_id is not None:
            return import_time(driver, asked.import_id, database=database)
        return asked.at

    now = dt.datetime.now(dt.UTC)
    # given, even empty, a text is read (an empty one is refused, as for as_of)
    end = instant(until, parse_as_of) if until is not None else now
    start = (instant(since, start_of_window) if since is not None
             else end - dt.timedelta(days=DEFAULT_DAYS))
    return start, end
