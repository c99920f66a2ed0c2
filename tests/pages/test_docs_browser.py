"""/docs (Swagger UI) works offline: every asset from this server, the operations drawn."""

from __future__ import annotations

import pytest

from tests.pages.test_pages_browser import assert_clean, open_page

pytestmark = pytest.mark.browser


def test_docs_offline(page, live_server, artifacts):
    tab, watch, response = open_page(page, f"{live_server}/docs", "docs", artifacts)
    assert response.status == 200
    tab.wait_for_selector(".opblock", timeout=30_000)
    assert tab.locator(".opblock").count() > 15  # one block per operation
    assert_clean(watch)
