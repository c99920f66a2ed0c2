"""`alliance-graph query …`: Rich tables, --json, one-line errors (on the hand-made graph)."""

import json
import re

from typer.testing import CliRunner

from cli.main import app

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, ["query", *args])


def test_connectors_table_and_json(graph):
    result = run("connectors", "--programme", "programme:national", "--territory", "59")
    assert result.exit_code == 0, result.output
    assert "Association Roubaix" in result.output and "1–2 of 2" in result.output
    data = json.loads(run("connectors", "-p", "programme:national", "-t", "59",
                          "--json").output)
    assert data["total"] == 2
    assert data["items"][0]["paths"][0]["nodes"][-1]["id"] == "departement:59"


def test_near_from_a_commune_and_a_point(graph):
    data = json.loads(run("near", "--commune", "59512", "--radius", "30", "--role",
                          "catalyst", "--json").output)
    assert [i["organisation"]["id"] for i in data["items"]] == [
        "org:roubaix-asso", "org:tiers-lieu"]
    result = run("near", "--lat", "50.6292", "--lon", "3.0573", "--radius", "1")
    assert result.exit_code == 0 and "Fondation de Lille" in result.output


def test_every_question_answers(graph):
    for args in (["programmes", "59512"], ["gaps", "59"], ["gaps", "75", "--all"],
                 ["neighbourhood", "org:roubaix-asso", "--depth", "2", "--limit", "5"],
                 ["paths", "org:roubaix-asso", "org:mediateur", "--max-hops", "4"],
                 ["spaces"], ["search", "roubaix"], ["stats"], ["brokers", "--top", "3"],
                 ["communities"]):
        result = run(*args)
        assert result.exit_code == 0, (args, result.output)
        json_result = run(*args, "--json")
        assert json_result.exit_code == 0, (args, json_result.output)
        json.loads(json_result.stdout)  # a warning line may go to stderr


def test_errors_are_one_line_with_the_fix(graph):
    result = run("near", "--commune", "59512", "--role", "president")
    assert result.exit_code == 1
    assert "unknown role 'president'; use catalyst or relay" in result.output
    result = run("neighbourhood", "org:nobody")
    assert result.exit_code == 1 and "alliance-graph query search" in result.output


def test_a_territory_read_among_others_warns_on_one_line_and_answers(graph):
    from tests.territory_fixtures import create_territories

    create_territories(graph, ["commune:59100"])
    graph.execute_query("MATCH (b:Territory {id: 'commune:59100'}), "
                        "(d:Territory {id: 'departement:59'}) CREATE (b)-[:PART_OF]->(d)")
    result = run("programmes", "59100", "--json")
    assert result.exit_code == 0, result.output
    warning = ("warning: '59100' read as commune:59100 (Bousignies); it may also mean "
               "commune:59512 (Roubaix, postal code 59100)")
    assert result.stderr.strip() == warning
    data = json.loads(result.stdout)
    assert data["territory"]["id"] == "commune:59100"
    assert [m["id"] for m in data["territory"]["also_matches"]] == ["commune:59512"]
    table = run("near", "--commune", "59100", "--radius", "50")
    assert table.exit_code == 0 and table.stderr.strip() == warning
    assert "Bousignies" in table.stdout
    # one reading: no warning
    assert run("gaps", "59", "--json").stderr == ""
    # an arrondissement is its commune, with a note
    note = run("programmes", "75111")
    assert note.exit_code == 0
    assert note.stderr.strip() == "note: '75111' read as commune:75056 (Paris)"


