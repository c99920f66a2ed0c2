"""The one internal model every picture and export shares: :class:`ViewGraph`.

Builders turn query answers into a ViewGraph; the HTML page, the static pictures and
the exports (GraphML, GEXF, JSON, CSV) all read it, so what a report shows and what
Gephi opens are the same nodes with the same attributes.
"""

from __future__ import annotations

import datetime as dt

import networkx as nx
from pydantic import BaseModel, Field, PrivateAttr


class ViewNode(BaseModel):
    """A node of a view: what it is, where it is, and where it is drawn.

    ``type`` is the node's primary label (``Organisation``, ``Programme``…, ``Commune``;
    ``Group`` for a summary node standing for many), ``kind`` the organisation kind, the
    programme phase or the need category. ``x``/``y`` are page coordinates (pixels, y
    down) set by the layout; ``size`` the drawn radius set by :func:`viz.layout.size_nodes`.
    """

    id: str
    label: str
    type: str
    kind: str | None = None
    territory: str | None = None
    source: str | None = None
    roles: list[str] = Field(default_factory=list)
    #: WGS-84 coordinates when known (territory views place nodes by them)
    lat: float | None = None
    lon: float | None = None
    x: float | None = None
    y: float | None = None
    size: float = 10.0
    #: how many nodes a summary node stands for (1 for an ordinary node)
    count: int = 1
    #: the node the view is about (drawn larger, with a ring)
    centre: bool = False
    #: what the node is folded into past the cap (a département name, for instance)
    group: str | None = None
    #: hidden at first, shown by the picture's toggle: a territory above the département
    #: in a neighbourhood, or a node linked to the centre only through one (viz/upper.py)
    upper: bool = False
    #: on a map, the caption of the side column the node is drawn in (an organisation
    #: acting on a territory containing the one drawn, a programme covering it), not on
    #: the map itself
    aside: str | None = None


class ViewEdge(BaseModel):
    """A relationship of a view (``type`` from the vocabulary, or ``GROUPED``)."""

    source: str
    target: str
    type: str
    label: str | None = None
    #: how many relationships a summary edge stands for
    count: int = 1


class MapFrame(BaseModel):
    """What a map view is drawn over, in latitude/longitude (the builders set it; the map
    layout turns it into page coordinates).

    A territory: the points of its communes (faint dots, and its outline). A commune: the
    communes around it (faint dots within the radius), the outline of the land they make,
    cut by the circle of the radius (a coast, a border).
    """

    #: (lat, lon) of the communes: the faint dots (within the circle when there is one),
    #: and the outline when ``outline``
    points: list[tuple[float, float]] = Field(default_factory=list)
    #: draw the outline of ``points``
    outline: bool = True
    #: places named on the map, largest first: (lat, lon, name)
    places: list[tuple[float, float, str]] = Field(default_factory=list)
    #: around a commune: its point and the radius (km), drawn as a circle
    centre: tuple[float, float] | None = None
    radius_km: float | None = None


