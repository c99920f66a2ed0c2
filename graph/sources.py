"""The seed documents (``data/sources.csv``) and how a ``source`` is shown to people.

Every element and relationship of the curated dataset cites, as ``source``, the file name
of the public document it comes from (``002_cc02f2f9aabe64ef.txt``). People read the
document's title and date instead: :func:`source_title` gives « « Jouer Collectif » :
bilan d'un an de crise (mars 2021) ». The raw value stays in the graph, in the API's
``source`` fields and in every export; a source that is no seed document (a user's file
name) is shown as it is.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from graph.french import month_year
from graph.territory_table import DATA_DIR

SOURCES_FILE = DATA_DIR / "sources.csv"


@dataclass(frozen=True)
class SourceDocument:
    """One seed document: a row of ``data/sources.csv``."""

    stem: str
    file: str
    title: str
    #: ``YYYY-MM-DD``, or ``YYYY-MM`` when only the month is known; may be empty
    date: str
    publisher: str = ""
    url: str = ""

    @property
    def label(self) -> str:
        """What people read: the title and, when known, the month and year."""
        when = month_year(self.date)
        return f"{self.title} ({when})" if when else self.title


@lru_cache(maxsize=4)
def source_documents(path: Path = SOURCES_FILE) -> dict[str, SourceDocument]:
    """The seed documents by file name and by stem (read once; {} if the file is absent)."""
    if not path.exists():
        return {}
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    out: dict[str, SourceDocument] = {}
    for row in rows:
        doc = SourceDocument(**{k: (row.get(k) or "").strip() for k in
                                ("stem", "file", "title", "date", "publisher", "url")})
        if doc.title:
            out[doc.file] = out[doc.stem] = doc
    return out


def source_title(source: object) -> str | None:
    """How a ``source`` value is shown: a seed document's title and date, else the value
    itself; None for no source. A list (several sources) is shown joined by " ; "."""
    if source is None or source == "":
        return None
    if isinstance(source, (list, tuple)):
        shown = [t for t in (source_title(s) for s in source) if t]
        return " ; ".join(shown) or None
    text = str(source).strip()
    doc = source_documents().get(text)
    return doc.label if doc is not None else text
