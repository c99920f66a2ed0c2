"""Exports round-trip through networkx's own readers."""

from __future__ import annotations

import csv
import json

import networkx as nx
import pytest

from tests.viz.conftest import XSS_NAME
from viz.exports import csv_paths, export_bytes, write_export
from viz.layout import layout_view
from viz.synthetic import synthetic_view
from viz.view_graph import ViewGraph


def small_view() -> ViewGraph:
    view = layout_view(synthetic_view(30))
    view.nodes[1].label = XSS_NAME
    view.nodes[2].roles = ["relay", "catalyst"]
    return view


def test_graphml_round_trip(tmp_path):
    view = small_view()
    (path,) = write_export(view, tmp_path / "v.graphml")
    graph = nx.read_graphml(path)
    assert graph.number_of_nodes() == len(view.nodes)
    assert graph.number_of_edges() == len(view.edges)
    assert graph.nodes["n1"]["label"] == XSS_NAME
    assert graph.nodes["n2"]["roles"] == "relay,catalyst"
    assert isinstance(graph.nodes["n3"]["x"], float)
    back = ViewGraph.from_networkx(graph)
    assert {n.id for n in back.nodes} == {n.id for n in view.nodes}


def test_gexf_round_trip(tmp_path):
    view = small_view()
    (path,) = write_export(view, tmp_path / "v.gexf")
    graph = nx.read_gexf(path)
    assert graph.number_of_nodes() == len(view.nodes)
    assert graph.number_of_edges() == len(view.edges)
    assert graph.nodes["n1"]["label"] == XSS_NAME
    assert "position" in graph.nodes["n1"]["viz"]


def test_json_node_link_round_trip(tmp_path):
    view = small_view()
    (path,) = write_export(view, tmp_path / "v.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    graph = nx.node_link_graph(data, edges="edges")
    assert graph.number_of_nodes() == len(view.nodes)
    assert graph.number_of_edges() == len(view.edges)
    assert json.loads(export_bytes(view, "json")) == data


def test_csv_nodes_and_edges(tmp_path):
    view = small_view()
    nodes_path, edges_path = write_export(view, tmp_path / "out")
    assert (nodes_path.name, edges_path.name) == ("nodes.csv", "edges.csv")
    # Excel in French: `;`, decimal commas, UTF-8 with a BOM (the shared writer)
    assert nodes_path.read_bytes().startswith(b"\xef\xbb\xbfid;label;type;")
    with nodes_path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    assert len(rows) == len(view.nodes)
    assert rows[1]["label"] == XSS_NAME
    assert any("," in r["x"] for r in rows) and not any("." in r["x"] for r in rows)
    with edges_path.open(encoding="utf-8-sig", newline="") as handle:
        edges = list(csv.DictReader(handle, delimiter=";"))
    assert len(edges) == len(view.edges)
    graph = nx.from_edgelist((e["source"], e["target"]) for e in edges)
    assert set(graph) <= {r["id"] for r in rows}
    assert csv_paths(tmp_path / "x.csv") == (tmp_path / "x-nodes.csv", tmp_path / "x-edges.csv")


def test_csv_with_commas_for_pandas_and_gephi(tmp_path):
    view = small_view()
    nodes_path, _ = write_export(view, tmp_path / "out", sep=",")
    with nodes_path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert float(rows[3]["x"]) == pytest.approx(view.nodes[3].x)
    assert export_bytes(view, "csv", sep=",") == nodes_path.read_bytes()
    assert export_bytes(view, "csv-edges").startswith(b"\xef\xbb\xbfsource;target;")
