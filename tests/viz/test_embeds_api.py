"""Embeds and downloads through the API, on the tiny graph of tests/viz/conftest.py: who
may frame what (``ALLIANCE_FRAME_ANCESTORS`` for /viz only; the pages and /docs always
``'self'``), the snippets titled in words, the PNG/SVG/HTML files named in words."""

from __future__ import annotations

import base64
import hashlib
import re
import xml.etree.ElementTree as ET

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.settings import get_settings
from tests.viz.conftest import HREF_NAME, XSS_NAME
from viz.embed import iframe_snippet


def _client(monkeypatch, frame_ancestors: str | None):
    if frame_ancestors is None:
        monkeypatch.delenv("ALLIANCE_FRAME_ANCESTORS", raising=False)
    else:
        monkeypatch.setenv("ALLIANCE_FRAME_ANCESTORS", frame_ancestors)
    get_settings.cache_clear()
    return TestClient(create_app())


@pytest.fixture
def client(viz_graph, monkeypatch):
    with _client(monkeypatch, None) as test_client:
        yield test_client
    get_settings.cache_clear()


def _frame_ancestors(response) -> str:
    policy = response.headers["content-security-policy"]
    found = re.findall(r"frame-ancestors ([^;]+)", policy)
    assert len(found) == 1, policy
    return found[0]


def test_pictures_may_be_framed_by_any_site_by_default(client):
    for url in ("/viz/neighbourhood/org:xss?depth=1", "/viz/space/space:dialogue",
                "/viz/connectors?programme=programme:relance&territory=59",
                "/viz/territory/59"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert _frame_ancestors(response) == "*", url


def test_pages_and_docs_are_framed_by_this_site_only_whatever_the_setting(
        viz_graph, monkeypatch):
    with _client(monkeypatch, "*") as client:
        for url in ("/", "/fiche/org:xss", "/espaces/space:dialogue", "/analystes",
                    "/catalyseurs", "/docs", "/fiche/org:nope"):
            response = client.get(url)
            assert response.headers["content-type"].startswith("text/html"), url
            assert _frame_ancestors(response) == "'self'", url
            assert response.headers["x-frame-options"] == "SAMEORIGIN", url
        # the pictures follow the setting
        assert _frame_ancestors(client.get("/viz/space/space:dialogue")) == "*"
        # a JSON answer without a policy of its own gets the frame rule too
        assert _frame_ancestors(client.get("/health")) == "'self'"
    get_settings.cache_clear()


def test_docs_policy_allows_its_one_inline_script_and_nothing_else(client):
    response = client.get("/docs")
    policy = response.headers["content-security-policy"]
    scripts = re.findall(r"<script>(.*?)</script>", response.text, re.DOTALL)
    assert len(scripts) == 1
    digest = base64.b64encode(hashlib.sha256(scripts[0].encode()).digest()).decode()
    assert f"script-src 'self' 'sha256-{digest}';" in policy
    assert "default-src 'self'" in policy and "unsafe-eval" not in policy


@pytest.mark.parametrize(("url", "title"), [
    ("/viz/neighbourhood/org:xss/embed", f"Réseau autour de {XSS_NAME}"),
    ("/viz/neighbourhood/departement:59/embed", "Réseau autour de Nord"),
    ("/viz/space/space:dialogue/embed", 'Espace de dialogue : Espace "dialogue" & co'),
    ("/viz/territory/59/embed", "Territoire : Nord"),
    ("/viz/connectors/embed?programme=programme:relance&territory=59",
     "Plan de relance · Nord : les organisations qui les relient"),
])
def test_snippets_are_titled_in_words(client, url, title):
    body = client.get(url).json()
    assert body["title"] == title
    assert body["html"] == iframe_snippet(body["src"], title, body["height"])
    assert ":xss" not in body["title"] and "departement:" not in body["title"]
    # the picture says the same thing
    page = client.get(body["src"].removeprefix("http://testserver"))
    assert re.search(r"<title>(.*?)</title>", page.text).group(1) == (
        title.replace("&", "&amp;").replace('"', "&#34;").replace("<", "&lt;")
        .replace(">", "&gt;"))


def test_snippet_escapes_the_title(client):
    html = client.get("/viz/neighbourhood/org:href/embed").json()["html"]
    assert HREF_NAME not in html and "&lt;a href=&#34;javascript" in html


PICTURES = {
    "neighbourhood": ("/viz/neighbourhood/org:xss.{fmt}?depth=1",
                      "reseau-autour-de-img-src-x-onerror-alert-1"),
    "connectors": ("/viz/connectors.{fmt}?programme=programme:relance&territory=59",
                   "plan-de-relance-nord-les-organisations-qui-les-relient"),
    "space": ("/viz/space/space:dialogue.{fmt}", "espace-de-dialogue-espace-dialogue-co"),
    "territory": ("/viz/territory/59.{fmt}", "territoire-nord"),
}


@pytest.mark.parametrize("view", sorted(PICTURES))
def test_pictures_download_as_files_named_in_words(client, view):
    url, stem = PICTURES[view]
    png = client.get(url.format(fmt="png"))
    assert png.status_code == 200, png.text
    assert png.headers["content-type"] == "image/png"
    assert png.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.headers["content-disposition"] == f'attachment; filename="{stem}.png"'
    svg = client.get(url.format(fmt="svg"))
    assert svg.headers["content-type"].startswith("image/svg+xml")
    ET.fromstring(svg.text)
    assert XSS_NAME not in svg.text
    html = client.get(url.format(fmt="html"))
    assert html.headers["content-disposition"] == f'attachment; filename="{stem}.html"'
    assert 'id="ag-data"' in html.text and XSS_NAME not in html.text


def test_picture_downloads_check_their_ids(client, viz_graph):
    assert client.get("/viz/neighbourhood/org:nope.png").status_code == 404
    assert client.get("/viz/space/space:nope.svg").status_code == 404
    assert client.get("/viz/space/space:dialogue.pdf").status_code == 404
    # a download link followed in a browser: the reason in French, never JSON
    page = client.get("/viz/neighbourhood/org:nope.png", headers={"accept": "text/html"})
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "Rien à dessiner" in page.text
    # an id with dots splits at the format, and the page of that id still answers
    viz_graph.execute_query("CREATE (:Organisation {id: 'org:a.b', name: 'A.B', source: 't'})")
    response = client.get("/viz/neighbourhood/org:a.b.svg")
    assert response.status_code == 200, response.text
    assert 'filename="reseau-autour-de-a-b.svg"' in response.headers["content-disposition"]
    assert client.get("/viz/neighbourhood/org:a.b").headers["content-type"].startswith(
        "text/html")
