"""Every import error code has its French and English sentence, and each sentence can be
written with the facts its callers give.

The codes are found by reading ``loaders/*.py`` (the syntax tree, not a list kept by
hand): every ``reason(…)``, ``CellError(…)`` and ``ReadError(…)`` call must name its code
as a string literal, and that code must be in :data:`loaders.messages.MESSAGES` — so a new
code without a French message fails here before any user meets it.
"""

from __future__ import annotations

import ast
import datetime as dt
import string
from pathlib import Path

import pytest

from graph.french import plural
from loaders.messages import MESSAGES, Reason, Words, did_you_mean, reason
from loaders.report import FileReport, LoadReport

LOADERS = Path(__file__).resolve().parents[2] / "loaders"
#: the calls that create a reason, and the argument that carries the code
CALLS = ("reason", "CellError", "ReadError", "Reason")


def _call_sites() -> list[tuple[str, int, ast.expr, set[str]]]:
    """(file, line, code argument, keyword names) of every call that makes a reason."""
    out = []
    for path in sorted(LOADERS.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name not in CALLS or not node.args:
                continue
            keywords = {k.arg for k in node.keywords if k.arg is not None}
            if name == "ReadError":  # its row and column say where, not what
                keywords -= {"row", "column"}
            out.append((path.name, node.lineno, node.args[0], keywords))
    return out


SITES = _call_sites()


def _fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


def test_the_loaders_raise_reasons():
    assert len(SITES) > 50, "the scan finds the call sites"


@pytest.mark.parametrize(("file", "line", "code", "keywords"), SITES,
                         ids=[f"{f}:{n}" for f, n, _, _ in SITES])
def test_every_code_raised_has_a_message_its_facts_can_fill(file, line, code, keywords):
    if isinstance(code, ast.Name) and code.id == "code" and file in ("messages.py",
                                                                     "cells.py", "tabular.py"):
        return  # an exception passing its own ``code`` argument on
    assert isinstance(code, ast.Constant) and isinstance(code.value, str), (
        f"{file}:{line}: name the error code as a literal, so that this test sees it")
    assert code.value in MESSAGES, f"{file}:{line}: {code.value!r} has no message"
    message = MESSAGES[code.value]
    for language, template in (("fr", message.fr), ("en", message.en)):
        missing = _fields(template) - keywords
        assert not missing, f"{file}:{line}: the {language} sentence needs {missing}"


def test_every_message_is_raised_somewhere():
    raised = {c.value for _, _, c, _ in SITES if isinstance(c, ast.Constant)}
    assert set(MESSAGES) - raised == set(), "messages nobody raises"


#: facts of each kind, to write every sentence once
SAMPLE = {"value": "Besion", "length": 20000, "limit": 10000, "day": 31, "month": 2,
          "year": 2020, "number": 123.4, "low": -90.0, "high": 90.0, "what": "latitude",
          "start": dt.date(2020, 6, 1), "end": dt.date(2020, 5, 1), "line": 3, "row": 7,
          "offset": 45, "utf8_offset": 44, "byte": "0x81", "file": "elements.csv",
          "scheme": "javascript", "detail": "KeyError: x", "headers": "foo, bar",
          "found": "id, nom", "id": "org:x",
          "did_you_mean": Words(" Vouliez-vous dire « besoin » ?", '; did you mean "Need"?'),
          "where": Words("le fichier", "the file")}


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_every_message_reads_as_french(code):
    message = MESSAGES[code]
    facts = {f: SAMPLE.get(f, Words(f"mot {f}", f"word {f}"))
             for f in _fields(message.fr) | _fields(message.en)}
    why = Reason(code, facts)
    fr, en = why.fr, why.en
    assert fr and en and fr != en
    assert '"' not in fr, "French quotes are « »"
    if message.fr != "{text}":
        assert fr.rstrip().endswith((".", "?", "…")), "a French reason is a sentence"
        assert fr[0].islower() or fr[0] in "«", "it follows « … : » in a message"
    for english in (" is not ", " the file", "expected one of", "must be"):
        assert english not in fr, (code, english)


def test_facts_are_written_the_french_way():
    why = reason("cell_too_long", length=20000, limit=10000)
    assert why.fr.startswith("la cellule fait 20\u202f000 caractères")
    assert why.en == "the cell is 20,000 characters long; the limit is 10,000"
    dates = reason("end_before_start", start=dt.date(2020, 6, 1), end=dt.date(2020, 5, 1))
    assert dates.fr.startswith("la fin (1er mai 2020) est avant le début (1er juin 2020)")
    assert dates.en == "the end (2020-05-01) is before the start (2020-06-01)"
    assert reason("out_of_range", what="latitude", number=-91.5, low=-90.0, high=90.0).fr \
        .startswith("la latitude -91,5 n'est pas comprise entre -90 et 90")
    # a long value is cut in both languages
    long = reason("not_a_date", value="x" * 100)
    assert "x" * 60 + "…" in long.fr and "x" * 61 not in long.en


def test_an_unknown_code_stops_at_once():
    with pytest.raises(KeyError, match="no message"):
        reason("no_such_code")


@pytest.mark.parametrize(("text", "table", "fr"), [
    ("Besion", "types", "besoin"), ("Organsation", "types", "organisation"),
    ("espace de dialog", "types", "espace de dialogue"), ("Colectivité", "kinds", "collectivité"),
    ("fondatoin", "kinds", "fondation"), ("urgense", "phases", "urgence"),
    ("catalyser", "roles", "catalyseur"), ("finances", "relationships", "finance"),
    ("oppère", "relationships", "opère"), ("partenaire du", "relationships", "partenaire de"),
])
def test_near_misses_suggest_the_french_name(text, table, fr):
    assert did_you_mean(text, table).fr == f" Vouliez-vous dire « {fr} » ?"


def test_no_suggestion_for_what_is_far_from_everything():
    assert did_you_mean("aime", "relationships") == Words("", "")
    assert did_you_mean("", "types") == Words("", "")


@pytest.mark.parametrize(("n", "text"), [(0, "aucune erreur"), (1, "1 erreur"),
                                         (2, "2 erreurs"), (12345, "12\u202f345 erreurs")])
def test_counts_agree(n, text):
    assert plural(n, "erreur", "erreurs", zero="aucune erreur") == text


def test_report_summaries_count_in_french():
    loaded = FileReport(file="a.csv", status="loaded", rows_read=1, elements_written=1)
    partial = FileReport(file="b.csv", status="partial", rows_read=3, elements_written=1,
                         connections_written=2, rows_rejected=2)
    assert loaded.summary == "chargé : 1 ligne lue ; écrits : 1 élément, 0 lien ; aucune erreur."
    assert partial.summary == ("chargé en partie : 3 lignes lues ; écrits : 1 élément, 2 liens ; "
                               "2 lignes rejetées ; aucune erreur.")
    rejected = FileReport(file="c.csv", status="rejected", rows_read=2)
    assert rejected.summary == "rejeté : 2 lignes lues ; aucune erreur ; rien n'a été écrit."
    report = LoadReport(ok=False, files=[loaded, partial, rejected,
                                         loaded.model_copy(update={"file": "d.csv"})])
    assert report.summary == ("4 fichiers (2 chargés, 1 chargé en partie, 1 rejeté), "
                              "aucune erreur.")
    assert LoadReport(ok=True, dry_run=True, files=[]).summary == (
        "aucun fichier, aucune erreur (essai : rien n'a été écrit).")
