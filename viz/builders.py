"""Builders: the answers of ``queries/`` (pydantic models) → :class:`ViewGraph`.

Pure functions, no database: :mod:`viz.views` fetches, these convert. Node details
(kind, source, place, coordinates; :func:`queries.export.node_details`) fill the tooltips
when given. The map views (a territory, a commune) are built in :mod:`viz.map_builders`.
"""

from __future__ import annotations

from graph.french import plural
from queries.export import GraphExport, NodeDetails
from queries.models import (
    ConnectorsPage,
    DialogueSpaceInfo,
    NeighbourhoodPage,
    NodeRef,
    OrganisationRef,
    TerritoryRef,
)
from queries.suggestion_models import Suggestion
from viz.titles import (
    DEPTH_WORDS,
    connectors_title,
    neighbourhood_title,
    space_title,
    suggestion_title,
)
from viz.view_graph import ViewEdge, ViewGraph, ViewNode

_TERRITORY_LABELS = {"country": "Country", "region": "Region", "departement": "Departement",
                     "epci": "Epci", "commune": "Commune"}


def _node(node_id: str, name: str | None, node_type: str, kind: str | None,
          details: dict[str, NodeDetails] | None, *, roles: list[str] | None = None,
          centre: bool = False) -> ViewNode:
    info = (details or {}).get(node_id)
    return ViewNode(
        id=node_id, label=name or node_id, type=node_type,
        kind=kind or (info.kind if info else None),
        territory=info.place if info else None, source=info.source if info else None,
        group=info.group if info else None,
        lat=info.lat if info else None, lon=info.lon if info else None,
        roles=roles or [], centre=centre,
    )


def _from_ref(ref: NodeRef, details, *, centre: bool = False) -> ViewNode:
    return _node(ref.id, ref.name, ref.label or "Node", ref.kind, details, centre=centre)


def _from_org(ref: OrganisationRef, details) -> ViewNode:
    return _node(ref.id, ref.name, "Organisation", ref.kind, details, roles=ref.roles)


def _from_territory(ref: TerritoryRef, details, *, centre: bool = False) -> ViewNode:
    node_type = _TERRITORY_LABELS.get(ref.level or "", "Territory")
    node = _node(ref.id, ref.name, node_type, ref.level, details, centre=centre)
    node.territory = node.territory or ref.level
    return node


def neighbourhood_view(page: NeighbourhoodPage,
                       details: dict[str, NodeDetails] | None = None) -> ViewGraph:
    """The neighbourhood of an element: the centre, the page's nodes, their relationships.

    A page shorter than the total is said in ``notes``.
    """
    name = page.centre.name or page.centre.id
    view = ViewGraph(title=neighbourhood_title(name), kind="neighbourhood",
                     subtitle=DEPTH_WORDS.get(page.depth))
    view.add_node(_from_ref(page.centre, details, centre=True))
    for item in page.items:
        view.add_node(_from_ref(item.node, details))
    view.edges = [ViewEdge(source=e.source, target=e.target, type=e.type) for e in page.edges]
    if page.total > page.offset + len(page.items):
        view.notes.append(f"{plural(len(page.items), 'voisin affiché', 'voisins affichés')} "
                          f"sur {page.total} (les plus proches d'abord).")
    return view.dedupe()


def connectors_view(page: ConnectorsPage,
                    details: dict[str, NodeDetails] | None = None) -> ViewGraph:
    """Who connects a programme to a territory: the programme, the organisations and the
    territories of each proof path (organisation → anchor → … → territory), then those
    covering the territory from above (its région, ``FR``…) with theirs, as the pages list
    them."""
    programme = page.programme.name or page.programme.id
    territory = page.territory.name or page.territory.id
    view = ViewGraph(title=connectors_title(programme, territory), kind="connectors")
    view.add_node(_from_ref(page.programme, details, centre=True))
    view.add_node(_from_territory(page.territory, details, centre=True))
    covering = page.covering.items if page.covering else []
    for item in [*page.items, *covering]:
        view.add_node(_from_org(item.organisation, details))
        for relation in item.relations:
            view.edges.append(ViewEdge(source=item.organisation.id, target=page.programme.id,
                                       type=relation))
        for anchor in item.territories:
            view.add_node(_from_territory(anchor, details))
        for path in item.paths:
            for ref in path.nodes:
                if ref.id not in view.node_ids():
                    view.add_node(_from_ref(ref, details))
            view.edges += [ViewEdge(source=r.source, target=r.target, type=r.type)
                           for r in path.relationships]
    if page.total > page.offset + len(page.items):
        shown = plural(len(page.items), "organisation affichée", "organisations affichées")
        view.notes.append(f"{shown} sur {page.total}.")
    above = page.covering.total if page.covering else 0
    if above > page.covering.offset + len(covering):
        shown = "est affichée" if len(covering) < 2 else "sont affichées"
        view.notes.append(f"{len(covering)} des {above} organisations qui couvrent le "
                          f"territoire depuis un territoire plus large {shown}.")
    if not page.items and above:
        view.notes.append(
            "Aucune organisation liée au programme n'est dans ce territoire ; "
            + (f"{above} organisations le couvrent" if above > 1
               else "1 organisation le couvre")
            + " depuis un territoire plus large.")
    elif not page.items:
        view.notes.append("Aucune organisation ne relie ce programme à ce territoire.")
    return view.dedupe()


