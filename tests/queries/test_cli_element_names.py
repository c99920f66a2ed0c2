"""`alliance-graph query …` and `viz …` take an organisation or a programme by id, name or
alias (the hand-made graph of tests/queries/conftest.py): several of one name are numbered
candidates (exit 2), none its near misses (exit 1); never a silent pick."""

import json

from typer.testing import CliRunner

from cli.main import app
from graph.schema import refresh_fulltext

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, ["query", *args])


def test_connectors_by_programme_name(graph):
    by_id = json.loads(run("connectors", "-p", "programme:national", "-t", "59",
                           "--json").stdout)
    by_name = run("connectors", "-p", "plan national de relance associative", "-t", "59",
                  "--json")
    assert by_name.exit_code == 0, by_name.output
    assert json.loads(by_name.stdout) == by_id


def test_paths_and_neighbourhood_by_name_and_alias(graph):
    # "rameau" is an alias of Le RAMEAU in data/aliases.csv
    result = run("paths", "rameau", "Médiateur des entreprises", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["source"]["id"], data["target"]["id"]) == ("org:rameau", "org:mediateur")
    result = run("neighbourhood", "Fondation de Lille", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["centre"]["id"] == "org:lille-fondation"


def test_several_of_one_name_are_numbered_candidates_and_exit_2(graph):
    graph.execute_query("CREATE (:Organisation {id: 'org:rameau-bis', name: 'Le Rameau', "
                        "name_key: 'le_rameau', kind: 'entreprise'})")
    refresh_fulltext(graph)
    result = run("paths", "le rameau", "org:mediateur")
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert lines[0] == "error: 'le rameau' names 2 elements; ask again with one of these ids:"
    assert [line.split()[:2] for line in lines[1:]] == [["1.", "org:rameau"],
                                                         ["2.", "org:rameau-bis"]]


def test_none_of_that_name_lists_the_suggestions_and_exits_1(graph):
    result = run("connectors", "-p", "Plan national de relance asociative", "-t", "59")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert "did you mean" in lines[0]
    assert lines[1].split()[:2] == ["1.", "programme:national"]
    # an unknown id stays one line with the fix
    result = run("neighbourhood", "org:nobody")
    assert result.exit_code == 1 and "alliance-graph query search" in result.output


def test_viz_neighbourhood_by_name(graph, tmp_path):
    out = tmp_path / "rameau.html"
    result = runner.invoke(app, ["viz", "neighbourhood", "Le RAMEAU", "-o", str(out),
                                 "--json"])
    assert result.exit_code == 0, result.output
    assert out.exists()
    result = runner.invoke(app, ["viz", "neighbourhood", "Le RAMAEU", "-o", str(out)])
    assert result.exit_code == 1 and "org:rameau" in result.stderr
