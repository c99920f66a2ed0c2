"""Embedding and downloading the pictures, in headless Chromium against the real app
(uvicorn, the fixture graph of conftest.py).

Another origin is a second tiny HTTP server, reached as ``localhost`` on its own port while
the app is ``127.0.0.1``: a report there frames the code copied from a page's « Intégrer »
panel and the picture draws; the pages and /docs refuse to be framed there. The files the
panel offers are downloaded: the offline HTML draws from ``file://`` with the network
off, and the PNG and SVG have a white margin all round (no shape touches the edge).
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from tests.browser.conftest import other_site as serve_other_site
from tests.browser.conftest import png_border_is_background, report_page, svg_margins
from tests.pages.test_pages_browser import DRAWN_PIXELS

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def other_site():
    """A second site, another origin than the app's: (base URL, its pages to fill)."""
    with serve_other_site() as site:
        yield site


@pytest.fixture
def tab(browser, live_server):
    """A page that may use the clipboard on the app's origin and download; yields it with
    the console messages it logs."""
    context = browser.new_context(viewport={"width": 1280, "height": 900},
                                  accept_downloads=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    page = context.new_page()
    page.messages = []
    page.on("console", lambda m: page.messages.append((m.type, m.text)))
    page.on("pageerror", lambda exc: page.messages.append(("error", f"uncaught: {exc}")))
    yield page
    context.close()


def _copied_code(tab, live_server) -> str:
    """Open Le RAMEAU's fiche, open « Intégrer », copy the code as a person would."""
    tab.goto(f"{live_server}/fiche/org:le-rameau")
    tab.get_by_text("Intégrer ou télécharger l'image").click()
    code_box = tab.locator("details.embed textarea")
    assert code_box.is_visible()
    tab.get_by_role("button", name="Copier le code").click()
    status = tab.locator("details.embed .copy-status")
    status.filter(has_text="Code copié.").wait_for(timeout=5_000)
    copied = tab.evaluate("navigator.clipboard.readText()")
    assert copied == code_box.input_value()
    return copied


def _wait_frame(tab, prefix: str, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while True:
        found = [f for f in tab.frames if f.url.startswith(prefix)]
        if found:
            return found[0]
        assert time.monotonic() < deadline, [f.url for f in tab.frames]
        tab.wait_for_timeout(50)


def test_a_report_on_another_site_frames_the_copied_picture(tab, live_server, other_site,
                                                           artifacts):
    base, pages = other_site
    code = _copied_code(tab, live_server)
    assert code.startswith(f'<iframe src="{live_server}/viz/neighbourhood/org:le-rameau"')
    assert 'title="Réseau autour de Le RAMEAU"' in code
    pages["/rapport.html"] = report_page("Mon rapport", f"<p>Le réseau :</p>{code}")
    tab.goto(f"{base}/rapport.html")
    frame = _wait_frame(tab, f"{live_server}/viz/neighbourhood/")
    deadline = time.monotonic() + 20
    while not frame.evaluate("window.__vizReady === true"):
        assert time.monotonic() < deadline, "the picture did not draw"
        tab.wait_for_timeout(50)
    assert frame.evaluate(DRAWN_PIXELS) > 500
    assert frame.locator("h1").inner_text() == "Réseau autour de Le RAMEAU"
    tab.screenshot(path=str(artifacts / "embed-other-site.png"), full_page=True)
    assert [m for m in tab.messages if m[0] == "error"] == []


def test_the_pages_and_docs_refuse_another_site(tab, live_server, other_site, artifacts):
    base, pages = other_site
    targets = {"fiche": f"{live_server}/fiche/org:le-rameau", "docs": f"{live_server}/docs",
               "picture": f"{live_server}/viz/neighbourhood/org:le-rameau"}
    frames = "".join(f'<iframe id="{name}" src="{url}" width="600" height="300"></iframe>'
                     for name, url in targets.items())
    pages["/cadres.html"] = report_page("Des cadres", frames)
    tab.goto(f"{base}/cadres.html")
    # the picture in the same report draws: what the pages get is their own refusal
    picture = _wait_frame(tab, targets["picture"])
    deadline = time.monotonic() + 20
    while not picture.evaluate("window.__vizReady === true"):
        assert time.monotonic() < deadline
        tab.wait_for_timeout(50)
    # Chromium names the origin refused, not the page: one refusal each, and neither loads
    def refusals():
        return [text for kind, text in tab.messages if kind == "error"
                and f"Framing '{live_server}/'" in text and "frame-ancestors 'self'" in text]

    deadline = time.monotonic() + 10
    while len(refusals()) < 2:
        assert time.monotonic() < deadline, tab.messages
        tab.wait_for_timeout(100)
    assert len(refusals()) == 2, tab.messages
    for name in ("fiche", "docs"):
        inner = tab.locator(f"#{name}").element_handle().content_frame()
        assert inner.url.startswith("chrome-error://"), (name, inner.url)
        assert inner.locator("header.site, #swagger-ui").count() == 0, name
    tab.screenshot(path=str(artifacts / "embed-refused.png"), full_page=True)


def _download(tab, label: str, folder: Path) -> Path:
    with tab.expect_download() as info:
        tab.locator("ul.embed-files a", has_text=label).click()
    path = folder / info.value.suggested_filename
    info.value.save_as(path)
    return path


def _white_border(image: np.ndarray, band: int = 10) -> bool:
    """No pixel of the ``band`` outer pixels on any side is anything but white."""
    edges = [image[:band], image[-band:], image[:, :band], image[:, -band:]]
    return all(int((edge[..., :3].min(axis=-1) < 250).sum()) == 0 for edge in edges)


def test_downloads_open_offline_and_are_framed_with_a_margin(browser, tab, live_server,
                                                             tmp_path, artifacts):
    from PIL import Image

    tab.goto(f"{live_server}/fiche/org:le-rameau")
    tab.get_by_text("Intégrer ou télécharger l'image").click()
    files = {label: _download(tab, label, tmp_path) for label in (
        "Image PNG", "Image SVG", "Tableau des nœuds", "Tableau des liens", "GraphML",
        "Page HTML")}
    assert files["Image PNG"].name == "reseau-autour-de-le-rameau.png"
    assert files["Tableau des nœuds"].read_bytes().startswith(b"\xef\xbb\xbfid;label;")
    assert files["Tableau des liens"].read_bytes().startswith(b"\xef\xbb\xbfsource;target;")
    assert b"<graphml" in files["GraphML"].read_bytes()
    # the PNG: drawn, whole, with a white margin
    png = np.asarray(Image.open(files["Image PNG"]).convert("RGB"))
    assert int((png.min(axis=-1) < 250).sum()) > 10_000
    assert _white_border(png)
    # the SVG, drawn by Chromium on a magenta page: white all round, no magenta (opaque)
    (tmp_path / "svg.html").write_text(
        '<!doctype html><body style="margin:0;background:#f0f">'
        f'<img id="svg" src="{files["Image SVG"].name}"></body>', encoding="utf-8")
    tab.goto((tmp_path / "svg.html").as_uri())
    tab.wait_for_function("document.getElementById('svg').complete")
    shot = tmp_path / "svg.png"
    tab.locator("#svg").screenshot(path=str(shot))
    svg = np.asarray(Image.open(shot).convert("RGB"))[1:-1, 1:-1]  # rounding at the edge
    assert int((svg.min(axis=-1) < 250).sum()) > 10_000
    assert _white_border(svg)
    # and its shapes, measured one by one: all inside the viewBox, 10 pt from each edge
    margins = svg_margins(tab, files["Image SVG"])
    assert margins["shapes"] > 20 and min(margins["margins"].values()) >= 10.0, margins
    assert png_border_is_background(files["Image PNG"])
    # the HTML page from file://, the network off and every request but the file itself
    # refused: it draws
    offline = browser.new_context(offline=True, viewport={"width": 1280, "height": 860})
    refused = []

    def refuse(route):
        if route.request.url == files["Page HTML"].as_uri():
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    offline.route("**/*", refuse)
    try:
        page = offline.new_page()
        requests = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(files["Page HTML"].as_uri())
        deadline = time.monotonic() + 20
        while not page.evaluate("window.__vizReady === true"):
            assert time.monotonic() < deadline
            page.wait_for_timeout(50)
        assert page.evaluate(DRAWN_PIXELS) > 500
        assert [u for u in requests if not u.startswith(("file:", "data:"))] == []
        assert refused == []  # it asked for nothing: all it needs is in the file
        page.screenshot(path=str(artifacts / "embed-offline-html.png"))
    finally:
        offline.close()
