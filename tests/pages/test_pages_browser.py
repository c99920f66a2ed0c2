"""The pages in headless Chromium, against the real app served by uvicorn (conftest.py).

Every page: no console error, no request to another host, no dialog. The network picture
in each page's iframe is drawn (its canvas has pixels other than the background). The
element named ``<img src=x onerror=alert(1)>`` shows as text. The catalyst form is filled
and submitted like a user would. Screenshots go to ``test-artifacts/pages-*.png``.
"""

from __future__ import annotations

import pytest

from tests.pages.conftest import XSS_NAME

pytestmark = pytest.mark.browser

PAGES = {
    "accueil": "/",
    "catalyseurs": "/catalyseurs",
    "catalyseurs-roubaix": "/catalyseurs?commune=Roubaix&rayon=30",
    "catalyseurs-erreur": "/catalyseurs?commune=Saint-Denis&rayon=30",
    "analystes": "/analystes",
    "analystes-connecteurs": "/analystes?programme=programme%3Apass-numerique&territoire=59",
    "fiche-rameau": "/fiche/org:le-rameau",
    "fiche-xss": "/fiche/org:xss",
    "fiche-href": "/fiche/org:href",
    "fiche-roubaix": "/fiche/commune:59512",
    "recherche": "/recherche?q=href",
}

# Counts the canvas pixels that differ from its top-left (background) pixel.
DRAWN_PIXELS = """() => {
  const canvas = document.querySelector('canvas');
  if (!canvas || !canvas.width || !canvas.height) return 0;
  const ctx = canvas.getContext('2d');
  if (!ctx) return 0;
  const d = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  let n = 0;
  for (let i = 4; i < d.length; i += 4) {
    if (d[i] !== d[0] || d[i + 1] !== d[1] || d[i + 2] !== d[2] || d[i + 3] !== d[3]) n++;
  }
  return n;
}"""


def open_page(page, url: str, name: str, artifacts):
    tab, watch = page
    response = tab.goto(url, wait_until="load")
    tab.wait_for_load_state("networkidle")
    tab.screenshot(path=str(artifacts / f"pages-{name}.png"), full_page=True)
    return tab, watch, response


def assert_clean(watch, document: str | None = None) -> None:
    """No console error, foreign request or dialog.

    ``document``: the URL of a page served with a 4xx on purpose (a form error), whose
    "Failed to load resource" line Chromium logs by itself; that one line is expected.
    """
    errors = [e for e in watch.console_errors
              if not (document and e.startswith("Failed to load resource: the server "
                                                "responded with a status of 4")
                      and e.endswith(f"[{document}]"))]
    assert errors == []
    assert watch.foreign_requests == []
    assert watch.dialogs == []


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_loads_clean(page, live_server, artifacts, name):
    tab, watch, response = open_page(page, live_server + PAGES[name], name, artifacts)
    expected = 400 if name == "catalyseurs-erreur" else 200
    assert response.status == expected
    assert tab.locator("nav a", has_text="Accueil").count() == 1
    assert tab.locator("h1").count() == 1
    assert_clean(watch, response.url if expected >= 400 else None)


@pytest.mark.parametrize("name", ["catalyseurs-roubaix", "analystes-connecteurs",
                                  "fiche-rameau"])
def test_picture_is_drawn(page, live_server, artifacts, name):
    tab, watch, _ = open_page(page, live_server + PAGES[name], name, artifacts)
    iframe = tab.locator(".picture iframe")
    assert iframe.count() == 1
    iframe.scroll_into_view_if_needed()
    frame = iframe.element_handle().content_frame()
    assert frame is not None
    frame.wait_for_selector("canvas", timeout=20_000)
    frame.wait_for_function(f"({DRAWN_PIXELS})() > 200", timeout=20_000)
    assert frame.evaluate(DRAWN_PIXELS) > 200
    iframe.screenshot(path=str(artifacts / f"pages-{name}-image.png"))
    assert_clean(watch)


def test_xss_name_is_text(page, live_server, artifacts):
    tab, watch, _ = open_page(page, live_server + "/fiche/org:xss", "xss", artifacts)
    assert tab.locator("h1").inner_text() == XSS_NAME
    assert tab.locator("main img").count() == 0
    # Its url is javascript:alert(3): text, not a link.
    assert tab.locator("a[href^='javascript']").count() == 0
    tab.wait_for_timeout(500)
    assert watch.dialogs == []
    # Also where it appears as a neighbour and as a search hit.
    for url in ("/fiche/space:entreprises", "/recherche?q=onerror",
                "/catalyseurs?commune=Tourcoing&rayon=10"):
        tab.goto(live_server + url, wait_until="load")
        tab.wait_for_load_state("networkidle")
        assert tab.get_by_text(XSS_NAME, exact=True).count() >= 1
        assert tab.locator("main img").count() == 0
    assert_clean(watch)


