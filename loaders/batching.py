"""Batched writes: rows streamed into ``UNWIND $rows`` statements, ~1,000 rows a batch."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any

from neo4j import Driver, ManagedTransaction
from neo4j.exceptions import IncompleteCommit


class _DeadlockRetries(logging.Filter):
    """Drops the driver's warning about a deadlock it retries.

    Loads write disjoint parts at once (:mod:`loaders.partition`), yet two of them may
    still meet on a relationship record now and then: Neo4j detects it, the managed
    transaction retries, and the load goes on. Any other retry is still logged.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.getMessage().startswith("Transaction failed and will be retried")
                    and "DeadlockDetected" in record.getMessage())


logging.getLogger("neo4j.session").addFilter(_DeadlockRetries())


def chunks(rows: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """Split an iterable into lists of at most ``size`` items, lazily."""
    it = iter(rows)
    while batch := list(islice(it, size)):
        yield batch


def _run(tx: ManagedTransaction, query: str, rows: list[dict], params: dict) -> int:
    summary = tx.run(query, rows=rows, **params).consume()
    c = summary.counters
    return c.nodes_created + c.relationships_created + c.properties_set


def write_batches(
    driver: Driver,
    query: str,
    rows: Iterable[dict],
    *,
    batch_size: int = 1000,
    database: str = "neo4j",
    params: dict | None = None,
    on_batch: Callable[[int], None] | None = None,
    retry_delay: float | None = None,
    on_uncertain: Callable[[int], None] | None = None,
) -> int:
    """Run ``query`` (which starts with ``UNWIND $rows AS row``) over ``rows`` in batches.

    Each batch is one managed write transaction (retried on transient errors).

    Parameters
    ----------
    on_batch
        Called with the number of rows after each batch (progress bars).
    retry_delay
        First wait before a retry (the driver's default: 1 s). Transactions writing at
        once may deadlock now and then (Neo4j detects it at once): a short wait is enough.
    on_uncertain
        Called with the number of rows of a batch whose commit was sent but never
        acknowledged (the connection was lost meanwhile: ``IncompleteCommit``, which is
        then raised): Neo4j may or may not have committed it.

    Returns
    -------
    int
        The number of rows written.
    """
    params = params or {}
    total = 0
    options = {} if retry_delay is None else {"initial_retry_delay": retry_delay}
    with driver.session(database=database, **options) as session:
        for batch in chunks(rows, batch_size):
            try:
                session.execute_write(_run, query, batch, params)
            except IncompleteCommit:
                if on_uncertain is not None:
                    on_uncertain(len(batch))
                raise
            total += len(batch)
            if on_batch is not None:
                on_batch(len(batch))
    return total
