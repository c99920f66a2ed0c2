"""`alliance-graph load` through Typer's CliRunner, against the test Neo4j."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from tests.loaders.test_import import ELEMENTS_CSV, TERRITORIES, count, fingerprint
from tests.territory_fixtures import create_territories

BAD = Path(__file__).resolve().parents[1] / "data" / "bad"
runner = CliRunner()


@pytest.fixture
def cli_graph(db):
    """An empty graph with the territories of test_import."""
    create_territories(db, TERRITORIES)
    return db


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_cli_loads_files_and_prints_a_report(cli_graph, tmp_path):
    path = _write(tmp_path, "elements.csv", ELEMENTS_CSV)
    result = runner.invoke(app, ["load", str(path)])
    assert result.exit_code == 0, result.output
    assert "elements.csv" in result.output and "chargé" in result.output
    assert "1 fichier (1 chargé), aucune erreur." in " ".join(result.output.split())
    assert count(cli_graph, "MATCH (o:Organisation) RETURN count(o)") == 3


def test_cli_json_report(cli_graph, tmp_path):
    path = _write(tmp_path, "elements.csv", ELEMENTS_CSV)
    result = runner.invoke(app, ["load", str(path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["ok"] is True
    assert data["files"][0]["elements_written"] == 5


def test_cli_rejected_file_exits_1_with_the_error_table(cli_graph):
    before = fingerprint(cli_graph)
    result = runner.invoke(app, ["load", str(BAD / "unknown_type.csv"), "--json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    (err,) = data["files"][0]["errors"]
    assert err == {"file": "unknown_type.csv", "sheet": None, "row": 3, "column": "type",
                   "value": "Besoinn", "code": "unknown_type", "reason": err["reason"],
                   "reason_en": err["reason_en"], "message": err["message"]}
    assert "is not a known type" in err["reason_en"]
    assert "n'est pas un type connu" in err["reason"]
    assert err["message"].startswith("unknown_type.csv, ligne 3, colonne « type » : ")
    # the stable values stay English for machines
    assert data["files"][0]["status"] == "rejected"
    result = runner.invoke(app, ["load", str(BAD / "unknown_type.csv")])
    assert result.exit_code == 1
    assert "Besoinn" in result.output and "rejeté" in result.output
    assert fingerprint(cli_graph) == before


def test_cli_dry_run_and_skip_invalid(cli_graph, tmp_path):
    path = _write(tmp_path, "mixed.csv", "type,name\nOrganisation,Bonne\nBesoinn,Mauvais\n")
    before = fingerprint(cli_graph)
    result = runner.invoke(app, ["load", str(path), "--dry-run", "--skip-invalid"])
    assert result.exit_code == 1
    assert fingerprint(cli_graph) == before
    rejects = tmp_path / "rejects"
    result = runner.invoke(app, ["load", str(path), "--skip-invalid", "--rejects",
                                 str(rejects)])
    assert result.exit_code == 1  # a row was rejected
    assert (rejects / "mixed.rejects.csv").exists()
    assert count(cli_graph, "MATCH (o:Organisation) RETURN count(o)") == 1


def test_cli_missing_file_is_one_line(cli_graph, tmp_path):
    result = runner.invoke(app, ["load", str(tmp_path / "nope.csv")])
    assert result.exit_code == 1
    assert "n'est pas un fichier" in result.output


def test_cli_load_territories_with_a_missing_file_is_one_line(tmp_path):
    result = runner.invoke(app, ["load", "territories", str(tmp_path / "nope.jsonl.gz")])
    assert result.exit_code == 1
    assert "n'existe pas" in result.output


def test_cli_loads_a_directory(cli_graph, tmp_path):
    _write(tmp_path, "elements.csv", ELEMENTS_CSV)
    result = runner.invoke(app, ["load", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["files"][0]["file"] == "elements.csv"


def test_cli_report_reads_in_french(cli_graph):
    # a file written in French with a typo: the reason, the accepted names and the fix
    result = runner.invoke(app, ["load", str(BAD / "type_en_francais_inconnu.csv")])
    assert result.exit_code == 1
    flat = " ".join(result.output.split())
    for words in ("rejeté", "1 erreur :", "type_en_francais_inconnu.csv, ligne 2, colonne "
                  "« Type » : « Besion » n'est pas un type connu. Types acceptés : organisation, "
                  "programme, besoin", "Vouliez-vous dire « besoin » ?",
                  "1 fichier (1 rejeté), 1 erreur.",
                  "Aucune ligne d'un fichier rejeté n'a été écrite."):
        assert words in flat, words
    for english in ("rejected", "error(s)", "is not a known type", "expected one of"):
        assert english not in flat, english


def test_cli_counts_agree_in_french(cli_graph, tmp_path):
    path = _write(tmp_path, "mixed.csv", "type,name\nOrganisation,Bonne\nBesoinn,Mauvais\n"
                                         "Besoinn,Pire\n")
    result = runner.invoke(app, ["load", str(path), "--skip-invalid", "--rejects",
                                 str(tmp_path / "rej")])
    flat = " ".join(result.output.split())
    assert "2 erreurs :" in flat and "1 fichier (1 chargé en partie), 2 erreurs." in flat
    rejects = (tmp_path / "rej" / "mixed.rejects.csv").read_text(encoding="utf-8-sig")
    assert "colonne « type » : « Besoinn » n'est pas un type connu." in rejects
