"""How every question runs: one managed read transaction, routed to a reader, with a
deadline; rows out as plain dicts; and the converters from Cypher maps to the shared models.

Two ways in, both through :func:`_execute` (one ``driver.execute_query`` call site,
bounded by the request's deadline in the API: :mod:`graph.deadline`):

- :func:`read` (and :func:`read_one`): the rows of a question as dicts. Every question.
- :func:`read_folded`: the rows handed, as they stream, to a function that folds them
  into one value, plus the bookmark of the transaction. For the two reads that cannot
  take a list of dicts: the analytics projection (250,000 rows at 100k organisations,
  built into a networkx graph as they arrive instead of a list of dicts first) and the
  fingerprint (its key needs the bookmark).

Every question is asked as of the instant of its context (:mod:`graph.as_of`): ``_execute``
adds it to the parameters as ``$as_of`` (null: now), so no question takes it as an
argument, and the files filter what they walk by ``{{alive x}}`` (queries/README.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from neo4j import READ_ACCESS, Driver, GraphDatabase, Query, Result, RoutingControl, Transaction

from graph import as_of, deadline
from graph.vocabulary import ROLES
from queries.errors import InvalidParameter
from queries.library import load_query
from queries.models import NodeRef, OrganisationRef, RelRef, TerritoryRef, primary_label

#: role label → role name (``Catalyst`` → ``catalyst``)
ROLE_BY_LABEL = {label: role for role, label in ROLES.items()}

#: server-side deadline of a question's transaction (seconds): the slowest question of
#: the 100k-organisation benchmark takes well under a second, so 30 s is a runaway query
READ_TIMEOUT = 30.0

T = TypeVar("T")


def _as_dicts(result: Result) -> list[dict[str, Any]]:
    # The questions return maps, lists and scalars only, never nodes: no need for
    # Record.data(), whose recursive conversion was most of a call's Python time.
    keys = result.keys()
    return [dict(zip(keys, values, strict=True)) for values in result.values()]


def _execute(driver: Driver, name: str, params: dict[str, Any] | None, transform: Callable,
             *, database: str, bounds: dict[str, int] | None, timeout: float,
             bookmarks: Any = None) -> Any:
    """The one place a question reaches Neo4j.

    ``execute_query`` is a managed transaction (retried on transient errors), routed to a
    reader, and it sends BEGIN with the query in one round trip where ``execute_read``
    waits for BEGIN first (0.1 ms a question). ``timeout`` is the transaction's deadline
    on the server. No bookmark manager unless asked: a question needs no causal chain
    with the previous one. For an API request the call is bounded by the request's
    deadline (:func:`graph.deadline.call`: 503 or 504 whatever Neo4j does); elsewhere it
    runs inline. ``$as_of`` is the instant of the context (:func:`graph.as_of.current`),
    read here, in the caller's thread, before the call goes to the deadline's thread.
    """
    query = Query(load_query(name, **(bounds or {})), timeout=timeout)
    values = {**(params or {}), "as_of": as_of.current()}
    return deadline.call(lambda: driver.execute_query(
        query, values, routing_=RoutingControl.READ, database_=database,
        bookmark_manager_=bookmarks, result_transformer_=transform))


def read(driver: Driver, name: str, params: dict[str, Any] | None = None, *,
         database: str = "neo4j", bounds: dict[str, int] | None = None,
         timeout: float = READ_TIMEOUT) -> list[dict[str, Any]]:
    """Run the question ``name`` (``queries/<name>.cypher``) in a managed read
    transaction; its rows as dicts.

    Parameters
    ----------
    driver, database
        Where to ask.
    name
        The question file, without ``.cypher``.
    params
        Its ``$parameters``.
    bounds
        Integers for its ``{{placeholders}}`` (see :func:`queries.library.load_query`).
    timeout
        The transaction's deadline on the server, in seconds.
    """
    return _execute(driver, name, params, _as_dicts, database=database, bounds=bounds,
                    timeout=timeout)


def read_one(driver: Driver, name: str, params: dict[str, Any] | None = None, *,
             database: str = "neo4j", bounds: dict[str, int] | None = None,
             timeout: float = READ_TIMEOUT) -> dict[str, Any]:
    """Like :func:`read` for a question that returns one row; ``{}`` when it returns none."""
    rows = read(driver, name, params, database=database, bounds=bounds, timeout=timeout)
    return rows[0] if rows else {}


def read_folded(driver: Driver, name: str, fold: Callable[[Iterable[list]], T],
                params: dict[str, Any] | None = None, *, database: str = "neo4j",
                timeout: float = READ_TIMEOUT) -> tuple[T, frozenset[str]]:
    """Run the question ``name`` like :func:`read`, but hand its rows (lists of values, in
    the order of its ``RETURN``) to ``fold`` as they stream, inside the transaction.

    For a read too big to become a list of dicts first (the analytics projection), or
    whose caller needs the transaction's bookmark (the fingerprint). ``fold`` may run
    again when the transaction is retried: it must build its value from the rows alone.

    Returns
    -------
    tuple
        What ``fold`` returned, and the bookmark values of the transaction (opaque; they
        name the last transaction committed when it ran; empty when the server sends none).
    """
    bookmarks = GraphDatabase.bookmark_manager()
    value = _execute(driver, name, params, lambda result: fold(iter(result.values())),
                     database=database, bounds=None, timeout=timeout, bookmarks=bookmarks)
    return value, frozenset(bookmarks.get_bookmarks())


@contextmanager
def streaming_transaction(driver: Driver, *, database: str = "neo4j", timeout: float,
                          fetch_size: int) -> Iterator[Transaction]:
    """One read transaction whose rows stream in ``fetch_size`` records at a time, for a
    read of the whole graph in several queries that must agree (the interchange export:
    queries/interchange.py). Not bounded by a request's deadline: it runs in the CLI or
    in a job; ``timeout`` is its deadline on the server."""
    with (driver.session(database=database, fetch_size=fetch_size,
                         default_access_mode=READ_ACCESS) as session,
          session.begin_transaction(timeout=timeout) as tx):
        yield tx


def check_page(limit: int, offset: int) -> None:
    """Refuse a negative page; the caller caps ``limit`` (settings.max_page_size)."""
    if limit < 0:
        raise InvalidParameter(f"limit must be 0 or more, not {limit}")
    if offset < 0:
        raise InvalidParameter(f"offset must be 0 or more, not {offset}")


def node_ref(data: dict[str, Any]) -> NodeRef:
    labels = list(data.get("labels") or [])
    return NodeRef(id=data["id"], name=data.get("name"), label=primary_label(labels),
                   labels=labels, kind=data.get("kind"))


def organisation_ref(data: dict[str, Any]) -> OrganisationRef:
    labels = data.get("labels") or []
    roles = sorted(ROLE_BY_LABEL[label] for label in labels if label in ROLE_BY_LABEL)
    return OrganisationRef(id=data["id"], name=data.get("name"), kind=data.get("kind"),
                           roles=roles)


def territory_ref(data: dict[str, Any]) -> TerritoryRef:
    return TerritoryRef(id=data["id"], code=data.get("code"), name=data.get("name"),
                        level=data.get("level"))


def rel_ref(data: dict[str, Any]) -> RelRef:
    return RelRef(type=data["type"], source=data["source"], target=data["target"])
