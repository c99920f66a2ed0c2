"""`alliance-graph export DIR`: interchange files that `alliance-graph load DIR` takes back
into an empty database with the same facts' hash; what the format cannot carry is said;
the export command's other formats are as they were."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from cli.main import app
from graph.fact_hash import fact_digest, fact_hash
from loaders.curated import load_curated
from loaders.generate import generate, load_places, write_ecosystem
from loaders.importer import load_paths
from loaders.territories import load_territories
from tests.conftest import empty_graph
from tests.shipped_fixtures import SHIPPED_TERRITORIES, write_reference_subset

#: every column and kind of value the importer writes: an explicit location, SIREN, RNA,
#: aliases, audience, count, dates, a need's territories, a person's role, an inventaire
EXTRA_ELEMENTS = (
    "id;type;name;kind;roles;territory;lat;lon;description;url;tags;start;end;source;siren;"
    "rna;aliases;count;audience\n"
    'org:atelier;Association;Atelier du Nord;;catalyseur;59512;50,6942;3,17456;"Ligne 1\n'
    'ligne 2 : « guillemets »";www.atelier.example;"numérique; inclusion";01/02/2020;;doc A;;'
    'W595012345;L\'Atelier;12;"jeunes; seniors"\n'
) + """\
org:fonds;Organisation;Fonds Exemple;fondation;relais;;;;;;;;;doc B;552100554;;;;
need:mobilite;Besoin;Mobilité rurale;mobilité;;"Nord; Lille";;;;;transport;;;doc C;;;;;
person:dupont;Personne;Jeanne Dupont;Présidente;;;;;;;;;;doc D;;;;;
"""
EXTRA_CONNECTIONS = """\
de;à;relation;rôle;date;début;fin;source
person:dupont;org:atelier;dirige;présidente;2020-03-01;2020-01-01;2021-12-31;doc D
org:fonds;org:atelier;membre de;;;;;
org:atelier;59350;actif dans;antenne;;;;doc A
"""
INVENTAIRE = (
    "type;titre;porteur;partenaires;territoire;public;thématique;date;lien\n"
    'Programme de relance;Relance solidaire;Fonds Exemple;"Atelier du Nord, Collectif Neuf";'
    'Nord;associations;"relance; emploi";15/06/2020;https://relance.example\n'
)


def _fill(db, tmp_path) -> str:
    """Territories, the curated dataset, a generated ecosystem and the extra rows above."""
    reference = tmp_path / "reference.jsonl.gz"
    write_reference_subset(reference, SHIPPED_TERRITORIES)
    assert load_territories(db, reference).nodes > 10
    assert load_curated(db).ok
    eco = generate(load_places(reference), 150, seed=3)
    files = list(write_ecosystem(eco, tmp_path / "eco"))
    extra = tmp_path / "extra"
    extra.mkdir()
    for name, text in (("elements.csv", EXTRA_ELEMENTS), ("connections.csv", EXTRA_CONNECTIONS),
                       ("inventaire.csv", INVENTAIRE)):
        (extra / name).write_text(text, encoding="utf-8")
    report = load_paths(db, [*files, *sorted(extra.iterdir())])
    assert report.ok, [e.message for e in report.errors]
    return fact_hash(db)


def test_export_then_load_into_an_empty_database_gives_the_same_facts(db, tmp_path):
    before = _fill(db, tmp_path)
    counts = fact_digest(db)
    out = tmp_path / "export"
    result = CliRunner().invoke(app, ["export", str(out), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["warnings"] == []
    assert sorted(p.name for p in out.iterdir()) == ["connections.csv", "elements.csv",
                                                      "territories.jsonl.gz"]
    assert summary["territories"] == len(write_reference_subset(tmp_path / "t.gz",
                                                                SHIPPED_TERRITORIES))
    assert summary["elements"] + summary["territories"] == counts.nodes

    empty_graph(db)
    result = CliRunner().invoke(app, ["load", str(out)])
    assert result.exit_code == 0, result.output
    assert fact_hash(db) == before
    # the files read as French Excel writes them: ";" and a byte-order mark
    assert (out / "elements.csv").read_bytes().startswith(b"\xef\xbb\xbfid;type;name;")


def test_the_export_says_what_the_format_cannot_carry(db, tmp_path):
    db.execute_query(
        "CREATE (:Organisation {id: 'org:a', name: 'A', source: 's', score: 0.5, "
        "aliases: ['A, dite la Première']}) "
        "CREATE (:Organisation {id: 'org:b', name: 'B', source: 's'})")
    result = CliRunner().invoke(app, ["export", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "element property 'score': no column holds it (1)" in text
    assert "list items containing ; , | or a line break" in text
    assert "0 territories" in text and not (tmp_path / "out" / "territories.jsonl.gz").exists()


def test_the_export_command_keeps_its_other_formats(db, tmp_path):
    db.execute_query("CREATE (:Organisation {id: 'org:a', name: 'A', source: 's'})")
    graphml = tmp_path / "g.graphml"
    result = CliRunner().invoke(app, ["export", "-o", str(graphml)])
    assert result.exit_code == 0, result.output
    assert graphml.read_text().startswith("<?xml")
    assert CliRunner().invoke(app, ["export"]).exit_code == 2
    both = CliRunner().invoke(app, ["export", str(tmp_path / "d"), "-o", str(graphml)])
    assert both.exit_code == 2 and "not both" in both.output
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "mine.csv").write_text("x\n")
    refused = CliRunner().invoke(app, ["export", str(busy)])
    assert refused.exit_code == 2 and "mine.csv" in refused.output
    as_option = CliRunner().invoke(app, ["export", "--format", "interchange", "-o",
                                         str(tmp_path / "opt")])
    assert as_option.exit_code == 0 and (tmp_path / "opt" / "elements.csv").exists()
