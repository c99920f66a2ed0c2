"""Alliance suggestions on the hand-made graph (tests/queries/conftest.py), against Neo4j.

For the Fondation de Lille (fondation, relay, Lille), within 30 km:

- the Département du Nord (collectivité, placed nowhere, ACTIVE_IN the Nord that holds
  Lille) carries the Fonds régional d'urgence she funds and sits with her in the space
  « Investissement sociétal »: both shared nodes have 2 organisations, so shared =
  (1 + 0.8) / log 2; acting on the territory, proximity 1; fondation + collectivité
  across worlds, × 1.5;
- the Association Roubaix Numérique (11 km) and the Tiers-lieu Mobile (its own location,
  ≈ 12 km) share nothing: 0.3 × 0.25^(d / 30), same world (associatif);
- Le RAMEAU and the Médiateur share the space « Ingénieries territoriales » but are in
  Paris, 204 km away, acting on no territory: not suggested; nor is the Dunkerque
  company (65 km, nothing shared) nor the Orphelin.
"""

import math

import pytest

from queries.errors import InvalidParameter, NotFoundError
from queries.suggestion_score import distance_km
from queries.suggestions import suggestions

LILLE = "org:lille-fondation"


def ids(page):
    return [s.organisation.id for s in page.items]


def test_suggestions_for_the_fondation_de_lille(graph):
    page = suggestions(graph, LILLE, radius_km=30)
    assert page.organisation.id == LILLE and page.organisation.roles == ["relay"]
    assert ids(page) == ["org:nord-dept", "org:roubaix-asso", "org:tiers-lieu"]
    assert page.total == 3
    nord = page.items[0]
    assert nord.score == pytest.approx((0.3 + 1.8 / math.log(2)) * 1.5, abs=1e-5)
    assert nord.parts.complementarity == 1.5 and nord.parts.proximity == 1.0
    assert nord.acts_here and nord.distance_km is None
    assert nord.worlds == ["associatif", "public"]
    assert [n.id for n in nord.shared] == ["programme:regional", "space:b"]
    assert nord.explanation == (
        "sont liés au programme « Fonds régional d'urgence » ; participent à l'espace de "
        "dialogue « Investissement sociétal » ; agit sur le territoire (pas de pénalité de "
        "distance) ; fondation + collectivité (mondes associatif et public)")
    # each shared node is proved by a path: asker → shared ← suggested, as stored
    first = nord.paths[0]
    assert [n.id for n in first.nodes] == [LILLE, "programme:regional", "org:nord-dept"]
    assert [(r.type, r.source, r.target) for r in first.relationships] == [
        ("FUNDS", LILLE, "programme:regional"), ("CARRIES", "org:nord-dept",
                                                 "programme:regional")]
    roubaix = page.items[1]
    assert roubaix.parts.shared == 0 and roubaix.worlds == ["associatif", "associatif"]
    assert roubaix.explanation.startswith("rien en commun dans le graphe pour l'instant ; "
                                          "11 km ; fondation + association")


def test_python_distances_are_neo4js(graph):
    page = suggestions(graph, LILLE, radius_km=30)
    records, _, _ = graph.execute_query(
        "MATCH (a:Organisation {id: $a}), (b:Organisation {id: 'org:roubaix-asso'}) "
        "RETURN point.distance(a.location, b.location) / 1000.0 AS d, "
        "a.location.latitude AS la, a.location.longitude AS lo, "
        "b.location.latitude AS lb, b.location.longitude AS ob", a=LILLE)
    r = records[0]
    assert page.items[1].distance_km == pytest.approx(r["d"], abs=1e-3)
    assert distance_km(r["la"], r["lo"], r["lb"], r["ob"]) == pytest.approx(r["d"], abs=1e-6)


def test_a_wider_radius_takes_the_far_ones_in(graph):
    # 250 km: Paris (204 km) is in; Le RAMEAU and the Médiateur share a space with her
    page = suggestions(graph, LILLE, radius_km=250)
    assert set(ids(page)) == {"org:nord-dept", "org:roubaix-asso", "org:tiers-lieu",
                              "org:rameau", "org:mediateur", "org:dunkerque-entreprise",
                              "org:orphelin"}
    rameau = next(s for s in page.items if s.organisation.id == "org:rameau")
    assert [n.id for n in rameau.shared] == ["space:a"]
    assert "participent à l'espace de dialogue « Ingénieries territoriales »" in (
        rameau.explanation)


