"""viz.to_pyvis in Chromium: pyvis's page for a notebook, with a node named like an attack
and one whose name holds a link. Hovering them shows their names as text in pyvis's
popup (``div.popup``, which pyvis fills with innerHTML): no element is made from a name, no dialog.

pyvis's copy of vis-network is inlined (``cdn_resources="in_line"``); bootstrap, which it
still asks a CDN for, is refused like every request to another host."""

from __future__ import annotations

import pytest

from tests.browser.conftest import wait_js
from tests.viz.conftest import HREF_NAME, XSS_NAME
from viz.notebook import to_pyvis
from viz.view_graph import ViewEdge, ViewGraph, ViewNode

pytestmark = pytest.mark.browser


def _view() -> ViewGraph:
    return ViewGraph(title="Carnet", nodes=[
        ViewNode(id="org:xss", label=XSS_NAME, type="Organisation", kind="association",
                 territory="Nord", source="seed<script>", x=-150.0, y=0.0, size=30.0,
                 centre=True),
        ViewNode(id="org:href", label=HREF_NAME, type="Organisation", kind="fondation",
                 x=150.0, y=0.0, size=30.0),
    ], edges=[ViewEdge(source="org:xss", target="org:href", type="PARTNERS_WITH")])


def test_pyvis_popups_show_hostile_names_as_text(chromium_page, tmp_path, artifacts_dir):
    page = chromium_page
    path = tmp_path / "carnet.html"
    path.write_text(to_pyvis(_view(), notebook=False, cdn_resources="in_line").generate_html(),
                    encoding="utf-8")
    page.goto(path.as_uri())
    wait_js(page, "typeof network !== 'undefined' && network.body !== undefined")
    box = page.locator("#mynetwork").bounding_box()
    for node_id, name in (("org:xss", XSS_NAME), ("org:href", HREF_NAME)):
        at = page.evaluate(f"network.canvasToDOM(network.getPositions(['{node_id}'])"
                           f"['{node_id}'])")
        page.mouse.move(box["x"] + at["x"], box["y"] + at["y"])
        # pyvis's own popup (vis-network's tooltip is hidden by its page)
        wait_js(page, "[...document.querySelectorAll('div.popup')]"
                      ".some(p => p.style.display === 'block' && p.textContent)")
        popup = page.locator("div.popup").first
        assert name in popup.inner_text()  # the name as written, read as text
        assert popup.locator("img, a, script").count() == 0
        page.screenshot(path=str(artifacts_dir / f"pyvis-popup-{node_id[4:]}.png"))
        page.mouse.move(box["x"] + 5, box["y"] + 5)
        wait_js(page, "[...document.querySelectorAll('div.popup')]"
                      ".every(p => p.style.display !== 'block')")
    assert page.dialogs == []
    assert page.evaluate("document.querySelectorAll('#mynetwork img, #mynetwork a').length") == 0
    # what was refused is pyvis's bootstrap only: vis-network came with the page
    assert all("bootstrap" in url for url in page.foreign_requests), page.foreign_requests
