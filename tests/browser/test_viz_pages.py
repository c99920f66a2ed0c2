"""The viz pages in headless Chromium: offline, no console error, drawn, hostile names inert."""

from __future__ import annotations

import pytest

from tests.browser.conftest import LABEL_CHECK, wait_js
from tests.viz.conftest import HREF_NAME, XSS_NAME
from viz.grouping import group_view
from viz.html import content_security_policy, render_html
from viz.layout import layout_view
from viz.synthetic import synthetic_view
from viz.view_graph import ViewEdge, ViewGraph, ViewNode

pytestmark = pytest.mark.browser

DRAWN_PIXELS = """() => {
  const canvas = document.querySelector('#ag-network canvas');
  const ctx = canvas.getContext('2d');
  const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  let drawn = 0;
  for (let i = 0; i < data.length; i += 4) {
    const a = data[i + 3], white = data[i] > 245 && data[i + 1] > 245 && data[i + 2] > 245;
    if (a > 0 && !white) drawn++;
  }
  return drawn;
}"""


def hostile_view() -> ViewGraph:
    view = ViewGraph(title=f"Voisinage de {XSS_NAME}", nodes=[
        ViewNode(id="org:xss", label=XSS_NAME, type="Organisation", kind="association",
                 territory="Roubaix", source="<script>window.__xss=2</script>", centre=True),
        ViewNode(id="org:href", label=HREF_NAME, type="Organisation", kind="fondation",
                 territory='<a href="x">Lille</a>', source="seed"),
        ViewNode(id="programme:relance", label="Plan de relance", type="Programme",
                 kind="relance", source="seed"),
        ViewNode(id="need:emploi", label="Emploi", type="Need", source="seed"),
    ], edges=[ViewEdge(source="org:href", target="org:xss", type="PARTNERS_WITH"),
              ViewEdge(source="org:xss", target="programme:relance", type="CARRIES"),
              ViewEdge(source="programme:relance", target="need:emploi", type="ADDRESSES")],
        notes=[f"<b onmouseover=alert(3)>{XSS_NAME}</b>"])
    return layout_view(view)


def open_page(page, path):
    page.goto(path.as_uri())
    wait_js(page, "window.__vizReady === true")


def assert_clean(page):
    assert page.console_errors == []
    assert page.foreign_requests == []
    assert page.dialogs == []
    assert page.evaluate("typeof window.__xss") == "undefined"


@pytest.mark.parametrize("name, make", [
    ("hostile", hostile_view),
    ("network-300", lambda: layout_view(synthetic_view(300))),
    ("map-300", lambda: layout_view(synthetic_view(300, kind="map"))),
    ("grouped-3000", lambda: layout_view(group_view(synthetic_view(3000), cap=1500))),
])
def test_page_loads_offline_and_draws(chromium_page, tmp_path, artifacts_dir, name, make):
    path = tmp_path / f"{name}.html"
    path.write_text(render_html(make()), encoding="utf-8")
    open_page(chromium_page, path)
    assert chromium_page.evaluate(DRAWN_PIXELS) > 500
    chromium_page.screenshot(path=str(artifacts_dir / f"viz-{name}.png"))
    assert_clean(chromium_page)


def test_hostile_names_show_as_text(chromium_page, tmp_path, artifacts_dir):
    path = tmp_path / "hostile.html"
    path.write_text(render_html(hostile_view()), encoding="utf-8")
    open_page(chromium_page, path)
    page = chromium_page
    assert page.locator("h1").inner_text() == f"Voisinage de {XSS_NAME}"
    assert page.locator(".ag-note").inner_text() == f"<b onmouseover=alert(3)>{XSS_NAME}</b>"
    assert page.evaluate("document.querySelectorAll('img, a[href], iframe, b').length") == 0
    # hover the XSS node: the tooltip holds its name as text, nothing else
    x, y = page.evaluate("""() => {
      const net = window.__vizNetwork;
      const p = net.canvasToDOM(net.getPosition(0));
      const r = document.getElementById('ag-network').getBoundingClientRect();
      return [r.left + p.x, r.top + p.y];
    }""")
    page.mouse.move(x, y)
    page.wait_for_selector("#ag-tooltip:not([hidden])", timeout=5_000)
    tooltip = page.locator("#ag-tooltip")
    assert tooltip.locator("strong").inner_text() == XSS_NAME
    assert "<script>window.__xss=2</script>" in tooltip.inner_text()
    tags = page.evaluate("[...document.querySelectorAll('#ag-tooltip *')].map(e => e.tagName)")
    assert tags == ["STRONG", "SPAN", "SPAN", "SPAN", "SPAN"]  # type, kind, territory, source
    assert page.evaluate("document.querySelectorAll('img, script[src]').length") == 0
    page.screenshot(path=str(artifacts_dir / "viz-hostile-tooltip.png"))
    # search for the href node by its text
    page.fill("#ag-search", "href")
    wait_js(page, "(window.__vizMatches || []).length === 1")
    assert page.evaluate("window.__vizMatches") == ["org:href"]
    assert page.locator("#ag-status").inner_text() == "1 trouvé"
    assert_clean(page)


