"""Colours and shapes: by type, and by kind for organisations and programmes.

One table serves the HTML page, the static pictures and the legend, so a colour means
the same thing everywhere. Colours are from a colour-blind-friendly qualitative set
(Okabe–Ito, then Tableau) and readable on white.
"""

from __future__ import annotations

from graph.french import in_sentence
from graph.vocabulary import (
    FRENCH_NAMES,
    FRENCH_PLURALS,
    KIND_COLOURS,
    KIND_FR,
    LABELS,
    PHASE_COLOURS,
)
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

#: the territory types, shown together in the legend ("Territoires :")
TERRITORY_TYPES = frozenset({"Territory", *(spec.name for spec in LABELS if spec.level)})
#: French display names for the legend, singular and plural
TYPE_NAMES: dict[str, str] = {**FRENCH_NAMES, "Epci": "EPCI", "Group": "Groupe"}
TYPE_PLURALS: dict[str, str] = {**FRENCH_PLURALS, "Epci": "EPCI", "Group": "Groupes"}


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


def kind_name(kind: str | None) -> str | None:
    """An organisation kind, programme phase or territory level in French, as written
    inside a sentence ("tête de réseau", "État"); another kind (a need's category) as it
    is; None for none."""
    if not kind:
        return None
    return in_sentence(KIND_FR[kind]) if kind in KIND_FR else kind


def legend_name(key: str, count: int = 1) -> str:
    """What the legend says for a :func:`group_key`: "Organisation · tête de réseau",
    "Besoin" (1) or "Besoins" (2 and more)."""
    type_key, _, kind = key.partition("/")
    if kind:
        return f"{TYPE_NAMES.get(type_key, type_key)} · {kind_name(kind)}"
    names = TYPE_NAMES if count < 2 else TYPE_PLURALS
    return names.get(type_key, type_key)


def legend(nodes: list[ViewNode]) -> list[dict[str, str | int | None]]:
    """The legend entries of a view, in a stable order: key, name (:func:`legend_name`),
    group and short (the page shows "Organisations :" once, then "association (2)",
    "État (5)"…; "Territoires :", then "régions (18)"…; group is None for another type
    without kinds, whose short is its name),
    colour, shape, count (nodes a summary node stands for included)."""
    entries: dict[str, dict[str, str | int | None]] = {}
    for node in nodes:
        key = group_key(node)
        entry = entries.setdefault(key, {"key": key, "colour": colour_of(node),
                                         "shape": shape_of(node), "count": 0})
        entry["count"] = int(entry["count"]) + node.count
    for key, entry in entries.items():
        type_key, _, kind = key.partition("/")
        entry["name"] = legend_name(key, int(entry["count"]))
        if kind:
            entry["group"], entry["short"] = TYPE_PLURALS.get(type_key, type_key), kind_name(kind)
        elif type_key in TERRITORY_TYPES:
            entry["group"], entry["short"] = "Territoires", in_sentence(str(entry["name"]))
        else:
            entry["group"], entry["short"] = None, entry["name"]
    order = list(TYPE_COLOURS)
    return sorted(entries.values(), key=lambda e: (
        order.index(str(e["key"]).partition("/")[0])
        if str(e["key"]).partition("/")[0] in order else len(order), str(e["key"])))
