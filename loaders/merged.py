"""Where a merged organisation lives now, for the loads that name it after the merge.

A merge (loaders/merge.py) keeps the duplicate as a retired node marked ``merged_into``.
A later load that names it — by its id, its name or its SIREN/RNA — must write to the
organisation it was merged into, never bring the duplicate back: the resolver
(loaders/resolve.py) and the validator (loaders/validate.py) ask :func:`kept_ids`. This
module needs no other loader, so both may import it.
"""

from __future__ import annotations

from neo4j import Driver

#: how long a chain of merges (a into b, then b into c…) is followed
MAX_CHAIN = 20


def kept_ids(driver: Driver, ids: list[str], *, database: str = "neo4j") -> dict[str, str]:
    """The organisations among ``ids`` that were merged, each → the one it lives on as
    now (the end of a chain a → b → c). Ids not merged are left out.

    One indexed read per link of the longest chain (nearly always one).
    """
    wanted = set(ids)
    out: dict[str, str] = {}  # every merged id met → where it lives on
    ask = sorted(wanted)
    for _ in range(MAX_CHAIN):
        if not ask:
            break
        records, _, _ = driver.execute_query(
            "UNWIND $ids AS id MATCH (o:Organisation {id: id}) "
            "WHERE o.merged_into IS NOT NULL RETURN id, o.merged_into AS into",
            {"ids": ask}, database_=database, routing_="r")
        step = {r["id"]: r["into"] for r in records}
        out = {start: step.get(end, end) for start, end in out.items()}
        for node_id, into in step.items():
            out.setdefault(node_id, into)
        ask = sorted(set(step.values()))
    return {k: v for k, v in out.items() if k in wanted}
