"""The row parsers: what a row's cells give, and the fast path that checks a whole row."""

from __future__ import annotations

import pytest

from loaders.tabular import Source, read_source
from loaders.validate import validate_tables


@pytest.mark.parametrize("cell, ok", [
    ("une liste :\n- un\n- deux", True),  # a line starting with "-" inside a cell
    ("-12", True),                        # a negative number is not a formula
    ("=HYPERLINK(\"x\")", False),
    ("  @SUM(A1)", False),
    ("+33 1 23 45 67 89", True),
    ("-x", False),
])
def test_the_row_fast_path_keeps_the_formula_rule(cell, ok):
    text = f'type,name,description\nOrganisation,Alpha,"{cell.replace(chr(34), chr(34) * 2)}"\n'
    tables = read_source(Source("e.csv", text.encode()))
    plans = validate_tables(None, tables)
    errors = plans["e.csv"].errors
    assert (not errors) is ok, errors
    if not ok:
        assert errors[0].column == "description" and errors[0].code == "formula"
