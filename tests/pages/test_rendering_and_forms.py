"""api/pages/rendering.py and api/pages/forms.py alone: the French filters, the pages'
policy (one function with the pictures', viz/html.py) and the form values. No server."""

from __future__ import annotations

import pytest

from api.pages.forms import RADIUS_DEFAULT, FormError, chosen_in_list, page_number, parse_radius
from api.pages.rendering import ENV, PAGE_SOURCES, page_policy, rel_fr, segment, web_url
from graph.settings import Settings
from viz.html import content_security_policy


def test_the_pages_policy_is_the_pictures_function_with_the_pages_sources():
    # ALLIANCE_FRAME_ANCESTORS opens the pictures to other sites, never the pages
    settings = Settings(frame_ancestors="'self' https://example.org")
    policy = page_policy(settings)
    assert policy == ("default-src 'self'; frame-src 'self'; script-src 'self'; "
                      "style-src 'self'; img-src 'self' data:; object-src 'none'; "
                      "base-uri 'none'; form-action 'self'; "
                      "frame-ancestors 'self'")
    assert policy == content_security_policy("'self'", sources=PAGE_SOURCES) == page_policy()
    # the picture's policy is another one: no 'self' scripts, hashes instead
    assert "script-src 'self'" not in content_security_policy("'self'")


@pytest.mark.parametrize("expression, shown", [
    ("{{ 12345 | num }}", "12\u202f345"),
    ("{{ 1234.56 | num }}", "1\u202f234,6"),
    ("{{ none | num }}", "—"),
    ("{{ 1 | plural('besoin', 'besoins') }}", "1 besoin"),
    ("{{ 3 | plural('besoin', 'besoins') }}", "3 besoins"),
    ("{{ 12.5 | km }}", "12,5 km"),
    ("{{ 0.12345 | score }}", "0,123"),
    ("{{ 0.00017637 | score }}", "&lt; 0,001"),  # autoescaped: reads "< 0,001"
    ("{{ 0 | score }}", "0,000"),
    ("{{ none | km }}", "—"),
    ("{{ 'Organisation' | label_fr }}", "Organisation"),
    ("{{ 'Un Deux!' | css_token }}", "undeux"),
])
def test_french_filters(expression, shown):
    assert ENV.from_string(expression).render(none=None) == shown


def test_links_and_segments():
    assert segment("commune:59512") == "commune:59512"
    assert segment("a/b c") == "a%2Fb%20c"
    assert web_url(" https://example.org/x ") == "https://example.org/x"
    assert web_url("javascript:alert(1)") is None
    assert rel_fr("NO_SUCH_TYPE") == "no such type"


def test_radius():
    assert parse_radius("") == RADIUS_DEFAULT
    assert parse_radius("12,5") == 12.5
    assert parse_radius("30 km") == 30.0
    for text in ("0", "500", "trente", "nan", "inf"):
        with pytest.raises(FormError, match="Le rayon doit être") as refused:
            parse_radius(text)
        assert refused.value.status == 422 and refused.value.ask is None


@pytest.mark.parametrize("text, number", [("3", 3), ("0", 1), ("-2", 1), ("x", 1),
                                          ("99999999", 10_000)])
def test_page_number(text, number):
    assert page_number(text) == number


def test_chosen_in_list():
    class Item:
        def __init__(self, id):
            self.id = id

    items = [Item("need:a"), Item("need:b")]
    assert chosen_in_list(items, "need:b", "x") is items[1]
    assert chosen_in_list(items, "", "x") is None
    with pytest.raises(FormError, match="pas dans la liste") as refused:
        chosen_in_list(items, "need:z", "Ce besoin n'est pas dans la liste")
    assert refused.value.status == 404


def test_chosen_in_list_by_name_or_alias():
    """A hand-written link names the programme as the API reads it: case, accents and
    aliases (``cdc``) ignored; a name two entries share chooses nothing."""
    from queries.lookups import Choice

    items = [Choice(id="programme:france-relance", name="France Relance"),
             Choice(id="org:caisse-des-depots", name="Caisse des Dépôts"),
             Choice(id="x:1", name="Même nom"), Choice(id="x:2", name="Même nom")]
    assert chosen_in_list(items, "france relance", "x") is items[0]
    assert chosen_in_list(items, "cdc", "x") is items[1]
    with pytest.raises(FormError):
        chosen_in_list(items, "même nom", "x")