def test_an_ambiguous_territory_lists_the_numbered_candidates_and_exits_2(graph):
    for args in (["programmes", "Saint-Denis"], ["gaps", "Saint-Denis"],
                 ["near", "--commune", "Saint-Denis"],
                 ["connectors", "-p", "programme:national", "-t", "Saint-Denis"]):
        result = run(*args)
        assert result.exit_code == 2, (args, result.output)
        lines = result.stderr.strip().splitlines()
        assert lines[0].startswith("error: 'Saint-Denis' names several territories")
        assert "Saint-Denis (93)" in lines[0]
        # numbered: id, name, département, population (most populous first)
        assert [re.sub(r"pop\. [\d,]+$", "pop. N", line) for line in lines[1:]] == [
            "  1. commune:97411  Saint-Denis  La Réunion (974)  pop. N",
            "  2. commune:93066  Saint-Denis  Seine-Saint-Denis (93)  pop. N",
            "  3. commune:11339  Saint-Denis  Aude (11)  pop. N",
            "  4. commune:30247  Saint-Denis  Gard (30)  pop. N",
        ], args


def test_an_unknown_territory_lists_the_suggestions_and_exits_1(graph):
    result = run("programmes", "Roubaiz")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines[0] == "error: no territory 'Roubaiz' in the reference; did you mean:"
    assert lines[1].startswith("  1. commune:59512  Roubaix  Nord (59)")
    assert len(lines) == 4
    uncovered = run("gaps", "975")
    assert uncovered.exit_code == 1 and "collectivité d'outre-mer" in uncovered.stderr
    wrong_level = run("near", "--commune", "59")
    assert wrong_level.exit_code == 1 and "not a commune" in wrong_level.stderr
    not_loaded = run("programmes", "Lyon")
    assert not_loaded.exit_code == 1
    assert "alliance-graph load territories" in not_loaded.stderr


def test_programmes_and_gaps_of_an_epci_say_what_is_covered_in_part(provence):
    result = run("programmes", "200054807")
    assert result.exit_code == 0, result.output
    assert "part only" in result.output  # in a narrow table cell: maybe wrapped
    assert "3 covering part only" in " ".join(result.output.split())
    data = json.loads(run("programmes", "200054807", "--json").output)
    assert [(p["territory"]["id"], p["communes_covered"], p["communes_total"])
            for p in data["partial"]] == [
        ("departement:13", 2, 4), ("departement:83", 1, 4), ("departement:84", 1, 4)]
    result = run("gaps", "200054807")
    assert result.exit_code == 0, result.output
    assert "covered in part by" in " ".join(result.output.split())
    data = json.loads(run("gaps", "200054807", "--json").output)
    assert {g["id"]: len(g["partial"]) for g in data["gaps"]} == {
        "need:emploi": 1, "need:mobilite": 1, "need:numerique": 1}


def _flat(result) -> str:
    return " ".join(result.output.split())


def test_tables_name_types_and_relationships_in_french_and_json_keeps_the_codes(graph):
    # the pages' words: kinds, labels, relationships read from the row's node
    connectors = run("connectors", "-p", "programme:national", "-t", "59")
    assert connectors.exit_code == 0, connectors.output
    flat = _flat(connectors)
    assert "Association" in flat and "→" in flat
    assert not re.search(r"\b(CARRIES|FUNDS|OPERATES|RELAYS|COVERS|ACTIVE_IN|LOCATED_IN)\b",
                         connectors.output), connectors.output
    data = json.loads(run("connectors", "-p", "programme:national", "-t", "59",
                          "--json").output)
    assert {r for i in data["items"] for r in i["relations"]} <= {
        "CARRIES", "FUNDS", "OPERATES", "RELAYS"}
    stats = run("stats")
    assert stats.exit_code == 0, stats.output
    assert "Besoin" in stats.output and "Organisation" in stats.output
    assert "Need" not in stats.output and "PARTNERS_WITH" not in stats.output
    assert "partenaire de" in stats.output
    data = json.loads(run("stats", "--json").output)
    assert "Need" in data["labels"] and "PARTNERS_WITH" in data["relationships"]
    hood = run("neighbourhood", "org:roubaix-asso", "--limit", "50")
    assert "Territoire" in hood.output or "Commune" in hood.output
    assert "Programme" in hood.output
