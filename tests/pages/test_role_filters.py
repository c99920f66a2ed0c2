"""The catalyst page's role filter: offered with the counts the documents declare and the
organisations the graph names, never when it can match nothing, and then explained without
saying "none" (fixture graph of conftest.py, whose catalyst and relay are named)."""

from __future__ import annotations

import re

import pytest

from tests.pages.test_pages import assert_page

#: the groups the documents declare by a count only, as the curated dataset holds them
GROUPS = """
CREATE (:Organisation:Catalyst {id: 'org:catalyseurs-territoriaux',
        name: 'Catalyseurs territoriaux', kind: 'autre', count: 350})
CREATE (:Organisation:Relay {id: 'org:tetes-de-pont', name: 'Têtes de pont', kind: 'autre',
        count: 30})
"""
NO_NAMED_CATALYST = "MATCH (o:Catalyst) WHERE o.count IS NULL REMOVE o:Catalyst"
NO_NAMED_RELAY = "MATCH (o:Relay) WHERE o.count IS NULL REMOVE o:Relay"


def role_options(body: str) -> list[tuple[str, str]]:
    select = re.search(r'<select id="role" name="role">(.*?)</select>', body, re.S)
    if select is None:
        return []
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select[1])


def note(body: str) -> str | None:
    found = re.search(r'<p class="hint roles-note">([^<]*)</p>', body)
    return found[1].replace("&#39;", "'") if found else None


def test_both_roles_named_and_no_count(client):
    body = assert_page(client.get("/catalyseurs"))
    assert role_options(body) == [("", "Toutes les organisations"),
                                  ("catalyst", "Catalyseurs territoriaux seulement (1 nommé)"),
                                  ("relay", "Têtes de pont seulement (1 nommée)")]
    assert note(body) is None


def test_declared_counts_beside_the_named(pages_graph, client):
    pages_graph.execute_query(GROUPS)
    options = dict(role_options(assert_page(client.get("/catalyseurs"))))
    assert options["catalyst"] == "Catalyseurs territoriaux seulement (350 déclarés, 1 nommé)"
    assert options["relay"] == "Têtes de pont seulement (30 déclarées, 1 nommée)"


def test_a_role_nobody_is_named_in_is_not_offered(pages_graph, client):
    pages_graph.execute_query(GROUPS)
    pages_graph.execute_query(NO_NAMED_CATALYST)
    body = assert_page(client.get("/catalyseurs", params={"commune": "Roubaix"}))
    assert [value for value, _ in role_options(body)] == ["", "relay"]
    assert note(body) == ("Les 350 catalyseurs territoriaux que déclarent les documents ne "
                          "sont pas nommés un à un dans les données : on ne peut pas encore "
                          "filtrer les partenaires sur ce rôle.")
    # an old link with the filter says why it is gone, and the count the documents give
    body = assert_page(client.get("/catalyseurs", params={"commune": "Roubaix",
                                                          "role": "catalyst"}), 422)
    assert ("Le filtre « Catalyseurs territoriaux seulement » n&#39;est pas proposé : aucun "
            "catalyseur territorial n&#39;est nommé dans les données (les documents en "
            "déclarent 350 sans les nommer). Choisissez « Toutes les organisations ».") in body


def test_no_role_named_hides_the_filter(pages_graph, client):
    pages_graph.execute_query(GROUPS)
    pages_graph.execute_query(NO_NAMED_CATALYST)
    pages_graph.execute_query(NO_NAMED_RELAY)
    body = assert_page(client.get("/catalyseurs", params={"commune": "Roubaix"}))
    assert role_options(body) == [] and 'name="role"' not in body
    assert note(body) == ("Les 350 catalyseurs territoriaux et les 30 têtes de pont que "
                          "déclarent les documents ne sont pas nommés un à un dans les "
                          "données : on ne peut pas encore filtrer les partenaires sur ces "
                          "rôles.")


@pytest.mark.parametrize("queries", [[NO_NAMED_RELAY], [NO_NAMED_CATALYST, NO_NAMED_RELAY]])
def test_a_role_neither_named_nor_declared_is_simply_absent(pages_graph, client, queries):
    for query in queries:
        pages_graph.execute_query(query)
    body = assert_page(client.get("/catalyseurs"))
    assert "relay" not in dict(role_options(body))
    assert note(body) is None
    body = assert_page(client.get("/catalyseurs", params={"commune": "Roubaix",
                                                          "role": "relay"}), 422)
    assert "aucune tête de pont n&#39;est nommée dans les données." in body
