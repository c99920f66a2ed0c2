"""The curated dataset: what the five seed documents name or plainly state.

``data/curated/elements.csv`` and ``data/curated/connections.csv`` are written by hand in
the interchange format (docs/import.md), so they are both the first
dataset of the graph and the worked example of that format. ``data/curated/README.md``
says how they were built (sources, modelling decisions, counts).

Four connections reach territories (``FR``, the communes of Lille and Vincennes): load the
territory reference (``alliance-graph load territories``) before this dataset.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from neo4j import Driver

from loaders.importer import LoadReport, ProgressCallback, load_paths

#: where the curated CSV files live
CURATED_DIR = Path(__file__).resolve().parents[1] / "data" / "curated"

#: the files, in load order: elements before the connections that name them
CURATED_FILES: tuple[str, ...] = ("elements.csv", "connections.csv")

#: the seed documents the dataset comes from (the ``source`` of every row)
SEED_FILES: tuple[str, ...] = (
    "000_c3e58eecd51e89d1.txt",
    "001_4bd89c1e997ffd6c.txt",
    "002_cc02f2f9aabe64ef.txt",
    "003_e88a069546d9509f.txt",
    "004_a1bf7d36eca9af20.txt",
)


def curated_files() -> list[Path]:
    """The curated CSV files, elements first.

    Returns
    -------
    list of Path
        ``data/curated/elements.csv`` and ``data/curated/connections.csv``.
    """
    return [CURATED_DIR / name for name in CURATED_FILES]


def load_curated(
    driver: Driver,
    *,
    database: str = "neo4j",
    on_progress: ProgressCallback | None = None,
    skip_invalid: bool = False,
) -> LoadReport:
    """Load the curated dataset through the tabular importer (idempotent: MERGE on ``id``).

    Parameters
    ----------
    driver
        A driver to the target database; the territory reference must already be loaded.
    database
        The database name.
    on_progress
        Passed to :func:`loaders.importer.load_paths`: ``(stage, file, advance, total)``.
    skip_invalid
        Load the valid rows even if some are rejected (e.g. territories not loaded yet);
        the rejects CSVs then go to a temporary directory, never into ``data/curated``.

    Returns
    -------
    LoadReport
        The importer's report: counts written, rows rejected with file, row and column.
    """
    rejects_dir = tempfile.mkdtemp(prefix="alliance-curated-rejects-") if skip_invalid else None
    return load_paths(driver, curated_files(), database=database, on_progress=on_progress,
                      skip_invalid=skip_invalid, rejects_dir=rejects_dir, dataset="curated")
