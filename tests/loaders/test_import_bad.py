"""Malformed files (tests/data/bad/): each gives its error, and the graph does not change.

The graph holds a few territories and one organisation before each load; a fingerprint
(counts and a checksum of every property) is compared before and after.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders.importer import load_paths
from tests.loaders.test_import import fingerprint, imp_graph  # noqa: F401 - fixture

BAD = Path(__file__).resolve().parents[1] / "data" / "bad"

CASES = {
    "missing_column.csv": 'missing_column.csv row 1, column "type": missing required column '
                          '"type" in a elements table (found: id, name, kind)',
    "unknown_type.csv": 'unknown_type.csv row 3, column "type": "Besoinn" is not a known type '
                        "(expected one of: Organisation, Programme, Need",
    "unknown_relationship.csv": 'row 2, column "type": "aime" is not a known relationship',
    "missing_element.csv": 'row 2, column "from": "Association Inconnue" is not an element of '
                           "this file nor of the graph",
    "forbidden_labels.csv": "FUNDS cannot join a Territory to a Territory",
    "forbidden_labels.xlsx": "forbidden_labels.xlsx [liens] row 2, column \"de\": FUNDS cannot "
                             "join a Need to a Programme",
    "duplicate_id.csv": 'row 3, column "id": duplicate id "x:1" with conflicting types: '
                        "Organisation on row 2, Programme here",
    "impossible_date.csv": 'row 2, column "start": "31/02/2020" is not a real date',
    "unknown_territory_code.csv": '"99999" is not a known territory: no commune has INSEE '
                                  "code or postal code '99999'",
    "ambiguous_territory.csv": '"Saint-Denis" names several territories: Saint-Denis '
                               "(commune:97411, La Réunion), Saint-Denis (commune:93066, "
                               "Seine-Saint-Denis), Saint-Denis (commune:11339, Aude), "
                               "Saint-Denis (commune:30247, Gard); write the id",
    "undecodable.csv": "undecodable bytes: byte 0x81 at offset 45 (line 3)",
    "empty.csv": "empty.csv: the file is empty",
    "header_only.csv": "has a header row but no data rows",
    "formula.csv": 'row 2, column "name": formula cells are not accepted',
    "formula.xlsx": 'formula.xlsx [elements] row 2, column "url": formula cells are not '
                    "accepted",
    "cypher_in_type.csv": "is not a known type",
    "cypher_in_relationship.csv": "is not a known relationship",
    "html_in_name.csv": 'row 2, column "name": names are plain text: remove the HTML markup',
    "huge_cell.csv": 'row 2, column "description": the cell is 20,000 characters long; '
                     "the limit is 10,000",
    "bad_kind.csv": '"multinationale" is not a known organisation kind',
    "javascript_url.csv": "only http and https links are accepted, not javascript:",
    "bad_siren.csv": '"123456789" is not a valid SIREN',
    "end_before_start.csv": "the end (2020-05-01) is before the start (2020-06-01)",
    "unrecognised_headers.csv": "cannot tell what the file holds from its headers (foo, bar)",
    "not_a_workbook.xlsx": "not a readable XLSX workbook",
    "nul_bytes.csv": "the file contains NUL bytes (line 2)",
    "inventaire_bad_type.csv": "an inventaire row is a need (Besoin) or a programme",
    "territory_as_element.csv": "cannot be imported as an element: territories come from",
    "part_of.csv": "PART_OF joins territories",
    "latitude_out_of_range.csv": "latitude 123.4 is outside [-90, 90]",
    "one_bad_row_among_good.csv": 'row 31, column "territoire": "Atlantis" is not a known '
                                  "territory; did you mean",
}


def test_there_are_at_least_20_bad_files():
    files = {p.name for p in BAD.iterdir() if p.is_file()}
    assert len(files) >= 20
    assert files == set(CASES), "every bad file has its expected error, and vice versa"


@pytest.fixture
def seeded(imp_graph):  # noqa: F811 - the fixture imported above
    with imp_graph.session() as s:
        s.run("CREATE (:Organisation {id: 'org:le-rameau', name: 'Le RAMEAU', "
              "name_key: 'le_rameau', kind: 'recherche', source: 'seed'})").consume()
    return imp_graph


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_file_is_rejected_and_changes_nothing(seeded, name):
    before = fingerprint(seeded)
    report = load_paths(seeded, [BAD / name])
    assert not report.ok
    (f,) = report.files
    assert f.status == "rejected"
    assert f.elements_written == 0 and f.connections_written == 0
    messages = [e.message for e in f.errors]
    assert any(CASES[name] in m for m in messages), messages
    for e in f.errors:
        assert e.file == name and "\n" not in e.message
    assert fingerprint(seeded) == before


def test_error_fields_name_file_row_column_value(seeded):
    report = load_paths(seeded, [BAD / "unknown_type.csv"])
    (err,) = report.files[0].errors
    assert (err.file, err.row, err.column, err.value) == ("unknown_type.csv", 3, "type",
                                                          "Besoinn")
    assert err.reason.startswith('"Besoinn" is not a known type')


def test_every_bad_row_is_reported_not_only_the_first(seeded, tmp_path):
    path = tmp_path / "many.csv"
    path.write_text("type,name,start\nBesoinn,A,\nOrganisation,B,31/02/2020\n"
                    "Organisation,=1+1,\n", encoding="utf-8")
    report = load_paths(seeded, [path])
    rows = sorted((e.row, e.column) for e in report.files[0].errors)
    assert rows == [(2, "type"), (3, "start"), (4, "name")]


def test_a_good_file_beside_a_bad_one_still_loads(seeded, tmp_path):
    good = tmp_path / "good.csv"
    good.write_text("type,name\nOrganisation,Bonne Asso\n", encoding="utf-8")
    report = load_paths(seeded, [good, BAD / "unknown_type.csv"])
    assert not report.ok
    assert [f.status for f in report.files] == ["loaded", "rejected"]


def test_connections_to_a_rejected_file_are_errors_too(seeded, tmp_path):
    elements = tmp_path / "elements.csv"
    elements.write_text("type,name\nOrganisation,Alpha\nBesoinn,Beta\n", encoding="utf-8")
    links = tmp_path / "links.csv"
    links.write_text("from,to,type\nAlpha,Le RAMEAU,partenaire\n", encoding="utf-8")
    before = fingerprint(seeded)
    report = load_paths(seeded, [elements, links])
    assert [f.status for f in report.files] == ["rejected", "rejected"]
    assert "which was rejected" in report.files[1].errors[0].message
    assert fingerprint(seeded) == before
