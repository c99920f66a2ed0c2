"""Alliance suggestions as pure functions of a small networkx graph: who should work with
an organisation, with what score, and why (in French).

The graph is the asker's neighbourhood (:mod:`queries.suggestions` builds it from one
query; the tests build it by hand):

- node ``a`` (the asker) and its neighbours — needs, programmes, dialogue spaces and
  organisations it is linked to — and the organisations linked to those (the
  candidates), plus organisations near it with nothing in common yet;
- node attributes: ``label`` (``Organisation``, ``Need``, ``Programme``,
  ``DialogueSpace``), ``name``, ``kind``, ``roles`` (``relay``, ``catalyst``), ``lat`` and
  ``lon`` (None: placed nowhere), ``acts_here`` (the organisation acts on a territory that
  holds the asker), ``degree`` (how many organisations the node is linked to in the whole
  graph: what Adamic–Adar divides by; the graph's own degree when absent), ``partners``
  on a candidate (how many organisations it is linked to in the whole graph: its
  popularity; 0 when absent);
- edge attribute ``rels``: the relationships it stands for, as ``(type, start id)`` pairs.

The weights are :data:`queries.suggestion_weights.WEIGHTS`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx

from graph.french import in_sentence, kind_fr, km, plural, quoted
from graph.vocabulary import WORLD_BY_KIND, WORLD_FR
from queries.suggestion_weights import WEIGHTS, SuggestionWeights

#: Neo4j's Earth radius for WGS-84 distances (metres): the same distances as the queries
EARTH_RADIUS_M = 6378140.0

#: the labels of what two organisations can share, in the order the explanation names them
SHARED_LABELS = ("Need", "Programme", "DialogueSpace", "Organisation")


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km (haversine, as Neo4j's ``point.distance``)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h))) / 1000.0


def world(kind: str | None) -> str:
    """The world of an organisation kind (``intermediaire`` when unknown)."""
    return WORLD_BY_KIND.get(kind or "", "intermediaire")


@dataclass(frozen=True)
class Shared:
    """Something both organisations are linked to."""

    id: str
    label: str
    name: str | None
    #: organisations linked to it in the whole graph (at least 2: the pair)
    degree: int


@dataclass(frozen=True)
class PairEvidence:
    """What the score of a pair (asker ``a``, candidate ``b``) is made of."""

    a: str
    b: str
    kind_a: str | None
    kind_b: str | None
    #: km between them; None when one of them is placed nowhere
    distance_km: float | None
    #: ``b`` acts on a territory that holds ``a`` (no distance penalty)
    acts_here: bool
    radius_km: float
    shared: tuple[Shared, ...] = ()
    #: shared organisations that can introduce them (relay, catalyst, within the radius)
    introducers: tuple[Shared, ...] = ()
    #: organisations ``b`` is linked to in the whole graph (0: none, or unknown)
    partners_b: int = 0


@dataclass(frozen=True)
class ScoreParts:
    """A pair's score and each of its parts (see :mod:`queries.suggestion_weights`)."""

    base: float
    shared: float
    introduction: float
    proximity: float
    complementarity: float
    popularity: float = 1.0
    score: float = field(init=False)

    def __post_init__(self) -> None:
        total = ((self.base + self.shared + self.introduction) * self.proximity
                 * self.complementarity * self.popularity)
        object.__setattr__(self, "score", total)


def _degree(graph: nx.Graph, node: str) -> int:
    return max(int(graph.nodes[node].get("degree") or graph.degree(node)), 2)


def _is_introducer(graph: nx.Graph, node: str, a: str, radius_km: float) -> bool:
    data = graph.nodes[node]
    if {"relay", "catalyst"} & set(data.get("roles") or ()):
        return True
    here, there = graph.nodes[a], data
    if None in (here.get("lat"), here.get("lon"), there.get("lat"), there.get("lon")):
        return False
    return distance_km(here["lat"], here["lon"], there["lat"], there["lon"]) <= radius_km


def _shared_of(graph: nx.Graph, a: str, radius_km: float) -> dict[str, tuple[Shared, bool]]:
    """What ``a`` is linked to that a pair can share, each once: its :class:`Shared` and
    whether it can introduce (read once per asker, not once per pair)."""
    nodes = graph.nodes
    found = {}
    for x in graph.adj[a]:
        label = nodes[x].get("label")
        if label in SHARED_LABELS:
            shared = Shared(id=x, label=label, name=nodes[x].get("name"),
                            degree=_degree(graph, x))
            found[x] = (shared, label == "Organisation"
                        and _is_introducer(graph, x, a, radius_km))
    return found


