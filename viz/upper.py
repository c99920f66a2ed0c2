"""Territories above the département in a neighbourhood: hidden at first, one toggle away.

An organisation active in France reaches France at depth 1 and its 18 régions at depth 2:
they would fill a third of the picture and say little about the organisation. So in a
neighbourhood view the régions and France (and whatever is linked to the centre only
through them) are marked ``upper``: laid out after the rest, on rings around it, and
hidden by the page until the reader ticks « Afficher … » (:func:`toggle_label`). The rest
is laid out as if they were absent, so hiding them leaves no hole.
"""

from __future__ import annotations

import math
from collections import defaultdict

from graph.french import plural
from viz.layout import layout_view, size_nodes
from viz.view_graph import ViewGraph, ViewNode

#: node types above the département
UPPER_TYPES = frozenset({"Region", "Country"})
#: pixels between the rings of hidden nodes, and along a ring between two of them
RING_GAP, RING_STEP = 120.0, 72.0

_GOLDEN = math.pi * (3 - math.sqrt(5))


def mark_upper(view: ViewGraph) -> int:
    """Mark the régions and countries of ``view`` (never its centre), and the nodes that
    are no longer linked to the centre without them; how many were marked.

    Nothing is marked when the centre is itself a région or a country (their picture is
    about them), or when the view has no centre.
    """
    centres = [n for n in view.nodes if n.centre]
    if not centres or any(n.type in UPPER_TYPES for n in centres):
        return 0
    upper = {n.id for n in view.nodes if n.type in UPPER_TYPES and not n.centre}
    if not upper:
        return 0
    neighbours: dict[str, set[str]] = defaultdict(set)
    for edge in view.edges:
        if edge.source not in upper and edge.target not in upper:
            neighbours[edge.source].add(edge.target)
            neighbours[edge.target].add(edge.source)
    reached = {n.id for n in centres}
    queue = list(reached)
    while queue:
        for other in neighbours[queue.pop()]:
            if other not in reached:
                reached.add(other)
                queue.append(other)
    marked = 0
    for node in view.nodes:
        node.upper = node.id not in reached
        marked += node.upper
    return marked


def hidden_words(view: ViewGraph) -> str | None:
    """The hidden nodes in words: « la France, les 18 régions et 4 éléments reliés par
    eux seuls »; None when nothing is hidden."""
    hidden = [n for n in view.nodes if n.upper]
    if not hidden:
        return None
    countries = [n for n in hidden if n.type == "Country"]
    regions = [n for n in hidden if n.type == "Region"]
    others = len(hidden) - len(countries) - len(regions)
    parts = [("la " + n.label) if n.label == "France" else n.label for n in countries]
    if len(regions) == 1:
        parts.append(f"la région {regions[0].label}")
    elif regions:
        parts.append(f"les {plural(len(regions), 'région', 'régions')}")
    if others:
        parts.append(plural(others, "élément relié par eux seuls",
                            "éléments reliés par eux seuls"))
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " et " + parts[-1]


def toggle_label(view: ViewGraph) -> str | None:
    """What the page's toggle says: « Afficher la France et les 18 régions »; None when
    nothing is hidden."""
    words = hidden_words(view)
    return f"Afficher {words}" if words else None


def layout_with_upper(view: ViewGraph, *, size_by: str = "degree",
                      seed: int = 42) -> ViewGraph:
    """Lay out ``view`` without its ``upper`` nodes, then place those on rings around it.

    Sizes come from the whole view for the hidden nodes, from the rest for the others, so
    the visible picture is the one it would be without them.
    """
    hidden = [n for n in view.nodes if n.upper]
    if not hidden:
        return layout_view(view, size_by=size_by, seed=seed)
    size_nodes(view, size_by, seed=seed)  # the hidden nodes' sizes, among all the nodes
    sizes = {n.id: n.size for n in hidden}
    shown_ids = {n.id for n in view.nodes if not n.upper}
    core = ViewGraph(title=view.title, kind=view.kind,
                     nodes=[n for n in view.nodes if not n.upper],
                     edges=[e for e in view.edges
                            if e.source in shown_ids and e.target in shown_ids])
    layout_view(core, size_by=size_by, seed=seed)  # the same node objects: placed in place
    for node in hidden:
        node.size = sizes[node.id]
    place_on_rings(view)
    return view


def place_on_rings(view: ViewGraph) -> None:
    """Place the ``upper`` nodes on rings around the placed ones: each ring holds the nodes
    linked to the previous ring (the first to the placed nodes), each near the direction
    of what it is linked to, spread so that two are at least :data:`RING_STEP` apart."""
    placed = {n.id: n for n in view.nodes if not n.upper}
    waiting = {n.id: n for n in view.nodes if n.upper}
    if not waiting:
        return
    xs = [n.x for n in placed.values()] or [0.0]
    ys = [n.y for n in placed.values()] or [0.0]
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    radius = max((math.hypot(n.x - cx, n.y - cy) + n.size for n in placed.values()),
                 default=0.0)
    links: dict[str, set[str]] = defaultdict(set)
    for edge in view.edges:
        links[edge.source].add(edge.target)
        links[edge.target].add(edge.source)
    ring = 0
    while waiting:
        ring += 1
        layer = [n for n in waiting.values() if links[n.id] & placed.keys()]
        if not layer:  # linked to nothing placed: the next ring, in their order
            layer = list(waiting.values())
        wanted = []
        for i, node in enumerate(sorted(layer, key=lambda n: n.id)):
            anchors = [placed[m] for m in links[node.id] if m in placed]
            ax = sum(m.x for m in anchors) / len(anchors) if anchors else cx
            ay = sum(m.y for m in anchors) / len(anchors) if anchors else cy
            if math.hypot(ax - cx, ay - cy) < 1.0:
                angle = i * _GOLDEN
            else:
                angle = math.atan2(ay - cy, ax - cx)
            wanted.append((angle, node))
        ring_radius = max(radius + RING_GAP * ring, len(layer) * RING_STEP / (2 * math.pi))
        for angle, node in _spread(wanted, RING_STEP / ring_radius):
            node.x = round(cx + ring_radius * math.cos(angle), 1)
            node.y = round(cy + ring_radius * math.sin(angle), 1)
            placed[node.id] = node
            waiting.pop(node.id)
        radius = ring_radius


def _spread(wanted: list[tuple[float, ViewNode]],
            step: float) -> list[tuple[float, ViewNode]]:
    """Angles at least ``step`` apart, in the order wanted, the block centred on where the
    nodes wanted to be."""
    wanted = sorted(wanted, key=lambda item: (item[0], item[1].id))
    out: list[float] = []
    for angle, _ in wanted:
        out.append(angle if not out else max(angle, out[-1] + step))
    shift = sum(w[0] - a for w, a in zip(wanted, out, strict=True)) / len(out)
    return [(a + shift, w[1]) for w, a in zip(wanted, out, strict=True)]
