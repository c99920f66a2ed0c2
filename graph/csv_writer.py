"""The one CSV writer: every CSV file the product hands out (the pages' "Télécharger
(Excel)" links, the API's ``format=csv``, the network exports) is written here.

The default is what Excel opens correctly in French with a double click: ``;`` between
cells, UTF-8 with a byte-order mark (without it Excel reads the accents as Windows-1252),
CRLF line ends, and numbers with a decimal comma (``12,5``: with a decimal point Excel-FR
reads ``12.5`` as text, or as a date). Another separator (``,`` for pandas or Gephi) gets a
decimal point by default. Only numbers (``int``, ``float``) take the decimal comma; text is
written as it is.

The data come from imported files, so a text cell that a spreadsheet would run as a
formula (it starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a
leading apostrophe: Excel and LibreOffice then show it as text. Numbers are never guarded
(``-3,5`` stays a number).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Sequence
from pathlib import Path

#: what a cell may hold: text, a number, a yes/no, or nothing
Cell = str | int | float | bool | None

#: Excel-FR's separator, the default everywhere
DEFAULT_SEP = ";"
#: the first characters that make a spreadsheet read a cell as a formula
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: the names a separator may be given by on a command line, beside the character itself
SEP_NAMES = {"tab": "\t", "\\t": "\t", "semicolon": ";", "comma": ","}


def guard_text(text: str) -> str:
    """``text`` made safe from formula injection: a leading apostrophe when it starts like
    a formula.

    >>> guard_text("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> guard_text("-1 élément"), guard_text("Le RAMEAU")
    ("'-1 élément", 'Le RAMEAU')
    """
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def number_text(value: float | int, decimal: str = ",") -> str:
    """A number as a spreadsheet reads it, with ``decimal`` as the decimal mark and no
    exponent; not a finite number gives an empty cell.

    >>> number_text(12.5), number_text(0.000012), number_text(30.0), number_text(7, ".")
    ('12,5', '0,000012', '30', '7')
    """
    if isinstance(value, int):
        return str(value)
    if not math.isfinite(value):
        return ""
    text = f"{value:.12g}"
    if "e" in text:
        text = f"{value:.12f}".rstrip("0").rstrip(".")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", decimal)


def cell_text(value: Cell, decimal: str = ",") -> str:
    """One cell as text: numbers with ``decimal``, ``True``/``False`` as oui/non, None empty,
    text guarded (:func:`guard_text`)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, (int, float)):
        return number_text(value, decimal)
    return guard_text(str(value))


def check_sep(sep: str) -> str:
    """The separator, read from a name (``tab``, ``semicolon``, ``comma``) or taken as
    given; one character that cannot be in a number or be mistaken for a quote.

    Raises
    ------
    ValueError
        Anything else (a message that says what is accepted).
    """
    sep = SEP_NAMES.get(sep.lower(), sep)
    if len(sep) != 1 or sep.isalnum() or sep in "\"'\r\n. ":
        raise ValueError(f"the separator must be one character such as ';', ',' or tab, "
                         f"not {sep!r}")
    return sep


def default_decimal(sep: str) -> str:
    """The decimal mark that goes with ``sep``: a comma with ``;`` (Excel-FR), else a point."""
    return "," if sep == ";" else "."


def csv_text(rows: Iterable[Sequence[Cell]], *, sep: str = DEFAULT_SEP,
             decimal: str | None = None) -> str:
    """Rows as CSV text, CRLF line ends, cells quoted only when they must be.

    Parameters
    ----------
    rows
        The header row first, then the data; each cell a :data:`Cell`.
    sep
        The separator (:func:`check_sep`).
    decimal
        The decimal mark of numbers; by default a comma with ``;``, else a point.

    Returns
    -------
    str
        The text, without byte-order mark (:func:`csv_bytes` adds it).

    >>> csv_text([["Organisation", "Distance (km)"], ["=cmd", 1.5]])
    "Organisation;Distance (km)\\r\\n'=cmd;1,5\\r\\n"
    """
    sep = check_sep(sep)
    decimal = decimal or default_decimal(sep)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=sep, lineterminator="\r\n")
    writer.writerows([cell_text(value, decimal) for value in row] for row in rows)
    return buffer.getvalue()


def csv_bytes(rows: Iterable[Sequence[Cell]], *, sep: str = DEFAULT_SEP,
              decimal: str | None = None) -> bytes:
    """The file's bytes: a UTF-8 byte-order mark, then :func:`csv_text` in UTF-8."""
    return ("\ufeff" + csv_text(rows, sep=sep, decimal=decimal)).encode("utf-8")


def write_csv_file(path: str | Path, rows: Iterable[Sequence[Cell]], *,
                   sep: str = DEFAULT_SEP, decimal: str | None = None) -> Path:
    """Write :func:`csv_bytes` to ``path``; returns the path."""
    path = Path(path)
    path.write_bytes(csv_bytes(rows, sep=sep, decimal=decimal))
    return path
