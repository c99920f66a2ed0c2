"""What the pictures and exports read besides the question set: node details for
tooltips, a territory's contents for a map, and the whole graph.

One ``.cypher`` file each (``node_details``, ``territory_contents``, ``export_graph``),
``$parameters`` only, pydantic models out.
"""

from __future__ import annotations

from typing import Literal

from neo4j import Driver
from pydantic import BaseModel, Field

from queries._run import read, read_one
from queries.errors import InvalidParameter, NotDrawable
from queries.models import TerritoryCandidate, primary_label
from queries.territory import read_territory, resolve_territory_param


class NodeDetails(BaseModel):
    """What a picture shows of a node besides its name."""

    id: str
    name: str | None = None
    label: str
    labels: list[str] = Field(default_factory=list)
    #: organisation kind, programme phase, need category (territory level in exports)
    kind: str | None = None
    source: str | None = None
    #: its commune, the territories it is active in or covers, or a territory's level
    place: str | None = None
    #: its département's name (grouping past a cap)
    group: str | None = None
    lat: float | None = None
    lon: float | None = None


class GraphEdge(BaseModel):
    type: str
    source: str
    target: str


class ProgrammeCover(BaseModel):
    id: str
    name: str | None = None
    phase: str | None = None
    source: str | None = None
    #: ids of the territories it covers that are the territory, inside it or contain it
    covers: list[str]


class TerritoryContents(BaseModel):
    """A territory and what is in it, each with coordinates when known."""

    territory: NodeDetails
    #: organisations in the territory (``organisations`` holds at most ``limit``)
    total: int
    organisations: list[NodeDetails]
    programmes: list[ProgrammeCover]
    edges: list[GraphEdge]
    #: (lat, lon) of the communes whose hull outlines the territory
    outline: list[tuple[float, float]]
    #: the other readings of the reference asked (``32``: also the région), with their ids
    also_matches: list[TerritoryCandidate] = Field(default_factory=list)
    #: a French notice when the reference named a former commune or an arrondissement
    notice: str | None = None


class GraphExport(BaseModel):
    nodes: list[NodeDetails]
    edges: list[GraphEdge]


def _details(row: dict) -> NodeDetails:
    labels = list(row.get("labels") or [])
    return NodeDetails(id=row["id"], name=row.get("name"), label=primary_label(labels),
                       labels=labels, kind=row.get("kind"), source=row.get("source"),
                       place=row.get("place"), group=row.get("grp"), lat=row.get("lat"),
                       lon=row.get("lon"))


def node_details(driver: Driver, ids: list[str], *,
                 database: str = "neo4j") -> dict[str, NodeDetails]:
    """Kind, source, place and coordinates of the nodes ``ids`` (unknown ids are absent).

    Parameters
    ----------
    ids
        Node ids of any label.

    Returns
    -------
    dict[str, NodeDetails]
        id → details.
    """
    if not ids:
        return {}
    rows = read(driver, "node_details", {"ids": sorted(set(ids))}, database=database)
    return {row["id"]: _details(row) for row in rows}


