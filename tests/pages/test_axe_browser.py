"""Accessibility: axe-core (bundled by axe-playwright-python, so nothing is fetched at test
time) finds no serious or critical fault (WCAG 2.0 and 2.1, levels A and AA) on any page,
on a desktop and on a phone, pictures included, on the shipped data.

The pages' strict CSP does not stand in the way: Playwright's ``evaluate`` runs outside
the page's policy, so axe is injected without ``bypass_csp`` and the pages are tested
exactly as served. Each picture (an ``<iframe loading="lazy">``) is scrolled into view
and loaded first, and gets axe too, so its content is tested with the page.
"""

from __future__ import annotations

import pytest

from tests.pages.test_phone_browser import DESKTOP, PAGES, PHONE, open_page

pytestmark = pytest.mark.browser

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: the impacts that fail a page
FAILING = {"serious", "critical"}


def axe_violations(page) -> list[dict]:
    from axe_playwright_python.base import AXE_SCRIPT

    for frame_element in page.query_selector_all("iframe"):
        frame_element.scroll_into_view_if_needed()
        frame = frame_element.content_frame()
        if frame is not None:
            frame.wait_for_load_state("load", timeout=15_000)
    for frame in page.frames:
        frame.evaluate(AXE_SCRIPT)
    result = page.evaluate("options => axe.run(document, options)",
                           {"runOnly": {"type": "tag", "values": TAGS},
                            "resultTypes": ["violations"]})
    return result["violations"]


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:5]:
            lines.append(f"    {node['target']}: {node.get('failureSummary', '')!r}")
    return "\n".join(lines)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["bureau", "telephone"])
@pytest.mark.parametrize("name", list(PAGES))
def test_no_serious_accessibility_fault(browser, shipped_server, name, viewport):
    page, _ = open_page(browser, shipped_server, name, viewport)
    try:
        violations = axe_violations(page)
    finally:
        page.context.close()
    serious = [v for v in violations if v["impact"] in FAILING]
    assert not serious, f"{name} at {viewport['width']} px:\n{describe(serious)}"


def test_axe_finds_a_fault_when_there_is_one(browser, shipped_server):
    # the check can fail: a box without a label and grey text on white are reported
    page, _ = open_page(browser, shipped_server, "accueil", PHONE)
    try:
        page.evaluate("""() => {
          const main = document.querySelector('main');
          main.appendChild(document.createElement('input'));
          const p = document.createElement('p');
          p.textContent = 'texte trop pâle';
          p.style.color = '#d0d0d0';
          main.appendChild(p);
        }""")
        ids = {v["id"] for v in axe_violations(page) if v["impact"] in FAILING}
    finally:
        page.context.close()
    assert {"label", "color-contrast"} <= ids
