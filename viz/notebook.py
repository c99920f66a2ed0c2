"""A view as a pyvis ``Network``, for analysts in Jupyter notebooks.

:func:`to_pyvis` hands over what the offline page draws: the same positions (physics
off), colours, shapes and sizes, the French legend name of each node as its vis-network
``group``, and a tooltip (``title``) in French. pyvis's page is not ours: it loads
vis-network (and bootstrap) from a CDN and shows a title as HTML as soon as one title
holds "href". So every title is escaped here (``html.escape``: a name like
``<img src=x onerror=alert(1)>`` is shown as text, never run), and the network returned
always shows titles as HTML, so an escaped ``&`` reads ``&`` whatever the other titles
hold. Node labels are drawn on the canvas (text, never HTML) and the page has no heading.

The files and embeds stay on :func:`viz.html.render_html` (self-contained, no CDN, strict
CSP): a pyvis page is for a notebook, with a network connection. pyvis is an optional
dependency: ``pip install 'alliance-graph[notebook]'``.
"""

from __future__ import annotations

import copy
import html
import math
from typing import TYPE_CHECKING

from graph.vocabulary import KIND_FR
from viz.palette import colour_of, group_key, legend_name, shape_of
from viz.view_graph import ViewGraph, ViewNode

if TYPE_CHECKING:  # pragma: no cover - pyvis is optional
    from pyvis.network import Network

#: the pyvis release this module is written and tested against
PYVIS_VERSION = "0.3.2"
#: vis-network options of the notebook page: physics off, as on the offline page
OPTIONS = {
    "physics": {"enabled": False},
    "layout": {"improvedLayout": False},
    "interaction": {"hover": True, "tooltipDelay": 120, "multiselect": True},
    "nodes": {"font": {"size": 14, "face": "DejaVu Sans, Verdana, sans-serif",
                       "color": "#222222"}},
    "edges": {"color": {"color": "#9aa5b1", "highlight": "#333333", "hover": "#555555"},
              "smooth": False, "font": {"size": 11, "align": "middle"}},
}
EDGE_COLOUR = "#9aa5b1"


def node_title(node: ViewNode) -> str:
    """The tooltip of a node as escaped HTML: its name, then one ``Label : value`` line
    for its type (French legend name), nature, territory, count and source.

    Examples
    --------
    >>> node = ViewNode(id="x", label="<img src=x onerror=alert(1)>", type="Organisation",
    ...                 kind="association", territory="Nord", source="a & b")
    >>> for line in node_title(node).split("<br>"):
    ...     print(line)
    <b>&lt;img src=x onerror=alert(1)&gt;</b>
    Type : Organisation · association
    Territoire : Nord
    Source : a &amp; b
    """
    key = group_key(node)
    lines = [("Type", legend_name(key))]
    if node.kind and "/" not in key:  # a need's category: not in the legend name
        lines.append(("Nature", KIND_FR.get(node.kind, node.kind)))
    if node.territory:
        lines.append(("Territoire", node.territory))
    if node.count > 1:
        lines.append(("Nœuds", str(node.count)))
    if node.source:
        lines.append(("Contenu" if node.count > 1 else "Source", node.source))
    parts = [f"<b>{html.escape(node.label)}</b>"]
    parts += [f"{html.escape(name)} : {html.escape(value)}" for name, value in lines]
    return "<br>".join(parts)


