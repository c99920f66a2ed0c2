"""The date of the data: when the graph was last imported.

The contract (docs/pictures.md#the-date-of-the-data): each import records one node
``(:Import {at: datetime})``; the latest ``at`` is the date of the data, shown on every
picture as « Données du 2 décembre 2026 ». A graph without any ``Import`` node (or without
``at``) has no date, and the pictures show none: nothing is guessed.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from neo4j import Driver

from queries._run import read_one

#: the date is the day in France when the import ran
PARIS = "Europe/Paris"


def in_paris(value: dt.datetime) -> dt.datetime:
    """A time as read in France (a naive one is taken as already local)."""
    if value.tzinfo is None:  # a LocalDateTime: already the local time
        return value
    try:
        return value.astimezone(ZoneInfo(PARIS))
    except ZoneInfoNotFoundError:  # no time zone database: UTC is close enough
        return value.astimezone(dt.UTC)


def _paris_day(value: dt.datetime) -> dt.date:
    return in_paris(value).date()


def data_date(driver: Driver, *, database: str = "neo4j") -> dt.date | None:
    """The day of the latest import (``(:Import {at})``), in France; None when the graph
    records no import.

    Parameters
    ----------
    driver, database
        Where to ask.

    Returns
    -------
    datetime.date | None
        A ``DateTime`` ``at`` is read as its day in Europe/Paris, a ``LocalDateTime`` or a
        ``Date`` as it is.
    """
    row = read_one(driver, "latest_import", database=database)
    at = row.get("at")
    if at is None:
        return None
    if hasattr(at, "to_native"):
        at = at.to_native()
    if isinstance(at, dt.datetime):
        return _paris_day(at)
    if isinstance(at, dt.date):
        return at
    return None
