"""As of when a question is asked: the one context every read follows, and the one reader
of the ``as_of`` text the API, the CLI and the pages take.

Every question runs through ``queries._run._execute``, which passes :func:`current` to
Neo4j as ``$as_of``: ``None`` asks about the graph as it is now, a UTC ``datetime`` about
the graph as it was then (the rule of :data:`graph.bookkeeping.ALIVE_RULE`, written into
the queries by :func:`alive_cypher`). The value is a :class:`~contextvars.ContextVar`, so
no question takes it as an argument: a request sets it for its own context (the API's
dependency, ``api/as_of.py``), which FastAPI's route threads copy; the CLI wraps its call
in :func:`scope`.

The text (:func:`parse_as_of`) is one of:

- a day, ``2026-06-19``: the graph at the *end* of that day in France
  (23:59:59.999999, Europe/Paris);
- a time, ``2026-06-19T14:30``, ``2026-06-19 14:30:00.5``, with or without an offset
  (``Z``, ``+02:00``); without one it is a time in France;
- an import id, ``imp-…``: the graph right after that import (its ``(:Import {at})``, read
  by ``queries/import_time.cypher``: :func:`queries.as_of.resolve_as_of`).

A time to come asks about the graph as it is now.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

#: the time zone of a day or a time written without an offset
PARIS = ZoneInfo("Europe/Paris")

#: the forms accepted, said to API clients (and in the OpenAPI document)
FORMS_EN = ("a day (2026-06-19: the end of that day, Paris time), a time (2026-06-19T14:30, "
            "with an offset such as Z or +02:00, else Paris time) or an import id "
            "(imp-…)")
#: the same, for the pages
FORMS_FR = ("une date (2026-06-19 : la fin de cette journée, heure de Paris), une date et "
            "une heure (2026-06-19T14:30, avec un décalage comme Z ou +02:00, sinon heure "
            "de Paris) ou l'identifiant d'un import (imp-…)")

#: longest text read (an import id is short; a time is 32 characters at most)
MAX_LENGTH = 200

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?"
                   r"(Z|[+-]\d{2}:?\d{2})?$", re.IGNORECASE)
#: digits of a second's fraction past the microsecond (RFC 3339 allows any number)
_PAST_MICROSECONDS = re.compile(r"(\.\d{6})\d+")
#: an import id, as the loaders write them (``imp-…``)
IMPORT_PATTERN = r"^imp-[0-9A-Za-z][0-9A-Za-z._:-]*$"
_IMPORT = re.compile(IMPORT_PATTERN)

#: what an instant out of Python's range stands for: before anything, after anything
_FIRST = datetime.min.replace(tzinfo=UTC)
_LAST = datetime.max.replace(tzinfo=UTC)


class BadAsOf(ValueError):
    """An ``as_of`` text that is no day, time or import id (API: 400 ``bad_request``).

    ``message_fr`` is what a page shows.
    """

    def __init__(self, text: str):
        shown = text if len(text) <= 60 else text[:57] + "…"
        super().__init__(f"as_of {shown!r} is not a date, a time or an import id: give "
                         f"{FORMS_EN}")
        self.text = text
        self.message_fr = (f"« {shown} » n'est pas une date : donnez {FORMS_FR}.")

    @property
    def detail(self) -> dict[str, str]:
        """What the API's error body carries: the text, and the page's message."""
        return {"as_of": self.text, "message_fr": self.message_fr}


@dataclass(frozen=True)
class AsOfInput:
    """What an ``as_of`` text says: an instant (``at``, UTC) or an import to look up.

    Exactly one of ``at`` and ``import_id`` is set.
    """

    text: str
    at: datetime | None = None
    import_id: str | None = None


def end_of_day(day: str) -> datetime:
    """The last microsecond of a day in France, in UTC.

    >>> end_of_day("2026-06-19").isoformat()  # summer: Paris is UTC+2
    '2026-06-19T21:59:59.999999+00:00'
    >>> end_of_day("2026-01-15").isoformat()  # winter: UTC+1
    '2026-01-15T22:59:59.999999+00:00'
    """
    match = _DAY.match(day)
    if match is None:
        raise BadAsOf(day)
    try:
        local = datetime(int(match[1]), int(match[2]), int(match[3]), tzinfo=PARIS)
    except ValueError:  # 2026-02-30
        raise BadAsOf(day) from None
    last = datetime.combine(local.date(), time.max, tzinfo=PARIS)
    return _utc(last)


def _utc(moment: datetime) -> datetime:
    """``moment`` in UTC; the first and last days of year 1 and 9999 may fall out of
    Python's range there: before anything, after anything."""
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        return _FIRST if moment.year == 1 else _LAST


def parse_as_of(text: str) -> AsOfInput:
    """Read an ``as_of`` text (no database): a day, a time or an import id.

    Parameters
    ----------
    text
        As the user wrote it; spaces around are ignored.

    Returns
    -------
    AsOfInput
        ``at`` in UTC for a day or a time, ``import_id`` for an import.

    Raises
    ------
    BadAsOf
        Anything else (an empty text included: the callers treat "no as_of" before).

    Examples
    --------
    >>> parse_as_of("2026-06-19").at.isoformat()
    '2026-06-19T21:59:59.999999+00:00'
    >>> parse_as_of("2026-06-19T14:30").at.isoformat()  # no offset: Paris time
    '2026-06-19T12:30:00+00:00'
    >>> parse_as_of("2026-06-19T14:30:00Z").at.isoformat()
    '2026-06-19T14:30:00+00:00'
    >>> parse_as_of("2026-12-01 08:00+01:00").at.isoformat()
    '2026-12-01T07:00:00+00:00'
    >>> parse_as_of(" imp-20260619-ab12 ").import_id
    'imp-20260619-ab12'
    >>> try:
    ...     parse_as_of("hier")
    ... except BadAsOf as exc:
    ...     print(str(exc)[:51])
    as_of 'hier' is not a date, a time or an import id:
    """
    raw = text or ""
    value = raw.strip()
    if not value or len(value) > MAX_LENGTH:
        raise BadAsOf(raw)
    if _IMPORT.match(value):
        return AsOfInput(text=value, import_id=value)
    if _DAY.match(value):
        return AsOfInput(text=value, at=end_of_day(value))
    if _TIME.match(value):
        try:
            # Python reads "z" only in capitals; the separator may be a space
            moment = datetime.fromisoformat(
                _PAST_MICROSECONDS.sub(r"\1", value.upper().replace(" ", "T", 1)))
        except ValueError:  # 2026-06-31T10:00, 25:00
            raise BadAsOf(value) from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=PARIS)
        return AsOfInput(text=value, at=_utc(moment))
    raise BadAsOf(value)