def test_existing_links_retired_facts_and_people(graph):
    graph.execute_query("""
        MATCH (lf:Organisation {id: 'org:lille-fondation'}),
              (ra:Organisation {id: 'org:roubaix-asso'}),
              (tl:Organisation {id: 'org:tiers-lieu'}), (sb:DialogueSpace {id: 'space:b'})
        CREATE (ra)-[:MEMBER_OF]->(lf)
        SET tl.retired_at = datetime()
        CREATE (p:Person {id: 'person:x', name: 'Élue', location: lf.location})
        CREATE (p)-[:COPILOTS]->(sb)""")
    # a link of any type, either way, excludes the pair; a retired organisation is gone;
    # a person is never suggested
    assert ids(suggestions(graph, LILLE, radius_km=30)) == ["org:nord-dept"]
    # a retired relationship is no link: the pair comes back, and a retired link to a
    # shared node shares nothing
    graph.execute_query("""
        MATCH (:Organisation {id: 'org:roubaix-asso'})-[r:MEMBER_OF]->()
        SET r.retired_at = datetime()
        WITH 1 AS one
        MATCH (:Organisation {id: 'org:nord-dept'})-[q:PARTICIPATES_IN]->()
        SET q.retired_at = datetime()""")
    page = suggestions(graph, LILLE, radius_km=30)
    assert ids(page) == ["org:nord-dept", "org:roubaix-asso"]
    assert [n.id for n in page.items[0].shared] == ["programme:regional"]


def test_the_same_graph_gives_the_same_suggestions(graph):
    first = suggestions(graph, LILLE, radius_km=100)
    assert suggestions(graph, LILLE, radius_km=100) == first
    paged = suggestions(graph, LILLE, radius_km=100, limit=2, offset=1)
    assert ids(paged) == ids(first)[1:3] and paged.total == first.total


def test_errors(graph):
    with pytest.raises(NotFoundError):
        suggestions(graph, "org:nobody")
    with pytest.raises(InvalidParameter):
        suggestions(graph, LILLE, radius_km=0)
    with pytest.raises(InvalidParameter):
        suggestions(graph, LILLE, limit=-1)


def test_the_command_line(graph):
    import json

    from typer.testing import CliRunner

    from cli.main import app

    runner = CliRunner()
    result = runner.invoke(app, ["query", "suggest", "Fondation de Lille", "--radius", "30"])
    assert result.exit_code == 0, result.output
    assert "Pistes d'alliance pour Fondation de Lille (rayon 30 km)" in result.output
    assert "Département du Nord" in result.output and "3 pistes" in result.output
    data = json.loads(runner.invoke(app, ["query", "suggest", LILLE, "--json", "--limit",
                                          "1"]).stdout)
    assert data["total"] == 3 and data["items"][0]["organisation"]["id"] == "org:nord-dept"
    result = runner.invoke(app, ["query", "suggest", LILLE, "--radius", "0"])
    assert result.exit_code == 2
    result = runner.invoke(app, ["query", "suggest", "org:nobody"])
    assert result.exit_code != 0 and "Traceback" not in result.output


def test_a_stewards_mark_excludes_the_pair_both_ways(graph):
    from loaders.suggestion_marks import mark_pair, unmark_pair

    mark = mark_pair(graph, "org:nord-dept", LILLE, "en_contact", by="Camille",
                     note="rencontrées au forum")
    assert mark["id"] == "mark:org:lille-fondation|org:nord-dept"
    page = suggestions(graph, LILLE, radius_km=30)
    assert ids(page) == ["org:roubaix-asso", "org:tiers-lieu"]
    assert [(m.organisation.id, m.organisation.name, m.verdict, m.by, m.note)
            for m in page.marked] == [("org:nord-dept", "Département du Nord", "en_contact",
                                       "Camille", "rencontrées au forum")]
    # from the other side too; a second mark replaces the first
    assert LILLE not in ids(suggestions(graph, "org:nord-dept", radius_km=30))
    mark_pair(graph, LILLE, "org:nord-dept", "pas_pertinent")
    assert [m.verdict for m in suggestions(graph, LILLE).marked] == ["pas_pertinent"]
    records, _, _ = graph.execute_query("MATCH (m:SuggestionMark) RETURN count(m) AS n")
    assert records[0]["n"] == 1
    # unmarked, the pair is suggested again
    assert unmark_pair(graph, "org:nord-dept", LILLE) is True
    assert unmark_pair(graph, "org:nord-dept", LILLE) is False
    assert ids(suggestions(graph, LILLE, radius_km=30))[0] == "org:nord-dept"
    # an unknown organisation writes nothing; a pair with itself is refused
    assert mark_pair(graph, LILLE, "org:nobody", "en_contact") is None
    with pytest.raises(ValueError):
        mark_pair(graph, LILLE, LILLE, "en_contact")
    with pytest.raises(ValueError):
        mark_pair(graph, LILLE, "org:nord-dept", "maybe")
