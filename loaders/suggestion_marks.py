"""The stewards' marks on suggested pairs: « déjà en contact » or « pas pertinent ».

A mark is bookkeeping (:data:`graph.bookkeeping.BOOKKEEPING`), not a fact: a
``SuggestionMark`` node per pair of organisations (its ``id`` names both, in id order, so a
pair has one mark whichever side it was marked from), with the ``verdict``, who marked
it (``by``), when (``at``) and an optional ``note``. The suggestions leave a marked pair
out (``queries/suggestions.cypher``), both ways.
"""

from __future__ import annotations

from typing import Any, Literal

from neo4j import Driver

from graph.cache import clear_caches

Verdict = Literal["en_contact", "pas_pertinent"]

#: each verdict as the pages and the command line say it
VERDICT_FR: dict[str, str] = {"en_contact": "déjà en contact", "pas_pertinent": "pas pertinent"}


def mark_id(a: str, b: str) -> str:
    """The id of the pair's mark: both ids in order (``mark:org:a|org:b``).

    >>> mark_id("org:b", "org:a") == mark_id("org:a", "org:b") == "mark:org:a|org:b"
    True
    """
    first, second = sorted((a, b))
    return f"mark:{first}|{second}"


_MARK = """
MATCH (a:Organisation {id: $a}), (b:Organisation {id: $b})
WHERE a.retired_at IS NULL AND b.retired_at IS NULL
MERGE (m:SuggestionMark {id: $id})
SET m.a = $first, m.b = $second, m.verdict = $verdict, m.by = $by, m.note = $note,
    m.at = datetime()
RETURN m.id AS id, m.verdict AS verdict, m.by AS by, m.note AS note, toString(m.at) AS at
"""


def mark_pair(driver: Driver, a: str, b: str, verdict: Verdict, *, by: str | None = None,
              note: str | None = None, database: str = "neo4j") -> dict[str, Any] | None:
    """Mark the pair ``a``–``b`` (two organisation ids); a second mark replaces the first.

    Returns
    -------
    dict or None
        The mark (``id``, ``verdict``, ``by``, ``note``, ``at``); None when either id names
        no living organisation (nothing is written).

    Raises
    ------
    ValueError
        An organisation paired with itself, or an unknown verdict.
    """
    if a == b:
        raise ValueError("an organisation cannot be paired with itself")
    if verdict not in VERDICT_FR:
        raise ValueError(f"unknown verdict {verdict!r}; use en_contact or pas_pertinent")
    first, second = sorted((a, b))
    records, _, _ = driver.execute_query(
        _MARK, {"a": a, "b": b, "id": mark_id(a, b), "first": first, "second": second,
                "verdict": verdict, "by": by, "note": note}, database_=database)
    clear_caches()
    return dict(records[0]) if records else None


def unmark_pair(driver: Driver, a: str, b: str, *, database: str = "neo4j") -> bool:
    """Remove the pair's mark: the pair may be suggested again. Whether there was one."""
    records, _, _ = driver.execute_query(
        "MATCH (m:SuggestionMark {id: $id}) DETACH DELETE m RETURN count(*) AS n",
        {"id": mark_id(a, b)}, database_=database)
    clear_caches()
    return bool(records and records[0]["n"])
