"""The errors of a load: :class:`LoadError` (where, the value, why) and the collector
that remembers which rows and files they condemn.

An error has a stable English ``code`` (for machines), a ``reason`` and a ``message`` in
French (what people read: the reason alone, and the reason with its place), and the same
reason in English as ``reason_en`` (what the report said before it spoke French, kept for
clients and logs). The sentences come from :mod:`loaders.messages`.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from pydantic import BaseModel, computed_field

from graph.french import num
from loaders.messages import Reason, cut


class LoadError(BaseModel):
    """One problem: where (file, sheet, row, column), the value, and why."""

    file: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None
    #: stable, English: what went wrong, for machines (``unknown_type``)
    code: str
    #: why, and how to fix it, in French
    reason: str
    #: the same reason in English
    reason_en: str

    @classmethod
    def of(cls, why: Reason, *, file: str, sheet: str | None = None, row: int | None = None,
           column: str | None = None, value: str | None = None) -> LoadError:
        """The error ``why`` at a place."""
        return cls(file=file, sheet=sheet, row=row, column=column, value=value,
                   code=why.code, reason=why.fr, reason_en=why.en)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def message(self) -> str:
        """One French line: ``elements.csv, ligne 7, colonne « type » : « Besoinn » n'est
        pas un type connu. …``; the value comes after the column when the reason does not
        quote it (``…, colonne « name », valeur « =1+1 » : une cellule ne peut pas…``)."""
        where = self.file
        if self.sheet:
            where += f", feuille « {self.sheet} »"
        if self.row is not None:
            where += f", ligne {self.row}"
        if self.column:
            where += f", colonne « {self.column} »"
        shown = cut(self.value) if self.value else ""
        if shown and f"« {shown} »" not in self.reason:  # the reason does not quote it
            where += f", valeur « {shown} »"
        return f"{where} : {self.reason}"

    @property
    def message_en(self) -> str:
        """One English line: ``elements.csv row 7, column "type": "Besoinn" is not…``."""
        where = self.file
        if self.sheet:
            where += f" [{self.sheet}]"
        if self.row is not None:
            where += f" row {self.row}"
        if self.column:
            where += f', column "{self.column}"'
        return f"{where}: {self.reason_en}"

    def __str__(self) -> str:
        return self.message


RowKey = tuple[str, str | None, int]


class LoadErrors:
    """Collects the errors of a load and remembers which rows and files they condemn."""

    def __init__(self) -> None:
        self.by_file: dict[str, list[LoadError]] = defaultdict(list)
        self.bad_rows: dict[RowKey, list[LoadError]] = defaultdict(list)
        self.file_level: set[str] = set()

    def add(self, key: RowKey, column: str | None, value: Any, why: Reason) -> None:
        file, sheet, row = key
        err = LoadError.of(why, file=file, sheet=sheet, row=row if row > 0 else None,
                           column=column, value=None if value is None else _short(str(value)))
        self.by_file[file].append(err)
        if row > 0:
            self.bad_rows[key].append(err)
        else:
            self.file_level.add(file)

    def add_file(self, file: str, why: Reason, row: int | None = None,
                 column: str | None = None, sheet: str | None = None) -> None:
        self.add_error(LoadError.of(why, file=file, sheet=sheet, row=row, column=column))

    def add_error(self, err: LoadError) -> None:
        """An error that condemns its whole file (it could not be read)."""
        self.by_file[err.file].append(err)
        self.file_level.add(err.file)


def _short(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[:limit] + f"… ({num(len(text))} caractères)"
