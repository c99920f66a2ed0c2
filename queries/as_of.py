"""``as_of`` read for a question: the text parsed (:func:`graph.as_of.parse_as_of`, no
database) and, for an import id, its time looked up (``import_time.cypher``).

The API's dependency (``api/as_of.py``), the CLI's ``--as-of`` and the pages all read
``as_of`` here, then ask their questions within :func:`graph.as_of.scope`.
"""

from __future__ import annotations

from datetime import UTC, datetime

from neo4j import Driver

from graph.as_of import as_instant, parse_as_of
from queries._run import read_one
from queries.errors import UnknownImport


def _native(value: object) -> datetime | None:
    if hasattr(value, "to_native"):  # neo4j.time.DateTime
        value = value.to_native()
    if not isinstance(value, datetime):
        return None
    # a LocalDateTime has no zone: the bookkeeping writes UTC
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def import_time(driver: Driver, import_id: str, *, database: str = "neo4j") -> datetime:
    """The ``at`` of the import ``import_id``, in UTC.

    Raises
    ------
    UnknownImport
        No ``(:Import {id})`` of that id, or it records no time.
    """
    at = _native(read_one(driver, "import_time", {"id": import_id}, database=database)
                 .get("at"))
    if at is None:
        raise UnknownImport(import_id)
    return at.astimezone(UTC)


def resolve_as_of(driver: Driver, text: str | None, *,
                  database: str = "neo4j") -> datetime | None:
    """The instant ``text`` asks about (UTC), or None for now (no text, or a time to come).

    Parameters
    ----------
    text
        A day (``2026-06-19``: its end, Paris time), a time (``2026-06-19T14:30``, with
        or without an offset; without: Paris time) or an import id (``imp-…``).

    Raises
    ------
    graph.as_of.BadAsOf
        Anything else, an empty text included (API: 400 ``bad_request``).
    UnknownImport
        An import id no import has (API: 404).
    """
    if text is None:
        return None
    asked = parse_as_of(text)
    if asked.import_id is not None:
        return as_instant(import_time(driver, asked.import_id, database=database))
    return as_instant(asked.at)
