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

#: file → (code, what the French message says, what the English message says)
CASES = {
    "missing_column.csv": (
        "missing_column",
        "missing_column.csv, ligne 1, colonne « type » : il manque la colonne obligatoire "
        "« type » (table d'éléments ; colonnes trouvées : id, name, kind).",
        'missing_column.csv row 1, column "type": missing required column "type" in a '
        "elements table (found: id, name, kind)"),
    "unknown_type.csv": (
        "unknown_type",
        "unknown_type.csv, ligne 3, colonne « type » : « Besoinn » n'est pas un type connu. "
        "Types acceptés : organisation, programme, besoin, espace de dialogue, livrable, "
        "étude, événement, personne",
        'unknown_type.csv row 3, column "type": "Besoinn" is not a known type (expected one '
        "of: Organisation, Programme, Need"),
    "unknown_relationship.csv": (
        "unknown_relationship",
        "ligne 2, colonne « type » : « aime » n'est pas un type de lien connu. Liens "
        "acceptés : porte, finance, opère",
        'row 2, column "type": "aime" is not a known relationship'),
    "missing_element.csv": (
        "unknown_element",
        "ligne 2, colonne « from » : « Association Inconnue » n'est ni un élément de ce "
        "chargement ni un élément du graphe",
        'row 2, column "from": "Association Inconnue" is not an element of this file nor of '
        "the graph"),
    "forbidden_labels.csv": (
        "relationship_not_allowed",
        "le lien « finance » ne peut pas relier « Territoire » à « Territoire » : il relie "
        "« Organisation » à « Programme ».",
        "FUNDS cannot join a Territory to a Territory"),
    "forbidden_labels.xlsx": (
        "relationship_not_allowed",
        "forbidden_labels.xlsx, feuille « liens », ligne 2, colonne « de », valeur "
        "« Trésorerie → Plan C » : le lien « finance » ne peut pas relier « Besoin » à "
        "« Programme »",
        'forbidden_labels.xlsx [liens] row 2, column "de": FUNDS cannot join a Need to a '
        "Programme"),
    "duplicate_id.csv": (
        "duplicate_id",
        "ligne 3, colonne « id » : l'identifiant « x:1 » désigne déjà un élément de type "
        "« Organisation » (ligne 2) ; cette ligne dit « Programme »",
        'row 3, column "id": duplicate id "x:1" with conflicting types: Organisation on row '
        "2, Programme here"),
    "impossible_date.csv": (
        "impossible_date",
        "ligne 2, colonne « start » : « 31/02/2020 » n'est pas une date qui existe",
        'row 2, column "start": "31/02/2020" is not a real date'),
    "unknown_territory_code.csv": (
        "unknown_territory",
        "« 99999 » : aucune commune n'a ce code INSEE ni ce code postal",
        "\"99999\" is not a known territory: no commune has INSEE code or postal code "
        "'99999'"),
    "ambiguous_territory.csv": (
        "ambiguous_territory",
        "« Saint-Denis » désigne plusieurs territoires : Saint-Denis (commune:97411, La "
        "Réunion), Saint-Denis (commune:93066, Seine-Saint-Denis), Saint-Denis "
        "(commune:11339, Aude), Saint-Denis (commune:30247, Gard) ; écrivez l'identifiant",
        '"Saint-Denis" names several territories: Saint-Denis (commune:97411, La Réunion), '
        "Saint-Denis (commune:93066, Seine-Saint-Denis), Saint-Denis (commune:11339, Aude), "
        "Saint-Denis (commune:30247, Gard); write the id"),
    "undecodable.csv": (
        "undecodable",
        "l'octet 0x81 à la position 45 (ligne 3) est illisible",
        "undecodable bytes: byte 0x81 at offset 45 (line 3)"),
    "empty.csv": ("empty_file", "empty.csv : le fichier est vide",
                  "empty.csv: the file is empty"),
    "header_only.csv": ("no_data_rows",
                        "le fichier a une ligne d'en-têtes mais aucune ligne de données",
                        "has a header row but no data rows"),
    "formula.csv": ("formula",
                    "ligne 2, colonne « name », valeur « =HYPERLINK(\"http://evil.example\","
                    "\"clic\") » : une cellule ne peut pas commencer par =",
                    'row 2, column "name": formula cells are not accepted'),
    "formula.xlsx": ("formula",
                     "formula.xlsx, feuille « elements », ligne 2, colonne « url », valeur "
                     "« =HYPERLINK(\"http://evil.example\",\"clic\") » : une cellule ne "
                     "peut pas commencer par =",
                     'formula.xlsx [elements] row 2, column "url": formula cells are not '
                     "accepted"),
    "cypher_in_type.csv": ("unknown_type", "n'est pas un type connu", "is not a known type"),
    "cypher_in_relationship.csv": ("unknown_relationship", "n'est pas un type de lien connu",
                                   "is not a known relationship"),
    "html_in_name.csv": ("markup_in_name",
                         "ligne 2, colonne « name », valeur « <script>alert(1)</script>Alpha "
                         "» : un nom est du texte simple : retirez les balises HTML.",
                         'row 2, column "name": names are plain text: remove the HTML markup'),
    "huge_cell.csv": ("cell_too_long",
                      "ligne 2, colonne « description », valeur « " + "x" * 60 + "… » : la "
                      "cellule fait 20\u202f000 caractères, au-delà de la limite de "
                      "10\u202f000",
                      'row 2, column "description": the cell is 20,000 characters long; '
                      "the limit is 10,000"),
    "bad_kind.csv": ("unknown_kind",
                     "« multinationale » n'est pas un type d'organisation connu. Types "
                     "d'organisation acceptés : association, entreprise, collectivité, État",
                     '"multinationale" is not a known organisation kind'),
    "javascript_url.csv": ("url_scheme",
                           "seuls les liens http et https sont acceptés, pas « javascript: »",
                           "only http and https links are accepted, not javascript:"),
    "bad_siren.csv": ("siren_check_digit", "« 123456789 » n'est pas un SIREN valide",
                      '"123456789" is not a valid SIREN'),
    "end_before_start.csv": ("end_before_start",
                             "la fin (1er mai 2020) est avant le début (1er juin 2020)",
                             "the end (2020-05-01) is before the start (2020-06-01)"),
    "unrecognised_headers.csv": (
        "unrecognised_headers",
        "impossible de savoir ce que contient le fichier d'après ses en-têtes (foo, bar)",
        "cannot tell what the file holds from its headers (foo, bar)"),
    "not_a_workbook.xlsx": ("not_a_workbook", "n'est pas un classeur Excel lisible",
                            "not a readable XLSX workbook"),
    "nul_bytes.csv": ("nul_bytes", "le fichier contient des octets nuls (ligne 2)",
                      "the file contains NUL bytes (line 2)"),
    "inventaire_bad_type.csv": ("inventaire_type",
                                "une ligne d'inventaire est un besoin (Besoin) ou un programme",
                                "an inventaire row is a need (Besoin) or a programme"),
    "territory_as_element.csv": ("not_an_element_type",
                                 "« Commune » ne s'importe pas comme élément : les territoires "
                                 "viennent de",
                                 "cannot be imported as an element: territories come from"),
    "part_of.csv": ("part_of_not_importable", "« fait partie de » relie des territoires",
                    "PART_OF joins territories"),
    "latitude_out_of_range.csv": ("out_of_range",
                                  "la latitude 123,4 n'est pas comprise entre -90 et 90",
                                  "latitude 123.4 is outside [-90, 90]"),
    "one_bad_row_among_good.csv": ("unknown_territory",
                                   "ligne 31, colonne « territoire » : « Atlantis » n'est pas "
                                   "un territoire connu. Vouliez-vous dire",
                                   'row 31, column "territoire": "Atlantis" is not a known '
                                   "territory; did you mean"),
    "type_en_francais_inconnu.csv": (
        "unknown_type",
        "ligne 2, colonne « Type » : « Besion » n'est pas un type connu. Types acceptés : "
        "organisation, programme, besoin, espace de dialogue, livrable, étude, événement, "
        "personne, ou un type d'organisation (association, collectivité…). Vouliez-vous dire "
        "« besoin » ?",
        'row 2, column "Type": "Besion" is not a known type'),
    "lien_en_francais_inconnu.csv": (
        "unknown_relationship",
        "ligne 3, colonne « Relation » : « finances » n'est pas un type de lien connu. Liens "
        "acceptés : porte, finance, opère, relaie, répond au besoin, exprime le besoin, "
        "identifie, participe à, copilote, a produit, membre de, partenaire de, dirige, "
        "intervient à, a tenu, situé à, actif dans, couvre. Vouliez-vous dire « finance » ?",
        'row 3, column "Relation": "finances" is not a known relationship'),
    "lien_a_l_envers.csv": (
        "reversed_relationship",
        "ligne 2, colonne « Relation » : « porté par » lit le lien à l'envers : écrivez "
        "« porte » et échangez les deux extrémités du lien",
        'row 2, column "Relation": "porté par" reads the connection backwards: write '
        '"CARRIES" and swap from and to'),
    "categorie_en_francais_inconnue.csv": (
        "unknown_kind",
        "ligne 2, colonne « Catégorie » : « Fondatoin » n'est pas un type d'organisation "
        "connu. Types d'organisation acceptés : association, entreprise, collectivité, État, "
        "fondation, investisseur, tête de réseau, recherche, autre. Vouliez-vous dire "
        "« fondation » ?",
        'row 2, column "Catégorie": "Fondatoin" is not a known organisation kind'),
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
    code, french, english = CASES[name]
    found = [e for e in f.errors if french in e.message]
    assert found, [e.message for e in f.errors]
    assert found[0].code == code
    assert english in found[0].message_en
    for e in f.errors:
        assert e.file == name and "\n" not in e.message
        assert e.reason and e.reason_en and e.reason != e.reason_en  # French, and English
    assert fingerprint(seeded) == before


def test_error_fields_name_file_row_column_value(seeded):
    report = load_paths(seeded, [BAD / "unknown_type.csv"])
    (err,) = report.files[0].errors
    assert (err.file, err.row, err.column, err.value) == ("unknown_type.csv", 3, "type",
                                                          "Besoinn")
    assert err.code == "unknown_type"
    assert err.reason.startswith("« Besoinn » n'est pas un type connu.")
    assert err.reason.endswith("Vouliez-vous dire « besoin » ?")
    assert err.reason_en.startswith('"Besoinn" is not a known type')
    assert err.message == f"unknown_type.csv, ligne 3, colonne « type » : {err.reason}"


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
    (err,) = report.files[1].errors
    assert err.code == "end_rejected"
    assert "« Alpha » est défini par elements.csv, ligne 2, qui a été rejetée" in err.message
    assert "which was rejected" in err.message_en
    assert fingerprint(seeded) == before
