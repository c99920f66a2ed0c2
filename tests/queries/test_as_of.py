"""Every question as of a past instant: retired facts never appear now, appear as of a time
they were alive, and facts not yet seen do not appear before (tests/queries/asof_fixtures.py
says the history)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from graph import as_of
from graph.as_of import BadAsOf
from graph.bookkeeping import ALIVE_RULE
from graph.cache import clear_caches
from queries import (
    connectors,
    dialogue_spaces,
    gaps,
    neighbourhood,
    partners_near,
    paths,
    programmes_of_territory,
    search,
    stats,
)
from queries.analytics import communities
from queries.as_of import resolve_as_of
from queries.elements import list_organisations, organisation_detail, programme_detail
from queries.errors import NotFoundError, UnknownImport
from queries.export import export_graph, node_details, territory_contents
from queries.interchange import interchange_reader
from queries.library import list_queries, load_query
from queries.lookups import element_card, programme_choices
from queries.projection import fetch_projection, graph_fingerprint
from tests.queries.asof_fixtures import BEFORE, BETWEEN, T0, T1, add_history

#: a value for every parameter any question takes (EXPLAIN needs them all, typed)
PARAMETERS = {
    "commune_id": None, "depth": 2, "fuzzy": "x~", "id": "x", "ids": ["x"],
    "index": "names", "keys": ["x"], "kind": None, "labels": ["Organisation"], "limit": 5,
    "links": 3, "links_limit": 3, "lucene": "x", "members_limit": 3, "need": None,
    "offset": 0, "outline_limit": 3, "phase": None, "phrase": '"x"', "places_limit": 3,
    "point": None, "programme": "x", "programmes_limit": 3, "radius_m": 1000.0,
    "rank": {"country": 0}, "role": None, "role_label": None, "scope": "all", "skip": [],
    "source": "x", "target": "y", "territories": "linked", "territory": "x",
    "wider_limit": 3,
}


@pytest.fixture
def history(graph):
    """The hand-made graph with its history of two imports."""
    return add_history(graph)


def _at(moment):
    """A scope of the questions as of ``moment`` (None: now)."""
    return as_of.scope(moment)


# --- the rule ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list_queries())
def test_every_question_compiles_now_and_as_of_a_time(db, name):
    text = load_query(name, max_hops=3) if name == "paths" else load_query(name)
    for moment in (None, T0):
        db.execute_query("EXPLAIN " + text, {**PARAMETERS, "as_of": moment})


def test_every_question_but_the_version_key_follows_the_rule():
    # the fingerprint counts from the count store: a version key, not an answer
    # (graph_fingerprint adds the instant asked about to it)
    for name in list_queries():
        text = load_query(name, max_hops=3) if name == "paths" else load_query(name)
        # the reads of the bookkeeping itself (the loads, what changed, the date of the
        # data) are about the graph's history, not a state of it
        if name not in ("fingerprint", "import_time", "imports", "import_report", "changes",
                        "latest_import", "retired_element", "duplicate_candidates",
                        "duplicate_decisions"):
            assert "$as_of" in text, name
        assert "{{" not in text, name


def test_the_written_rule_is_the_bookkeeping_rule(db):
    """The text the queries carry decides as graph/bookkeeping.py's ALIVE_RULE says, for
    every first_seen × retired_at × instant (and as ``retired_at IS NULL`` for now)."""
    times = [None, T0, T1]
    rule = ALIVE_RULE.replace(" t)", " $as_of)")
    assert "$as_of" in rule
    for moment in (None, BEFORE, T0, BETWEEN, T1, datetime(2026, 6, 1, tzinfo=UTC)):
        rows, _, _ = db.execute_query(
            "UNWIND $cases AS c WITH {first_seen: c[0], retired_at: c[1]} AS x "
            f"RETURN {as_of.alive_cypher('x')} AS written, "
            f"CASE WHEN $as_of IS NULL THEN x.retired_at IS NULL ELSE {rule} END AS rule",
            cases=[[f, r] for f in times for r in times], as_of=moment)
        assert len(rows) == 9
        assert [r["written"] for r in rows] == [r["rule"] for r in rows], moment


def test_the_rule_is_one_text_for_both_cases():
    # one query text (one plan) whatever the instant: only the parameter changes
    text = load_query("search")
    assert "(node.retired_at IS NULL OR coalesce(node.retired_at > $as_of, false))" in text


# --- reading as_of ------------------------------------------------------------------------


def test_as_of_by_import_id_and_by_date_agree(history):
    assert resolve_as_of(history, "imp-a") == T0
    assert resolve_as_of(history, "imp-b") is not None
    assert resolve_as_of(history, "imp-b") == T1
    # the end of the day of imp-a, in Paris: nothing happened between
    day = resolve_as_of(history, "2026-01-10")
    assert day > T0
    with _at(T0):
        by_import = stats(history)
        clear_caches()
    with _at(day):
        by_day = stats(history)
    assert by_import == by_day
    assert resolve_as_of(history, None) is None
    with pytest.raises(BadAsOf):
        resolve_as_of(history, "  ")  # said, but empty: not "now"
    assert resolve_as_of(history, "2999-01-01") is None  # to come: now


def test_an_unknown_import_id_is_named(history):
    with pytest.raises(UnknownImport, match="imp-nope"):
        resolve_as_of(history, "imp-nope")


# --- the questions ------------------------------------------------------------------------


def _ids(items):
    return {item.organisation.id for item in items}


def test_search_drops_retired_elements(history):
    assert search(history, "orphelin").total == 0
    with _at(BETWEEN):
        assert [h.id for h in search(history, "orphelin").items] == ["org:orphelin"]
    with _at(BEFORE):
        assert search(history, "orphelin").total == 0  # not seen yet
    assert [h.id for h in search(history, "nouvelle").items] == ["org:nouvelle"]
    with _at(BETWEEN):
        assert search(history, "nouvelle").total == 0


def test_element_card_and_details(history):
    with pytest.raises(NotFoundError):
        element_card(history, "org:orphelin")
    with _at(BETWEEN):
        assert element_card(history, "org:orphelin").name == "Orphelin"
    # the card counts only the links alive
    rameau_now = element_card(history, "org:rameau")
    with _at(BETWEEN):
        rameau_then = element_card(history, "org:rameau")
    # now: + Nouvelle Fabrique's partnership, − the partnership with the Médiateur
    assert rameau_now.degree == rameau_then.degree
    with pytest.raises(NotFoundError):
        programme_detail(history, "programme:paris")
    with _at(T0):
        assert programme_detail(history, "programme:paris").name == "Paris relance"
    nouvelle = organisation_detail(history, "org:nouvelle")
    assert nouvelle.commune and nouvelle.commune.id == "commune:59512"
    assert not node_details(history, ["org:orphelin"])
    with _at(BETWEEN):
        assert set(node_details(history, ["org:orphelin", "org:nouvelle"])) == {"org:orphelin"}


def test_neighbourhood(history):
    ids = {i.node.id for i in neighbourhood(history, "org:rameau").items}
    assert "org:nouvelle" in ids and "org:mediateur" not in ids and "space:a" in ids
    edges = {(e.source, e.target) for e in neighbourhood(history, "org:rameau").edges}
    assert ("org:rameau", "org:mediateur") not in edges
    assert ("org:nouvelle", "org:rameau") in edges
    with _at(BETWEEN):
        hood = neighbourhood(history, "org:rameau")
        assert "org:nouvelle" not in {i.node.id for i in hood.items}
        assert "org:mediateur" in {i.node.id for i in hood.items}
        assert ("org:rameau", "org:mediateur") in {(e.source, e.target) for e in hood.edges}
    with pytest.raises(NotFoundError):
        neighbourhood(history, "org:orphelin")


def test_partners_near(history):
    now = partners_near(history, commune="commune:59350", radius_km=100, limit=50)
    assert "org:nouvelle" in _ids(now.items) and "org:orphelin" not in _ids(now.items)
    with _at(BETWEEN):
        then = partners_near(history, commune="commune:59350", radius_km=100, limit=50)
    assert "org:orphelin" in _ids(then.items) and "org:nouvelle" not in _ids(then.items)
    assert now.total == then.total  # one in, one out
    with _at(BEFORE):
        before = partners_near(history, commune="commune:59350", radius_km=100, limit=50)
    assert before.total == then.total - 1
    # a need reached only through a retired RELAYS: not now
    filtered = partners_near(history, commune="commune:59350", radius_km=100,
                             need="need:tresorerie")
    assert "org:roubaix-asso" not in _ids(filtered.items)
    with _at(BETWEEN):
        filtered = partners_near(history, commune="commune:59350", radius_km=100,
                                 need="need:tresorerie")
    assert "org:roubaix-asso" in _ids(filtered.items)


def test_connectors(history):
    now = connectors(history, "programme:national", "departement:59")
    assert _ids(now.items) == {"org:dunkerque-entreprise", "org:nouvelle"}
    with _at(BETWEEN):
        then = connectors(history, "programme:national", "departement:59")
    assert _ids(then.items) == {"org:dunkerque-entreprise", "org:roubaix-asso"}


def test_paths(history):
    now = paths(history, "org:rameau", "org:mediateur")
    assert now.length == 2  # through space:a, the partnership is retired
    with _at(BETWEEN):
        assert paths(history, "org:rameau", "org:mediateur").length == 1
    with pytest.raises(NotFoundError):
        paths(history, "org:rameau", "org:orphelin")


def test_stats(history):
    now = stats(history)
    with _at(BETWEEN):
        then = stats(history)
    with _at(BEFORE):
        before = stats(history)
    assert now.labels["Organisation"] == then.labels["Organisation"] == 8
    assert before.labels["Organisation"] == 7
    assert now.labels["Programme"] == 3 and then.labels["Programme"] == 4
    assert now.relationships["PARTNERS_WITH"] == 1 and then.relationships["PARTNERS_WITH"] == 1
    assert now.relationships["RELAYS"] == 1  # Nouvelle Fabrique's; Roubaix's is retired
    assert now.relationships["COVERS"] == 3 and then.relationships["COVERS"] == 4


def test_stats_are_kept_until_the_graph_changes(history):
    first = stats(history)
    assert stats(history) is first  # kept: the graph did not change
    with _at(BETWEEN):
        assert stats(history) is not first  # another instant, another answer
    # retiring is a write that changes no count of the count store: the key still moves
    history.execute_query("MATCH (o:Organisation {id: 'org:nouvelle'}) "
                          "SET o.retired_at = datetime()")
    assert stats(history).labels["Organisation"] == first.labels["Organisation"] - 1


def test_programmes_gaps_and_choices(history):
    def programme_ids(answer):
        return {p.id for g in answer.groups for p in g.programmes}

    assert "programme:paris" not in programme_ids(programmes_of_territory(history, "75056"))
    with _at(T0):
        assert "programme:paris" in programme_ids(programmes_of_territory(history, "75056"))
    assert "programme:paris" not in {c.id for c in programme_choices(history)}
    with _at(T0):
        covered = {g.id for g in gaps(history, "75056", scope="all").gaps}
    assert "need:mobilite" not in covered  # Paris relance addressed it then
    assert "need:mobilite" in {g.id for g in gaps(history, "75056", scope="all").gaps}


def test_dialogue_spaces_and_organisations(history):
    spaces = {s.id: s for s in dialogue_spaces(history).spaces}
    assert spaces["space:b"].member_count == 3
    with _at(BETWEEN):
        assert {s.id: s for s in dialogue_spaces(history).spaces}["space:b"].member_count == 2
    # Nord: Nouvelle Fabrique in, Orphelin out (first seen at T0: not there before)
    now = {o.id for o in list_organisations(history, territory="59").items}
    with _at(BETWEEN):
        then = {o.id for o in list_organisations(history, territory="59").items}
    with _at(BEFORE):
        before = {o.id for o in list_organisations(history, territory="59").items}
    assert now - then == {"org:nouvelle"} and then - now == {"org:orphelin"}
    assert then - before == {"org:orphelin"} and len(before) == 4


def test_exports(history):
    now = {n.id for n in export_graph(history).nodes}
    assert "org:nouvelle" in now and "org:orphelin" not in now
    assert "programme:paris" not in now and "commune:75056" in now  # Paris still has orgs
    with _at(BETWEEN):
        then = export_graph(history)
    assert "org:orphelin" in {n.id for n in then.nodes}
    assert ("org:rameau", "org:mediateur") in {(e.source, e.target) for e in then.edges
                                               if e.type == "PARTNERS_WITH"}
    with interchange_reader(history) as reader:
        elements = {props["id"] for _, props in reader.elements()}
        links = {(t, a, b) for t, a, b, _, _ in reader.connections()}
    assert "org:orphelin" not in elements and "org:nouvelle" in elements
    assert ("PARTNERS_WITH", "org:rameau", "org:mediateur") not in links
    with _at(BETWEEN), interchange_reader(history) as reader:
        assert "org:orphelin" in {props["id"] for _, props in reader.elements()}
    drawn = territory_contents(history, "75056")
    assert "programme:paris" not in {p.id for p in drawn.programmes}


def test_analytics_are_kept_per_instant(history):
    now_key = graph_fingerprint(history)
    with _at(BETWEEN):
        then_key = graph_fingerprint(history)
        then = fetch_projection(history)
        then_communities = communities(history)
    assert now_key != then_key
    now = fetch_projection(history)
    assert "org:nouvelle" in now and "org:nouvelle" not in then
    assert now.has_edge("org:rameau", "org:nouvelle")
    assert not now.has_edge("org:rameau", "org:mediateur")
    assert then.has_edge("org:rameau", "org:mediateur")
    # the cached answer of the past is not the answer of now
    assert communities(history).fingerprint != then_communities.fingerprint


# --- the command line ---------------------------------------------------------------------


def test_the_command_line_takes_as_of(history):
    import json

    from typer.testing import CliRunner

    from cli.main import app

    def run(*args: str):
        return CliRunner().invoke(app, ["query", *args])

    now = json.loads(run("search", "orphelin", "--json").output)
    assert now["total"] == 0
    for when in ("imp-a", "2026-02-01", "2026-02-01T12:00", "2026-02-01T12:00:00Z"):
        result = run("search", "orphelin", "--json", "--as-of", when)
        assert result.exit_code == 0, result.output
        assert json.loads(result.output)["total"] == 1, when
    result = run("stats", "--as-of", "hier")
    assert result.exit_code == 1 and "is not a date, a time or an import id" in result.output
    result = run("stats", "--as-of", "imp-nope")
    assert result.exit_code == 1 and "imp-nope" in result.output
