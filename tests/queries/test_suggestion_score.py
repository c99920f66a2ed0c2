"""The alliance suggestions' score and explanation, on tiny graphs whose answer is worked
out by hand (pure functions: no Neo4j)."""

import math

import networkx as nx
import pytest

from queries.suggestion_score import (
    PairEvidence,
    Shared,
    complementarity,
    distance_km,
    explain,
    pair_evidence,
    proximity,
    rank_suggestions,
    score_pair,
)
from queries.suggestion_weights import WEIGHTS, SuggestionWeights

#: Roubaix, Lille (≈ 11 km away) and Dunkerque (≈ 65 km from Lille)
ROUBAIX = (50.6942, 3.1746)
LILLE = (50.6292, 3.0573)
DUNKERQUE = (51.0343, 2.3768)


def org(graph, node, kind, at=ROUBAIX, roles=(), acts_here=False, name=None, degree=None):
    graph.add_node(node, label="Organisation", kind=kind, name=name or node,
                   lat=at[0] if at else None, lon=at[1] if at else None, roles=tuple(roles),
                   acts_here=acts_here, degree=degree)


def thing(graph, node, label, degree=None, name=None):
    graph.add_node(node, label=label, name=name or node, degree=degree)


def link(graph, a, b, rel="EXPRESSES"):
    graph.add_edge(a, b, rels=((rel, a),))


def test_distance_is_neo4js():
    # Roubaix–Lille ≈ 11 km (tests/queries/test_suggestions.py checks it against
    # Neo4j's point.distance)
    assert distance_km(*ROUBAIX, *LILLE) == pytest.approx(10.99, abs=0.01)
    assert distance_km(*ROUBAIX, *ROUBAIX) == 0


def test_an_existing_partner_is_never_suggested():
    g = nx.Graph()
    org(g, "a", "association")
    org(g, "p", "entreprise")
    org(g, "q", "entreprise")
    thing(g, "need:x", "Need")
    for o in ("a", "p", "q"):
        link(g, o, "need:x")
    link(g, "a", "p", "PARTNERS_WITH")
    ranked = [e.b for e, _ in rank_suggestions(g, "a", radius_km=30)]
    assert ranked == ["q"]
    # a link of any type excludes the pair, and so does a steward's mark
    assert [e.b for e, _ in rank_suggestions(g, "a", radius_km=30, excluded={"q"})] == []


def test_a_person_is_never_suggested():
    g = nx.Graph()
    org(g, "a", "association")
    g.add_node("person:x", label="Person", name="X", lat=ROUBAIX[0], lon=ROUBAIX[1])
    thing(g, "need:x", "Need")
    link(g, "a", "need:x")
    link(g, "person:x", "need:x")
    assert rank_suggestions(g, "a", radius_km=30) == []


def test_the_other_world_ranks_above_the_same_world_all_else_equal():
    g = nx.Graph()
    org(g, "a", "association")
    org(g, "same", "fondation")      # associatif, like an association
    org(g, "other", "entreprise")    # économique
    org(g, "between", "recherche")   # intermédiaire
    thing(g, "need:x", "Need")
    for o in ("a", "same", "other", "between"):
        link(g, o, "need:x")
    ranked = rank_suggestions(g, "a", radius_km=30)
    assert [e.b for e, _ in ranked] == ["other", "between", "same"]
    scores = [p.score for _, p in ranked]
    # (0.3 + 1 / log 4) × 1 × (1.5, 1.2, 1.0): they differ by their worlds only
    base = 0.3 + 1 / math.log(4)
    assert scores == pytest.approx([base * 1.5, base * 1.2, base * 1.0])


def test_adamic_adar_prefers_a_rare_shared_need():
    g = nx.Graph()
    org(g, "a", "association")
    org(g, "rare", "entreprise")
    org(g, "common", "entreprise")
    thing(g, "need:rare", "Need", degree=2)
    thing(g, "need:common", "Need", degree=1000)  # a thousand organisations express it
    link(g, "a", "need:rare")
    link(g, "rare", "need:rare")
    link(g, "a", "need:common")
    link(g, "common", "need:common")
    (first, p1), (second, p2) = rank_suggestions(g, "a", radius_km=30)
    assert (first.b, second.b) == ("rare", "common")
    assert p1.shared == pytest.approx(1 / math.log(2))
    assert p2.shared == pytest.approx(1 / math.log(1000))


def test_distance_decays_to_a_quarter_at_the_radius():
    g = nx.Graph()
    org(g, "a", "association", at=ROUBAIX)
    org(g, "b", "entreprise", at=LILLE)
    e = pair_evidence(g, "a", "b", radius_km=e_km(g))
    assert proximity(e) == pytest.approx(0.25)
    half = PairEvidence("a", "b", "association", "entreprise", 15.0, False, 30.0)
    assert proximity(half) == pytest.approx(0.5)
    assert proximity(PairEvidence("a", "b", None, None, 0.0, False, 30.0)) == 1.0


def e_km(g):
    """The Roubaix–Lille distance: the radius that puts Lille exactly at its edge."""
    a, b = g.nodes["a"], g.nodes["b"]
    return distance_km(a["lat"], a["lon"], b["lat"], b["lon"])


