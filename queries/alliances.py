"""Coalitions for a territory and a need (or a programme): the organisations of the
territory fetched by one query (``alliances.cypher``) into a small networkx graph, grouped
and ranked by the pure functions of :mod:`queries.coalition_score`."""

from __future__ import annotations

import networkx as nx
from neo4j import Driver

from graph.french import in_sentence, kind_fr, quoted
from queries._run import check_page, read_one
from queries.coalition_score import SEAT_FR, missing_seats, rank_coalitions
from queries.errors import InvalidParameter, NotFoundError
from queries.models import NodeRef, OrganisationRef, primary_label
from queries.suggestion_models import (
    AlliancesPage,
    Coalition,
    CoalitionPair,
    FundingProgramme,
)
from queries.suggestion_score import explain, world
from queries.suggestions import DEFAULT_RADIUS_KM, MAX_RADIUS_KM, _roles
from queries.territory import resolve_territory_param


def pool_graph(row: dict) -> tuple[nx.Graph, list[str]]:
    """The graph of the territory's organisations (and what each is linked to) from the
    row of ``alliances.cypher``; and the pool's ids."""
    graph = nx.Graph()
    pool = []
    for oid, name, kind, labels, lat, lon, relevant, whole, _links in row["pool"]:
        pool.append(oid)
        graph.add_node(oid, label="Organisation", labels=labels, name=name, kind=kind,
                       roles=_roles(labels), lat=lat, lon=lon, relevant=relevant,
                       acts_here=whole)
    # counted only for what two of the pool share: the rest never weighs in a pair's score
    degrees = dict(row["degrees"])
    for oid, *_rest, links in row["pool"]:
        for rel, mine, xid, xname, xlabels, xkind in links:
            degree = degrees.get(xid)
            if xid not in graph:
                graph.add_node(xid, label=primary_label(xlabels), labels=xlabels, name=xname,
                               kind=xkind, roles=_roles(xlabels), lat=None, lon=None,
                               degree=degree)
            elif "degree" not in graph.nodes[xid]:
                graph.nodes[xid]["degree"] = degree
            rels = graph.edges[oid, xid]["rels"] if graph.has_edge(oid, xid) else ()
            graph.add_edge(oid, xid, rels=(*rels, (rel, oid if mine else xid)))
    return graph, pool


def _org(graph: nx.Graph, node: str) -> OrganisationRef:
    data = graph.nodes[node]
    return OrganisationRef(id=node, name=data.get("name"), kind=data.get("kind"),
                           roles=list(data.get("roles") or ()))


def _explanation(graph: nx.Graph, members: tuple[str, ...], weakest, convener: str | None,
                 funding: list[FundingProgramme]) -> str:
    names = graph.nodes
    who = ", ".join(f"{in_sentence(kind_fr(names[m].get('kind') or 'autre'))} "
                    f"{names[m].get('name') or m}" for m in members)
    evidence = weakest[0]
    parts = [who, f"lien le plus faible : {names[evidence.a].get('name') or evidence.a} et "
                  f"{names[evidence.b].get('name') or evidence.b}"]
    if convener:
        parts.append(f"{names[convener].get('name') or convener} peut les réunir")
    if funding:
        first = funding[0]
        parts.append(f"financement possible : {quoted(first.programme.name)} "
                     f"(couvre {first.covers.name})")
    return " ; ".join(parts)


def alliances(driver: Driver, territory: str, *, need: str | None = None,
              programme: str | None = None, radius_km: float = DEFAULT_RADIUS_KM,
              limit: int = 10, offset: int = 0, database: str = "neo4j") -> AlliancesPage:
    """Coalitions of three around a need (or a programme) in a territory, best first.

    Parameters
    ----------
    territory
        A territory id, code or name.
    need, programme
        A need id, or a programme id (its needs count): one of the two.
    radius_km
        The radius of the pairs' proximity (a quarter at this distance).
    limit, offset
        The page; ``total`` counts every coalition.

    Returns
    -------
    AlliancesPage
        Each coalition has an association, a company or foundation, and a public actor of
        the territory (or of one containing it), no two of them linked yet, scored by its
        weakest pair; ``missing`` names the seats nobody can take; ``funding`` the
        programmes addressing the need that cover the territory, nearest first.
    """
    check_page(limit, offset)
    if (need is None) == (programme is None):
        raise InvalidParameter("give a need or a programme (one of the two)")
    if not (0 < radius_km <= MAX_RADIUS_KM):
        raise InvalidParameter(f"radius must be more than 0 and at most {MAX_RADIUS_KM:g} km, "
                               f"not {radius_km:g}")
    terr = resolve_territory_param(driver, territory, database=database)
    row = read_one(driver, "alliances", {"territory": terr.id, "need": need,
                                         "programme": programme}, database=database)
    if not row.get("needs") and need is not None:
        raise NotFoundError(f"no need {need!r}")
    graph, pool = pool_graph(row)
    funding = [FundingProgramme(programme=NodeRef(id=pid, name=pname, label="Programme",
                                                  labels=["Programme"], kind=phase),
                                covers=NodeRef(id=tid, name=tname, label="Territory",
                                               labels=["Territory"]))
               for pid, pname, phase, tid, tname in row["funding"]]
    ranked = rank_coalitions(graph, pool, radius_km=radius_km,
                             excluded_pairs=[tuple(p) for p in row.get("marked") or []])
    items = []
    for c in ranked[offset:offset + limit]:
        pairs = [CoalitionPair(a=e.a, b=e.b, score=round(p.score, 6), explanation=explain(e))
                 for e, p in c.pairs]
        weakest = CoalitionPair(a=c.weakest[0].a, b=c.weakest[0].b,
                                score=round(c.score, 6), explanation=explain(c.weakest[0]))
        items.append(Coalition(
            members=[_org(graph, m) for m in c.members],
            worlds=[world(graph.nodes[m].get("kind")) for m in c.members],
            score=round(c.score, 6), weakest=weakest, pairs=pairs,
            convener=_org(graph, c.convener) if c.convener else None,
            explanation=_explanation(graph, c.members, c.weakest, c.convener, funding)))
    missing = [SEAT_FR[s] for s in missing_seats(graph, pool)]
    programme_ref = None
    if programme is not None:
        programme_ref = next((f.programme for f in funding if f.programme.id == programme),
                             NodeRef(id=programme, label="Programme", labels=["Programme"]))
    return AlliancesPage(
        territory=terr, programme=programme_ref,
        needs=[NodeRef(id=i, name=n, label="Need", labels=["Need"]) for i, n in row["needs"]],
        funding=funding, missing=missing, total=len(ranked), limit=limit, offset=offset,
        items=items)

