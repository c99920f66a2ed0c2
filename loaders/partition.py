"""Rows split into parts that share no node, so that two transactions can write them at once.

Neo4j locks both ends of a relationship it creates (and a node it merges): two write
transactions that touch the same node wait for each other, or deadlock and retry. Parts
whose rows touch disjoint sets of nodes never conflict, and the server gives each its
own core. :func:`split_disjoint` finds such parts greedily — every node to the part of
most of its neighbours, busiest nodes first, spread over the parts — and leaves the rows
that would join two parts for a next round, or for the end, written alone.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field


@dataclass
class Split:
    """Rows (by index) to write: each round's parts together, one round after the other,
    then ``rest`` alone."""

    rounds: list[list[list[int]]] = field(default_factory=list)
    rest: list[int] = field(default_factory=list)

    @property
    def parallel_rows(self) -> int:
        return sum(len(part) for parts in self.rounds for part in parts)


def split_disjoint(ends: Sequence[tuple[Hashable, ...]], parts: int = 2, *,
                   rounds: int = 3, min_rows: int = 2000) -> Split:
    """Split rows into ``parts`` groups per round whose nodes are disjoint.

    Parameters
    ----------
    ends
        The nodes each row touches (one for a node row, two for a relationship row), as
        hashable keys: two rows conflict when they share a key.
    parts
        Transactions that will run at once.
    rounds
        How many times the rows left over (those joining two parts) are split again.
    min_rows
        Fewer rows than this are not worth splitting: they go to ``rest``.

    Returns
    -------
    Split
        Rounds of ``parts`` lists of row indexes, and the rows to write alone. Within one
        round no key appears in two lists; every row appears exactly once.

    Examples
    --------
    Two stars (hubs ``a`` and ``b``) split into one part each; the row joining them is
    left over:

    >>> s = split_disjoint([("a", 1), ("a", 2), ("b", 3), ("b", 4), ("a", "b")], min_rows=1)
    >>> sorted(map(sorted, s.rounds[0])), s.rest
    ([[0, 1], [2, 3]], [4])
    """
    out = Split()
    remaining = list(range(len(ends)))
    if parts < 2:
        out.rest = remaining
        return out
    for _ in range(rounds):
        if len(remaining) < min_rows:
            break
        assign = _assign(ends, remaining, parts)
        groups: list[list[int]] = [[] for _ in range(parts)]
        left: list[int] = []
        for i in remaining:
            keys = ends[i]
            p = assign[keys[0]]
            if all(assign[k] == p for k in keys[1:]):
                groups[p].append(i)
            else:
                left.append(i)
        if min(map(len, groups)) <= len(remaining) // (4 * parts):
            break  # too lopsided: the parallel round would be one part waiting for the other
        out.rounds.append(groups)
        remaining = left
    out.rest = remaining
    return out


def _assign(ends: Sequence[tuple[Hashable, ...]], rows: list[int], parts: int,
            ) -> dict[Hashable, int]:
    """Each node to a part: busiest first, to the part of most of its assigned neighbours,
    ties to the part with the fewest rows so far, never past a part's share."""
    neighbours: dict[Hashable, list[Hashable]] = {}
    for i in rows:
        keys = ends[i]
        for k in keys:
            nb = neighbours.get(k)
            if nb is None:
                nb = neighbours[k] = []
            nb.extend(keys)  # itself included: harmless, it is not assigned yet
    assign: dict[Hashable, int] = {}
    load = [0] * parts
    # a part may not take more than its share (plus a little): two linked hubs must not
    # both land in one part, leaving the other part idle
    cap = sum(map(len, neighbours.values())) / parts * 1.1
    # busiest first: hubs are spread over the parts before their neighbours follow them
    for node in sorted(neighbours, key=lambda k: -len(neighbours[k])):
        weight = len(neighbours[node])
        votes = [0] * parts
        for other in neighbours[node]:
            p = assign.get(other)
            if p is not None:
                votes[p] += 1
        room = [p for p in range(parts) if load[p] + weight <= cap] or range(parts)
        best = max(room, key=lambda p: (votes[p], -load[p]))
        assign[node] = best
        load[best] += weight
    return assign
