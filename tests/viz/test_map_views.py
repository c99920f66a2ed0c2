"""The map views on tiny data, without the database: a commune with its radius, a
territory on its outline; what is in it on the map, what acts on it from above aside."""

from __future__ import annotations

import math

from queries.commune_map import CommuneContents, PlacedCommune
from queries.export import (
    CoveredTerritory,
    GraphEdge,
    NodeDetails,
    ProgrammeCover,
    TerritoryContents,
    WiderOrganisation,
)
from queries.models import NearPage, ProgrammeItem, TerritoryRef
from viz.html import page_data
from viz.layout import layout_view
from viz.map_builders import commune_view, territory_view
from viz.outline import point_in_rings

NORD = TerritoryRef(id="departement:59", code="59", name="Nord", level="departement")
FRANCE = TerritoryRef(id="FR", code="FR", name="France", level="country")
ROUBAIX = (50.6942, 3.1746)
LILLE = (50.6292, 3.0573)


def roubaix(radius_km=30.0, near=True) -> CommuneContents:
    """Roubaix: one partner in Lille within the radius (or none), one organisation active
    in the Nord, one national programme; three communes around."""
    items = [{"organisation": {"id": "org:lille", "name": "Fondation de Lille",
                               "kind": "fondation"},
              "distance_km": 9.9, "commune": None, "connects_to": [],
              "placed_by": "commune", "latitude": LILLE[0], "longitude": LILLE[1]}]
    page = NearPage.model_validate({
        "centre": {"latitude": ROUBAIX[0], "longitude": ROUBAIX[1],
                   "commune": {"id": "commune:59512", "code": "59512", "name": "Roubaix",
                               "level": "commune"}},
        "radius_km": radius_km, "total": 1 if near else 0, "limit": 500, "offset": 0,
        "items": items if near else [],
        "active_on_territory": {"total": 1, "limit": 500, "offset": 0, "items": [
            {"organisation": {"id": "org:prefecture", "name": "Préfecture du Nord",
                              "kind": "etat"},
             "territory": NORD.model_dump(), "connects_to": []}]}})
    communes = [PlacedCommune(id="commune:59512", name="Roubaix", population=98_000,
                              lat=ROUBAIX[0], lon=ROUBAIX[1]),
                PlacedCommune(id="commune:59350", name="Lille", population=236_000,
                              lat=LILLE[0], lon=LILLE[1], distance_km=9.9),
                PlacedCommune(id="commune:59599", name="Tourcoing", population=98_000,
                              lat=50.7239, lon=3.1612, distance_km=3.2),
                # past the radius: it only draws the land the circle cuts
                PlacedCommune(id="commune:59183", name="Dunkerque", population=86_000,
                              lat=51.0343, lon=2.3768, distance_km=65.0)]
    return CommuneContents(
        near=page, communes=communes,
        programmes=[ProgrammeItem(id="programme:relance", name="France Relance",
                                  phase="relance", covers=[FRANCE])],
        edges=[GraphEdge(type="FUNDS", source="org:prefecture",
                         target="programme:relance")],
        details={"programme:relance": NodeDetails(id="programme:relance",
                                                  label="Programme", source="seed")})


def test_a_commune_with_its_radius_neighbours_and_what_acts_on_it():
    view = layout_view(commune_view(roubaix()))
    by = {n.id: n for n in view.nodes}
    assert view.title == "Autour de Roubaix (30 km)"
    assert by["commune:59512"].centre and by["commune:59512"].type == "Commune"
    # the partner within the radius is on the map, inside the circle, west of Roubaix
    x, y, r, caption = view.circle
    assert caption == "30 km"
    lille = by["org:lille"]
    assert lille.aside is None and math.dist((lille.x, lille.y), (x, y)) < r
    assert lille.x < by["commune:59512"].x
    assert lille.territory == "à 9,9 km"  # as the page writes the distance
    # what acts from above stands aside, right of the circle, under its caption
    prefecture, relance = by["org:prefecture"], by["programme:relance"]
    assert prefecture.aside == "1 organisation active dans le département Nord"
    assert relance.aside == "1 programme couvrant toute la France"
    assert prefecture.x > x + r and relance.x > x + r
    assert [c[2] for c in view.captions] == ["1 organisation active dans le\ndépartement Nord",
                                             "1 programme couvrant toute la\nFrance"]
    assert relance.territory == "couvre France (pays)"
    # the communes within the radius: faint points, the largest named (not Roubaix: it is
    # a node); with Dunkerque, the land they make, which the circle cuts
    assert len(view.dots) == 3
    assert all(math.dist(dot, (x, y)) <= r for dot in view.dots)
    assert {p[2] for p in view.places} == {"Lille", "Tourcoing"}
    assert len(view.outline) == 1
    assert max(math.dist(p, (x, y)) for p in view.outline[0]) > 2 * r  # Dunkerque's side
    assert view.notes == []
    data = page_data(view)
    assert data["map"] and data["circle"] == list(view.circle)
    assert len(data["dots"]) == 6 and all(isinstance(v, int) for v in data["dots"])
    aside = data["fields"]["aside"]
    assert sorted(row[0] for row in data["nodes"] if row[aside]) == [
        "org:prefecture", "programme:relance"]


