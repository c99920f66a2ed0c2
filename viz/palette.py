"""Colours and shapes: by type, and by kind for organisations and programmes.

One table serves the HTML page, the static pictures and the legend, so a colour means
the same thing everywhere. Colours are from a colour-blind-friendly qualitative set
(Okabe–Ito, then Tableau) and readable on white.
"""

from __future__ import annotations

from graph.vocabulary import FRENCH_NAMES
from viz.view_graph import ViewNode

#: organisation kinds (graph.vocabulary.ORGANISATION_KINDS) → colour
KIND_COLOURS: dict[str, str] = {
    "association": "#0072B2",
    "entreprise": "#E69F00",
    "collectivite": "#009E73",
    "etat": "#56B4E9",
    "fondation": "#CC79A7",
    "investisseur": "#D55E00",
    "tete_de_reseau": "#7E57C2",
    "recherche": "#8C6D31",
    "autre": "#7F7F7F",
}

#: programme phases → colour
PHASE_COLOURS: dict[str, str] = {"urgence": "#C62828", "relance": "#2E7D32"}

#: every other type → colour
TYPE_COLOURS: dict[str, str] = {
    "Organisation": "#5C6BC0",
    "Programme": "#43A047",
    "Need": "#F9A825",
    "DialogueSpace": "#00838F",
    "Deliverable": "#6D4C41",
    "Study": "#8E24AA",
    "Event": "#EC407A",
    "Person": "#546E7A",
    "Country": "#9E9E9E",
    "Region": "#9E9E9E",
    "Departement": "#A1887F",
    "Epci": "#BCAAA4",
    "Commune": "#BDBDBD",
    "Territory": "#9E9E9E",
    "Group": "#78909C",
}

#: vis-network shapes by type (the static pictures map them to matplotlib markers)
TYPE_SHAPES: dict[str, str] = {
    "Organisation": "dot",
    "Programme": "diamond",
    "Need": "triangle",
    "DialogueSpace": "square",
    "Deliverable": "triangleDown",
    "Study": "star",
    "Event": "star",
    "Person": "dot",
    "Country": "hexagon",
    "Region": "hexagon",
    "Departement": "hexagon",
    "Epci": "hexagon",
    "Commune": "hexagon",
    "Territory": "hexagon",
    "Group": "square",
}

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
    kind_name = key.partition("/")[2].replace("_", " ")
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
