"""Neighbourhood, paths, dialogue spaces, search, stats — on the hand-made graph."""

import pytest

from queries import (
    InvalidParameter,
    NotFoundError,
    dialogue_spaces,
    neighbourhood,
    paths,
    search,
    stats,
)


def test_neighbourhood_depth_one(graph):
    page = neighbourhood(graph, "org:roubaix-asso")
    assert page.centre.label == "Organisation"
    assert page.total == 4
    assert [(i.node.id, i.distance) for i in page.items] == [
        ("need:benevolat", 1), ("need:numerique", 1), ("programme:national", 1),
        ("commune:59512", 1)]  # by name: Bénévolat, Inclusion…, Plan…, Roubaix
    assert {(e.type, e.target) for e in page.edges} == {
        ("EXPRESSES", "need:benevolat"), ("EXPRESSES", "need:numerique"),
        ("RELAYS", "programme:national"), ("LOCATED_IN", "commune:59512")}


def test_neighbourhood_depth_two_is_paged(graph):
    page = neighbourhood(graph, "org:roubaix-asso", depth=2, limit=5, offset=0)
    # 4 at distance 1; at distance 2: the EPCI, the département, the Roubaix programme
    # (from the commune), Le RAMEAU, the Dunkerque company, FR, the treasury need (from the
    # national programme) and the regional programme (from the numérique need)
    assert page.total == 12
    assert [i.distance for i in page.items] == [1, 1, 1, 1, 2]
    rest = neighbourhood(graph, "org:roubaix-asso", depth=2, limit=50, offset=4)
    assert {i.node.id for i in rest.items} == {
        "epci:200093201", "departement:59", "programme:roubaix", "org:rameau",
        "org:dunkerque-entreprise", "FR", "need:tresorerie", "programme:regional"}


def test_neighbourhood_of_a_territory_and_errors(graph):
    page = neighbourhood(graph, "departement:59", limit=2)
    # region, EPCI, three communes, the département's council
    assert page.total == 6 and len(page.items) == 2
    graph.execute_query("CREATE (:Need {id: 'need:alone', name: 'Seul'})")
    alone = neighbourhood(graph, "need:alone", depth=2)
    assert (alone.total, alone.items, alone.edges) == (0, [], [])
    with pytest.raises(NotFoundError):
        neighbourhood(graph, "org:nobody")
    with pytest.raises(InvalidParameter):
        neighbourhood(graph, "org:rameau", depth=4)


def test_paths_who_can_introduce_me(graph):
    answer = paths(graph, "org:roubaix-asso", "org:mediateur")
    assert answer.length == 3
    (path,) = answer.paths
    assert [n.id for n in path.nodes] == [
        "org:roubaix-asso", "programme:national", "org:rameau", "org:mediateur"]
    assert [r.type for r in path.relationships] == ["RELAYS", "CARRIES", "PARTNERS_WITH"]


def test_paths_all_shortest_and_limits(graph):
    answer = paths(graph, "org:lille-fondation", "org:nord-dept")
    assert answer.length == 2
    assert [[n.id for n in p.nodes] for p in answer.paths] == [
        ["org:lille-fondation", "programme:regional", "org:nord-dept"],
        ["org:lille-fondation", "space:b", "org:nord-dept"]]
    assert paths(graph, "org:roubaix-asso", "org:mediateur", max_hops=2).length is None
    assert paths(graph, "org:orphelin", "org:rameau").paths == []
    with pytest.raises(NotFoundError, match="org:nobody"):
        paths(graph, "org:nobody", "org:rameau")
    with pytest.raises(InvalidParameter):
        paths(graph, "org:rameau", "org:rameau")
    with pytest.raises(InvalidParameter):
        paths(graph, "org:rameau", "org:mediateur", max_hops=7)


def test_dialogue_spaces_members_and_overlap(graph):
    answer = dialogue_spaces(graph)
    a, b = answer.spaces
    assert (a.id, a.declared_count, a.member_count) == ("space:a", 21, 3)
    assert (b.id, b.declared_count, b.member_count) == ("space:b", 12, 2)
    roles = {m.organisation.id: m.roles for m in a.members}
    assert roles == {"org:rameau": ["copilot", "participant"], "org:mediateur": ["copilot"],
                     "org:lille-fondation": ["participant"]}
    (overlap,) = answer.overlaps
    assert (overlap.a, overlap.b, overlap.shared_count, overlap.jaccard) == (
        "space:a", "space:b", 1, 0.25)
    assert [o.id for o in overlap.shared] == ["org:lille-fondation"]
    assert len(dialogue_spaces(graph, members_limit=1).spaces[0].members) == 1


def test_search_ignores_accents_and_case(graph):
    hits = search(graph, "MEDIATEUR")
    assert [h.id for h in hits.items] == ["org:mediateur"]
    hits = search(graph, "roubaix")
    assert hits.total == 3
    assert {h.id for h in hits.items} == {"org:roubaix-asso", "commune:59512",
                                          "programme:roubaix"}
    assert hits.items[0].id == "commune:59512"  # the shortest name matches best
    assert [h.id for h in search(graph, "roubaix", labels=["organisation"]).items] == [
        "org:roubaix-asso"]
    # a prefix finds the word; the best-matching name comes first
    assert search(graph, "fond lil").items[0].id == "org:lille-fondation"
    assert search(graph, "zzzz").total == 0
    assert search(graph, "\U000a643a ?!").total == 0  # no word: nothing to look for
    with pytest.raises(InvalidParameter):
        search(graph, "x", labels=["planet"])


def test_stats(graph):
    answer = stats(graph)
    assert answer.labels["Organisation"] == 8
    assert answer.labels["Territory"] == 10
    assert answer.labels["Commune"] == 4
    assert answer.labels["Need"] == 5
    assert answer.relationships["PART_OF"] == 11
    assert answer.relationships["PARTNERS_WITH"] == 1
    assert answer.roles == {"relay": 1, "catalyst": 2}
    assert answer.kinds["association"] == 2 and answer.kinds["autre"] == 1
    assert answer.phases == {"relance": 2, "urgence": 2}
    assert [(c.territory.id, c.organisations) for c in answer.organisations_by_region] == [
        ("region:32", 4), ("region:11", 3)]
    assert [(c.territory.id, c.organisations)
            for c in answer.organisations_by_departement] == [
        ("departement:59", 4), ("departement:75", 3)]
