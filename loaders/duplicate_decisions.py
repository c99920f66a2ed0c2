"""A steward's « pas un doublon »: a pair of organisations the duplicates finder
(queries/duplicates.py) never proposes again.

One ``(:DuplicateDecision {pair: 'a|b'})`` node a pair (ids in order, unique), with who
and when: bookkeeping (graph/bookkeeping.py), outside the facts' hash.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from neo4j import Driver

from loaders.merge import MergeNotFound, MergeRefused


@dataclass
class Dismissed:
    """A pair said not to be duplicates."""

    a: str
    b: str
    at: dt.datetime
    by: str | None
    #: False: the pair had been dismissed already (the first decision stays)
    new: bool


def dismiss(driver: Driver, a: str, b: str, *, by: str | None = None,
            database: str = "neo4j") -> Dismissed:
    """Record that organisations ``a`` and ``b`` are not duplicates (twice: no change).

    Raises
    ------
    MergeRefused
        The same id twice.
    MergeNotFound
        One of them is no organisation.
    """
    if a == b:
        raise MergeRefused(f"{a!r} twice: give two organisations",
                           f"« {a} » deux fois : indiquez deux organisations différentes.")
    a, b = sorted((a, b))
    records, _, _ = driver.execute_query(
        "UNWIND $ids AS id MATCH (o:Organisation {id: id}) RETURN o.id AS id",
        {"ids": [a, b]}, database_=database, routing_="r")
    found = {r["id"] for r in records}
    for node_id in (a, b):
        if node_id not in found:
            raise MergeNotFound(f"no organisation {node_id!r}",
                                f"Aucune organisation n'a l'identifiant « {node_id} ».")
    at = dt.datetime.now(dt.UTC)
    records, _, _ = driver.execute_query(
        "MERGE (d:DuplicateDecision {pair: $pair}) "
        "ON CREATE SET d.a = $a, d.b = $b, d.decision = 'not_duplicate', d.at = $at, "
        "d.by = $by, d.created = true "
        "WITH d, d.created AS new REMOVE d.created "
        "RETURN d.at AS at, d.by AS by, new IS NOT NULL AS new",
        {"pair": f"{a}|{b}", "a": a, "b": b, "at": at, "by": by}, database_=database)
    row = records[0]
    from graph.cache import clear_caches

    clear_caches()
    return Dismissed(a, b, row["at"].to_native(), row["by"], row["new"])
