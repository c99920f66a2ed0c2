"""queries/_run.py: the one way a read runs (routed to a reader, with a deadline), and no
other way in the package."""

from __future__ import annotations

import re
from pathlib import Path

from neo4j import Query, RoutingControl

from queries import _run
from queries.projection import PROJECTION_TIMEOUT, fetch_projection

QUERIES = Path(_run.__file__).resolve().parent


class _Spy:
    """A driver that records what ``execute_query`` was given and answers nothing."""

    def __init__(self, driver=None):
        self.driver = driver
        self.calls: list[dict] = []

    def execute_query(self, query, parameters, **options):
        self.calls.append({"query": query, "parameters": parameters, **options})
        if self.driver is not None:
            return self.driver.execute_query(query, parameters, **options)
        return []


def test_a_read_is_routed_to_a_reader_with_a_deadline():
    spy = _Spy()
    _run.read(spy, "need_choices", {"limit": 3}, database="elsewhere")
    (call,) = spy.calls
    assert isinstance(call["query"], Query)
    assert call["query"].timeout == _run.READ_TIMEOUT > 0
    assert "MATCH (n:Need)" in call["query"].text
    assert call["routing_"] == RoutingControl.READ
    assert call["database_"] == "elsewhere"
    assert call["parameters"] == {"limit": 3, "as_of": None}  # now: graph/as_of.py


def test_the_projection_streams_through_run_with_its_own_deadline(graph):
    spy = _Spy(graph)
    projection = fetch_projection(spy)
    (call,) = spy.calls
    assert call["routing_"] == RoutingControl.READ
    assert call["query"].timeout == PROJECTION_TIMEOUT
    assert projection.number_of_nodes() == 12
    assert projection.nodes["org:rameau"]["label"] == "Organisation"


def test_read_folded_gives_the_bookmark_of_its_transaction(graph):
    rows, bookmark = _run.read_folded(graph, "need_choices", list, {"limit": 100})
    assert rows and all(isinstance(row, list) and len(row) == 3 for row in rows)
    assert bookmark  # Neo4j 5.26 sends one after every transaction
    graph.execute_query("CREATE (:Need {id: 'need:new', name: 'Nouveau'})")
    assert _run.read_folded(graph, "need_choices", list, {"limit": 100})[1] != bookmark


def test_no_other_way_to_run_a_read_in_the_package():
    other_ways = re.compile(r"\.session\(|execute_read|execute_write|\.data\(\)|"
                            r"execute_query|\btx\.run\(")
    found = {}
    for path in sorted(QUERIES.glob("*.py")):
        if path.name == "_run.py":
            continue
        lines = [n for n, line in enumerate(path.read_text().splitlines(), 1)
                 if other_ways.search(line)]
        if lines:
            found[path.name] = lines
    assert found == {}, f"reads outside queries._run: {found}"
