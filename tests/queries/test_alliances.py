"""Coalitions for a territory and a need: pure functions on tiny graphs, then the
hand-made graph (tests/queries/conftest.py) against Neo4j.

In the Nord, around « Inclusion numérique »: the Association Roubaix Numérique expresses
it; the Fondation de Lille funds and the Département du Nord carries the Fonds régional
d'urgence that addresses it (the Département is active in the whole Nord: no distance
penalty). One coalition: association + fondation + collectivité; its weakest pair is
Roubaix–Lille, 11 km, nothing shared: 0.3 × 0.25^(11/30) × 1 ≈ 0.18. The Fonds régional
covers the Hauts-de-France: it could fund them.
"""

import networkx as nx
import pytest

from queries.alliances import alliances
from queries.coalition_score import missing_seats, rank_coalitions
from queries.errors import InvalidParameter
from tests.queries.test_suggestion_score import LILLE, ROUBAIX, link, org, thing


def test_one_per_seat_none_linked_weakest_pair_first():
    g = nx.Graph()
    org(g, "asso", "association", at=ROUBAIX)
    org(g, "asso2", "association", at=ROUBAIX)
    org(g, "boite", "entreprise", at=LILLE)
    org(g, "mairie", "collectivite", at=ROUBAIX)
    org(g, "reseau", "tete_de_reseau", at=LILLE, name="Réseau")
    thing(g, "need:x", "Need")
    for o in ("asso", "boite", "mairie"):
        link(g, o, "need:x")
    link(g, "asso2", "mairie", "PARTNERS_WITH")  # asso2 and the mairie are already linked
    link(g, "reseau", "asso", "MEMBER_OF")
    link(g, "reseau", "boite", "MEMBER_OF")
    pool = ["asso", "asso2", "boite", "mairie"]
    ranked = rank_coalitions(g, pool, radius_km=30)
    assert [c.members for c in ranked] == [("asso", "boite", "mairie")]
    c = ranked[0]
    # the weakest pair: boite–mairie, 11 km apart with only the need in common,
    # (0.3 + 1 / log 3) × 0.25^(11/30) × 1.5 ≈ 1.09; asso–mairie shares the need next door
    # (≈ 1.82), asso–boite the need and the network, which introduces them (≈ 2.84)
    assert {c.weakest[0].a, c.weakest[0].b} == {"boite", "mairie"}
    assert c.score == pytest.approx(1.09, abs=0.01)
    assert c.score == min(p.score for _, p in c.pairs)
    assert c.convener == "reseau"
    assert missing_seats(g, ["asso", "mairie"]) == ["moyens"]


def test_coalitions_of_the_nord_around_digital_inclusion(graph):
    page = alliances(graph, "59", need="need:numerique")
    assert page.territory.id == "departement:59"
    assert [n.name for n in page.needs] == ["Inclusion numérique"]
    assert page.total == 1 and page.missing == []
    c = page.items[0]
    assert [m.id for m in c.members] == ["org:roubaix-asso", "org:lille-fondation",
                                         "org:nord-dept"]
    assert c.worlds == ["associatif", "associatif", "public"]
    assert {c.weakest.a, c.weakest.b} == {"org:roubaix-asso", "org:lille-fondation"}
    assert c.score == pytest.approx(0.3 * 0.25 ** (10.994 / 30), abs=1e-3)
    assert [(f.programme.id, f.covers.id) for f in page.funding] == [
        ("programme:regional", "region:32")]
    assert c.explanation.startswith(
        "association Association Roubaix Numérique, fondation Fondation de Lille, "
        "collectivité Département du Nord ; lien le plus faible : Association Roubaix "
        "Numérique et Fondation de Lille ; ")
    assert c.weakest.explanation.startswith("rien en commun dans le graphe pour l'instant ; "
                                            "11 km ; association + fondation")
    assert c.explanation.endswith(
        "financement possible : « Fonds régional d'urgence » (couvre Hauts-de-France)")


def test_a_stewards_mark_breaks_the_coalition(graph):
    from loaders.suggestion_marks import mark_pair

    mark_pair(graph, "org:nord-dept", "org:roubaix-asso", "pas_pertinent")
    assert alliances(graph, "59", need="need:numerique").total == 0


def test_what_is_missing_is_said(graph):
    # around Mobilité in the Nord only the Dunkerque company expresses it; the Département
    # is there; no association
    page = alliances(graph, "59", need="need:mobilite")
    assert page.total == 0 and page.items == []
    assert page.missing == ["une association"]


def test_by_programme_and_errors(graph):
    page = alliances(graph, "59", programme="programme:regional")
    assert [n.id for n in sorted(page.needs, key=lambda n: n.id)] == [
        "need:numerique", "need:tresorerie"]
    assert page.programme.id == "programme:regional"
    with pytest.raises(InvalidParameter):
        alliances(graph, "59")
    with pytest.raises(InvalidParameter):
        alliances(graph, "59", need="need:numerique", programme="programme:regional")


def test_the_command_line(graph):
    import json

    from typer.testing import CliRunner

    from cli.main import app

    runner = CliRunner()
    result = runner.invoke(app, ["query", "alliances", "59", "--need", "Inclusion numérique"])
    assert result.exit_code == 0, result.output
    assert "1 coalition possible" in result.output
    data = json.loads(runner.invoke(app, ["query", "alliances", "59", "--need",
                                          "need:mobilite", "--json"]).stdout)
    assert data["missing"] == ["une association"]
    result = runner.invoke(app, ["query", "alliances", "59", "--need", "need:mobilite"])
    assert "Personne sur ce territoire ne peut tenir ces places : une association." in (
        result.output)
    assert runner.invoke(app, ["query", "alliances", "59"]).exit_code == 2