class ViewGraph(BaseModel):
    """A view: its title, nodes, edges, an optional map outline, and notes for readers.

    ``outline`` is a list of rings in page coordinates (the territory views draw the
    outline of the territory under the network, even-odd filled); ``notes`` say what was
    left out (grouping past the cap, a page of a longer answer); ``subtitle`` says what
    the view holds; ``data_date`` is the day of the data (the latest import), shown on
    every picture when known. A map view also carries its ``frame`` (latitude/longitude,
    set by the builder) and, once laid out, the faint ``dots`` of the communes, the
    ``places`` named, the ``circle`` of a radius and the ``captions`` of the side
    columns, all in page coordinates.
    """

    title: str
    kind: str = "network"
    subtitle: str | None = None
    data_date: dt.date | None = None
    nodes: list[ViewNode] = Field(default_factory=list)
    edges: list[ViewEdge] = Field(default_factory=list)
    outline: list[list[tuple[float, float]]] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    #: True once nodes were folded into summary nodes (past the cap)
    grouped: bool = False
    frame: MapFrame | None = None
    #: (x, y) of the faint commune points
    dots: list[tuple[float, float]] = Field(default_factory=list)
    #: (x, y, name) of the places named on the map (x, y: the middle of the name's foot)
    places: list[tuple[float, float, str]] = Field(default_factory=list)
    #: (x, y, radius, caption) of the circle around a commune
    circle: tuple[float, float, float, str] | None = None
    #: (x, y, text) of the captions of the side columns
    captions: list[tuple[float, float, str]] = Field(default_factory=list)
    _index: dict[str, ViewNode] = PrivateAttr(default_factory=dict)

    def _by_id(self) -> dict[str, ViewNode]:
        if len(self._index) != len(self.nodes):  # nodes were set or appended directly
            self._index = {}
            for node in self.nodes:
                self._index.setdefault(node.id, node)
        return self._index

    def node_ids(self) -> set[str]:
        """The ids of the view's nodes."""
        return set(self._by_id())

    def add_node(self, node: ViewNode) -> ViewNode:
        """Add ``node`` unless its id is there already; the node kept is returned."""
        index = self._by_id()
        if node.id in index:
            return index[node.id]
        self.nodes.append(node)
        index[node.id] = node
        return node

    def dedupe(self) -> ViewGraph:
        """Drop repeated nodes (first kept), edges to unknown nodes and repeated edges."""
        seen: dict[str, ViewNode] = {}
        for node in self.nodes:
            seen.setdefault(node.id, node)
        edges: dict[tuple[str, str, str], ViewEdge] = {}
        for edge in self.edges:
            if edge.source in seen and edge.target in seen and edge.source != edge.target:
                edges.setdefault((edge.source, edge.target, edge.type), edge)
        self.nodes = list(seen.values())
        self.edges = list(edges.values())
        return self

    def to_networkx(self) -> nx.MultiDiGraph:
        """The view as a networkx multigraph; ``None`` attributes are left out, lists joined.

        Node attributes: label, type, kind, territory, source, roles, lat, lon, x, y, size,
        count, centre. Edge attributes: type, label, count (key = type).
        """
        graph = nx.MultiDiGraph(title=self.title, view=self.kind)
        if self.data_date is not None:
            graph.graph["data_date"] = self.data_date.isoformat()
        for node in self.nodes:
            attrs = {k: v for k, v in node.model_dump(exclude={"id", "upper"}).items()
                     if v is not None}
            attrs["roles"] = ",".join(node.roles)
            graph.add_node(node.id, **attrs)
        for edge in self.edges:
            attrs = {k: v for k, v in edge.model_dump(exclude={"source", "target"}).items()
                     if v is not None}
            graph.add_edge(edge.source, edge.target, key=edge.type, **attrs)
        return graph

    @classmethod
    def from_networkx(cls, graph: nx.Graph, title: str | None = None) -> ViewGraph:
        """Read back a graph made by :meth:`to_networkx` (or any graph: missing fields
        get defaults, ``label`` falls back to the id)."""
        nodes = []
        for node_id, data in graph.nodes(data=True):
            fields = {k: v for k, v in data.items() if k in ViewNode.model_fields}
            roles = fields.pop("roles", "") or ""
            fields.setdefault("label", str(node_id))
            fields.setdefault("type", "Node")
            nodes.append(ViewNode(id=str(node_id), roles=[r for r in str(roles).split(",") if r],
                                  **fields))
        edges = []
        for source, target, data in graph.edges(data=True):
            fields = {k: v for k, v in data.items() if k in ViewEdge.model_fields}
            fields.setdefault("type", "LINK")
            edges.append(ViewEdge(source=str(source), target=str(target), **fields))
        return cls(title=title or str(graph.graph.get("title", "graph")),
                   kind=str(graph.graph.get("view", "network")), nodes=nodes, edges=edges)

    def simple_graph(self) -> nx.Graph:
        """An undirected simple graph of the view (for layouts, degree and betweenness)."""
        graph = nx.Graph()
        graph.add_nodes_from(n.id for n in self.nodes)
        graph.add_edges_from((e.source, e.target) for e in self.edges)
        return graph