def territory_contents(driver: Driver, territory: str, *, limit: int = 5000,
                       programmes_limit: int = 500, outline_limit: int = 40000,
                       database: str = "neo4j") -> TerritoryContents:
    """What is located in a territory, for a map.

    Parameters
    ----------
    territory
        An id, code or name (see :func:`queries.resolve_territory_param`).
    limit
        Organisations at most (by name); ``total`` counts them all.
    programmes_limit
        Programmes at most: those covering the territory, one inside it, or one containing
        it (a national programme covers every commune); PART_OF is never followed through
        an EPCI (Marseille is not in the Var), and an EPCI overlaps each of its départements.
    outline_limit
        Commune points at most for the outline.

    Returns
    -------
    TerritoryContents

    Raises
    ------
    InvalidParameter, AmbiguousTerritory, NotFoundError
        As :func:`queries.territory.resolve_territory_param`.
    NotDrawable
        A territory in the graph that the map cannot draw yet (a commune with nothing
        located in it).
    """
    for name, value in (("limit", limit), ("programmes_limit", programmes_limit),
                        ("outline_limit", outline_limit)):
        if value < 0:
            raise InvalidParameter(f"{name} must be 0 or more, not {value}")
    ref = resolve_territory_param(driver, territory, database=database)
    row = read_one(driver, "territory_contents",
                   {"id": ref.id, "limit": limit, "programmes_limit": programmes_limit,
                    "outline_limit": outline_limit}, database=database)
    if not row.get("territory"):
        # the territory exists (resolved above): the map has nothing to draw it with
        if ref.level == "commune":
            deps = read_territory(ref.id)[0].departements
            dep = f" ({deps[0]})" if deps else ""
            if deps and _has_contents(driver, f"departement:{deps[0]}", database):
                raise NotDrawable(
                    f"{ref.id} ({ref.name}) cannot be drawn yet: a commune map needs "
                    f"something located in the commune; give its département{dep} or its "
                    "EPCI instead",
                    f"Rien n'est encore situé à {ref.name} dans le graphe : pas d'image de "
                    f"la commune pour l'instant. Celle de son département{dep} montre les "
                    "organisations et programmes autour.")
            # never send people to a picture that is as empty
            raise NotDrawable(
                f"{ref.id} ({ref.name}) cannot be drawn yet: nothing is located in the "
                f"commune nor located or active in its département{dep}",
                f"Rien n'est encore situé à {ref.name} ni dans son département{dep} dans "
                "le graphe : pas d'image de la commune pour l'instant.")
        raise NotDrawable(f"{ref.id} ({ref.name}) has nothing located or active in it to "
                          "draw yet",
                          f"Rien n'est encore situé ni actif sur {ref.name} dans le graphe : "
                          "pas d'image pour l'instant.")
    t = row["territory"]
    centre = NodeDetails(id=t["id"], name=t.get("name"), label="Territory",
                         kind=t.get("level"), source=t.get("source"), place=t.get("level"),
                         lat=t.get("lat"), lon=t.get("lon"))
    organisations = [_details(o) for o in row["organisations"]]
    programmes = [ProgrammeCover(**p) for p in row["programmes"]]
    shown = {centre.id} | {o.id for o in organisations} | {p.id for p in programmes}
    edges = sorted({(e["type"], e["source"], e["target"]) for e in row["edges"]
                    if e["source"] in shown and e["target"] in shown})
    return TerritoryContents(
        territory=centre, total=row["total"], organisations=organisations,
        programmes=programmes,
        edges=[GraphEdge(type=a, source=b, target=c) for a, b, c in edges],
        outline=[(float(p[0]), float(p[1])) for p in row["outline"]],
        also_matches=ref.also_matches, notice=ref.notice,
    )


def _has_contents(driver: Driver, territory_id: str, database: str) -> bool:
    """Whether the map of ``territory_id`` (an id) has something to draw."""
    row = read_one(driver, "territory_contents",
                   {"id": territory_id, "limit": 0, "programmes_limit": 0,
                    "outline_limit": 0}, database=database)
    return bool(row.get("territory"))


def export_graph(driver: Driver, *, territories: Literal["all", "linked", "none"] = "linked",
                 database: str = "neo4j") -> GraphExport:
    """The whole graph: every element and relationship, with territories as asked.

    Parameters
    ----------
    territories
        ``linked`` (default): the territories an element links to; ``all``: every
        territory (35,000 communes and their PART_OF); ``none``.

    Returns
    -------
    GraphExport
        Nodes (their ``kind`` is the organisation kind, programme phase, need category or
        territory level) and the relationships between exported nodes.
    """
    if territories not in ("all", "linked", "none"):
        raise InvalidParameter(f"territories is 'all', 'linked' or 'none', not {territories!r}")
    row = read_one(driver, "export_graph", {"territories": territories}, database=database)
    nodes = [_details(n) for n in row.get("nodes", [])]
    ids = {n.id for n in nodes}
    edges = [GraphEdge(**e) for e in row.get("edges", [])
             if e["source"] in ids and e["target"] in ids]
    edges.sort(key=lambda e: (e.source, e.type, e.target))
    return GraphExport(nodes=sorted(nodes, key=lambda n: n.id), edges=edges)