def _shared_key(s: Shared) -> tuple:
    return (SHARED_LABELS.index(s.label), s.degree, s.name or "", s.id)


def pair_evidence(graph: nx.Graph, a: str, b: str, *, radius_km: float,
                  _shared: dict[str, tuple[Shared, bool]] | None = None) -> PairEvidence:
    """What ``a`` and ``b`` share, how far apart they are, who can introduce them.

    Parameters
    ----------
    graph
        The neighbourhood graph (see the module's docstring).
    a, b
        The asker and a candidate.
    radius_km
        The radius the user chose.

    Returns
    -------
    PairEvidence
        Shared nodes ordered by label (needs, programmes, spaces, organisations), then
        rarest first, then name.
    """
    of_a = _shared if _shared is not None else _shared_of(graph, a, radius_km)
    both = [of_a[x] for x in graph.adj[b] if x in of_a]
    if len(both) > 1:
        both.sort(key=lambda pair: _shared_key(pair[0]))
    pa, pb = graph.nodes[a], graph.nodes[b]
    distance = None
    lat_a, lon_a, lat_b, lon_b = pa.get("lat"), pa.get("lon"), pb.get("lat"), pb.get("lon")
    if lat_a is not None and lon_a is not None and lat_b is not None and lon_b is not None:
        distance = distance_km(lat_a, lon_a, lat_b, lon_b)
    return PairEvidence(a, b, pa.get("kind"), pb.get("kind"), distance,
                        bool(pb.get("acts_here")), radius_km,
                        tuple(s for s, _ in both) if both else (),
                        tuple(s for s, introduces in both if introduces) if both else (),
                        int(pb.get("partners") or 0))


def proximity(evidence: PairEvidence, weights: SuggestionWeights = WEIGHTS) -> float:
    """1 at 0 km, ``weights.at_radius`` at the radius, exponential in between; 1 for an
    organisation acting on the asker's territory; ``weights.unknown_distance`` when the
    distance is unknown."""
    if evidence.acts_here:
        return 1.0
    if evidence.distance_km is None:
        return weights.unknown_distance
    return weights.at_radius ** (evidence.distance_km / evidence.radius_km)


def complementarity(kind_a: str | None, kind_b: str | None,
                    weights: SuggestionWeights = WEIGHTS) -> float:
    """The factor of two kinds' worlds: across worlds, with an intermediary, or the same."""
    wa, wb = world(kind_a), world(kind_b)
    if wa == wb:
        return weights.same_world
    if "intermediaire" in (wa, wb):
        return weights.with_intermediary
    return weights.cross_world


def popularity(evidence: PairEvidence, weights: SuggestionWeights = WEIGHTS) -> float:
    """``1 + weights.popularity × ln(1 + partners of b)``: 1 for an organisation linked to
    no other, slowly more for a hub."""
    return 1.0 + weights.popularity * math.log1p(evidence.partners_b)


def score_pair(evidence: PairEvidence, weights: SuggestionWeights = WEIGHTS) -> ScoreParts:
    """The score of a pair and its parts.

    Examples
    --------
    Two neighbours 0 km apart, sharing a need only they express, an association and a
    company: ``(0.3 + 1 / log 2) × 1 × 1.5``.

    >>> e = PairEvidence("a", "b", "association", "entreprise", 0.0, False, 30.0,
    ...                  (Shared("need:x", "Need", "X", 2),))
    >>> round(score_pair(e).score, 3)
    2.614
    """
    shared = sum(weights.label_weight(s.label) / math.log(s.degree) for s in evidence.shared)
    return ScoreParts(base=weights.base, shared=shared,
                      introduction=weights.introduction if evidence.introducers else 0.0,
                      proximity=proximity(evidence, weights),
                      complementarity=complementarity(evidence.kind_a, evidence.kind_b,
                                                      weights),
                      popularity=popularity(evidence, weights))


def is_candidate(evidence: PairEvidence) -> bool:
    """Whether ``b`` is worth suggesting to ``a``: within the radius; or, sharing
    something, acting on ``a``'s territory or placed nowhere."""
    if evidence.distance_km is not None and evidence.distance_km <= evidence.radius_km:
        return True
    if not evidence.shared:
        return False
    return evidence.acts_here or evidence.distance_km is None