def test_nearer_ranks_first_and_beyond_the_radius_only_national_actors_sharing_something():
    g = nx.Graph()
    org(g, "a", "association", at=ROUBAIX)
    org(g, "lille", "entreprise", at=LILLE)
    org(g, "dunkerque", "entreprise", at=DUNKERQUE)             # 65 km: beyond 30 km
    org(g, "paris", "entreprise", at=(48.8566, 2.3522), acts_here=True)  # national
    org(g, "far-national", "entreprise", at=(48.8566, 2.3522), acts_here=True)
    org(g, "roubaix", "entreprise", at=ROUBAIX)
    thing(g, "need:x", "Need")
    for o in ("a", "lille", "dunkerque", "paris", "roubaix"):
        link(g, o, "need:x")
    ranked = rank_suggestions(g, "a", radius_km=30)
    # "far-national" shares nothing: acting on the territory is not enough on its own;
    # Paris acts on the territory: no penalty, like next door (ties broken by distance)
    assert [e.b for e, _ in ranked] == ["roubaix", "paris", "lille"]
    assert ranked[0][1].score == pytest.approx(ranked[1][1].score)


def test_an_introducer_adds_the_introduction_part():
    g = nx.Graph()
    org(g, "a", "association")
    org(g, "b", "collectivite")
    org(g, "c", "collectivite")
    org(g, "relay", "association", at=(48.8566, 2.3522), roles=("relay",), name="Le RAMEAU")
    org(g, "stranger", "entreprise", at=(48.8566, 2.3522), name="Lointain")
    for x in ("a", "b"):
        link(g, "relay", x, "PARTNERS_WITH")
    for x in ("a", "c"):
        link(g, "stranger", x, "PARTNERS_WITH")
    ranked = dict((e.b, (e, p)) for e, p in rank_suggestions(g, "a", radius_km=30))
    # a relay far away introduces; an ordinary organisation 230 km away does not
    eb, pb = ranked["b"]
    ec, pc = ranked["c"]
    assert [s.id for s in eb.introducers] == ["relay"] and pb.introduction == 0.5
    assert ec.introducers == () and pc.introduction == 0
    assert pb.shared == pc.shared
    assert pb.score > pc.score
    assert "Le RAMEAU les connaît tous deux" in explain(eb)
    assert "Lointain les connaît tous deux" in explain(ec)


def test_the_explanation_names_each_part_of_the_score():
    e = PairEvidence("a", "b", "association", "collectivite", 8.4, False, 30.0,
                     (Shared("need:n", "Need", "Inclusion numérique", 3),
                      Shared("need:m", "Need", "Mobilité", 4),
                      Shared("programme:p", "Programme", "France Relance", 5),
                      Shared("space:s", "DialogueSpace", "Ingénieries territoriales", 6),
                      Shared("org:r", "Organisation", "Le RAMEAU", 9),
                      Shared("org:m", "Organisation", "Médiateur", 9)),
                     (Shared("org:r", "Organisation", "Le RAMEAU", 9),))
    assert explain(e) == (
        "partagent les besoins « Inclusion numérique » et « Mobilité » ; "
        "sont liés au programme « France Relance » ; "
        "participent à l'espace de dialogue « Ingénieries territoriales » ; "
        "8 km ; association + collectivité (mondes associatif et public) ; "
        "Le RAMEAU et Médiateur les connaissent tous deux")
    nothing = PairEvidence("a", "b", "association", "fondation", 0.4, False, 30.0)
    assert explain(nothing) == ("rien en commun dans le graphe pour l'instant ; "
                                "à moins d'1 km ; association + fondation "
                                "(même monde associatif)")
    national = PairEvidence("a", "b", "association", "etat", None, True, 30.0,
                            tuple(Shared(f"need:{i}", "Need", f"B{i}", 3) for i in range(5)))
    assert explain(national).startswith(
        "partagent les besoins « B0 », « B1 », « B2 » et 2 autres ; agit sur le territoire")
    assert "association + État (mondes associatif et public)" in explain(national)


def test_weights_are_in_one_place_and_change_the_score():
    e = PairEvidence("a", "b", "association", "entreprise", 0.0, False, 30.0,
                     (Shared("space:s", "DialogueSpace", "S", 2),))
    assert score_pair(e).shared == pytest.approx(WEIGHTS.space / math.log(2))
    heavier = SuggestionWeights(space=2.0)
    assert score_pair(e, heavier).shared == pytest.approx(2.0 / math.log(2))
    assert complementarity("association", "entreprise") == WEIGHTS.cross_world
    assert complementarity("association", "tete_de_reseau") == WEIGHTS.with_intermediary
    assert complementarity("collectivite", "etat") == WEIGHTS.same_world


def test_the_same_graph_gives_the_same_suggestions():
    def build(order):
        g = nx.Graph()
        org(g, "a", "association")
        for name in order:
            org(g, name, "entreprise", at=LILLE)
        return g

    first = rank_suggestions(build(["x", "y", "z"]), "a", radius_km=30)
    second = rank_suggestions(build(["z", "x", "y"]), "a", radius_km=30)
    assert [e.b for e, _ in first] == [e.b for e, _ in second] == ["x", "y", "z"]


def test_placed_nowhere():
    g = nx.Graph()
    org(g, "a", "association")
    org(g, "unplaced", "entreprise", at=None)
    org(g, "unplaced-sharing", "entreprise", at=None)
    thing(g, "need:x", "Need")
    link(g, "a", "need:x")
    link(g, "unplaced-sharing", "need:x")
    ranked = rank_suggestions(g, "a", radius_km=30)
    assert [e.b for e, _ in ranked] == ["unplaced-sharing"]
    assert ranked[0][1].proximity == WEIGHTS.unknown_distance
    assert "distance inconnue" in explain(ranked[0][0])
