"""An organisation's website on its fiche: an http(s) address is a link that shows its
host name and gives the site neither the opener nor the referrer; anything else
(``javascript:``, ``data:``, an address without a host) is text (fixture graph of
conftest.py: Le RAMEAU has ``https://www.lerameau.fr``, the XSS organisation
``javascript:alert(3)``)."""

from __future__ import annotations

import re

import pytest

from api.pages.rendering import web_host, web_url
from tests.pages.test_pages import assert_page


def test_the_website_is_a_link_showing_its_host(client):
    body = assert_page(client.get("/fiche/org:le-rameau"))
    links = re.findall(r'<a href="https://www\.lerameau\.fr"([^>]*)>([^<]*)</a>', body)
    assert links == [(' rel="noopener noreferrer"', "www.lerameau.fr")]


def test_a_javascript_address_is_not_a_link(client):
    body = assert_page(client.get("/fiche/org:xss"))
    assert re.search(r"<dd>\s*javascript:alert\(3\)\s*</dd>", body)
    assert "href=\"javascript" not in body.lower()


@pytest.mark.parametrize(("value", "link", "host"), [
    ("https://www.lerameau.fr/", "https://www.lerameau.fr/", "www.lerameau.fr"),
    (" HTTP://Example.ORG/a?b=c ", "HTTP://Example.ORG/a?b=c", "example.org"),
    ("https://jouer-collectif.fr", "https://jouer-collectif.fr", "jouer-collectif.fr"),
    ("javascript:alert(1)", None, None),
    ("JavaScript://example.org/%0Aalert(1)", None, None),
    ("data:text/html,<b>x</b>", None, None),
    ("https:///chemin-sans-hote", None, None),
    ("https://[::1", None, None),
    ("www.lerameau.fr", None, None),
    (None, None, None),
])
def test_only_http_addresses_with_a_host_are_links(value, link, host):
    assert web_url(value) == link
    if link:
        assert web_host(link) == host
