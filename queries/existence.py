"""Existence checks: is there an element, a programme, a dialogue space with this id?

One indexed read each (``node_labels.cypher``), for answers that only need to know the
id is real — the ``/viz/…/embed`` snippets — so a missing id is a 404 without building
the view. The messages are those the views raise for the same ids.
"""

from __future__ import annotations

from neo4j import Driver

from queries._run import read
from queries.errors import SEARCH_HINT, NotFoundError


def node_labels(driver: Driver, ids: list[str], *, database: str = "neo4j") -> dict[str, list[str]]:
    """The labels of each id that exists (ids not in the graph are left out).

    Parameters
    ----------
    ids
        Element or territory ids (``org:le-rameau``, ``departement:59``).

    Returns
    -------
    dict[str, list[str]]
        Id → its labels, sorted.
    """
    if not ids:
        return {}
    rows = read(driver, "node_labels", {"ids": sorted(set(ids))}, database=database)
    return {row["id"]: sorted(row["labels"]) for row in rows}


def require_node(driver: Driver, node_id: str, *, label: str | None = None,
                 what: str = "element", database: str = "neo4j") -> list[str]:
    """Check that ``node_id`` exists (with ``label`` when given); its labels.

    Raises
    ------
    NotFoundError
        No node has that id, or it has not that label; the message says what to do.
    """
    labels = node_labels(driver, [node_id], database=database).get(node_id)
    if labels is None or (label is not None and label not in labels):
        raise NotFoundError(f"no {what} {node_id!r}; {SEARCH_HINT}")
    return labels
