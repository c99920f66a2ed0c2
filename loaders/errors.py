"""The errors of a load: :class:`LoadError` (where, the value, why) and the collector
that remembers which rows and files they condemn.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from pydantic import BaseModel


class LoadError(BaseModel):
    """One problem: where (file, sheet, row, column), the value, and why."""

    file: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None
    reason: str

    @property
    def message(self) -> str:
        """One line: ``elements.csv row 7, column "type": "Besoinn" is not a known type…``."""
        where = self.file
        if self.sheet:
            where += f" [{self.sheet}]"
        if self.row is not None:
            where += f" row {self.row}"
        if self.column:
            where += f', column "{self.column}"'
        return f"{where}: {self.reason}"

    def __str__(self) -> str:
        return self.message


RowKey = tuple[str, str | None, int]


class LoadErrors:
    """Collects the errors of a load and remembers which rows and files they condemn."""

    def __init__(self) -> None:
        self.by_file: dict[str, list[LoadError]] = defaultdict(list)
        self.bad_rows: dict[RowKey, list[LoadError]] = defaultdict(list)
        self.file_level: set[str] = set()

    def add(self, key: RowKey, column: str | None, value: Any, reason: str) -> None:
        file, sheet, row = key
        err = LoadError(file=file, sheet=sheet, row=row if row > 0 else None, column=column,
                        value=None if value is None else _short(str(value)), reason=reason)
        self.by_file[file].append(err)
        if row > 0:
            self.bad_rows[key].append(err)
        else:
            self.file_level.add(file)

    def add_file(self, file: str, reason: str, row: int | None = None,
                 column: str | None = None, sheet: str | None = None) -> None:
        self.by_file[file].append(LoadError(file=file, sheet=sheet, row=row, column=column,
                                            reason=reason))
        self.file_level.add(file)


def _short(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[:limit] + f"… ({len(text):,} characters)"

