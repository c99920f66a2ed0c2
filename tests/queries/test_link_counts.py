"""queries/link_counts.py on the hand-made graph (tests/queries/conftest.py): the degrees
the suggestions' score reads, counted once per version of the graph, give the very
suggestions the query gives when it counts them itself."""

from __future__ import annotations

import pytest

from graph import as_of
from graph.cache import clear_caches
from queries import suggestions as suggestions_mod
from queries.link_counts import DEGREES, known_degrees, organisation_degrees
from queries.suggestions import suggestions
from tests.queries.waiting import wait_for

LILLE = "org:lille-fondation"


def test_the_degrees_count_living_organisations_only(graph):
    degrees = organisation_degrees(graph)
    # the Fonds régional d'urgence: funded by the foundation, carried by the Département
    assert degrees["programme:regional"] == 2
    graph.execute_query("MATCH (:Organisation {id: 'org:nord-dept'})-[q:CARRIES]->() "
                        "SET q.retired_at = datetime()")
    assert organisation_degrees(graph)["programme:regional"] == 1


def test_known_degrees_follow_the_graph(graph):
    assert known_degrees(graph) is None  # first asked: counted in the background
    wait_for(lambda: known_degrees(graph) is not None, "the degrees counted")
    assert known_degrees(graph) == organisation_degrees(graph)
    graph.execute_query("CREATE (:Organisation {id: 'org:new', name: 'Nouvelle'})")
    clear_caches()  # as every write through the product ends
    assert known_degrees(graph) is None  # another graph: counted again


@pytest.mark.parametrize("radius", [30, 100, 300])
def test_suggestions_are_the_same_counted_or_not(graph, monkeypatch, radius):
    asked = []
    read_one = suggestions_mod.read_one

    def spy(driver, name, params, **kw):
        asked.append(params["counted"])
        return read_one(driver, name, params, **kw)

    monkeypatch.setattr(suggestions_mod, "read_one", spy)
    DEGREES.clear()
    counting = suggestions(graph, LILLE, radius_km=radius)
    wait_for(lambda: known_degrees(graph) is not None, "the degrees counted")
    counted = suggestions(graph, LILLE, radius_km=radius)
    assert asked == [False, True]
    assert counted == counting and counted.total >= 3


def test_as_of_has_degrees_of_its_own(graph):
    graph.execute_query("MATCH (o:Organisation) SET o.first_seen = datetime('2026-01-01')")
    now = known_degrees(graph)
    wait_for(lambda: known_degrees(graph) is not None, "the degrees counted")
    with as_of.scope(as_of.end_of_day("2025-06-01")):  # before anything was there
        assert known_degrees(graph) is None
        wait_for(lambda: known_degrees(graph) is not None, "the degrees counted")
        assert known_degrees(graph) == {}
    assert now is None and known_degrees(graph)["programme:regional"] == 2
