"""The report author's territory pictures in Chromium, on the data ``make run`` loads: every
level draws — a big city, a rural commune, an overseas commune, an EPCI, a département, a
région — and settles (the viewer's ``ag-settled`` mark) with what the catalyst page lists,
every node inside the drawing area, the organisations of a territory inside its outline.

What the curated dataset holds (see test_catalyst.py): the Fondation de Lille, active in
the commune of Lille (placed there); eight national actors active in France; France
Relance and Fonds i covering France. So every picture shows the eight national actors and
the two programmes aside, under "8 organisations actives dans toute la France" and
"2 programmes couvrant toute la France"; the Fondation de Lille is on the map of the Nord,
the Hauts-de-France, the Métropole Européenne de Lille and around Roubaix.
"""

from __future__ import annotations

import time

import pytest

from tests.browser.conftest import (
    LABEL_CHECK,
    other_site,
    png_border_is_background,
    report_page,
    svg_margins,
)
from tests.journeys.conftest import DRAWN_PIXELS, settled_picture
from viz.outline import point_in_rings

pytestmark = pytest.mark.browser

NATIONAL = {"org:caisse-des-depots", "org:djepva", "org:gouvernement", "org:le-rameau",
            "org:ministere-de-l-education-nationale", "org:ministere-de-la-culture",
            "org:mouvement-des-entreprises-de-france", "org:mediateur-des-entreprises"}
PROGRAMMES = {"programme:france-relance", "programme:fonds-i"}
ASIDE = ["8 organisations actives dans toute la France", "2 programmes couvrant toute la France"]
LILLE = "org:fondation-de-lille"

# path → (title, centre id, on the map besides the centre, an outline to hold them)
LEVELS = {
    "roubaix": ("/viz/territory/commune:59512?radius_km=30", "Autour de Roubaix (30 km)",
                "commune:59512", {LILLE}, False),
    "gavarnie": ("/viz/territory/Gavarnie-Gèdre", "Autour de Gavarnie-Gèdre (30 km)",
                 "commune:65192", set(), False),
    "saint-denis-reunion": ("/viz/territory/Saint-Denis%20(974)",
                            "Autour de Saint-Denis (30 km)", "commune:97411", set(), False),
    "mel": ("/viz/territory/M%C3%A9tropole%20Europ%C3%A9enne%20de%20Lille",
            "Territoire : Métropole Européenne de Lille", "epci:200093201", {LILLE}, True),
    "nord": ("/viz/territory/59", "Territoire : Nord", "departement:59", {LILLE}, True),
    "hauts-de-france": ("/viz/territory/Hauts-de-France", "Territoire : Hauts-de-France",
                        "region:32", {LILLE}, True),
}


@pytest.mark.parametrize("level", list(LEVELS))
def test_every_territory_level_draws(user, level):
    path, title, centre, on_map, outlined = LEVELS[level]
    user.open(path)
    picture = user.check_picture(f"image-{level}")
    assert user.page.title() == title
    nodes = {n["id"]: n for n in picture["nodes"]}
    # what the catalyst page lists: the national actors and programmes aside, captioned
    assert set(nodes) == {centre} | on_map | NATIONAL | PROGRAMMES, sorted(nodes)
    assert {i for i, n in nodes.items() if n["aside"]} == NATIONAL | PROGRAMMES
    assert picture["captions"] == ASIDE
    # the view is fitted: every node whole inside the drawing area, and the outline or
    # the circle of the radius too
    outside = [n["label"] for n in picture["nodes"] if not n["inside"]]
    assert outside == [], (outside, picture["width"], picture["height"])
    assert picture["backdrop"]
    # the map: the communes as faint points, the largest named
    assert picture["dots"] > 0 and picture["places"]
    # the labels (and the places named) overlap neither each other nor a node, nor leave
    # the frame; the centre's is there
    labels = user.page.evaluate(LABEL_CHECK)
    assert (labels["pairs"], labels["onNodes"], labels["outside"]) == ([], [], []), labels
    assert centre in labels["ids"]
    if outlined:
        # the outline is the territory's, and what is in it is inside it
        assert picture["outline"]
        for node_id in {centre} | on_map:
            node = nodes[node_id]
            assert point_in_rings(node["x"], node["y"], picture["outline"]), node_id
        assert not any(point_in_rings(nodes[i]["x"], nodes[i]["y"], picture["outline"])
                       for i in NATIONAL | PROGRAMMES)
    else:
        x, y, r, caption = picture["circle"]
        assert caption == "30 km"
        for node_id in {centre} | on_map:
            node = nodes[node_id]
            assert (node["x"] - x) ** 2 + (node["y"] - y) ** 2 < r * r, node_id


def test_the_picture_of_a_commune_keeps_its_radius_from_the_catalyst_page(user):
    """Roubaix at 5 km: the Fondation de Lille (9.9 km) is beyond the radius and does not
    act on Roubaix, so neither the page nor its picture has it."""
    user.open("/catalyseurs?commune=commune%3A59512&rayon=5")
    user.check("roubaix-5-km", picture="drawn")
    assert "Autour de Roubaix (5 km)" in user.picture_text
    assert "Aucune organisation enregistrée à moins de 5 km de Roubaix." in user.picture_text
    frame = user.page.locator("main iframe").first.element_handle().content_frame()
    picture = settled_picture(frame)
    assert LILLE not in {n["id"] for n in picture["nodes"]}
    assert all(n["inside"] for n in picture["nodes"]), picture["nodes"]


