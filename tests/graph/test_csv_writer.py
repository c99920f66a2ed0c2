"""The one CSV writer: what Excel opens correctly in French, and no formula injection."""

from __future__ import annotations

import csv
import io

import pytest

from graph.csv_writer import FORMULA_STARTS, check_sep, csv_bytes, csv_text


def read_back(data: bytes, sep: str = ";") -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "no UTF-8 byte-order mark"
    return list(csv.reader(io.StringIO(data[3:].decode("utf-8"), newline=""), delimiter=sep))


def test_excel_in_french_by_default():
    data = csv_bytes([["Organisation", "Distance (km)", "Rang"],
                      ["Fondation de Lille", 9.87, 1], ["Île « là », « ici »; ok", 0.5, 2]])
    text = data[3:].decode("utf-8")
    assert text.split("\r\n")[0] == "Organisation;Distance (km);Rang"
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    assert read_back(data) == [["Organisation", "Distance (km)", "Rang"],
                               ["Fondation de Lille", "9,87", "1"],
                               ["Île « là », « ici »; ok", "0,5", "2"]]


def test_another_separator_takes_a_decimal_point():
    assert csv_text([["a", 1.5]], sep=",") == "a,1.5\r\n"
    assert csv_text([["a", 1.5]], sep="tab") == "a\t1.5\r\n"
    assert csv_text([["a", 1.5]], sep=",", decimal=",") == 'a,"1,5"\r\n'


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_a_text_that_starts_like_a_formula_is_kept_as_text(start):
    cell = f"{start}HYPERLINK(\"http://evil.example\",\"x\")"
    (row,) = read_back(csv_bytes([[cell, "sain"]]))
    assert row == ["'" + cell, "sain"]


def test_numbers_are_never_guarded_and_empty_cells_stay_empty():
    (row,) = read_back(csv_bytes([[-3.5, -2, None, True, False, float("nan")]]))
    assert row == ["-3,5", "-2", "", "oui", "non", ""]


@pytest.mark.parametrize("bad", ["", ";;", "a", "1", '"', "\n", "."])
def test_a_separator_must_be_one_safe_character(bad):
    with pytest.raises(ValueError, match="one character"):
        check_sep(bad)
