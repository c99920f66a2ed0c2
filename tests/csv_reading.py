"""Reading a CSV answer back as Excel in French would: checks the file's form (BOM, `;`,
CRLF, the media type, a file name in words) and returns its rows."""

from __future__ import annotations

import csv
import io

BOM = b"\xef\xbb\xbf"


def csv_rows(response, filename: str | None = None) -> list[dict[str, str]]:
    """The rows of a CSV response (dicts keyed by the French headers), after checking that
    it is a CSV file for Excel in French, attached as ``filename`` when given."""
    assert response.status_code == 200, response.text[:500]
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    disposition = response.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="') and disposition.endswith('.csv"')
    if filename is not None:
        assert disposition == f'attachment; filename="{filename}"'
    data = response.content
    assert data.startswith(BOM), "no UTF-8 byte-order mark: Excel would misread accents"
    text = data[len(BOM):].decode("utf-8")
    # (the fixture graphs hold no line break inside a cell)
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", ""), \
        "lines must end in CRLF"
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))


def csv_headers(response) -> list[str]:
    """The header row of a CSV response."""
    text = response.content[len(BOM):].decode("utf-8")
    return next(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
