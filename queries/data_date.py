"""The date of the data: when the graph was last imported.

The contract (docs/pictures.md#the-date-of-the-data): each import records one node
``(:Import {at: datetime})``; the latest ``at`` is the date of the data, shown on every
picture as « Données du 2 décembre 2026 ». A graph without any ``Import`` node (or without
``at``) has no date, and the pictures show none: nothing is guessed.
"""

from __future__ import annotations

import datetime as dt

from neo4j import Driver

from graph.cache import ExpiringCache
from graph.french import in_paris
from queries._run import read_one

#: the pages show the date on every render: one read every half minute at most (a load
#: through this process clears it at once; one by the CLI shows within the half minute)
_kept: ExpiringCache[dt.date | None] = ExpiringCache("data date", seconds=30, size=4)



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


def kept_data_date(driver: Driver, *, database: str = "neo4j") -> dt.date | None:
    """:func:`data_date`, kept half a minute (what every page's footer shows)."""
    return _kept.get_or_compute(database, lambda: data_date(driver, database=database))[0]
