"""The pages on a phone (375×812) and on a desktop, in headless Chromium, on the shipped
data (tests/shipped_fixtures.py): no sideways scrolling; on the phone every table but the
home page's figures is a pile of cards whose cells are led by their column header; on the
desktop tables stay tables. Screenshots: ``test-artifacts/phone-*.png`` and
``test-artifacts/desktop-*.png``.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}

#: every page a user reaches, with an answer where the page gives one
PAGES: dict[str, str] = {
    "accueil": "/",
    "recherche": "/recherche?q=cdc",
    "catalyseurs": "/catalyseurs?commune=Roubaix&rayon=30",
    "catalyseurs-question": "/catalyseurs?commune=Saint-Denis&rayon=30",
    "analystes": "/analystes?programme=programme%3Afrance-relance&territoire=59",
    "fiche-organisation": "/fiche/org:le-rameau",
    "fiche-territoire": "/fiche/commune:59512",
    "espaces": "/espaces",
    "espace": "/espaces/space:articulation-des-ingenieries-nationales-et-territoriales",
    "chemin": f"/chemin?de=Le+RAMEAU&a={quote('Caisse des Dépôts')}",
    "pistes": "/pistes?organisation=Le+RAMEAU&rayon=30",
    "pistes-territoire": "/pistes?territoire=Roubaix&besoin=need%3Aapprendre-a-faire-alliance",
    "erreur": "/fiche/inconnu",
}
#: pages answered with a 4xx on purpose
STATUS = {"catalyseurs-question": 400, "erreur": 404}

# For each card table: per cell, its data-label, its column header, its display and the
# text its ::before shows.
CELLS = """() => [...document.querySelectorAll('main table:not(.figures)')].map(table => {
  const heads = [...table.querySelectorAll('thead th')].map(th => th.textContent.trim());
  return [...table.querySelectorAll('tbody tr')].flatMap(tr => [...tr.children].map(
    (td, i) => ({label: td.dataset.label || null, head: heads[i] || null,
                 display: getComputedStyle(td).display,
                 before: getComputedStyle(td, '::before').content})));
})"""


def open_page(browser, base: str, name: str, viewport: dict):
    """A new context of that size on the page (loaded, pictures included); (page, status)."""
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    response = page.goto(base + PAGES[name], wait_until="load")
    page.wait_for_load_state("networkidle")
    return page, response.status


@pytest.mark.parametrize("name", list(PAGES))
def test_no_sideways_scrolling_on_a_phone_and_tables_become_cards(browser, shipped_server,
                                                                   artifacts, name):
    page, status = open_page(browser, shipped_server, name, PHONE)
    try:
        assert status == STATUS.get(name, 200)
        page.screenshot(path=str(artifacts / f"phone-{name}.png"), full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{name}: {width} px wide"
        for cells in page.evaluate(CELLS):
            for cell in cells:
                assert cell["label"] and cell["label"] == cell["head"], cell
                assert cell["display"] == "block", cell
                assert cell["label"] in cell["before"], cell
    finally:
        page.context.close()


@pytest.mark.parametrize("name", ["recherche", "catalyseurs", "analystes", "fiche-organisation",
                                  "espace"])
def test_the_desktop_keeps_its_tables(browser, shipped_server, artifacts, name):
    page, status = open_page(browser, shipped_server, name, DESKTOP)
    try:
        page.screenshot(path=str(artifacts / f"desktop-{name}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
        cells = [c for table in page.evaluate(CELLS) for c in table]
        assert cells, "a page with tables"
        assert {c["display"] for c in cells} == {"table-cell"}
        assert {c["before"] for c in cells} <= {"none", "normal"}
    finally:
        page.context.close()
