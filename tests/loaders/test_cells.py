"""The cell parsers: vocabulary-driven, French and English, strict."""

from __future__ import annotations

import datetime as dt

import pytest

from loaders.cells import (
    CellError,
    check_cell,
    parse_date,
    parse_kind,
    parse_rna,
    parse_siren,
    parse_type,
    parse_url,
)


@pytest.mark.parametrize(("text", "label", "role", "phase", "kind"), [
    ("Besoin", "Need", None, None, None),
    ("Programme de relance", "Programme", None, "relance", None),
    ("programme d'urgence", "Programme", None, "urgence", None),
    ("Catalyseur", "Organisation", "catalyst", None, None),
    ("Tête de pont", "Organisation", "relay", None, None),
    ("Association", "Organisation", None, None, "association"),
    ("Espace de dialogue", "DialogueSpace", None, None, None),
])
def test_parse_type(text, label, role, phase, kind):
    assert tuple(parse_type(text)) == (label, role, phase, kind)


@pytest.mark.parametrize("text", ["Besoinn", "Commune", "Organisation}) DETACH DELETE n"])
def test_parse_type_refuses(text):
    with pytest.raises(CellError):
        parse_type(text)


def test_kinds_follow_the_label():
    assert parse_kind("Organisation", "Collectivité") == ("kind", "collectivite")
    assert parse_kind("Programme", "", "relance") == ("phase", "relance")
    assert parse_kind("Need", "  emploi  ") == ("category", "emploi")
    with pytest.raises(CellError, match="the type says urgence"):
        parse_kind("Programme", "relance", "urgence")
    with pytest.raises(CellError, match="has no kind"):
        parse_kind("Event", "x")


def test_dates():
    assert parse_date("31/03/2020") == dt.date(2020, 3, 31)
    assert parse_date("2020-03-31") == dt.date(2020, 3, 31)
    assert parse_date("2020-03-31T10:00:00") == dt.date(2020, 3, 31)
    with pytest.raises(CellError, match="not a real date"):
        parse_date("31/02/2020")
    with pytest.raises(CellError, match="not a date"):
        parse_date("mars 2020")


def test_cells_formulas_and_size():
    assert check_cell("  -1.5 ") == "-1.5"
    assert check_cell("+33 1 23 45 67 89") == "+33 1 23 45 67 89"
    for bad in ["=HYPERLINK(\"x\")", "@SUM(A1)", "+cmd|' /C calc'!A0", "-2+3+cmd|x"]:
        with pytest.raises(CellError, match="formula"):
            check_cell(bad)
    with pytest.raises(CellError, match="limit is 10,000"):
        check_cell("x" * 10_001)


def test_identifiers_and_urls():
    assert parse_siren("180 020 026") == "180020026"
    assert parse_siren("18002002600010") == "180020026"
    with pytest.raises(CellError):
        parse_siren("180020027")
    assert parse_rna("w751234567") == "W751234567"
    assert parse_url("www.lerameau.fr") == "https://www.lerameau.fr"
    with pytest.raises(CellError, match="javascript"):
        parse_url("javascript:alert(1)")
