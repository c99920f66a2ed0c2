"""The rejects file: the rows a load skipped (``--skip-invalid``), with their reasons,
as a CSV the user can fix and load again.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from loaders.cells import looks_like_formula
from loaders.write_plan import Plan


def write_rejects(plan: Plan, directory: Path) -> Path:
    """Write the rejected rows of a file, with their reasons, to a CSV beside it.

    One CSV per table: the original columns plus ``rejection_reasons`` (in French, as the
    report gives them), so the file can be fixed and loaded again. Cells that look like
    formulas are prefixed with ``'`` so a spreadsheet opening the rejects file does not run
    them.
    """
    directory.mkdir(parents=True, exist_ok=True)
    stem = Path(plan.file).stem
    first: Path | None = None
    for table in plan.tables:
        rejected = [(row, cells) for row, cells in table.rows
                    if (table.file, table.sheet, row) in plan.rejected_rows]
        if not rejected:
            continue
        suffix = f".{table.sheet}" if table.sheet else ""
        path = directory / f"{stem}{suffix}.rejects.csv"
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(["row", *table.headers, "rejection_reasons"])
        for row, cells in rejected:
            reasons = " | ".join(
                (f"colonne « {e.column} » : " if e.column else "") + e.reason
                for e in plan.rejected_rows[(table.file, table.sheet, row)])
            writer.writerow([row, *(_defuse(c) for c in cells), reasons])
        path.write_text(buf.getvalue(), encoding="utf-8-sig")
        first = first or path
    return first or directory


def _defuse(cell: str) -> str:
    return "'" + cell if looks_like_formula(cell) else cell
