"""Colours and shapes: by type, and by kind for organisations and programmes.

One table serves the HTML page, the static pictures and the legend, so a colour means
the same thing everywhere. Colours are from a colour-blind-friendly qualitative set
(Okabe–Ito, then Tableau) and readable on white.
"""

from __future__ import annotations

from graph.vocabulary import FRENCH_NAMES, KIND_COLOURS, KIND_FR, LABELS, PHASE_COLOURS
from viz.view_graph import ViewNode

#: every type → colour and vis-network shape, from the vocabulary's label specs, plus the
#: groups a big picture folds nodes into
TYPE_COLOURS: dict[str, str] = {**{spec.name: spec.colour for spec in LABELS
                                   if spec.name not in ("Relay", "Catalyst")},
                                "Group": "#78909C"}
TYPE_SHAPES: dict[str, str] = {**{spec.name: spec.shape for spec in LABELS
                                  if spec.name not in ("Relay", "Catalyst")},
                               "Group": "square"}

MARKERS: dict[str, str] = {
    "dot": "o", "diamond": "D", "triangle": "^", "square": "s", "triangleDown": "v",
    "star": "*", "hexagon": "h",
}

FALLBACK_COLOUR = "#7F7F7F"

#: French display names for the legend
TYPE_NAMES: dict[str, str] = {**FRENCH_NAMES, "Epci": "EPCI", "Group": "Groupe"}


def group_key(node: ViewNode) -> str:
    """The legend entry a node belongs to: ``Organisation/association``, ``Need``…"""
    if node.type == "Organisation" and node.kind in KIND_COLOURS:
        return f"Organisation/{node.kind}"
    if node.type == "Programme" and node.kind in PHASE_COLOURS:
        return f"Programme/{node.kind}"
    return node.type


def colour_of(node: ViewNode) -> str:
    """The fill colour of a node."""
    if node.type == "Organisation" and node.kind in KIND_COLOURS:
        return KIND_COLOURS[node.kind]
    if node.type == "Programme" and node.kind in PHASE_COLOURS:
        return PHASE_COLOURS[node.kind]
    return TYPE_COLOURS.get(node.type, FALLBACK_COLOUR)


def shape_of(node: ViewNode) -> str:
    """The vis-network shape of a node."""
    return TYPE_SHAPES.get(node.type, "dot")


def legend_name(key: str) -> str:
    """What the legend says for a :func:`group_key`."""
    kind = key.partition("/")[2]
    kind_name = KIND_FR.get(kind, kind.replace("_", " ")).lower() if kind else ""
    type_name = TYPE_NAMES.get(key.partition("/")[0], key.partition("/")[0])
    return f"{type_name} · {kind_name}" if kind_name else type_name


def legend(nodes: list[ViewNode]) -> list[dict[str, str | int]]:
    """The legend entries of a view, in a stable order: key, name, colour, shape, count."""
    entries: dict[str, dict[str, str | int]] = {}
    for node in nodes:
        key = group_key(node)
        entry = entries.setdefault(key, {"key": key, "name": legend_name(key),
                                         "colour": colour_of(node), "shape": shape_of(node),
                                         "count": 0})
        entry["count"] = int(entry["count"]) + node.count
    order = list(TYPE_COLOURS)
    return sorted(entries.values(), key=lambda e: (
        order.index(str(e["key"]).partition("/")[0])
        if str(e["key"]).partition("/")[0] in order else len(order), str(e["key"])))
