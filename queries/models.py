"""Pydantic models the questions return: plain data, never a ``neo4j.Record``."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from graph.territory_reference import TerritoryCandidate
from graph.vocabulary import ELEMENT_TYPES, TERRITORY_LEVELS

# The label a node is shown as, most specific first (a Catalyst is an Organisation; a
# Commune is a Territory): the element types, then the territory levels, then Territory.
_LABEL_ORDER = (*ELEMENT_TYPES, *TERRITORY_LEVELS, "Territory")


def primary_label(labels: list[str] | tuple[str, ...]) -> str:
    """The one label that names what a node is (``Organisation`` for a Catalyst)."""
    for label in _LABEL_ORDER:
        if label in labels:
            return label
    return labels[0] if labels else ""


class NodeRef(BaseModel):
    """Any node: its id, name and labels."""

    id: str
    name: str | None = None
    label: str
    labels: list[str] = Field(default_factory=list)
    kind: str | None = None


class OrganisationRef(BaseModel):
    """An organisation with its kind and roles (``relay``, ``catalyst``)."""

    id: str
    name: str | None = None
    kind: str | None = None
    roles: list[str] = Field(default_factory=list)


class TerritoryRef(BaseModel):
    """A territory: id (``departement:59``), INSEE code, name and level."""

    id: str
    code: str | None = None
    name: str | None = None
    level: str | None = None


class AskedTerritory(TerritoryRef):
    """The territory a question was asked about, as its reference was read: only at the
    top level of an answer (nested territories stay :class:`TerritoryRef`).

    ``also_matches`` holds the other readings of a reference read by default (``59100``:
    Bousignies by INSEE code, also Roubaix by postal code; ``32``: the Gers, also the
    région Hauts-de-France), each with its id to ask again; ``notice`` a French notice when
    the reference named a former commune or an arrondissement.
    """

    population: int | None = None
    also_matches: list[TerritoryCandidate] = Field(default_factory=list)
    notice: str | None = None


class RelRef(BaseModel):
    """A relationship between two node ids (``source`` → ``target`` as stored)."""

    type: str
    source: str
    target: str


class GraphPath(BaseModel):
    """A path: its nodes in order and the relationships between them."""

    nodes: list[NodeRef]
    relationships: list[RelRef]
    length: int


class Page(BaseModel):
    """What every paged answer carries."""

    total: int
    limit: int
    offset: int


# --- connectors -----------------------------------------------------------------------


class Connector(BaseModel):
    """An organisation connecting the programme to the territory, with the proof."""

    organisation: OrganisationRef
    relations: list[str]
    territories: list[TerritoryRef]
    paths: list[GraphPath]


class CoveringConnectors(Page):
    """Organisations linked to the programme that cover the territory from above: located
    or active in a territory containing it (its région, ``FR``…), nearest first; each path
    is programme ← organisation → anchor ← PART_OF … ← territory."""

    items: list[Connector]


class ConnectorsPage(Page):
    programme: NodeRef
    territory: AskedTerritory
    items: list[Connector]
    #: after ``items``: who covers the territory from above, paged like ``items``
    covering: CoveringConnectors | None = None
    #: when both lists are empty, which half is missing: ``programme_not_placed`` (no
    #: organisation carrying, funding, operating or relaying the programme is located or
    #: active anywhere) or ``none_in_territory`` (some are, none in or above the territory)
    reason: Literal["programme_not_placed", "none_in_territory"] | None = None


# --- programmes of a territory ---------------------------------------------------------


class ProgrammeRef(BaseModel):
    """A programme: id, name and phase (``urgence``, ``relance``)."""

    id: str
    name: str | None = None
    phase: str | None = None


class ProgrammeItem(ProgrammeRef):
    covers: list[TerritoryRef]


class PartialCoverage(BaseModel):
    """A programme covering only part of an EPCI that spans several départements or régions.

    It covers ``territory``, one of the EPCI's départements (or régions), which holds
    ``communes_covered`` of the EPCI's ``communes_total`` communes (the pages say "couvre
    12 communes sur 90").
    """

    programme: ProgrammeRef
    territory: TerritoryRef
    communes_covered: int
    communes_total: int


class PartialProgramme(PartialCoverage):
    #: the needs the programme addresses
    needs: list[NodeRef] = Field(default_factory=list)


class ProgrammeGroup(BaseModel):
    phase: str | None
    need: NodeRef | None
    programmes: list[ProgrammeItem]


class TerritoryProgrammes(BaseModel):
    territory: AskedTerritory
    #: the territory and every territory containing it whole, nearest first
    scope: list[TerritoryRef]
    #: distinct programmes (in ``groups``: those covering the whole territory)
    total: int
    groups: list[ProgrammeGroup]
    #: for an EPCI spanning several départements or régions: the programmes on one of them
    #: (and on nothing holding the whole EPCI), one item per programme and territory,
    #: most communes first; empty for any other territory
    partial: list[PartialProgramme] = Field(default_factory=list)


# --- partners near ---------------------------------------------------------------------


class Link(BaseModel):
    """One relationship of an organisation: its type, direction and the other end."""

    type: str
    direction: Literal["out", "in", "both"]
    node: NodeRef


class NearPartner(BaseModel):
    organisation: OrganisationRef
    distance_km: float
    commune: TerritoryRef | None = None
    connects_to: list[Link]
    #: how it was placed: ``own`` coordinates, a ``commune`` it is located (else active)
    #: in, or the centre of a ``territory`` (EPCI, département, région) it is in
    placed_by: Literal["own", "commune", "territory"] = "own"
    #: where it was placed (what the distance is measured from; the maps draw it there)
    latitude: float | None = None
    longitude: float | None = None


class TerritoryPartner(BaseModel):
    """An organisation acting on a territory containing the commune, beyond the radius."""

    organisation: OrganisationRef
    #: the nearest territory containing the commune that it is located or active in
    territory: TerritoryRef
    connects_to: list[Link]


class ActiveOnTerritory(Page):
    """Organisations located or active in the commune, its EPCI, its own département, its
    région or ``FR`` and not within the radius; paged like ``items``."""

    items: list[TerritoryPartner]


class Centre(BaseModel):
    latitude: float
    longitude: float
    commune: AskedTerritory | None = None


class NearPage(Page):
    centre: Centre
    radius_km: float
    items: list[NearPartner]
    #: after the radius: who acts on a territory containing the commune (empty for a point)
    active_on_territory: ActiveOnTerritory | None = None


# --- gaps ------------------------------------------------------------------------------


class NeedGap(BaseModel):
    id: str
    name: str | None = None
    category: str | None = None
    #: organisations of the territory (or inside it) expressing the need
    expressed_by: int
    #: for an EPCI spanning several départements or régions: programmes addressing the need
    #: on one of them only, which do not make it covered
    partial: list[PartialCoverage] = Field(default_factory=list)


class GapsResult(BaseModel):
    territory: AskedTerritory
    scope: Literal["expressed", "all"]
    needs_considered: int
    covered: int
    gaps: list[NeedGap]


# --- neighbourhood, paths --------------------------------------------------------------


class Neighbour(BaseModel):
    node: NodeRef
    distance: int


class NeighbourhoodPage(Page):
    centre: NodeRef
    depth: int
    items: list[Neighbour]
    #: relationships among the centre and the nodes of this page
    edges: list[RelRef]


class PathsResult(BaseModel):
    source: NodeRef
    target: NodeRef
    max_hops: int
    #: length of the shortest paths; None when none exists within max_hops
    length: int | None
    paths: list[GraphPath]


# --- dialogue spaces -------------------------------------------------------------------


class SpaceMember(BaseModel):
    organisation: OrganisationRef
    #: PARTICIPATES_IN roles and ``copilot`` for COPILOTS
    roles: list[str]


class DialogueSpaceInfo(BaseModel):
    id: str
    name: str | None = None
    #: the member count the documents give (``count``), when they give one
    declared_count: int | None = None
    member_count: int
    members: list[SpaceMember]


class SpaceOverlap(BaseModel):
    a: str
    b: str
    shared_count: int
    jaccard: float
    shared: list[OrganisationRef]


class SpacesResult(BaseModel):
    spaces: list[DialogueSpaceInfo]
    overlaps: list[SpaceOverlap]


# --- search, stats ---------------------------------------------------------------------


class SearchHit(BaseModel):
    id: str
    name: str | None = None
    label: str
    labels: list[str]
    kind: str | None = None
    score: float


class SearchPage(Page):
    query: str
    items: list[SearchHit]


class TerritoryCount(BaseModel):
    territory: TerritoryRef
    organisations: int


class Stats(BaseModel):
    labels: dict[str, int]
    relationships: dict[str, int]
    kinds: dict[str, int]
    phases: dict[str, int]
    roles: dict[str, int]
    #: per role, the members the documents declare by a count only (a group node's
    #: ``count``: 350 catalysts) and those named one by one
    roles_declared: dict[str, int] = {}
    roles_named: dict[str, int] = {}
    organisations_by_region: list[TerritoryCount]
    organisations_by_departement: list[TerritoryCount]


# --- analytics -------------------------------------------------------------------------


class Broker(BaseModel):
    rank: int
    id: str
    name: str | None = None
    label: str
    kind: str | None = None
    score: float


class BrokersResult(BaseModel):
    method: Literal["exact", "sampled"]
    #: sources sampled for the approximation (None when exact)
    k: int | None
    seed: int
    nodes: int
    edges: int
    fingerprint: str
    cached: bool
    note: str
    items: list[Broker]
    #: how many ranked candidates (organisations unless asked otherwise) score 0: on no
    #: shortest path between two others; the pages hide them and say how many
    zero_scores: int = 0


class Community(BaseModel):
    index: int
    size: int
    labels: dict[str, int]
    #: the best-connected members first, at most ``members_limit``
    members: list[NodeRef]


class CommunitiesResult(Page):
    method: Literal["louvain"]
    #: networkx up to 20,000 nodes, igraph's Louvain (C) above
    implementation: Literal["networkx", "igraph"] = "networkx"
    seed: int
    resolution: float
    modularity: float
    nodes: int
    edges: int
    fingerprint: str
    cached: bool
    items: list[Community]