def test_a_commune_with_nobody_within_the_radius_says_so():
    view = layout_view(commune_view(roubaix(radius_km=2.5, near=False)))
    assert view.title == "Autour de Roubaix (2,5 km)"
    assert view.notes == ["Aucune organisation enregistrée à moins de 2,5 km de Roubaix."]
    assert {n.id for n in view.nodes} == {"commune:59512", "org:prefecture",
                                           "programme:relance"}


def nord() -> TerritoryContents:
    """The Nord: an organisation located in Lille, one active in the whole Nord, one
    active in France, a programme on the Nord, one on Lille only."""
    points = [(50.2 + i * 0.05, 2.4 + j * 0.08) for i in range(19) for j in range(20)
              if not (i < 8 and j < 6)]  # a notch in the south-west
    points.append(LILLE)
    return TerritoryContents(
        territory=NodeDetails(id="departement:59", name="Nord", label="Territory",
                              kind="departement", place="departement", lat=50.6, lon=3.2),
        total=2,
        organisations=[
            NodeDetails(id="org:lille", name="Fondation de Lille", label="Organisation",
                        kind="fondation", place="Lille", lat=LILLE[0], lon=LILLE[1],
                        placed_by="commune", placed_in="commune:59350"),
            NodeDetails(id="org:prefecture", name="Préfecture du Nord",
                        label="Organisation", kind="etat", place="Nord", lat=50.6,
                        lon=3.2, placed_by="territory", placed_in="departement:59")],
        wider=[WiderOrganisation(
            organisation=NodeDetails(id="org:etat", name="Gouvernement",
                                     label="Organisation", kind="etat"),
            territory=FRANCE)],
        wider_total=1,
        programmes=[
            ProgrammeCover(id="programme:nord", name="Plan Nord", phase="relance",
                           covers=[CoveredTerritory(id="departement:59", name="Nord",
                                                    level="departement", rel="self")]),
            ProgrammeCover(id="programme:lille", name="Plan Lille", phase="urgence",
                           covers=[CoveredTerritory(id="commune:59350", name="Lille",
                                                    level="commune", rel="inside")],
                           lat=LILLE[0], lon=LILLE[1])],
        edges=[GraphEdge(type="ACTIVE_IN", source="org:prefecture",
                         target="departement:59"),
               GraphEdge(type="CARRIES", source="org:lille", target="programme:lille")],
        outline=points, places=[(LILLE[0], LILLE[1], "Lille"), (51.0, 2.48, "Dunkerque")])


def test_a_territory_on_its_outline_with_what_acts_on_it_aside():
    view = layout_view(territory_view(nord()))
    by = {n.id: n for n in view.nodes}
    assert view.title == "Territoire : Nord"
    assert len(view.outline) == 1
    # located in it: on the map, inside its outline; a programme of one of its communes
    # there too
    for node_id in ("org:lille", "programme:lille", "departement:59"):
        node = by[node_id]
        assert node.aside is None and point_in_rings(node.x, node.y, view.outline), node_id
    # the notch is outside: the outline is not a hull
    left = min(x for ring in view.outline for x, _ in ring)
    bottom = max(y for ring in view.outline for _, y in ring)
    assert not point_in_rings(left + 10, bottom - 10, view.outline)
    # active on the whole Nord or above, covering it: aside, captioned, nearest first
    assert by["org:prefecture"].aside == "1 organisation active dans le département Nord"
    assert by["programme:nord"].aside == "1 programme couvrant le département Nord"
    assert by["org:etat"].aside == "1 organisation active dans toute la France"
    assert [c[2].replace("\n", " ") for c in view.captions] == [
        "1 organisation active dans le département Nord",
        "1 programme couvrant le département Nord",
        "1 organisation active dans toute la France"]
    right = max(x for ring in view.outline for x, _ in ring)
    assert all(by[i].x > right for i in ("org:prefecture", "programme:nord", "org:etat"))
    # no line from a node aside across the map to the territory
    assert not [e for e in view.edges if e.source == "org:prefecture"]
    assert [(e.source, e.target) for e in view.edges] == [("org:lille", "programme:lille")]
    assert len(view.dots) == len(nord().outline)
    # the largest communes named, where no node and its label stand (Lille's name would
    # cover the organisations drawn there)
    assert [p[2] for p in view.places] == ["Dunkerque"]


def test_a_dense_map_keeps_every_disc_clear_of_the_others():
    # 300 organisations in and around Lille, on a map of France: a few pixels apart at
    # that scale, their discs would stack; they are pushed apart, each near its place
    import random

    from viz.map_layout import GAP, map_layout
    from viz.view_graph import MapFrame, ViewGraph, ViewNode

    rng = random.Random(3)
    nodes = [ViewNode(id=f"org:{i}", label=f"Organisation {i}", type="Organisation",
                      lat=LILLE[0] + rng.uniform(-0.05, 0.05),
                      lon=LILLE[1] + rng.uniform(-0.08, 0.08), size=rng.uniform(6, 14))
             for i in range(300)]
    france = [(51.0, 2.3), (42.5, 3.0), (43.3, -1.7), (48.5, -4.7), (49.0, 8.2)]
    view = ViewGraph(title="dense", nodes=nodes, edges=[], frame=MapFrame(points=france))
    map_layout(view)
    for i, a in enumerate(nodes):
        for b in nodes[i + 1:]:
            assert math.dist((a.x, a.y), (b.x, b.y)) >= a.size + b.size + GAP - 0.2, (a, b)
