"""Exports of a view or of the whole graph: GraphML and GEXF (Gephi), JSON node-link,
CSV nodes + edges — all written by networkx from :meth:`ViewGraph.to_networkx`, except the
CSV files, written by the product's one CSV writer (:mod:`graph.csv_writer`): ``;`` and
decimal commas by default, as Excel opens them in French; ``sep=","`` gives decimal points
(pandas, Gephi).

Attributes are the view's (label, type, kind, territory, source, roles, lat, lon, x, y,
size, count); missing values are left out rather than written as empty strings, so
Gephi and networkx read numbers as numbers. ``x``/``y`` are the page positions, which
Gephi's GEXF reader takes as the layout (``viz:position``).
"""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx

from graph.csv_writer import DEFAULT_SEP, csv_bytes, write_csv_file
from viz.palette import colour_of
from viz.view_graph import ViewGraph

FORMATS = ("graphml", "gexf", "json", "csv")
NODE_COLUMNS = ("id", "label", "type", "kind", "territory", "source", "roles", "lat", "lon",
                "x", "y", "size", "count")
EDGE_COLUMNS = ("source", "target", "type", "label", "count")


def _gexf_graph(view: ViewGraph) -> nx.MultiDiGraph:
    graph = view.to_networkx()
    for node in view.nodes:
        attrs = graph.nodes[node.id]
        colour = colour_of(node).lstrip("#")
        viz = {"size": node.size,
               "color": {"r": int(colour[0:2], 16), "g": int(colour[2:4], 16),
                         "b": int(colour[4:6], 16), "a": 1.0}}
        if node.x is not None and node.y is not None:
            viz["position"] = {"x": node.x, "y": -node.y, "z": 0.0}  # Gephi's y points up
        attrs["viz"] = viz
    return graph


def export_format(path: str | Path, fmt: str | None = None) -> str:
    """The export format a path asks for: its extension, or ``csv`` for a directory/prefix."""
    if fmt:
        fmt = fmt.lower()
        if fmt not in FORMATS:
            raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
        return fmt
    suffix = Path(path).suffix.lower().lstrip(".")
    return suffix if suffix in ("graphml", "gexf", "json") else "csv"


def csv_paths(path: str | Path) -> tuple[Path, Path]:
    """Where CSV exports go: ``X-nodes.csv`` + ``X-edges.csv`` for a path ``X.csv``;
    otherwise the path is a directory (made if missing): ``DIR/nodes.csv`` +
    ``DIR/edges.csv``."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        stem = path.with_suffix("")
        return stem.with_name(stem.name + "-nodes.csv"), stem.with_name(stem.name + "-edges.csv")
    return path / "nodes.csv", path / "edges.csv"


def node_link(view: ViewGraph) -> dict:
    """The JSON node-link form (networkx's ``node_link_data``, ``edges="edges"``)."""
    return nx.node_link_data(view.to_networkx(), edges="edges")


def write_export(view: ViewGraph, path: str | Path, fmt: str | None = None, *,
                 sep: str = DEFAULT_SEP) -> list[Path]:
    """Write ``view`` to ``path`` in ``fmt`` (default: from the extension).

    Parameters
    ----------
    view
        Any view (a page's, or the whole graph from :func:`queries.export.export_graph`).
    path
        The file; for CSV a directory (``nodes.csv``, ``edges.csv``) or a prefix.
    fmt
        ``graphml``, ``gexf``, ``json`` or ``csv``.
    sep
        The CSV separator (``;`` by default; ignored by the other formats).

    Returns
    -------
    list[Path]
        The files written.
    """
    fmt = export_format(path, fmt)
    path = Path(path)
    if fmt == "csv":
        nodes_path, edges_path = csv_paths(path)
        nodes_path.parent.mkdir(parents=True, exist_ok=True)
        write_csv(view, nodes_path, edges_path, sep=sep)
        return [nodes_path, edges_path]
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "graphml":
        nx.write_graphml(view.to_networkx(), path, named_key_ids=True)
    elif fmt == "gexf":
        nx.write_gexf(_gexf_graph(view), path)
    else:
        path.write_text(json.dumps(node_link(view), ensure_ascii=False, indent=1),
                        encoding="utf-8")
    return [path]


def _node_rows(view: ViewGraph) -> list[list]:
    rows = [list(NODE_COLUMNS)]
    for node in view.nodes:
        data = node.model_dump()
        data["roles"] = ",".join(node.roles)
        rows.append(["" if data.get(c) is None else data[c] for c in NODE_COLUMNS])
    return rows


def _edge_rows(view: ViewGraph) -> list[list]:
    rows = [list(EDGE_COLUMNS)]
    for edge in view.edges:
        data = edge.model_dump()
        rows.append(["" if data.get(c) is None else data[c] for c in EDGE_COLUMNS])
    return rows


def write_csv(view: ViewGraph, nodes_path: Path, edges_path: Path, *,
              sep: str = DEFAULT_SEP) -> None:
    """Two CSV files, nodes and edges, by :mod:`graph.csv_writer` (UTF-8 with a BOM, so
    Excel reads the accents; ``sep`` between cells)."""
    write_csv_file(nodes_path, _node_rows(view), sep=sep)
    write_csv_file(edges_path, _edge_rows(view), sep=sep)


def export_bytes(view: ViewGraph, fmt: str, *, sep: str = DEFAULT_SEP) -> bytes:
    """One export as bytes (for the API); ``csv`` gives the nodes file (with a BOM),
    ``csv-edges`` the edges file, both with ``sep`` between cells."""
    if fmt == "csv-edges":
        return csv_bytes(_edge_rows(view), sep=sep)
    fmt = export_format("", fmt)
    if fmt == "graphml":
        return "\n".join(nx.generate_graphml(view.to_networkx(), named_key_ids=True)).encode()
    if fmt == "gexf":
        return "\n".join(nx.generate_gexf(_gexf_graph(view))).encode()
    if fmt == "json":
        return json.dumps(node_link(view), ensure_ascii=False).encode()
    return csv_bytes(_node_rows(view), sep=sep)
