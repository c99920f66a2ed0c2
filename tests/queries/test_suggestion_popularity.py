"""The popularity part of the suggestions' score, on tiny graphs worked out by hand."""

import math

import networkx as nx
import pytest

from queries.suggestion_score import PairEvidence, explain, rank_suggestions, score_pair
from queries.suggestion_weights import WEIGHTS, SuggestionWeights

ROUBAIX = (50.6942, 3.1746)


def _graph(partners: dict[str, int | None]) -> nx.Graph:
    g = nx.Graph()
    g.add_node("a", label="Organisation", kind="association", lat=ROUBAIX[0], lon=ROUBAIX[1])
    for node, count in partners.items():
        g.add_node(node, label="Organisation", kind="association", lat=ROUBAIX[0],
                   lon=ROUBAIX[1], partners=count)
    return g


def test_a_candidate_linked_to_many_ranks_first_all_else_equal():
    ranked = rank_suggestions(_graph({"b": 0, "c": 9, "d": None}), "a", radius_km=30)
    assert [e.b for e, _ in ranked] == ["c", "b", "d"]
    hub, alone, unknown = (p for _, p in ranked)
    # 0.3 × 1 × 1 × (1 + 0.3 ln 10)
    assert hub.popularity == pytest.approx(1 + WEIGHTS.popularity * math.log(10))
    assert hub.score == pytest.approx(WEIGHTS.base * hub.popularity)
    # none linked, or not known: the score as without the part
    assert alone.popularity == unknown.popularity == 1.0
    assert alone.score == pytest.approx(WEIGHTS.base)


def test_the_weight_sets_the_part():
    e = PairEvidence("a", "b", "association", "association", 0.0, False, 30.0, partners_b=4)
    assert score_pair(e, SuggestionWeights(popularity=0.0)).popularity == 1.0
    assert score_pair(e, SuggestionWeights(popularity=1.0)).popularity == pytest.approx(
        1 + math.log(5))


def test_the_explanation_names_it():
    e = PairEvidence("a", "b", "association", "entreprise", 8.2, False, 30.0, partners_b=12)
    assert explain(e) == ("rien en commun dans le graphe pour l'instant ; 8 km ; "
                          "association + entreprise (mondes associatif et économique) ; "
                          "déjà en lien avec 12 organisations")
    one = PairEvidence("a", "b", "association", "entreprise", 8.2, False, 30.0, partners_b=1)
    assert explain(one).endswith("déjà en lien avec 1 organisation")
