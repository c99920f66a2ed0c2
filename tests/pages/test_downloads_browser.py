"""The "Télécharger (Excel)" links clicked in headless Chromium (uvicorn + the fixture
graph of conftest.py): each gives a file named in words that Excel opens in French; a
link whose question cannot be answered shows the French page, not a download."""

from __future__ import annotations

import pytest

from tests.csv_reading import BOM

pytestmark = pytest.mark.browser


def test_clicking_the_download_links(page, live_server, tmp_path):
    tab, watch = page
    tab.goto(f"{live_server}/catalyseurs?commune=Roubaix&rayon=20")
    links = tab.get_by_role("link", name="Télécharger (Excel) : partenaires près de vous")
    with tab.expect_download() as download:
        links.click()
    file = download.value
    assert file.suggested_filename == "partenaires-roubaix-20-km.csv"
    data = (tmp_path / "near.csv")
    file.save_as(data)
    content = data.read_bytes()
    assert content.startswith(BOM + "Organisation;Type;Rôles;Distance (km);".encode())
    assert "Roubaix Numérique;Association;Catalyseur;0;Roubaix;".encode() in content
    # the page stays where it was: a download, not a navigation
    assert tab.url.startswith(f"{live_server}/catalyseurs?")

    tab.goto(f"{live_server}/analystes")
    with tab.expect_download() as download:
        tab.get_by_role("link", name="Télécharger (Excel) : communautés").click()
    assert download.value.suggested_filename == "communautes.csv"

    # an old link whose radius is now refused: the French page, as the form would say it
    tab.goto(f"{live_server}/catalyseurs/partenaires.csv?commune=59512&rayon=400")
    assert "Le rayon doit être un nombre de kilomètres entre 1 et 300" in tab.inner_text(
        "main")
    # (Chromium logs the page's own 422 status as a console error: that one is expected)
    assert [e for e in watch.console_errors if "status of 422" not in e] == []
    assert not watch.foreign_requests
