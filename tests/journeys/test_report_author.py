"""The report author's journey on the data ``make run`` loads, in Chromium: Le RAMEAU's
fiche, its picture read at first draw, the « Intégrer » panel, the code pasted in a page
of another site, the files downloaded.

What the curated dataset holds, and so what the picture must show: Le RAMEAU is active in
France (document 002), so at depth 2 France and its 18 régions are reached, plus the
organisations and the programme that only France links to it; they start hidden, one
toggle away. The rest (deliverables, events, partners, people…) is drawn with labels that
overlap neither each other nor another node.
"""

from __future__ import annotations

import time

import numpy as np
import pytest

from tests.browser.conftest import LABEL_CHECK, other_site, report_page
from tests.journeys.conftest import DRAWN_PIXELS

pytestmark = pytest.mark.browser


def _picture_frame(user):
    box = user.page.locator("main figure.picture iframe")
    box.scroll_into_view_if_needed()
    frame = box.element_handle().content_frame()
    deadline = time.monotonic() + 20
    while not (frame.url.startswith(user.base + "/viz/")
               and frame.evaluate("window.__vizReady === true")):
        assert time.monotonic() < deadline, "the picture did not draw"
        user.page.wait_for_timeout(50)
    return frame


def _rows(frame) -> list[dict]:
    return frame.evaluate("""() => {
      const data = JSON.parse(document.getElementById('ag-data').textContent);
      const F = data.fields;
      return data.nodes.map(r => ({id: r[F.id], label: r[F.label], type: r[F.type],
                                   upper: r[F.upper] === 1}));
    }""")


def test_report_author_embeds_le_rameau(user, journey_graph):
    driver, database, _ = journey_graph
    # the date of the data: a later import than the loads' own, so the day is known here
    # (removed at the end)
    driver.execute_query("CREATE (:Import {at: datetime('2099-12-02T09:00:00Z'), "
                         "journey: 'report-author'})", database_=database)
    try:
        _walk(user)
    finally:
        driver.execute_query("MATCH (i:Import {journey: 'report-author'}) DELETE i",
                             database_=database)


def _walk(user):
    page = user.page
    user.open("/fiche/org:le-rameau")
    user.check("fiche-le-rameau", picture="drawn")
    frame = _picture_frame(user)
    assert frame.locator("h1").inner_text() == "Réseau autour de Le RAMEAU"
    assert "Données du 2 décembre 2099" in frame.locator(".ag-sub").inner_text()

    # at first draw: France and its régions hidden, the labels apart from each other
    rows = _rows(frame)
    hidden = [r for r in rows if r["upper"]]
    assert {r["type"] for r in hidden} >= {"Country", "Region"}
    assert sum(r["type"] == "Region" for r in hidden) == 18
    assert not any(r["type"] in ("Country", "Region") and not r["upper"] for r in rows)
    assert frame.evaluate("window.__vizShown") == len(rows) - len(hidden)
    labels = frame.evaluate(LABEL_CHECK)
    assert (labels["pairs"], labels["onNodes"], labels["outside"]) == ([], [], [])
    assert len(labels["ids"]) >= 10, labels["ids"]
    assert "org:le-rameau" in labels["ids"]
    assert not {r["id"] for r in hidden} & set(labels["ids"])
    legend = frame.locator("#ag-legend").inner_text()
    assert "Organisations :" in legend and "État" in legend and "etat" not in legend

    # the toggle shows them, and the labels still keep apart
    toggle = frame.get_by_label("Afficher la France, les 18 régions", exact=False)
    toggle.check()
    deadline = time.monotonic() + 10
    while frame.evaluate("window.__vizShown") != len(rows):  # no eval: polled
        assert time.monotonic() < deadline
        page.wait_for_timeout(50)
    shown = frame.evaluate(LABEL_CHECK)
    assert (shown["pairs"], shown["onNodes"], shown["outside"]) == ([], [], [])
    toggle.uncheck()

    # « Intégrer »: the code, who may embed it, the files
    page.get_by_text("Intégrer ou télécharger l'image").click()
    panel = page.locator("details.embed")
    text = user.check("integrer-le-rameau")
    assert "Tout site peut l'intégrer" in text and "ALLIANCE_FRAME_ANCESTORS" in text
    code = panel.locator("textarea").input_value()
    assert code.startswith(f'<iframe src="{user.base}/viz/neighbourhood/org:le-rameau" '
                           'title="Réseau autour de Le RAMEAU"')

    # pasted in a report on another site: drawn there
    with other_site() as (base, pages):
        pages["/rapport.html"] = report_page("Rapport annuel", f"<p>Notre réseau :</p>{code}")
        page.goto(f"{base}/rapport.html")
        deadline = time.monotonic() + 20
        while True:
            framed = [f for f in page.frames if f.url.startswith(user.base + "/viz/")]
            if framed and framed[0].evaluate("window.__vizReady === true"):
                break
            assert time.monotonic() < deadline, [f.url for f in page.frames]
            page.wait_for_timeout(50)
        assert framed[0].evaluate(DRAWN_PIXELS) > 500
        user.steps += 1
        page.screenshot(path=str(user.shots / f"{user.journey}-{user.steps:02d}-rapport.png"),
                        full_page=True)
    user.assert_clean("rapport")

    # the files, for print
    user.open("/fiche/org:le-rameau")
    page.get_by_text("Intégrer ou télécharger l'image").click()
    for label, name in (("Image PNG", "reseau-autour-de-le-rameau.png"),
                        ("Image SVG", "reseau-autour-de-le-rameau.svg")):
        with page.expect_download() as info:
            panel.locator("a", has_text=label).click()
        assert info.value.suggested_filename == name
        path = user.shots / f"{user.journey}-{name}"
        info.value.save_as(path)
        if name.endswith(".png"):
            from PIL import Image

            pixels = np.asarray(Image.open(path).convert("RGB")).astype(int)
            for edge in (pixels[:10], pixels[-10:], pixels[:, :10], pixels[:, -10:]):
                assert int((edge.min(axis=-1) < 250).sum()) == 0  # a white margin all round
        else:
            svg = path.read_text(encoding="utf-8")
            assert "Données du 2 décembre 2099" in svg and "la France, les 18 régions" in svg
    user.assert_clean("telechargements")
