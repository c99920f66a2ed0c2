"""Alliance suggestions for one organisation: its neighbourhood fetched by one query
(``suggestions.cypher``) into a small networkx graph, ranked by the pure functions of
:mod:`queries.suggestion_score`."""

from __future__ import annotations

from functools import lru_cache

import networkx as nx
from neo4j import Driver

from queries._run import ROLE_BY_LABEL, check_page, read_one
from queries.errors import SEARCH_HINT, InvalidParameter, NotFoundError
from queries.link_counts import known_degrees
from queries.models import GraphPath, NodeRef, OrganisationRef, RelRef, primary_label
from queries.suggestion_models import ScoreParts, Suggestion, SuggestionMark, SuggestionsPage
from queries.suggestion_score import (
    PairEvidence,
    explain,
    rank_suggestions,
    world,
)
from queries.suggestion_score import ScoreParts as Parts

#: the radius users get when they choose none (km), as partners near
DEFAULT_RADIUS_KM = 30.0
#: largest radius: a département or two, as partners near
MAX_RADIUS_KM = 300.0
#: the nearest organisations within the radius taken whatever they share: enough for a
#: page of pairs with nothing in common yet, ranked by distance and world
NEAR_CANDIDATES = 200


def _roles(labels: list[str]) -> tuple[str, ...]:
    return _roles_of(tuple(labels))


@lru_cache(maxsize=256)
def _roles_of(labels: tuple[str, ...]) -> tuple[str, ...]:
    # a few label sets over and over: hundreds of candidates an answer
    return tuple(sorted(ROLE_BY_LABEL[x] for x in labels if x in ROLE_BY_LABEL))


def neighbourhood_graph(row: dict, degrees: dict[str, int] | None = None
                        ) -> tuple[nx.Graph, str]:
    """The graph :func:`queries.suggestion_score.rank_suggestions` reads, from the row of
    ``suggestions.cypher``; and the asker's id. ``degrees`` fills the degrees and partners
    the row left out (asked with ``$counted``: :mod:`queries.link_counts`)."""
    if degrees is None:
        degrees = {}
    graph = nx.Graph()
    a, name, kind, labels, lat, lon = row["me"]
    graph.add_node(a, label="Organisation", name=name, kind=kind, roles=_roles(labels),
                   labels=labels, lat=lat, lon=lon, acts_here=False)
    for xid, xname, xlabels, xkind, xlat, xlon, degree, rels in row["around"]:
        if degree is None:
            degree = degrees.get(xid, 0)
        graph.add_node(xid, label=primary_label(xlabels), labels=xlabels, name=xname,
                       kind=xkind, roles=_roles(xlabels), lat=xlat, lon=xlon, degree=degree)
        graph.add_edge(a, xid, rels=tuple((t, a if mine else xid) for t, mine in rels))
    for bid, bname, bkind, blabels, blat, blon, acts_here, partners, links in \
            row["candidates"]:
        if partners is None:
            partners = degrees.get(bid, 0)
        graph.add_node(bid, label="Organisation", labels=blabels, name=bname, kind=bkind,
                       roles=_roles(blabels), lat=blat, lon=blon, acts_here=acts_here,
                       partners=partners)
        for rel, from_b, xid in links:
            rels = graph.edges[bid, xid]["rels"] if graph.has_edge(bid, xid) else ()
            graph.add_edge(bid, xid, rels=(*rels, (rel, bid if from_b else xid)))
    return graph, a


def _node(graph: nx.Graph, node: str) -> NodeRef:
    data = graph.nodes[node]
    return NodeRef(id=node, name=data.get("name"), label=data["label"],
                   labels=list(data.get("labels") or [data["label"]]), kind=data.get("kind"))


def _organisation(graph: nx.Graph, node: str) -> OrganisationRef:
    data = graph.nodes[node]
    return OrganisationRef(id=node, name=data.get("name"), kind=data.get("kind"),
                           roles=list(data.get("roles") or ()))


def _rel(graph: nx.Graph, u: str, v: str) -> RelRef:
    rel_type, start = sorted(graph.edges[u, v]["rels"])[0]
    return RelRef(type=rel_type, source=start, target=v if start == u else u)


def suggestion(graph: nx.Graph, evidence: PairEvidence, parts: Parts) -> Suggestion:
    """The answer for one ranked pair: its parts, explanation and proof paths."""
    a, b = evidence.a, evidence.b
    paths = [GraphPath(nodes=[_node(graph, a), _node(graph, s.id), _node(graph, b)],
                       relationships=[_rel(graph, a, s.id), _rel(graph, s.id, b)], length=2)
             for s in evidence.shared]
    return Suggestion(
        organisation=_organisation(graph, b), score=round(parts.score, 6),
        parts=ScoreParts(base=parts.base, shared=round(parts.shared, 6),
                         introduction=parts.introduction,
                         proximity=round(parts.proximity, 6),
                         complementarity=parts.complementarity,
                         popularity=round(parts.popularity, 6)),
        distance_km=None if evidence.distance_km is None else round(evidence.distance_km, 3),
        acts_here=evidence.acts_here,
        worlds=[world(evidence.kind_a), world(evidence.kind_b)],
        shared=[_node(graph, s.id) for s in evidence.shared],
        introducers=[_organisation(graph, s.id) for s in evidence.introducers],
        explanation=explain(evidence), paths=paths)


