"""The French wording shared by the pages, the command line and the import reports, and
how a ``source`` is shown (data/sources.csv)."""

from __future__ import annotations

import csv

import pytest

from api.pages.rendering import ENV
from graph.french import date_fr, in_sentence, kind_fr, label_fr, month_year, num, plural, rel_fr
from graph.sources import SOURCES_FILE, SourceDocument, source_documents, source_title


@pytest.mark.parametrize(("n", "expected"), [
    (0, "0 programme"), (1, "1 programme"), (2, "2 programmes"), (None, "0 programme"),
    (1500, "1\u202f500 programmes"),
])
def test_plural(n, expected):
    assert plural(n, "programme", "programmes") == expected


def test_plural_with_a_zero_form():
    assert plural(0, "ligne rejetée", "lignes rejetées", zero="aucune ligne rejetée") == (
        "aucune ligne rejetée")
    assert plural(1, "ligne rejetée", "lignes rejetées", zero="aucune") == "1 ligne rejetée"
    assert plural(2, "ligne rejetée", "lignes rejetées") == "2 lignes rejetées"


def test_the_pages_plural_filter_is_the_same_function():
    assert ENV.filters["plural"] is plural
    assert ENV.from_string("{{ 2 | plural('besoin', 'besoins') }}").render() == "2 besoins"
    assert ENV.from_string("{{ 0 | plural('besoin', 'besoins', zero='aucun besoin') }}"
                           ).render() == "aucun besoin"


def test_numbers_and_dates():
    assert num(12345) == "12\u202f345" and num(3.25) == "3,2" and num(None) == "—"
    assert date_fr("2020-06-01") == "1er juin 2020"
    assert date_fr("2020-09") == "septembre 2020"
    assert date_fr("bientôt") == "bientôt"
    assert month_year("2021-03-17") == "mars 2021"
    assert month_year("2020-09") == "septembre 2020"
    assert month_year("") == ""


def test_vocabulary_in_french():
    assert label_fr("Need") == "Besoin" and label_fr("Unknown") == "Unknown"
    assert kind_fr("collectivite") == "Collectivité" and kind_fr("sans_nom") == "sans nom"
    assert rel_fr("CARRIES") == "porte" and rel_fr("CARRIES", "in") == "porté par"
    assert in_sentence("Espace de dialogue") == "espace de dialogue"
    assert in_sentence("État") == "État" and in_sentence("EPCI") == "EPCI"


def _rows() -> list[dict[str, str]]:
    with SOURCES_FILE.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize("row", _rows(), ids=lambda r: r["stem"])
def test_every_seed_document_is_shown_by_its_title_and_date(row):
    shown = source_title(row["file"])
    assert shown.startswith(row["title"])
    assert shown.endswith(f"({month_year(row['date'])})")
    assert row["file"] not in shown
    assert source_title(row["stem"]) == shown  # the stem names it too


def test_a_source_shown_as_people_read_it():
    assert source_title("002_cc02f2f9aabe64ef.txt") == (
        "« Jouer Collectif » : bilan d'un an de crise (mars 2021)")
    assert source_title("003_e88a069546d9509f.txt") == (
        "Fin de la démarche collective d'anticipation de sortie de crise (septembre 2020)")


def test_other_sources_are_shown_as_they_are():
    assert source_title("elements.csv") == "elements.csv"
    assert source_title(None) is None and source_title("") is None
    assert source_title(["elements.csv", "002_cc02f2f9aabe64ef.txt"]) == (
        "elements.csv ; « Jouer Collectif » : bilan d'un an de crise (mars 2021)")


def test_the_table_is_read_once(tmp_path):
    path = tmp_path / "sources.csv"
    path.write_text("stem,file,title,date,publisher,url\nx,x.txt,Un titre,,,\n",
                    encoding="utf-8")
    docs = source_documents(path)
    assert docs["x.txt"] == SourceDocument("x", "x.txt", "Un titre", "")
    assert docs["x.txt"].label == "Un titre"  # no date: no brackets
    path.write_text("stem,file,title,date,publisher,url\n", encoding="utf-8")
    assert source_documents(path) is docs  # cached
    assert source_documents(tmp_path / "absent.csv") == {}