#: the margin (points) the SVG files keep between the drawing and their edge, at least
SVG_MARGIN_PT = 10.0


def _framed_svg(user, path) -> dict:
    margins = svg_margins(user.page, path)
    assert margins["shapes"] > 50, margins
    assert min(margins["margins"].values()) >= SVG_MARGIN_PT, margins
    return margins


def test_the_catalyst_pages_map_is_embeddable_and_downloadable(user, journey_graph,
                                                              tmp_path):
    """Roubaix on the catalyst page: its map dated, labelled without overlap, its
    « Intégrer » panel gives the code titled in words and the files, the PNG and SVG
    framed with a margin; the Nord's map (an outline, no circle) as well."""
    driver, database, _ = journey_graph
    driver.execute_query("CREATE (:Import {at: datetime('2099-12-02T09:00:00Z'), "
                         "journey: 'territory-pictures'})", database_=database)
    try:
        _catalyst_map(user, tmp_path)
    finally:
        driver.execute_query("MATCH (i:Import {journey: 'territory-pictures'}) DELETE i",
                             database_=database)


def _catalyst_map(user, tmp_path):
    page = user.page
    user.open("/catalyseurs?commune=commune%3A59512&rayon=30")
    user.check("roubaix-carte", picture="drawn")
    frame = page.locator("main figure.picture iframe").element_handle().content_frame()
    picture = settled_picture(frame)
    assert LILLE in {n["id"] for n in picture["nodes"]}
    assert frame.locator("h1").inner_text() == "Autour de Roubaix (30 km)"
    assert "Données du 2 décembre 2099" in frame.locator(".ag-sub").inner_text()
    labels = frame.evaluate(LABEL_CHECK)
    assert (labels["pairs"], labels["onNodes"], labels["outside"]) == ([], [], []), labels

    page.get_by_text("Intégrer ou télécharger l'image").click()
    panel = page.locator("details.embed")
    code = panel.locator("textarea").input_value()
    assert code.startswith(f'<iframe src="{user.base}/viz/territory/commune:59512?'
                           'radius_km=30" title="Autour de Roubaix (30 km)"'), code
    assert "Tout site peut l'intégrer" in panel.inner_text()
    user.check("roubaix-integrer")

    # pasted in a report on another site: the map draws there, whole
    with other_site() as (base, pages):
        pages["/rapport.html"] = report_page("Diagnostic territorial",
                                             f"<p>Autour de Roubaix :</p>{code}")
        page.goto(f"{base}/rapport.html")
        deadline = time.monotonic() + 20
        while not (framed := [f for f in page.frames if f.url.startswith(user.base)]):
            assert time.monotonic() < deadline, [f.url for f in page.frames]
            page.wait_for_timeout(50)
        elsewhere = settled_picture(framed[0])
        assert framed[0].evaluate(DRAWN_PIXELS) > 500
        assert {n["id"] for n in elsewhere["nodes"]} == {n["id"] for n in picture["nodes"]}
        assert all(n["inside"] for n in elsewhere["nodes"]) and elsewhere["backdrop"]
        user.steps += 1
        page.screenshot(path=str(user.shots / f"{user.journey}-{user.steps:02d}-rapport.png"),
                        full_page=True)
    user.assert_clean("rapport")
    user.open("/catalyseurs?commune=commune%3A59512&rayon=30")
    page.get_by_text("Intégrer ou télécharger l'image").click()
    files = {}
    for label in ("Image PNG", "Image SVG", "Tableau des nœuds", "GraphML"):
        with page.expect_download() as info:
            panel.locator("a", has_text=label).click()
        files[label] = tmp_path / info.value.suggested_filename
        info.value.save_as(files[label])
    assert files["Image PNG"].name == "autour-de-roubaix-30-km.png"
    assert files["Tableau des nœuds"].name == "autour-de-roubaix-30-km-noeuds.csv"
    nodes_csv = files["Tableau des nœuds"].read_bytes()
    assert nodes_csv.startswith(b"\xef\xbb\xbfid;label;") and LILLE.encode() in nodes_csv
    assert b"<graphml" in files["GraphML"].read_bytes()
    assert png_border_is_background(files["Image PNG"])
    assert "Données du 2 décembre 2099" in files["Image SVG"].read_text(encoding="utf-8")
    user.assert_clean("roubaix-fichiers")
    _framed_svg(user, files["Image SVG"])  # the land cut by the circle, the columns aside

    # the Nord: its outline, what is in it, the columns aside
    for suffix in ("svg", "png"):
        answer = page.request.get(f"{user.base}/viz/territory/59.{suffix}")
        assert answer.ok, answer.status
        path = tmp_path / f"nord.{suffix}"
        path.write_bytes(answer.body())
        if suffix == "png":
            assert png_border_is_background(path)
        else:
            _framed_svg(user, path)