def test_catalyst_form(page, live_server, artifacts):
    tab, watch, _ = open_page(page, live_server + "/catalyseurs", "formulaire", artifacts)
    commune = tab.locator("#commune")
    commune.click()
    commune.press_sequentially("Roub", delay=30)
    # The suggestions arrive from /pages-api/communes into the listbox under the box.
    option = tab.locator("#commune-suggestions li[role=option]").first
    option.wait_for(timeout=10_000)
    assert option.get_attribute("data-value") == "Roubaix (59)"
    assert option.inner_text().startswith("Roubaix (Nord, 59)")
    tab.screenshot(path=str(artifacts / "pages-suggestions.png"))
    option.click()
    assert commune.input_value() == "Roubaix (59)"
    tab.locator("#rayon").fill("25")
    tab.locator("#besoin").select_option("need:emploi")
    tab.locator("#role").select_option("catalyst")
    with tab.expect_navigation():
        tab.get_by_role("button", name="Chercher").click()
    tab.wait_for_load_state("networkidle")
    assert "commune=Roubaix+%2859%29" in tab.url
    assert tab.get_by_role("heading", name="Partenaires près de vous").is_visible()
    assert tab.get_by_text("Roubaix Numérique").first.is_visible()
    assert tab.get_by_text("n'a aucun programme ici").is_visible()
    tab.screenshot(path=str(artifacts / "pages-formulaire-resultat.png"), full_page=True)
    assert_clean(watch)


def test_bad_radius_shows_french_message(page, live_server, artifacts):
    tab, watch, response = open_page(
        page, live_server + "/catalyseurs?commune=Roubaix&rayon=900", "rayon", artifacts)
    assert response.status == 422
    assert "Le rayon doit être un nombre de kilomètres" in tab.locator("[role=alert]").inner_text()
    assert_clean(watch, response.url)


def test_catalyst_asks_postal_code_or_insee_code(page, live_server, artifacts):
    """A catalyst types 59100 (Roubaix's postal code, Bousignies' INSEE code): the page asks
    which, the postal-code reading first; clicking it answers around Roubaix."""
    tab, watch, _ = open_page(page, live_server + "/catalyseurs", "59100-formulaire",
                              artifacts)
    commune = tab.locator("#commune")
    commune.click()
    commune.press_sequentially("59100", delay=30)
    # the suggestions offer both readings as well
    tab.locator("#commune-suggestions li[role=option]").first.wait_for(timeout=10_000)
    tab.screenshot(path=str(artifacts / "pages-59100-suggestions.png"))
    commune.press("Escape")
    with tab.expect_navigation():
        tab.get_by_role("button", name="Chercher").click()
    tab.wait_for_load_state("networkidle")
    question = tab.locator(".territory-ask")
    assert question.inner_text().strip() == (
        "« 59100 » peut désigner deux territoires : Roubaix (code postal 59100) ou "
        "Bousignies (code INSEE 59100)\u202f?")
    assert commune.input_value() == "59100"
    tab.screenshot(path=str(artifacts / "pages-59100-question.png"), full_page=True)
    question_url = tab.url
    with tab.expect_navigation():
        tab.get_by_role("link", name="Roubaix (code postal 59100)").click()
    tab.wait_for_load_state("networkidle")
    assert "commune=commune%3A59512" in tab.url
    assert tab.get_by_role("heading", name="Partenaires près de vous").is_visible()
    assert "Autour de Roubaix (Nord, 59, code INSEE 59512)" in tab.locator(
        "p.notice").inner_text()
    assert commune.input_value() == "Roubaix (59)"
    assert tab.locator(".picture iframe").get_attribute("src") == (
        "/viz/territory/commune:59512?radius_km=30")
    tab.screenshot(path=str(artifacts / "pages-59100-answer.png"), full_page=True)
    assert_clean(watch, question_url)


@pytest.mark.parametrize(("name", "url"), [
    ("saint-denis", "/catalyseurs?commune=Saint-Denis&rayon=30"),
    ("roubaiz", "/catalyseurs?commune=Roubaiz&rayon=30"),
    ("nord", "/catalyseurs?commune=Nord&rayon=30"),
    ("975", "/analystes?territoire=975"),
    ("75111", "/analystes?territoire=75111"),
])
def test_territory_messages_screenshots(page, live_server, artifacts, name, url):
    tab, watch, response = open_page(page, live_server + url, f"territoire-{name}", artifacts)
    tab.screenshot(path=str(artifacts / f"pages-territoire-{name}-haut.png"))
    assert tab.locator(".territory-ask, .territory-notice").count() == 1
    assert_clean(watch, response.url if response.status >= 400 else None)
