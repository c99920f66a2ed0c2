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
from queries.models import TerritoryCandidate, TerritoryRef, primary_label
from queries.territory import resolve_territory_param


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
    #: on a map: how it was placed (``own``, ``commune``, ``territory``) and the id of the
    #: commune or territory it was placed at
    placed_by: str | None = None
    placed_in: str | None = None


class GraphEdge(BaseModel):
    type: str
    source: str
    target: str


class CoveredTerritory(BaseModel):
    """A territory a programme covers, and how it stands to the territory drawn."""

    id: str
    name: str | None = None
    level: str | None = None
    #: ``self`` (the territory drawn), ``inside`` it, or ``above`` it (containing it)
    rel: Literal["self", "inside", "above"]


class ProgrammeCover(BaseModel):
    id: str
    name: str | None = None
    phase: str | None = None
    source: str | None = None
    #: the territories it covers that are the territory, inside it or contain it, the
    #: smallest first
    covers: list[CoveredTerritory]
    #: for a programme covering only territories inside it: the first one's point
    lat: float | None = None
    lon: float | None = None


class WiderOrganisation(BaseModel):
    """An organisation acting on a territory containing the one drawn."""

    organisation: NodeDetails
    #: the nearest territory containing the one drawn that it is located or active in
    territory: TerritoryRef


class TerritoryContents(BaseModel):
    """A territory and what is in it, each with coordinates when known."""

    territory: NodeDetails
    #: organisations in the territory (``organisations`` holds at most ``limit``)
    total: int
    #: each placed as partners near places it (``lat``/``lon``; always inside the
    #: territory): own location, its commune, the commune it is active in, or the centre
    #: of the territory it is active in
    organisations: list[NodeDetails]
    #: organisations acting on a territory containing it (at most ``wider_limit``, the
    #: nearest territory first), and how many there are
    wider: list[WiderOrganisation] = Field(default_factory=list)
    wider_total: int = 0
    programmes: list[ProgrammeCover]
    edges: list[GraphEdge]
    #: (lat, lon) of the communes that outline the territory
    outline: list[tuple[float, float]]
    #: its most populous communes, (lat, lon, name), largest first
    places: list[tuple[float, float, str]] = Field(default_factory=list)
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
                       lon=row.get("lon"), placed_by=row.get("placed_by"),
                       placed_in=row.get("placed_in"))


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
                       wider_limit: int = 200, programmes_limit: int = 500,
                       outline_limit: int = 40000, places_limit: int = 40,
                       database: str = "neo4j") -> TerritoryContents:
    """What is in a territory, for its map.

    Parameters
    ----------
    territory
        An id, code or name (see :func:`queries.resolve_territory_param`).
    limit
        Organisations located or active in it at most (by name); ``total`` counts them.
    wider_limit
        Organisations acting on a territory containing it at most (``wider_total``
        counts them).
    programmes_limit
        Programmes at most: those covering the territory, one inside it, or one containing
        it (a national programme covers every commune); PART_OF is never followed through
        an EPCI (Marseille is not in the Var), and an EPCI overlaps each of its départements.
    outline_limit
        Commune points at most for the outline.
    places_limit
        Communes named at most (the most populous).

    Returns
    -------
    TerritoryContents

    Raises
    ------
    InvalidParameter, AmbiguousTerritory, NotFoundError
        As :func:`queries.territory.resolve_territory_param`.
    NotDrawable
        A territory in the graph with nothing to draw: nothing located or active in it
        or in a territory containing it, and no programme covering it.
    """
    for name, value in (("limit", limit), ("wider_limit", wider_limit),
                        ("programmes_limit", programmes_limit),
                        ("outline_limit", outline_limit), ("places_limit", places_limit)):
        if value < 0:
            raise InvalidParameter(f"{name} must be 0 or more, not {value}")
    ref = resolve_territory_param(driver, territory, database=database)
    row = read_one(driver, "territory_contents",
                   {"id": ref.id, "limit": limit, "wider_limit": wider_limit,
                    "programmes_limit": programmes_limit, "outline_limit": outline_limit,
                    "places_limit": places_limit}, database=database)
    if not row or not (row["total"] or row["wider_total"] or row["programmes"]):
        raise NotDrawable(f"{ref.id} ({ref.name}) has nothing located or active in it or "
                          "above it, and no programme covering it, to draw yet",
                          f"Rien n'est encore situé ni actif sur {ref.name} dans le graphe, "
                          "et aucun programme ne couvre ce territoire : pas d'image pour "
                          "l'instant.")
    t = row["territory"]
    centre = NodeDetails(id=t["id"], name=t.get("name"), label="Territory",
                         kind=t.get("level"), source=t.get("source"), place=t.get("level"),
                         lat=t.get("lat"), lon=t.get("lon"))
    organisations = [_details(o) for o in row["organisations"]]
    wider = [WiderOrganisation(organisation=_details(w), territory=TerritoryRef(
        **w["territory"])) for w in row["wider"]]
    programmes = [ProgrammeCover(**p) for p in row["programmes"]]
    shown = ({centre.id} | {o.id for o in organisations} | {p.id for p in programmes}
             | {w.organisation.id for w in wider})
    edges = sorted({(e["type"], e["source"], e["target"]) for e in row["edges"]
                    if e["source"] in shown and e["target"] in shown})
    return TerritoryContents(
        territory=centre, total=row["total"], organisations=organisations,
        wider=wider, wider_total=row["wider_total"], programmes=programmes,
        edges=[GraphEdge(type=a, source=b, target=c) for a, b, c in edges],
        outline=[(float(p[0]), float(p[1])) for p in row["outline"]],
        places=[(float(p[0]), float(p[1]), str(p[2])) for p in row["places"]],
        also_matches=ref.also_matches, notice=ref.notice,
    )


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