def space_view(space: DialogueSpaceInfo,
               details: dict[str, NodeDetails] | None = None) -> ViewGraph:
    """A dialogue space and its members, each linked by its roles (participant, copilot)."""
    name = space.name or space.id
    view = ViewGraph(title=space_title(name), kind="space")
    centre = _node(space.id, space.name, "DialogueSpace", None, details, centre=True)
    centre.count = 1
    view.add_node(centre)
    for member in space.members:
        view.add_node(_from_org(member.organisation, details))
        roles = member.roles or ["participant"]
        for role in roles:
            edge_type = "COPILOTS" if role == "copilot" else "PARTICIPATES_IN"
            view.edges.append(ViewEdge(source=member.organisation.id, target=space.id,
                                       type=edge_type, label=role))
    if space.member_count > len(space.members):
        view.notes.append(f"{plural(len(space.members), 'membre affiché', 'membres affichés')}"
                          f" sur {space.member_count}.")
    if space.declared_count and space.declared_count != space.member_count:
        named = {0: "aucune n'est nommée", 1: "1 seule est nommée"}.get(
            space.member_count, f"{space.member_count} sont nommées")
        view.notes.append(f"Les documents annoncent "
                          f"{plural(space.declared_count, 'organisation', 'organisations')} ; "
                          f"{named}.")
    return view.dedupe()


#: the type of the dashed edge between the two organisations of a suggestion: no
#: relationship of the graph, a hypothesis (the picture's legend says « piste suggérée »)
SUGGESTED = "SUGGESTED"
SUGGESTED_FR = "piste suggérée"


def suggestion_view(asker: OrganisationRef, item: Suggestion,
                    details: dict[str, NodeDetails] | None = None) -> ViewGraph:
    """A suggested pair: both organisations, what they share (needs, programmes, spaces,
    organisations; the introducers among them), the existing links of the proof paths,
    and the suggested link between the two, dashed (type :data:`SUGGESTED`)."""
    other = item.organisation
    view = ViewGraph(title=suggestion_title(asker.name or asker.id, other.name or other.id),
                     kind="suggestion",
                     subtitle="Une hypothèse à vérifier, pas un lien établi.")
    for ref in (asker, other):
        node = _from_org(ref, details)
        node.centre = True
        view.add_node(node)
    for ref in item.shared:
        view.add_node(_from_ref(ref, details))
    for path in item.paths:
        view.edges += [ViewEdge(source=r.source, target=r.target, type=r.type)
                       for r in path.relationships]
    view.edges.append(ViewEdge(source=asker.id, target=other.id, type=SUGGESTED,
                               label=SUGGESTED_FR))
    view.notes.append("Pourquoi : " + item.explanation + ".")
    if item.introducers:
        names = ", ".join(i.name or i.id for i in item.introducers)
        verb = "Peuvent" if len(item.introducers) > 1 else "Peut"
        view.notes.append(f"{verb} les présenter : {names}.")
    return view.dedupe()


def graph_view(export: GraphExport, title: str = "Alliance Graph") -> ViewGraph:
    """The whole graph as a view (for exports; too large for a page past the cap)."""
    view = ViewGraph(title=title, kind="graph")
    for node in export.nodes:
        view.nodes.append(ViewNode(id=node.id, label=node.name or node.id, type=node.label,
                                   kind=node.kind, territory=node.place, source=node.source,
                                   lat=node.lat, lon=node.lon))
    view.edges = [ViewEdge(source=e.source, target=e.target, type=e.type)
                  for e in export.edges]
    return view.dedupe()
