"""Pictures people can read (no database): the legend and tooltips in French words, the
régions and France hidden at first in a neighbourhood and laid out apart, sources as
document titles, the date of the data, and static pictures framed with a white margin."""

from __future__ import annotations

import datetime as dt
import json
import re

import numpy as np
import pytest

from graph.vocabulary import ORGANISATION_KINDS, PROGRAMME_PHASES
from viz.html import page_data, render_html
from viz.layout import layout_view
from viz.palette import legend
from viz.pictures import draw_picture
from viz.synthetic import synthetic_view
from viz.upper import layout_with_upper, mark_upper, toggle_label
from viz.view_graph import ViewEdge, ViewGraph, ViewNode

#: a seed document of data/sources.csv, and how people read it
SEED_FILE = "002_cc02f2f9aabe64ef.txt"
SEED_TITLE = "« Jouer Collectif » : bilan d'un an de crise (mars 2021)"


def _node(node_id, node_type, kind=None, **extra):
    return ViewNode(id=node_id, label=extra.pop("label", node_id), type=node_type, kind=kind,
                    **extra)


def active_in_france() -> ViewGraph:
    """An organisation active in France (and its three régions, one with a département
    reached only through it), partner of another, located in a commune."""
    nodes = [_node("org:a", "Organisation", "tete_de_reseau", centre=True, label="Réseau A",
                   source=SEED_FILE),
             _node("org:b", "Organisation", "etat", label="Préfecture"),
             _node("commune:1", "Commune", "commune", label="Lille", territory="commune"),
             _node("FR", "Country", "country", label="France"),
             *[_node(f"region:{i}", "Region", "region", label=f"Région {i}") for i in (1, 2, 3)],
             _node("departement:9", "Departement", "departement", label="Var")]
    edges = [("org:a", "org:b", "PARTNERS_WITH"), ("org:a", "commune:1", "LOCATED_IN"),
             ("org:a", "FR", "ACTIVE_IN"), ("org:b", "FR", "ACTIVE_IN"),
             ("region:1", "FR", "PART_OF"), ("region:2", "FR", "PART_OF"),
             ("region:3", "FR", "PART_OF"), ("departement:9", "region:3", "PART_OF")]
    return ViewGraph(title="Réseau autour de Réseau A", kind="neighbourhood", nodes=nodes,
                     edges=[ViewEdge(source=a, target=b, type=t) for a, b, t in edges])


# --- French words --------------------------------------------------------------------------


def test_the_legend_speaks_french_never_slugs():
    nodes = ([_node(f"o{k}", "Organisation", k) for k in ORGANISATION_KINDS]
             + [_node(f"p{k}", "Programme", k) for k in PROGRAMME_PHASES]
             + [_node("r1", "Region"), _node("r2", "Region"), _node("c", "Country"),
                _node("n", "Need", "emploi")])
    entries = {e["key"]: e for e in legend(nodes)}
    for entry in entries.values():
        assert "_" not in f"{entry['name']} {entry['short']}", entry
    assert (entries["Organisation/etat"]["group"], entries["Organisation/etat"]["short"]) == (
        "Organisations", "État")
    assert entries["Organisation/tete_de_reseau"]["short"] == "tête de réseau"
    assert entries["Organisation/autre"]["name"] == "Organisation · autre"
    assert entries["Programme/relance"]["group"] == "Programmes"
    # a count of 2 reads in the plural, 1 in the singular; territories go together
    assert (entries["Region"]["name"], entries["Region"]["short"],
            entries["Region"]["group"]) == ("Régions", "régions", "Territoires")
    assert (entries["Country"]["name"], entries["Country"]["count"]) == ("Pays", 1)
    assert (entries["Need"]["name"], entries["Need"]["group"]) == ("Besoin", None)


def test_tooltips_read_kinds_places_and_sources_in_words():
    view = layout_view(active_in_france())
    data = page_data(view)
    fields = data["fields"]
    rows = {row[fields["id"]]: row for row in data["nodes"]}
    a = rows["org:a"]
    assert (a[fields["type_fr"]], a[fields["kind"]], a[fields["source"]]) == (
        "Organisation", "tête de réseau", SEED_TITLE)
    assert rows["org:b"][fields["kind"]] == "État"
    # a territory's level is its type, never shown again as a place or a kind
    lille = rows["commune:1"]
    assert (lille[fields["type_fr"]], lille[fields["kind"]], lille[fields["territory"]]) == (
        "Commune", None, None)
    # an unknown source (a user's file) is shown as it is
    view.nodes[1].source = "mon-fichier.xlsx"
    assert page_data(view)["nodes"][1][fields["source"]] == "mon-fichier.xlsx"