def start_of_window(text: str) -> AsOfInput:
    """Read the start of a window (``since``): as :func:`parse_as_of`, but a day means
    its *first* instant (``since=2026-06-19`` includes what happened that day).

    >>> start_of_window("2026-06-19").at.isoformat()  # summer: Paris is UTC+2
    '2026-06-18T22:00:00+00:00'
    >>> start_of_window("2026-06-19T14:30").at == parse_as_of("2026-06-19T14:30").at
    True
    """
    asked = parse_as_of(text)
    match = _DAY.match(asked.text)
    if match is not None and asked.at is not None:
        first = datetime(int(match[1]), int(match[2]), int(match[3]), tzinfo=PARIS)
        return AsOfInput(text=asked.text, at=_utc(first))
    return asked


def as_instant(value: datetime | None, *, now: datetime | None = None) -> datetime | None:
    """The instant a question is asked about, or None for now: a time to come is now (the
    graph cannot say more about it), a time without a zone is UTC (a Neo4j
    ``LocalDateTime``).

    >>> from datetime import datetime
    >>> as_instant(datetime(2999, 1, 1, tzinfo=UTC)) is None
    True
    >>> as_instant(datetime(2026, 6, 19, 12, 0)).isoformat()
    '2026-06-19T12:00:00+00:00'
    """
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    value = _utc(value)
    return None if value >= (now or datetime.now(UTC)) else value


# --- the context --------------------------------------------------------------------------

_as_of: ContextVar[datetime | None] = ContextVar("alliance_as_of", default=None)


def current() -> datetime | None:
    """The instant the questions of this context are asked about (UTC), None for now."""
    return _as_of.get()


@contextmanager
def scope(value: datetime | None) -> Iterator[datetime | None]:
    """Questions asked within (and in the threads that copy this context: FastAPI's route
    threads, the API's jobs) are about the graph as of ``value`` (see :func:`as_instant`);
    None: as it is now.

    >>> from datetime import datetime
    >>> with scope(datetime(2026, 6, 19, tzinfo=UTC)):
    ...     current().isoformat()
    '2026-06-19T00:00:00+00:00'
    >>> current() is None
    True
    """
    token = _as_of.set(as_instant(value))
    try:
        yield _as_of.get()
    finally:
        _as_of.reset(token)


# --- the rule, in Cypher ------------------------------------------------------------------

_VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def alive_cypher(variable: str) -> str:
    """The Cypher predicate "``variable`` (a node or a relationship) is alive as of
    ``$as_of``": :data:`graph.bookkeeping.ALIVE_RULE` with ``t = $as_of``, and alive now
    (``retired_at IS NULL``) when ``$as_of`` is null. True or false, never null.

    Two terms joined by AND, the cheap one first:

    - ``($as_of IS NULL OR coalesce(v.first_seen <= $as_of, true))``: nothing read for
      the plain question; with a time, a fact without ``first_seen`` always existed;
    - ``(v.retired_at IS NULL OR coalesce(v.retired_at > $as_of, false))``: one property
      read for a fact alive now; with a time, a retired fact counts when retired after it.

    Why not the rule's own shape ``($as_of IS NULL AND …) OR ($as_of IS NOT NULL AND …)``:
    Cypher's planner puts every predicate in conjunctive normal form, and an OR of two
    ANDs becomes the product of their terms (six clauses for each variable: partners near
    planned in 4.8 s instead of 3.1 s, evaluating more than it needs); this form is two
    clauses already, and reads ``retired_at`` once for a fact alive now.

    >>> for term in alive_cypher("o").split(" AND "):
    ...     print(term)
    (($as_of IS NULL OR coalesce(o.first_seen <= $as_of, true))
    (o.retired_at IS NULL OR coalesce(o.retired_at > $as_of, false)))
    """
    if not _VARIABLE.match(variable):
        raise ValueError(f"{variable!r} is not a Cypher variable")
    v = variable
    return (f"(($as_of IS NULL OR coalesce({v}.first_seen <= $as_of, true)) AND "
            f"({v}.retired_at IS NULL OR coalesce({v}.retired_at > $as_of, false)))")


def alive_path_cypher(variable: str) -> str:
    """Every node and relationship of the path ``variable`` alive (:func:`alive_cypher`).

    >>> alive_path_cypher("up").startswith("(all(alive_n IN nodes(up) WHERE")
    True
    """
    if not _VARIABLE.match(variable):
        raise ValueError(f"{variable!r} is not a Cypher variable")
    return (f"(all(alive_n IN nodes({variable}) WHERE {alive_cypher('alive_n')}) AND "
            f"all(alive_r IN relationships({variable}) WHERE {alive_cypher('alive_r')}))")
