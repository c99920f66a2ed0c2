"""Bookkeeping: what the graph records about its own history, as opposed to facts.

A fact is an element (organisation, programme, need, territory…), a connection, or one
of their properties. Bookkeeping is what the product writes to remember *how* the facts
got there: import records, the time a fact was first seen or last changed, the import
that retired it. The facts' hash (:mod:`graph.fact_hash`, ``alliance-graph db hash``)
leaves bookkeeping out, so that loading the same files twice, or at another time, leaves
the hash as it was.

:data:`BOOKKEEPING` is the one list of such names: work that adds a bookkeeping label,
relationship type or property adds its name here (with a comment saying why), and the
hash, and every test that compares hashes, follow.
"""

from __future__ import annotations

#: Names that are bookkeeping, not facts. One list for labels, relationship types and
#: property keys (their spellings never collide here: ``Label``, ``TYPE``, ``property``):
#:
#: - a node carrying a listed label is not a fact, nor is any relationship touching it;
#: - a relationship of a listed type is not a fact;
#: - a listed property key is left out of every node and relationship.
BOOKKEEPING: tuple[str, ...] = (
    # the record of one load: files, sha256, time, operator, counts (issue 15)
    "Import",
    # a steward's verdict on a suggested pair, « déjà en contact » or « pas pertinent »
    # (issue 16): about the product's suggestions, not a fact of the world
    "SuggestionMark",
    # when a fact entered the graph, last changed, left it: times, not facts
    "first_seen",
    "last_changed",
    "retired_at",
    # which import retired a fact, or stated it last
    "retired_by",
    "import_id",
    # the datasets that state a fact (a load's --dataset): provenance of the load, not of
    # the world (a fact's own ``source`` document stays a fact)
    "datasets",
    # the previous values of a fact's changed properties, one JSON entry a change
    "history",
    # the record of one merge of duplicates: who, when, which ids, and the relationships
    # moved with their properties before, to undo it (loaders/merge.py)
    "Merge",
    # a duplicate organisation kept for its id's sake: merged into which element, when,
    # by whom (it is retired too: every question hides it; its URL redirects)
    "merged_into",
    "merged_at",
    "merged_by",
    # a steward's « pas un doublon » on a pair, so it is not proposed again
    # (queries/duplicates.py)
    "DuplicateDecision",
)


#: When a fact exists, the one rule every question follows (queries/_run.py passes
#: ``$as_of``): a node or relationship is *alive at* ``t`` when
#: ``(first_seen IS NULL OR first_seen <= t) AND (retired_at IS NULL OR retired_at > t)``;
#: alive now when ``retired_at IS NULL``. ``first_seen`` null: written before history was
#: kept (or a territory of the reference), so it always existed.
ALIVE_RULE = ("(x.first_seen IS NULL OR x.first_seen <= t) AND "
              "(x.retired_at IS NULL OR x.retired_at > t)")

#: :data:`BOOKKEEPING` as a set, for lookups.
BOOKKEEPING_NAMES: frozenset[str] = frozenset(BOOKKEEPING)


def is_bookkeeping(name: str) -> bool:
    """Whether a label, relationship type or property key is bookkeeping.

    >>> is_bookkeeping("Import"), is_bookkeeping("first_seen"), is_bookkeeping("name")
    (True, True, False)
    """
    return name in BOOKKEEPING_NAMES
