"""Coalitions for a territory and a need, as pure functions of a small networkx graph: groups
of three organisations from different worlds — an association, a company or a
foundation, a public actor — no two of which are linked yet, scored by their weakest pair
(:func:`queries.suggestion_score.score_pair`), with an intermediary who could convene them.

The graph is the one :mod:`queries.suggestion_score` reads (node attributes ``label``,
``kind``, ``roles``, ``lat``, ``lon``, ``acts_here``, ``degree``; edges ``rels``), plus
``relevant`` on the organisations linked to the need or the programme asked about.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx

from queries.suggestion_score import PairEvidence, ScoreParts, pair_evidence, score_pair
from queries.suggestion_weights import WEIGHTS, SuggestionWeights

#: the seats of a coalition and the kinds that may take each, as the documents' alliances
#: gather them: the association that acts, the company or foundation that brings means,
#: the local authority or State service of the territory
SEATS: dict[str, tuple[str, ...]] = {
    "association": ("association",),
    "moyens": ("entreprise", "fondation", "investisseur"),
    "public": ("collectivite", "etat"),
}
#: the seats in French, for what the page says is missing
SEAT_FR: dict[str, str] = {"association": "une association",
                           "moyens": "une entreprise ou une fondation",
                           "public": "une collectivité ou un service de l'État"}
#: who may convene a coalition: a network, a research body, another intermediary, or an
#: organisation holding the relay or catalyst role
CONVENER_KINDS = ("tete_de_reseau", "recherche", "autre")
#: candidates kept per seat (the most relevant): 8³ = 512 groups at most to score
PER_SEAT = 8


@dataclass(frozen=True)
class RankedCoalition:
    """A coalition: its members (one per seat, in seat order), its pairs' evidence and
    scores, the weakest pair, and who could convene it."""

    members: tuple[str, ...]
    pairs: tuple[tuple[PairEvidence, ScoreParts], ...]
    weakest: tuple[PairEvidence, ScoreParts]
    convener: str | None

    @property
    def score(self) -> float:
        return self.weakest[1].score


def seat_candidates(graph: nx.Graph, pool: Iterable[str], *,
                    per_seat: int = PER_SEAT) -> dict[str, list[str]]:
    """The organisations of ``pool`` that may take each seat, the most relevant first:
    linked to the need (``relevant``), then with the most links, then by id."""
    nodes = graph.nodes
    out: dict[str, list[str]] = {}
    for seat, kinds in SEATS.items():
        found = [o for o in pool if nodes[o].get("kind") in kinds]
        found.sort(key=lambda o: (not nodes[o].get("relevant"), -graph.degree(o), o))
        out[seat] = found[:per_seat]
    return out


def pair_score(graph: nx.Graph, x: str, y: str, *, radius_km: float,
               weights: SuggestionWeights = WEIGHTS) -> tuple[PairEvidence, ScoreParts]:
    """The pair's evidence and score read from the side that scores best (an actor acting
    on the whole territory is near everyone in it)."""
    one = pair_evidence(graph, x, y, radius_km=radius_km)
    other = pair_evidence(graph, y, x, radius_km=radius_km)
    first, second = score_pair(one, weights), score_pair(other, weights)
    return (one, first) if first.score >= second.score else (other, second)


def _convener(graph: nx.Graph, members: tuple[str, ...]) -> str | None:
    counts = {}
    for m in members:
        for x in graph.adj[m]:
            data = graph.nodes[x]
            if data.get("label") != "Organisation" or x in members:
                continue
            if data.get("kind") in CONVENER_KINDS or {"relay", "catalyst"} & set(
                    data.get("roles") or ()):
                counts[x] = counts.get(x, 0) + 1
    best = sorted((x for x, n in counts.items() if n >= 2), key=lambda x: (-counts[x], x))
    return best[0] if best else None


def rank_coalitions(graph: nx.Graph, pool: Iterable[str], *, radius_km: float,
                    excluded_pairs: Iterable[tuple[str, str]] = (),
                    per_seat: int = PER_SEAT,
                    weights: SuggestionWeights = WEIGHTS) -> list[RankedCoalition]:
    """Every coalition of one organisation per seat, no two of them linked (an edge of the
    graph) or marked (``excluded_pairs``), best weakest pair first.

    Returns
    -------
    list
        By score (the weakest pair's, highest first), then members' ids: the same graph
        gives the same list.
    """
    seats = seat_candidates(graph, pool, per_seat=per_seat)
    excluded = {frozenset(p) for p in excluded_pairs}
    cache: dict[frozenset, tuple[PairEvidence, ScoreParts] | None] = {}

    def scored(x: str, y: str) -> tuple[PairEvidence, ScoreParts] | None:
        key = frozenset((x, y))
        if key not in cache:
            cache[key] = (None if graph.has_edge(x, y) or key in excluded or x == y
                          else pair_score(graph, x, y, radius_km=radius_km, weights=weights))
        return cache[key]

    found = []
    for members in itertools.product(*seats.values()):
        pairs = [scored(x, y) for x, y in itertools.combinations(members, 2)]
        if any(p is None for p in pairs):
            continue
        weakest = min(pairs, key=lambda p: (p[1].score, p[0].a, p[0].b))
        found.append(RankedCoalition(members=members, pairs=tuple(pairs), weakest=weakest,
                                     convener=_convener(graph, members)))
    found.sort(key=lambda c: (-round(c.score, 9), c.members))
    return found


def missing_seats(graph: nx.Graph, pool: Iterable[str]) -> list[str]:
    """The seats nobody in ``pool`` can take (what the page says is missing)."""
    seats = seat_candidates(graph, pool, per_seat=1)
    return [seat for seat, found in seats.items() if not found]
