"""The « Intégrer » panel under every picture of the pages (TestClient, the fixture graph):
the iframe code is the API's snippet, titled in words; the note says who may embed it; each
download answers a file of its kind, named as the panel says."""

from __future__ import annotations

import html as htmllib
import re
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.settings import get_settings
from viz.embed import iframe_snippet

#: a page with a picture → the title the picture has, in words
PAGES = {
    "/fiche/org:le-rameau": "Réseau autour de Le RAMEAU",
    "/espaces/space:entreprises": "Espace de dialogue : Espace entreprises",
    "/analystes?programme=programme%3Apass-numerique&territoire=59":
        "Pass numérique · Nord : les organisations qui les relient",
    # the catalyst page titles the frame its own way ("Réseau du territoire de Roubaix")
    "/catalyseurs?commune=Roubaix&rayon=30": None,
}
MEDIA = {".png": "image/png", ".svg": "image/svg+xml", ".csv": "text/csv",
         ".graphml": "application/graphml+xml", ".html": "text/html"}


def _panels(body: str) -> list[str]:
    return re.findall(r'<details class="embed".*?</details>', body, re.DOTALL)


def _code(panel: str) -> str:
    return htmllib.unescape(re.search(r"<textarea[^>]*>(.*?)</textarea>", panel, re.DOTALL)[1])


@pytest.mark.parametrize("url", sorted(PAGES))
def test_every_picture_has_its_panel_with_the_api_snippet(client, url):
    body = client.get(url).text
    frames = re.findall(r'<figure class="picture">\s*<iframe src="([^"]+)" title="([^"]+)"',
                        body)
    panels = _panels(body)
    assert len(frames) == len(panels) == 1, url
    src, title = (htmllib.unescape(v) for v in frames[0])
    if PAGES[url]:
        assert title == PAGES[url]
    assert not re.search(r"\b(org|space|programme|commune|departement):", title)
    code = _code(panels[0])
    parts = urlsplit(src)
    embed = client.get(parts.path + "/embed" + (f"?{parts.query}" if parts.query else ""))
    assert embed.status_code == 200, embed.text
    # the same code as the API's, titled as the page titles the frame
    assert code == iframe_snippet("http://testserver" + src, title, embed.json()["height"])
    if PAGES[url]:
        assert code == embed.json()["html"]
    assert f'src="http://testserver{htmllib.escape(src, quote=False)}"' in code
    assert f"Télécharger « {htmllib.escape(title, quote=False)} »" in panels[0]
    # a copy button for JavaScript, hidden without it (the code is selectable text)
    assert re.search(r'<button type="button" data-copy="[^"]+" hidden>Copier le code</button>',
                     panels[0])


def test_the_downloads_answer_the_files_the_panel_names(client):
    panel = _panels(client.get("/fiche/org:le-rameau").text)[0]
    links = re.findall(r'<li><a href="([^"]+)">([^<]+)</a> <span class="hint">([^<]+)</span>',
                       panel)
    labels = [label for _, label, _ in links]
    assert labels == ["Image PNG (impression)", "Image SVG (vectorielle)",
                      "Tableau des nœuds (Excel, CSV)", "Tableau des liens (Excel, CSV)",
                      "GraphML (Gephi, yEd)", "Page HTML (hors ligne)"]
    for href, label, filename in links:
        response = client.get(htmllib.unescape(href))
        assert response.status_code == 200, (href, response.text[:200])
        extension = "." + filename.rsplit(".", 1)[1]
        assert response.headers["content-type"].startswith(MEDIA[extension]), href
        assert response.headers["content-disposition"] == f'attachment; filename="{filename}"'
        assert filename.startswith("reseau-autour-de-le-rameau")
        if extension == ".csv":  # the shared writer: BOM, ';'
            assert response.content.startswith(b"\xef\xbb\xbf")
            assert response.content.decode("utf-8-sig").split("\r\n")[0].count(";") >= 2


@pytest.mark.parametrize(("setting", "said"), [
    (None, "Tout site peut l'intégrer"),
    ("'self'", "Seul ce site peut l'intégrer"),
    ("'self' https://rapports.example.org",
     "seuls ces sites peuvent l'intégrer : ce site et https://rapports.example.org."),
])
def test_the_panel_says_who_may_embed(pages_graph, monkeypatch, setting, said):
    if setting is None:
        monkeypatch.delenv("ALLIANCE_FRAME_ANCESTORS", raising=False)
    else:
        monkeypatch.setenv("ALLIANCE_FRAME_ANCESTORS", setting)
    get_settings.cache_clear()
    try:
        with TestClient(create_app()) as client:
            panel = htmllib.unescape(_panels(client.get("/fiche/org:le-rameau").text)[0])
    finally:
        get_settings.cache_clear()
    assert "L'image est publique et en lecture seule" in panel
    assert said in panel and "ALLIANCE_FRAME_ANCESTORS" in panel
