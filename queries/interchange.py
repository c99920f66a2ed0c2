"""The reads of an interchange export (``alliance-graph export DIR``): every element, every
connection from an element, every territory, streamed.

Not through :mod:`queries._run`, whose answers are lists: 300,000 elements and a million
connections must reach the file a fetch at a time, in constant memory. The three reads
run in one read transaction, one after the other, each consumed before the next starts. Like every
question, they read what is alive as of the instant of the context (:mod:`graph.as_of`,
``$as_of``): an export is the inventory as it is (or was), without its retired facts.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from neo4j import Driver, Transaction

from graph import as_of
from graph.bookkeeping import BOOKKEEPING
from graph.vocabulary import LEVELS
from queries._run import streaming_transaction
from queries.library import load_query

#: deadline of the whole export's transaction on the server (seconds): a 300k-element
#: graph streams in about a minute
EXPORT_TIMEOUT = 1800.0
#: records fetched at a time
FETCH_SIZE = 5000


class InterchangeReader:
    """The three streams of an export, inside one open read transaction."""

    def __init__(self, tx: Transaction):
        self._tx = tx

    def _rows(self, name: str, **params: Any) -> Iterator[list[Any]]:
        for record in self._tx.run(load_query(name), {**params, "as_of": as_of.current()}):
            yield record.values()

    def elements(self) -> Iterator[list[Any]]:
        """``[labels, properties]`` of every node but territories and bookkeeping."""
        return self._rows("interchange_elements", skip=list(BOOKKEEPING))

    def connections(self) -> Iterator[list[Any]]:
        """``[type, from id, to id, properties, to labels]`` of every relationship leaving
        an element (bookkeeping left out)."""
        return self._rows("interchange_connections", skip=list(BOOKKEEPING))

    def territories(self) -> Iterator[list[Any]]:
        """``[id, level, code, name, population, lat, lon, source, parents]``, parents
        first."""
        return self._rows("interchange_territories",
                          rank={level: k for k, level in enumerate(LEVELS)})


@contextmanager
def interchange_reader(driver: Driver, *, database: str = "neo4j") -> Iterator[InterchangeReader]:
    """An :class:`InterchangeReader` on one read transaction, closed on exit."""
    with streaming_transaction(driver, database=database, timeout=EXPORT_TIMEOUT,
                               fetch_size=FETCH_SIZE) as tx:
        yield InterchangeReader(tx)
