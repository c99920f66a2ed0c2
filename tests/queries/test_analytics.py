"""Brokers and communities: pure functions on tiny graphs, then the wrappers and cache."""

import networkx as nx

from queries import brokers, communities, community_membership
from queries.analytics import betweenness, louvain
from queries.projection import fetch_projection, graph_fingerprint


def test_the_centre_of_a_path_is_the_broker():
    scores, method, k = betweenness(nx.path_graph(5))
    assert method == "exact" and k is None
    assert max(scores, key=scores.get) == 2
    assert scores[2] == 4 / 6  # 4 of the 6 pairs of the other nodes pass through it
    assert scores[0] == 0


def test_sampled_betweenness_says_so_and_is_seeded():
    graph = nx.barbell_graph(10, 3)
    a, method, k = betweenness(graph, exact_threshold=5, samples=8, seed=1)
    b, _, _ = betweenness(graph, exact_threshold=5, samples=8, seed=1)
    assert method == "sampled" and k == 8 and a == b


def test_two_cliques_joined_by_a_bridge_are_two_communities():
    graph = nx.disjoint_union(nx.complete_graph(5), nx.complete_graph(5))
    graph.add_edge(0, 5)
    found, modularity = louvain(graph, seed=7)
    assert sorted(sorted(c) for c in found) == [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]]
    assert modularity > 0.4
    assert louvain(graph, seed=7) == (found, modularity)
    assert louvain(nx.Graph()) == ([], 0.0)


def test_projection_of_the_fixture(graph):
    g = fetch_projection(graph)
    # 8 organisations, the 2 programmes organisations touch, the 2 spaces
    assert g.number_of_nodes() == 12
    assert g.number_of_edges() == 11  # PARTICIPATES_IN and COPILOTS rameau→space:a: one edge
    assert g.nodes["space:a"]["label"] == "DialogueSpace"
    assert g.degree["org:orphelin"] == 0


def test_brokers_of_the_fixture(graph):
    # n = 12, so 55 pairs of other nodes. space:a is the only bridge between
    # {lille, space:b, regional, nord} and {rameau, mediateur, national, roubaix, dunkerque}:
    # 4 × 5 = 20. Lille: 3 × 6 = 18, plus half of space:b–regional (two shortest paths).
    # Le RAMEAU: {national, roubaix, dunkerque} × the 6 others = 18. The national
    # programme: roubaix–dunkerque and both × the 7 others = 15.
    answer = brokers(graph, organisations_only=False, top=3)
    assert answer.method == "exact" and answer.k is None
    assert [(b.id, b.score) for b in answer.items] == [
        ("space:a", round(20 / 55, 8)), ("org:lille-fondation", round(18.5 / 55, 8)),
        ("org:rameau", round(18 / 55, 8))]
    top_orgs = brokers(graph, top=2)
    assert [(b.id, b.score) for b in top_orgs.items] == [
        ("org:lille-fondation", round(18.5 / 55, 8)), ("org:rameau", round(18 / 55, 8))]
    assert top_orgs.cached  # the betweenness of the first call, same fingerprint


def test_zero_scores_are_counted_over_every_candidate_not_the_top(graph):
    everyone = brokers(graph, top=1000)
    zero = sum(1 for b in everyone.items if b.score == 0)
    assert zero > 0  # the fixture has organisations on no path between two others
    assert everyone.zero_scores == zero
    assert brokers(graph, top=1).zero_scores == zero


def test_sampled_brokers_say_so(graph):
    answer = brokers(graph, exact_threshold=5, samples=6, seed=3)
    assert answer.method == "sampled" and answer.k == 6
    assert "6 sources sampled" in answer.note


def test_cache_follows_the_graph(graph):
    first = communities(graph, seed=1)
    assert not first.cached
    assert communities(graph, seed=1).cached
    before = graph_fingerprint(graph)
    graph.execute_query("MATCH (a:Organisation {id: 'org:orphelin'}), "
                        "(b:Organisation {id: 'org:rameau'}) CREATE (a)-[:PARTNERS_WITH]->(b)")
    assert graph_fingerprint(graph) != before
    again = communities(graph, seed=1)
    assert not again.cached and again.edges == first.edges + 1


def test_communities_of_the_fixture(graph):
    answer = communities(graph, seed=1, members_limit=50)
    assert answer.nodes == 12
    members = [m.id for c in answer.items for m in c.members]
    assert sorted(members) == sorted(set(members)) and len(members) == 12
    sizes = [c.size for c in answer.items]
    assert sizes == sorted(sizes, reverse=True)
    # the two organisations without links are communities of their own
    singles = {c.members[0].id for c in answer.items if c.size == 1}
    assert {"org:orphelin", "org:tiers-lieu"} <= singles
    membership = community_membership(graph, seed=1)
    assert set(membership) == set(members)
    assert membership["org:roubaix-asso"] == membership["programme:national"]
    page = communities(graph, seed=1, limit=1, offset=1)
    assert page.total == answer.total and page.items[0].index == 1


def test_vectorised_brandes_matches_networkx():
    from queries.analytics import brandes_from_sources

    graph = nx.connected_watts_strogatz_graph(60, 4, 0.3, seed=5)
    graph.add_nodes_from(["isolated"])
    graph.add_edges_from([("a", "b"), ("b", "c")])  # a second component
    n = graph.number_of_nodes()
    exact = nx.betweenness_centrality(graph, normalized=False)
    mine = brandes_from_sources(graph, list(graph), batch=7)
    for node in graph:
        assert abs(mine[node] / 2 - exact[node]) < 1e-9, node  # both ends of each pair
    sources = list(graph)[:10]
    theirs = nx.betweenness_centrality_subset(graph, sources, list(graph), normalized=False)
    mine = brandes_from_sources(graph, sources)
    for node in graph:
        # networkx halves its undirected subset sums; ours keeps both ends, as above
        assert abs(mine[node] - 2 * theirs[node]) < 1e-9 or n < 3


def test_sampled_betweenness_scale_matches_networkx_on_all_sources():
    graph = nx.barbell_graph(6, 2)
    n = graph.number_of_nodes()
    exact = nx.betweenness_centrality(graph, normalized=True)
    every, method, k = betweenness(graph, exact_threshold=1, samples=n - 1, seed=0)
    assert method == "sampled" and k == n - 1
    # the bridge nodes stay on top, with scores of the exact order of magnitude
    top = sorted(every, key=every.get, reverse=True)[:2]
    assert set(top) == set(sorted(exact, key=exact.get, reverse=True)[:2])


def test_large_graphs_go_to_igraph_with_the_same_answer():
    graph = nx.disjoint_union(nx.complete_graph(5), nx.complete_graph(5))
    graph.add_edge(0, 5)
    graph.add_node("alone")
    found, modularity = louvain(graph, seed=7, networkx_max=1)  # forces igraph
    assert sorted(sorted(map(str, c)) for c in found) == [
        ["0", "1", "2", "3", "4"], ["5", "6", "7", "8", "9"], ["alone"]]
    assert louvain(graph, seed=7, networkx_max=1) == (found, modularity)
