"""How many living organisations each node is linked to: the degrees the suggestions'
score reads (what a pair shares is weighed by how rare it is, a candidate by its
partners), counted once per version of the graph instead of at every question.

A popular need is expressed by thousands of organisations: counting them at every
suggestion read each of them and each of their links (three reads apiece); counted once
(one read of every organisation's links, about a second at 100,000 organisations) they
are kept until the graph changes — the key is the graph's fingerprint
(:func:`queries.projection.graph_fingerprint`: any write changes it, and a question as of
a past instant has its own; read again after :data:`FINGERPRINT_SECONDS`, or at once after
a write through the product). A question that finds them not counted yet does not wait:
it counts its own, as before, while the count runs in the background for the next ones.
"""

from __future__ import annotations

from collections.abc import Iterable

from neo4j import Driver

from graph import as_of
from graph.cache import ExpiringCache
from queries._run import read_folded
from queries.projection import graph_fingerprint

#: seconds the count may take on the server (a background read, no request waits on it)
COUNT_TIMEOUT = 120.0

#: the degrees by (database, fingerprint): now, and one instant in the past
DEGREES: ExpiringCache[dict[str, int]] = ExpiringCache("organisation degrees", seconds=None,
                                                       size=2)

#: seconds a fingerprint is trusted without reading it again (reading it costs 5 ms, a
#: fifth of a suggestion): a write through the product empties it at once
#: (graph.cache.clear_caches), a write from elsewhere is seen within this
FINGERPRINT_SECONDS = 1.0
_FINGERPRINTS: ExpiringCache[str] = ExpiringCache("graph fingerprints", size=8,
                                                  seconds=FINGERPRINT_SECONDS)


def _as_dict(rows: Iterable[list]) -> dict[str, int]:
    return {node: n for node, n in rows}


def organisation_degrees(driver: Driver, *, database: str = "neo4j") -> dict[str, int]:
    """Count, for every organisation, need, programme and dialogue space, the living
    organisations linked to it (as of the context's instant: :mod:`graph.as_of`).

    Returns
    -------
    dict
        ``{id: count}``; a node linked to no living organisation is absent (0).
    """
    counts, _ = read_folded(driver, "organisation_degrees", _as_dict, database=database,
                            timeout=COUNT_TIMEOUT)
    return counts


def known_degrees(driver: Driver, *, database: str = "neo4j") -> dict[str, int] | None:
    """The degrees of the graph as it is (as of the context's instant) when they are
    counted already; None otherwise, and their count starts in the background."""
    moment = as_of.current()
    fingerprint, _ = _FINGERPRINTS.get_or_compute(
        (database, moment), lambda: graph_fingerprint(driver, database=database))
    key = (database, fingerprint)

    def count() -> dict[str, int]:
        with as_of.scope(moment):  # the background thread asks about the same instant
            return organisation_degrees(driver, database=database)

    return DEGREES.peek_or_start(key, count, name="organisation-degrees")