def suggestions(driver: Driver, organisation: str, *, radius_km: float = DEFAULT_RADIUS_KM,
                limit: int = 20, offset: int = 0,
                database: str = "neo4j") -> SuggestionsPage:
    """Alliance suggestions (« pistes d'alliance ») for an organisation, best first.

    Parameters
    ----------
    driver, database
        Where to ask.
    organisation
        The organisation's id (``org:…``).
    radius_km
        How far "near" reaches: the proximity falls to a quarter at this distance, and
        farther organisations are suggested only when they act on a territory holding
        the organisation and share something with it.
    limit, offset
        The page; ``total`` counts every suggestion.

    Returns
    -------
    SuggestionsPage
        Organisations it has no relationship with (of any type, either way) and no
        steward's mark with (those are in ``marked``), never a person; each with its
        score, the score's parts, the French explanation and one path per shared node.

    Raises
    ------
    InvalidParameter
        A radius out of range, a negative page.
    NotFoundError
        No living organisation with that id.
    """
    check_page(limit, offset)
    row, graph, a = _asked(driver, organisation, radius_km, database)
    marked = [SuggestionMark(organisation=OrganisationRef(id=oid, name=name, kind=kind,
                                                          roles=list(_roles(labels or []))),
                             verdict=verdict, by=by, at=at, note=note)
              for oid, name, kind, labels, verdict, by, at, note in row.get("marked") or []]
    ranked = rank_suggestions(graph, a, radius_km=radius_km,
                              excluded={m.organisation.id for m in marked})
    items = [suggestion(graph, e, p) for e, p in ranked[offset:offset + limit]]
    return SuggestionsPage(organisation=_organisation(graph, a), radius_km=radius_km,
                           total=len(ranked), limit=limit, offset=offset, items=items,
                           marked=sorted(marked, key=lambda m: m.organisation.id))



def _asked(driver: Driver, organisation: str, radius_km: float,
           database: str) -> tuple[dict, nx.Graph, str]:
    """The row of ``suggestions.cypher`` for one organisation within ``radius_km``, its
    graph and the asker's id (a radius out of range: InvalidParameter; no such living
    organisation: NotFoundError)."""
    if not (0 < radius_km <= MAX_RADIUS_KM):
        raise InvalidParameter(f"radius must be more than 0 and at most {MAX_RADIUS_KM:g} km, "
                               f"not {radius_km:g}")
    degrees = known_degrees(driver, database=database)
    row = read_one(driver, "suggestions", {"id": organisation, "radius_m": radius_km * 1000.0,
                                           "near": NEAR_CANDIDATES,
                                           "counted": degrees is not None}, database=database)
    if not row:
        raise NotFoundError(f"no organisation {organisation!r}; {SEARCH_HINT}")
    graph, a = neighbourhood_graph(row, degrees)
    return row, graph, a


def suggestion_pair(driver: Driver, organisation: str, other: str, *,
                    radius_km: float = DEFAULT_RADIUS_KM,
                    database: str = "neo4j") -> tuple[OrganisationRef, Suggestion]:
    """One suggested pair (for its picture): the asker and the suggestion of ``other``.

    Raises
    ------
    NotFoundError
        No living organisation ``organisation``.
    NotSuggested
        ``other`` is no suggestion for it: the same organisation, already linked, marked
        by a steward, or out of reach within the radius (``message_fr`` says which).
    """
    from queries.errors import NotSuggested

    row, graph, a = _asked(driver, organisation, radius_km, database)
    name = graph.nodes[a].get("name") or a
    marked = {m[0] for m in row.get("marked") or []}
    reasons = {
        "same": ("an organisation is not suggested to itself",
                 "Une organisation ne fait pas alliance avec elle-même : choisissez-en une "
                 "autre."),
        "linked": ("the two are linked already",
                   f"{name} et cette organisation sont déjà liées dans le graphe : ce n'est "
                   "plus une piste."),
        "marked": ("a steward marked the pair",
                   "Les gestionnaires ont marqué cette paire (déjà en contact ou pas "
                   "pertinente) : elle n'est plus suggérée."),
        "far": ("not a suggestion within the radius",
                f"Cette organisation n'est pas une piste pour {name} dans un rayon de "
                f"{radius_km:g} km : elle est plus loin et ne partage rien avec elle."),
    }
    why = ("same" if other == a else "linked" if graph.has_edge(a, other)
           else "marked" if other in marked else None)
    if why is None:
        for evidence, parts in rank_suggestions(graph, a, radius_km=radius_km,
                                                excluded=marked):
            if evidence.b == other:
                return _organisation(graph, a), suggestion(graph, evidence, parts)
        why = "far"
    english, french = reasons[why]
    raise NotSuggested(f"{other!r} is no suggestion for {organisation!r}: {english}", french)