def test_search_and_type_filters(chromium_page, tmp_path):
    view = layout_view(synthetic_view(200))
    needs = sum(1 for n in view.nodes if n.type == "Need")
    path = tmp_path / "filters.html"
    path.write_text(render_html(view), encoding="utf-8")
    open_page(chromium_page, path)
    page = chromium_page
    page.fill("#ag-search", "Orga 1")
    wait_js(page, "(window.__vizMatches || []).length > 0")
    matches = page.evaluate("window.__vizMatches")
    labels = {n.id: n.label for n in view.nodes}
    assert matches and all(labels[m].startswith("Orga 1") for m in matches)
    assert page.evaluate("window.__vizNetwork.getSelectedNodes().length") == len(matches)
    page.locator("#ag-legend input[data-key='Need']").uncheck()
    wait_js(page, f"window.__vizShown === {len(view.nodes) - needs}")
    shown = len(view.nodes) - needs
    assert page.locator("#ag-status").inner_text() == f"{shown} nœuds affichés sur 200"
    page.locator("#ag-legend input[data-key='Need']").check()
    wait_js(page, "window.__vizShown === 200")
    assert_clean(page)


def test_page_served_with_the_api_policy(chromium_page, artifacts_dir):
    """Served over HTTP with the header policy (frame-ancestors included): still clean."""
    html = render_html(hostile_view())
    policy = content_security_policy("'self'")
    chromium_page.route("http://127.0.0.1:9/viz/page", lambda route: route.fulfill(
        status=200, body=html, headers={"Content-Type": "text/html; charset=utf-8",
                                        "Content-Security-Policy": policy}))
    chromium_page.goto("http://127.0.0.1:9/viz/page")
    wait_js(chromium_page, "window.__vizReady === true")
    assert chromium_page.evaluate(DRAWN_PIXELS) > 500
    assert_clean(chromium_page)


@pytest.mark.parametrize("name, make", [
    ("network-300", lambda: layout_view(synthetic_view(300))),
    ("map-300", lambda: layout_view(synthetic_view(300, kind="map"))),
    ("grouped-3000", lambda: layout_view(group_view(synthetic_view(3000), cap=1500))),
])
def test_labels_never_overlap_at_first_draw_nor_when_zoomed(chromium_page, tmp_path,
                                                            artifacts_dir, name, make):
    """The labels drawn do not overlap each other nor another node, and stay in the frame;
    zooming in shows more of them; hovering a node shows its name in full."""
    view = make()

    def covered(i):  # its centre under a node drawn after it (a map may pile nodes up)
        node = view.nodes[i]
        return any(max(abs(o.x - node.x), abs(o.y - node.y)) <= o.size
                   for o in view.nodes[i + 1:])

    long_named = [i for i in range(1, len(view.nodes)) if not covered(i)][:5]
    assert len(long_named) == 5
    for i in long_named:
        view.nodes[i].label = "Un nom très long " * 6  # cut on the picture, whole on hover
    path = tmp_path / f"{name}.html"
    path.write_text(render_html(view), encoding="utf-8")
    open_page(chromium_page, path)
    page = chromium_page
    first = page.evaluate(LABEL_CHECK)
    assert len(first["ids"]) >= 10, first
    assert (first["pairs"], first["onNodes"], first["outside"]) == ([], [], [])
    centre = next(n.id for n in view.nodes if n.centre)
    assert centre in first["ids"]
    page.screenshot(path=str(artifacts_dir / f"viz-labels-{name}.png"))
    # zoom in on the loneliest node left unlabelled at first: its label comes (on a
    # network; a map's clusters may hold nodes on top of each other at any zoom)
    if view.kind != "map" and len(first["ids"]) < len(view.nodes):
        def room(node):
            return min((node.x - o.x) ** 2 + (node.y - o.y) ** 2
                       for o in view.nodes if o is not node)
        unlabelled = max((n for i, n in enumerate(view.nodes) if i and i not in long_named
                          and n.id not in first["ids"]), key=room).id
        page.evaluate(f"""() => {{
          const net = window.__vizNetwork;
          const data = JSON.parse(document.getElementById('ag-data').textContent);
          const i = data.nodes.findIndex(row => row[data.fields.id] === {unlabelled!r});
          net.moveTo({{position: net.getPosition(i), scale: 2}});
        }}""")
        wait_js(page, f"(window.__vizLabels || []).some(l => l.id === {unlabelled!r})")
    zoomed = page.evaluate(LABEL_CHECK)
    assert (zoomed["pairs"], zoomed["onNodes"], zoomed["outside"]) == ([], [], [])
    # hover a node with a long name (one no other node covers): all of it is drawn
    index, x, y = page.evaluate("""(candidates) => {
      const net = window.__vizNetwork;
      const r = document.getElementById('ag-network').getBoundingClientRect();
      for (const i of candidates) {
        net.moveTo({position: net.getPosition(i), scale: 1});
        const p = net.canvasToDOM(net.getPosition(i));
        if (net.getNodeAt(p) === i) return [i, r.left + p.x, r.top + p.y];
      }
      return [null, 0, 0];
    }""", long_named)
    assert index is not None
    node_id = view.nodes[index].id
    page.mouse.move(x, y)
    wait_js(page, f"(window.__vizLabels || []).some(l => l.id === {node_id!r} && l.w > 400)")
    hovered = [label for label in page.evaluate("window.__vizLabels")
               if label["id"] == node_id][0]
    assert hovered["w"] > 400  # the whole name, not the cut one
    assert_clean(page)
