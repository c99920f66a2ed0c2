"""Territory cells of imported files, read by the one parser, against a real Neo4j.

What loaded before still loads the same; a default reading loads with one summary warning
per column; a notice (arrondissement, former commune) the same; an ambiguous, unknown or
uncovered cell is a row error naming the candidates; an id that the parser knows but the
graph does not (territories not loaded) says to load them.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from cli.main import app
from loaders.importer import load_paths, load_sources
from tests.loaders.test_import import count, csv_source, fingerprint
from tests.territory_fixtures import create_territories

TERRITORIES = (
    "FR", "region:11", "region:32", "region:76", "region:84", "region:93", "region:94",
    "departement:01", "departement:11", "departement:2A", "departement:30", "departement:32",
    "departement:59", "departement:74", "departement:75", "departement:93",
    "departement:974", "epci:200093201", "commune:01053", "commune:11339", "commune:2A004",
    "commune:30247", "commune:59100", "commune:59350", "commune:59512", "commune:74010",
    "commune:75056", "commune:93066", "commune:97411",
)


@pytest.fixture
def terr_graph(db):
    create_territories(db, TERRITORIES)
    return db


def _territories_of(driver) -> dict[str, list[str]]:
    """Organisation or programme name → the ids of the territories it is linked to."""
    with driver.session() as session:
        rows = session.run(
            "MATCH (o)-[:ACTIVE_IN|LOCATED_IN|COVERS]->(t:Territory) "
            "RETURN o.name AS name, t.id AS id ORDER BY name, id").data()
    out: dict[str, list[str]] = {}
    for r in rows:
        out.setdefault(r["name"], []).append(r["id"])
    return out


def _rows(cells: list[str], column: str = "territoire") -> str:
    lines = [f"type,nom,{column}"]
    lines += [f'Organisation,Org {i},"{cell}"' for i, cell in enumerate(cells, start=1)]
    return "\n".join(lines) + "\n"


def test_every_reference_that_loaded_before_loads_the_same(terr_graph):
    cells = {
        "dep:59": "departement:59", "reg:32": "region:32", "region:32": "region:32",
        "Saint-Denis (93)": "commune:93066", "Saint-Denis (Réunion)": "commune:97411",
        "national": "FR", "FR": "FR", "France": "FR", "59512": "commune:59512",
        "2A004": "commune:2A004", "1053": "commune:01053", "200093201": "epci:200093201",
        "Hauts-de-France": "region:32", "hauts de france": "region:32",
        "Ile-de-France": "region:11", "Île-de-France": "region:11", "ROUBAIX": "commune:59512",
        "commune:59350": "commune:59350", "Nord": "departement:59",
    }
    report = load_sources(terr_graph, [csv_source("t.csv", _rows(list(cells)))])
    assert report.ok, [e.message for e in report.errors]
    assert report.files[0].warnings == []
    got = _territories_of(terr_graph)
    assert got == {f"Org {i}": [tid] for i, tid in enumerate(cells.values(), start=1)}
    # a commune gives LOCATED_IN, anything larger ACTIVE_IN
    assert count(terr_graph, "MATCH (:Organisation)-[:LOCATED_IN]->(:Commune) "
                 "RETURN count(*)") == 7


def test_a_default_reading_loads_with_one_warning_per_column(terr_graph):
    text = _rows(["59100", "32", "59100", "59512"])
    report = load_sources(terr_graph, [csv_source("t.csv", text)])
    assert report.ok, [e.message for e in report.errors]
    assert report.files[0].warnings[0].startswith(
        "colonne « territoire » : 3 cellules ont une autre lecture possible : « 59100 » "
        "(lignes 2 et 4) est lu comme Bousignies")
    assert report.files[0].warnings_en == [
        'column "territoire": 3 cells have another reading: "59100" (rows 2 and 4) read as '
        "Bousignies (commune:59100, Nord, INSEE code), also Roubaix (commune:59512, Nord, "
        'postal code); "32" (row 3) read as Gers (departement:32), also Hauts-de-France '
        "(region:32); the first reading is the one loaded; to mean another, write its id "
        "(e.g. commune:59512)"]
    assert _territories_of(terr_graph) == {
        "Org 1": ["commune:59100"], "Org 2": ["departement:32"], "Org 3": ["commune:59100"],
        "Org 4": ["commune:59512"]}


def test_arrondissements_and_former_communes_load_as_their_commune_with_a_notice(terr_graph):
    text = _rows(["75111", "Annecy-le-Vieux", "PACA", "Paris 11e"])
    report = load_sources(terr_graph, [csv_source("t.csv", text)])
    assert report.ok, [e.message for e in report.errors]
    (warning,) = report.files[0].warnings_en
    assert report.files[0].warnings[0].startswith(
        "colonne « territoire » : 3 cellules nomment une partie de commune ou une ancienne "
        "commune, chargée comme la commune : « 75111 » (ligne 2) est lu comme Paris")
    assert warning.startswith(
        'column "territoire": 3 cells name part of a commune or a former commune, read as the '
        'commune: "75111" (row 2) read as Paris (commune:75056, Paris): an arrondissement of '
        'Paris, which the reference counts as one commune; "Annecy-le-Vieux" (row 3) read as '
        "Annecy (commune:74010, Haute-Savoie): a former commune, now part of Annecy; ")
    assert _territories_of(terr_graph) == {
        "Org 1": ["commune:75056"], "Org 2": ["commune:74010"], "Org 3": ["region:93"],
        "Org 4": ["commune:75056"]}


BAD_ROWS = ["Roubaix", "Saint-Denis", "Roubaiz", "975", "", "32"]


def test_ambiguous_unknown_and_uncovered_cells_are_row_errors(terr_graph):
    before = fingerprint(terr_graph)
    report = load_sources(terr_graph, [csv_source("t.csv", _rows(BAD_ROWS))])
    assert not report.ok
    (f,) = report.files
    assert f.status == "rejected" and f.elements_written == 0
    assert {e.code for e in f.errors} == {"ambiguous_territory", "unknown_territory",
                                          "uncovered_territory"}
    french = {e.value: e.reason for e in f.errors}
    assert french["Roubaiz"].startswith("« Roubaiz » n'est pas un territoire connu. "
                                        "Vouliez-vous dire Roubaix (commune:59512, Nord)")
    assert french["Saint-Denis"].endswith("ou ajoutez le département entre parenthèses (par "
                                          "exemple « Saint-Denis (974) »).")
    errors = {(e.row, e.column, e.value): e.reason_en for e in f.errors}
    assert set(errors) == {(3, "territoire", "Saint-Denis"), (4, "territoire", "Roubaiz"),
                           (5, "territoire", "975")}
    assert errors[(3, "territoire", "Saint-Denis")] == (
        '"Saint-Denis" names several territories: Saint-Denis (commune:97411, La Réunion), '
        "Saint-Denis (commune:93066, Seine-Saint-Denis), Saint-Denis (commune:11339, Aude), "
        "Saint-Denis (commune:30247, Gard); write the id (e.g. commune:97411) or the "
        'département in brackets (e.g. "Saint-Denis (974)")')
    assert errors[(4, "territoire", "Roubaiz")].startswith(
        '"Roubaiz" is not a known territory; did you mean Roubaix (commune:59512, Nord), ')
    assert errors[(5, "territoire", "975")].startswith(
        "\"975\" is Saint-Pierre-et-Miquelon (975), a collectivité d'outre-mer that the "
        "territory reference does not cover")
    assert fingerprint(terr_graph) == before


def test_skip_invalid_loads_the_good_rows(terr_graph, tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(_rows(BAD_ROWS), encoding="utf-8")
    report = load_paths(terr_graph, [path], skip_invalid=True, rejects_dir=tmp_path)
    (f,) = report.files
    assert f.status == "partial" and f.rows_rejected == 3
    # the graph, not the report: the three good rows, the empty cell without a territory
    with terr_graph.session() as session:
        names = sorted(session.run("MATCH (o:Organisation) RETURN o.name AS n").value())
    assert names == ["Org 1", "Org 5", "Org 6"]
    assert _territories_of(terr_graph) == {"Org 1": ["commune:59512"],
                                           "Org 6": ["departement:32"]}
    rejects = (tmp_path / "t.rejects.csv").read_text(encoding="utf-8-sig")
    assert "Saint-Denis (commune:30247, Gard)" in rejects and "Roubaiz" in rejects
    assert any("another reading" in w for w in f.warnings_en)
    assert any("une autre lecture possible" in w for w in f.warnings)


def test_territories_missing_from_the_graph_say_to_load_them(terr_graph):
    # Lyon and the Var are read by the parser, but the fixture did not load them
    report = load_sources(terr_graph, [csv_source("t.csv", _rows(["Lyon", "83", "59512"]))])
    assert {e.code for e in report.files[0].errors} == {"territory_not_loaded"}
    assert {e.value: e.reason for e in report.files[0].errors}["83"] == (
        "« 83 » est Var (departement:83), qui n'est pas dans le graphe : chargez d'abord les "
        "territoires avec `alliance-graph load territories`.")
    errors = {e.value: e.reason_en for e in report.files[0].errors}
    assert errors == {
        "Lyon": '"Lyon" is Lyon (commune:69123, Rhône), which is not in the graph: load the '
                "territories first with `alliance-graph load territories`",
        "83": '"83" is Var (departement:83), which is not in the graph: load the territories '
              "first with `alliance-graph load territories`"}


def test_connections_and_inventaire_read_territories_the_same_way(terr_graph):
    elements = "type,name\nOrganisation,Alpha\n"
    conns = "from,to,type\nAlpha,59100,situé à\nAlpha,Saint-Denis,actif dans\n"
    inventaire = ("Type;Titre;Porteur;Territoire\n"
                  "Programme d'urgence;Fonds A;Alpha;32\n"
                  "Programme d'urgence;Fonds B;Alpha;Annecy-le-Vieux\n")
    report = load_sources(terr_graph, [csv_source("e.csv", elements),
                                       csv_source("c.csv", conns),
                                       csv_source("i.csv", inventaire)])
    by_file = {f.file: f for f in report.files}
    (err,) = by_file["c.csv"].errors
    assert (err.row, err.column) == (3, "to")
    assert err.reason_en.startswith('"Saint-Denis" names several territories')
    assert by_file["i.csv"].status == "loaded"
    assert by_file["i.csv"].warnings_en[0].startswith(
        'column "Territoire": 1 cell has another reading: "32" (row 2) read as Gers '
        "(departement:32), also Hauts-de-France (region:32)")
    assert by_file["i.csv"].warnings_en[1].startswith(
        'column "Territoire": 1 cell names part of a commune or a former commune')
    assert _territories_of(terr_graph) == {"Fonds A": ["departement:32"],
                                           "Fonds B": ["commune:74010"]}
    # with --skip-invalid the good connection lands, with its warning
    report = load_sources(terr_graph, [csv_source("c.csv", conns)], skip_invalid=True)
    (f,) = report.files
    assert f.status == "partial"
    assert f.warnings_en[0].startswith('column "to": 1 cell has another reading: "59100"')
    assert _territories_of(terr_graph)["Alpha"] == ["commune:59100"]


def test_the_cli_prints_the_warning(terr_graph, tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(_rows(["32"]), encoding="utf-8")
    result = CliRunner().invoke(app, ["load", str(path)])
    assert result.exit_code == 0, result.output
    flat = " ".join(result.output.split())
    assert ("attention t.csv : colonne « territoire » : 1 cellule a une autre lecture "
            "possible : « 32 » (ligne 2) est lu comme Gers (departement:32), mais peut aussi "
            "désigner Hauts-de-France (region:32)") in flat