def _network_class() -> type[Network]:
    """pyvis's ``Network``, made to show every title as HTML (imported on first use)."""
    try:
        from pyvis.network import Network
        from pyvis.utils import check_html
    except ImportError as error:  # pragma: no cover - depends on the installation
        raise ImportError("to_pyvis needs pyvis: pip install 'alliance-graph[notebook]'"
                          ) from error

    class AllianceNetwork(Network):
        """A pyvis ``Network`` whose node titles are always shown as HTML.

        pyvis 0.3.2 puts a title into ``innerHTML`` only when some title contains
        "href", and leaves it to vis-network (which shows it as plain text) otherwise;
        ours are escaped HTML, so this page always takes the first way (same template,
        same data, ``tooltip_link`` always on).
        """

        def generate_html(self, name: str = "index.html", local: bool = True,
                          notebook: bool = False) -> str:
            check_html(name)
            template = (self.template if notebook and self.template is not None
                        else self.templateEnv.get_template(self.path))
            nodes, edges, heading, height, width, options = self.get_network_data()
            if isinstance(self.options, dict):
                physics = self.options.get("physics", {}).get("enabled", True)
            else:
                physics = self.options.physics.enabled
            self.html = template.render(
                height=height, width=width, nodes=nodes, edges=edges, heading=heading,
                options=options, physics_enabled=physics, use_DOT=self.use_DOT,
                dot_lang=self.dot_lang, widget=self.widget, bgcolor=self.bgcolor,
                conf=self.conf, tooltip_link=True,
                neighborhood_highlight=self.neighborhood_highlight,
                select_menu=self.select_menu, filter_menu=self.filter_menu,
                notebook=notebook, cdn_resources=self.cdn_resources)
            return self.html

    return AllianceNetwork


def to_pyvis(view: ViewGraph, *, height: str = "750px", width: str = "100%",
             notebook: bool = True, cdn_resources: str = "remote") -> Network:
    """A pyvis ``Network`` of ``view``, drawn as the offline page draws it.

    Parameters
    ----------
    view
        A view, laid out or not: when a node has no position, a laid-out copy is drawn
        (:func:`viz.layout.layout_view`) and ``view`` itself is left as it is.
    height, width
        The size of the drawing (CSS lengths).
    notebook
        Passed to pyvis: prepares the notebook template (``net.show("x.html")`` then
        shows it in the cell).
    cdn_resources
        pyvis's ``"remote"`` (vis-network from a CDN, the default: what works in
        JupyterLab), ``"in_line"`` (pyvis's copy inlined; bootstrap still from a CDN) or
        ``"local"``.

    Returns
    -------
    pyvis.network.Network
        One node per view node (id, label, x, y, size, shape, colour, ``group`` = the
        French legend name, escaped ``title``), one edge per view edge (width and label
        by how many relationships it stands for), physics off.

    Examples
    --------
    >>> from viz.synthetic import synthetic_view
    >>> net = to_pyvis(synthetic_view(30))  # doctest: +SKIP
    >>> net.show("reseau.html")  # doctest: +SKIP
    """
    if any(node.x is None or node.y is None for node in view.nodes):
        from viz.layout import layout_view  # numpy, scipy, igraph: only when needed

        view = layout_view(view.model_copy(deep=True))
    network = _network_class()(height=height, width=width, directed=False, notebook=notebook,
                               cdn_resources=cdn_resources, bgcolor="#ffffff",
                               font_color="#222222")
    for node in view.nodes:
        network.add_node(
            node.id, label=node.label, shape=shape_of(node), title=node_title(node),
            x=node.x, y=node.y, size=node.size, group=legend_name(group_key(node)),
            physics=False, borderWidth=3 if node.centre else 1)
        # pyvis drops ``color`` when a group is given; a node's own colour wins over its
        # group's in vis-network, so it is set on the node's options afterwards
        colour = colour_of(node)
        network.node_map[node.id]["color"] = {
            "background": colour, "border": "#111111" if node.centre else "#ffffff",
            "highlight": {"background": colour, "border": "#000000"},
            "hover": {"background": colour, "border": "#000000"}}
    known = set(network.node_map)
    # Edges are appended as pyvis's add_edge would make them (``from``, ``to`` and the
    # options): add_edge looks for a duplicate among all the edges each time, quadratic
    # on a large view, and the view has no duplicates (ViewGraph.dedupe).
    for edge in view.edges:
        if edge.source not in known or edge.target not in known:
            continue
        options = {"from": edge.source, "to": edge.target, "color": EDGE_COLOUR,
                   "width": round(min(1 + math.log2(edge.count), 8), 2) if edge.count > 1 else 1}
        if edge.count > 1:
            options["label"] = str(edge.count)
        network.edges.append(options)
    # what set_options leaves (a dict); set_options itself strips every space of its JSON,
    # font names included
    network.options = copy.deepcopy(OPTIONS)
    return network