# --- the régions and France, hidden at first -------------------------------------------------


def test_the_regions_and_france_start_hidden_with_what_only_they_link():
    view = active_in_france()
    assert mark_upper(view) == 5
    hidden = {n.id for n in view.nodes if n.upper}
    assert hidden == {"FR", "region:1", "region:2", "region:3", "departement:9"}
    assert toggle_label(view) == ("Afficher la France, les 3 régions et 1 élément relié "
                                  "par eux seuls")
    data = page_data(layout_with_upper(view))
    assert data["upper"] == toggle_label(view)
    assert sum(row[data["fields"]["upper"]] for row in data["nodes"]) == 5
    html = render_html(view)
    assert 'id="ag-upper"' in html and "Afficher la France, les 3 régions" in html


def test_nothing_is_hidden_around_a_region_or_without_one():
    view = active_in_france()
    for node in view.nodes:
        node.centre = node.id == "region:3"
    assert mark_upper(view) == 0 and toggle_label(view) is None
    plain = ViewGraph(title="t", nodes=[_node("a", "Need", centre=True), _node("b", "Need")],
                      edges=[ViewEdge(source="a", target="b", type="X")])
    assert mark_upper(plain) == 0
    assert 'id="ag-upper"' not in render_html(layout_view(plain))


def test_the_shown_part_is_laid_out_as_if_the_hidden_one_were_absent():
    view = active_in_france()
    mark_upper(view)
    layout_with_upper(view)
    alone = active_in_france()
    alone.nodes = [n for n in alone.nodes if n.id in ("org:a", "org:b", "commune:1")]
    alone.dedupe()
    layout_view(alone)
    shown = {n.id: (n.x, n.y) for n in view.nodes if not n.upper}
    assert shown == {n.id: (n.x, n.y) for n in alone.nodes}
    # the hidden nodes lie outside the shown ones, never on top of them
    xy = np.array(list(shown.values()))
    reach = float(np.hypot(*(xy - xy.mean(axis=0)).T).max())
    centre = xy.mean(axis=0)
    for node in view.nodes:
        if node.upper:
            assert np.hypot(node.x - centre[0], node.y - centre[1]) > reach + 40


# --- the date of the data --------------------------------------------------------------------


def test_the_date_of_the_data_is_on_the_page_only_when_known():
    view = layout_view(synthetic_view(20))
    assert "Données du" not in render_html(view)
    view.data_date = dt.date(2026, 12, 2)
    assert '<span class="ag-date">Données du 2 décembre 2026</span>' in render_html(view)
    view.data_date = dt.date(2026, 3, 1)
    assert "Données du 1er mars 2026" in render_html(view)


# --- static pictures: whole, with a margin ----------------------------------------------------


def _border_is_white(path, band: int = 12) -> bool:
    from PIL import Image

    pixels = np.asarray(Image.open(path).convert("RGB")).astype(int)
    edges = [pixels[:band], pixels[-band:], pixels[:, :band], pixels[:, -band:]]
    return all(int((edge.min(axis=-1) < 250).sum()) == 0 for edge in edges)


@pytest.mark.parametrize("make", [
    lambda: layout_view(synthetic_view(150)),
    lambda: layout_view(synthetic_view(60, kind="map")),
    lambda: layout_with_upper(_marked(active_in_france())),
], ids=["network", "map", "upper"])
def test_png_has_a_white_margin_all_round(tmp_path, make):
    view = make()
    view.data_date = dt.date(2026, 12, 2)
    # the biggest node on the edge of the drawing: it must still be drawn whole
    rightmost = max(view.nodes, key=lambda n: n.x)
    rightmost.size = 36.0
    path = draw_picture(view, tmp_path / "v.png")
    assert _border_is_white(path)


def _marked(view: ViewGraph) -> ViewGraph:
    mark_upper(view)
    return view


def test_svg_names_what_it_leaves_out_and_the_date(tmp_path):
    view = layout_with_upper(_marked(active_in_france()))
    view.data_date = dt.date(2026, 12, 2)
    text = draw_picture(view, tmp_path / "v.svg").read_text(encoding="utf-8")
    assert "Données du 2 décembre 2026" in text
    assert "Non dessinés ici : la France, les 3 régions et 1 élément relié par eux seuls" in text
    # the hidden nodes are not drawn: no label of theirs
    assert "Région 1" not in text and "Var" not in re.sub(r"<[^>]+>", " ", text).split()
    assert json.dumps("Réseau A", ensure_ascii=False)[1:-1] in text