def rank_suggestions(graph: nx.Graph, a: str, *, radius_km: float,
                     excluded: Iterable[str] = (),
                     weights: SuggestionWeights = WEIGHTS
                     ) -> list[tuple[PairEvidence, ScoreParts]]:
    """Every organisation worth suggesting to ``a``, best first.

    A candidate is an ``Organisation`` node other than ``a``, with no relationship with
    ``a`` (an edge of the graph), not in ``excluded`` (the stewards' marks), and
    :func:`is_candidate`. A person is never one (its label is not ``Organisation``).

    Returns
    -------
    list
        ``(evidence, parts)`` by score (highest first), then distance (nearest first,
        unknown last), then id: the same graph gives the same list.
    """
    skip = set(excluded) | {a} | set(graph.adj[a])
    of_a = _shared_of(graph, a, radius_km)
    found = []
    for b, data in graph.nodes(data=True):
        if data.get("label") != "Organisation" or b in skip:
            continue
        evidence = pair_evidence(graph, a, b, radius_km=radius_km, _shared=of_a)
        if is_candidate(evidence):
            found.append((evidence, score_pair(evidence, weights)))
    found.sort(key=lambda pair: (-round(pair[1].score, 9),
                                 math.inf if pair[0].distance_km is None
                                 else pair[0].distance_km, pair[0].b))
    return found


# --- the explanation, in French -----------------------------------------------------------


def _names(items: list[str], most: int = 3) -> str:
    """« A », « A » et « B », « A », « B » et 2 autres."""
    shown = [quoted(x) for x in items[:most]]
    rest = len(items) - len(shown)
    if rest:
        return ", ".join(shown) + " et " + plural(rest, "autre", "autres")
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " et " + shown[-1]


def _plain_names(items: list[str], most: int = 3) -> str:
    shown = items[:most]
    rest = len(items) - len(shown)
    if rest:
        return ", ".join(shown) + " et " + plural(rest, "autre", "autres")
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " et " + shown[-1]


#: how each kind of shared node is said: (one, several)
_SHARED_FR = {
    "Need": ("partagent le besoin", "partagent les besoins"),
    "Programme": ("sont liés au programme", "sont liés aux programmes"),
    "DialogueSpace": ("participent à l'espace de dialogue",
                      "participent aux espaces de dialogue"),
}


def _distance_fr(evidence: PairEvidence) -> str:
    if evidence.acts_here:
        return "agit sur le territoire (pas de pénalité de distance)"
    if evidence.distance_km is None:
        return "distance inconnue"
    if evidence.distance_km < 1:
        return "à moins d'1 km"
    return km(round(evidence.distance_km))


def _worlds_fr(kind_a: str | None, kind_b: str | None) -> str:
    kinds = f"{in_sentence(kind_fr(kind_a or 'autre'))} + {in_sentence(kind_fr(kind_b or 'autre'))}"
    wa, wb = world(kind_a), world(kind_b)
    if wa == wb:
        return f"{kinds} (même monde {WORLD_FR[wa]})"
    return f"{kinds} (mondes {WORLD_FR[wa]} et {WORLD_FR[wb]})"


def explain(evidence: PairEvidence) -> str:
    """The reasons of a suggestion in French, one part of the score after the other.

    Examples
    --------
    >>> e = PairEvidence("a", "b", "association", "entreprise", 8.2, False, 30.0,
    ...                  (Shared("need:n", "Need", "inclusion numérique", 3),
    ...                   Shared("org:r", "Organisation", "Le RAMEAU", 9)),
    ...                  (Shared("org:r", "Organisation", "Le RAMEAU", 9),))
    >>> for part in explain(e).split(" ; "):
    ...     print(part)
    partagent le besoin « inclusion numérique »
    8 km
    association + entreprise (mondes associatif et économique)
    Le RAMEAU les connaît tous deux
    """
    parts = []
    for label, (one, several) in _SHARED_FR.items():
        names = [s.name or s.id for s in evidence.shared if s.label == label]
        if names:
            parts.append(f"{one if len(names) == 1 else several} {_names(names)}")
    if not evidence.shared:
        parts.append("rien en commun dans le graphe pour l'instant")
    parts.append(_distance_fr(evidence))
    parts.append(_worlds_fr(evidence.kind_a, evidence.kind_b))
    if evidence.partners_b:
        parts.append("déjà en lien avec "
                     + plural(evidence.partners_b, "organisation", "organisations"))
    known = [s.name or s.id for s in evidence.shared if s.label == "Organisation"]
    if known:
        verb = "les connaît tous deux" if len(known) == 1 else "les connaissent tous deux"
        parts.append(f"{_plain_names(known)} {verb}")
    return " ; ".join(parts)
