"""`alliance-graph query …`: Rich tables, --json, one-line errors (on the hand-made graph)."""

import json

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
        json.loads(json_result.output)


def test_errors_are_one_line_with_the_fix(graph):
    result = run("near", "--commune", "59512", "--role", "president")
    assert result.exit_code == 1
    assert "unknown role 'president'; use catalyst or relay" in result.output
    result = run("neighbourhood", "org:nobody")
    assert result.exit_code == 1 and "alliance-graph query search" in result.output


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
