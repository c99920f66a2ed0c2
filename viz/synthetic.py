"""Synthetic views of any size, for the benchmark and the tests (no Neo4j needed)."""

from __future__ import annotations

import random

from graph.vocabulary import ORGANISATION_KINDS
from viz.view_graph import ViewEdge, ViewGraph, ViewNode

_TYPES = ("Organisation",) * 6 + ("Programme", "Programme", "Need", "DialogueSpace")
_DEPARTEMENTS = (("Nord", 50.5, 3.1), ("Rhône", 45.8, 4.8), ("Gironde", 44.8, -0.6),
                 ("Bouches-du-Rhône", 43.4, 5.3), ("Paris", 48.86, 2.35),
                 ("Bas-Rhin", 48.6, 7.7), ("Finistère", 48.3, -4.2),
                 ("Haute-Garonne", 43.5, 1.4), ("Guadeloupe", 16.2, -61.5))


def synthetic_view(n: int, *, seed: int = 1, edges_per_node: int = 2,
                   kind: str = "network") -> ViewGraph:
    """A scale-free-ish view of ``n`` nodes (preferential attachment), with kinds,
    territories, sources and coordinates around nine départements.

    ``kind="map"`` gives a map view (nodes placed by coordinates).
    """
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    view = ViewGraph(title=f"Vue synthétique de {n} nœuds", kind=kind)
    targets: list[int] = []
    for i in range(n):
        node_type = _TYPES[rng.randrange(len(_TYPES))]
        name, lat, lon = _DEPARTEMENTS[rng.randrange(len(_DEPARTEMENTS))]
        kind_value = None
        if node_type == "Organisation":
            kind_value = rng.choice(ORGANISATION_KINDS)
        elif node_type == "Programme":
            kind_value = rng.choice(("urgence", "relance"))
        view.nodes.append(ViewNode(
            id=f"n{i}", label=f"{node_type[:4]} {i}", type=node_type, kind=kind_value,
            territory=name, group=name, source="synthetique",
            lat=lat + rng.gauss(0, 0.25), lon=lon + rng.gauss(0, 0.35), centre=i == 0,
        ))
        if i:
            for _ in range(min(edges_per_node, i)):
                j = rng.choice(targets) if targets and rng.random() < 0.7 else rng.randrange(i)
                view.edges.append(ViewEdge(source=f"n{i}", target=f"n{j}", type="PARTNERS_WITH"))
                targets.append(j)
            targets.append(i)
    return view.dedupe()
