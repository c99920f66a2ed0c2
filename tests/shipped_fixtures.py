"""The shipped data as `make run` loads it — the territory reference, then the curated
dataset — cut down to the territories a test needs, so that it loads in seconds.

:func:`load_shipped` writes the rows of ``data/territories.jsonl.gz`` for the territories
asked for and every territory above them (the real names, codes, populations, locations
and ``PART_OF`` links), loads them with the territory loader, then loads
``data/curated`` with :func:`loaders.curated.load_curated`: the same two loaders and the
same files as ``alliance-graph load territories`` and ``alliance-graph load curated``.

The territories always loaded (:data:`SHIPPED_TERRITORIES`): those the curated dataset
names (``FR``, Lille, Vincennes), those the pages give as examples (Roubaix, the Nord,
the Hauts-de-France), Saint-Denis de La Réunion (an overseas commune) and Saint-Zacharie
(Var), whose EPCI, the Métropole d'Aix-Marseille-Provence, spans three départements.
"""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

from loaders.curated import CURATED_DIR, load_curated
from loaders.territories import TERRITORIES_FILE, load_territories
from tests.conftest import empty_graph

_TERRITORY_PREFIXES = ("commune:", "epci:", "departement:", "region:")


def curated_territories() -> set[str]:
    """The territory ids the curated dataset ties elements to (its connections' ``to``,
    its elements' ``territory``)."""
    ids: set[str] = set()
    with open(CURATED_DIR / "connections.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["to"] == "FR" or row["to"].startswith(_TERRITORY_PREFIXES):
                ids.add(row["to"])
    with open(CURATED_DIR / "elements.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            cell = (row.get("territory") or "").strip()
            if cell == "FR" or cell.startswith(_TERRITORY_PREFIXES):
                ids.add(cell)
    return ids


#: Roubaix, Lille, the Nord, the Hauts-de-France (examples of the pages and the issue),
#: Saint-Denis de La Réunion, Saint-Zacharie (its EPCI spans three départements)
EXTRA_TERRITORIES = ("commune:59512", "commune:59350", "departement:59", "region:32",
                     "commune:97411", "commune:83120")
SHIPPED_TERRITORIES: tuple[str, ...] = tuple(sorted(curated_territories()
                                                    | set(EXTRA_TERRITORIES)))


def write_reference_subset(path: Path, ids: tuple[str, ...] | list[str]) -> set[str]:
    """Write to ``path`` the header and the rows of the territory reference for ``ids`` and
    every territory above them, in the file's order (parents first); the ids written."""
    with gzip.open(TERRITORIES_FILE, "rt", encoding="utf-8") as fh:
        lines = [line for line in fh if line.strip()]
    rows = [json.loads(line) for line in lines[1:]]

    def row_id(row: dict) -> str:
        return "FR" if row["t"] == "country" else f"{row['t']}:{row['code']}"

    by_id = {row_id(row): row for row in rows}
    wanted: set[str] = set()
    todo = list(ids)
    while todo:
        tid = todo.pop()
        if tid in wanted:
            continue
        if tid not in by_id:
            raise KeyError(f"{tid} is not in {TERRITORIES_FILE.name}")
        wanted.add(tid)
        todo.extend(by_id[tid].get("up", []))
    with gzip.open(path, "wt", encoding="utf-8") as out:
        out.write(lines[0])
        for row in rows:
            if row_id(row) in wanted:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return wanted


def load_shipped(driver, database: str, tmp_dir: Path,
                 territories: tuple[str, ...] = SHIPPED_TERRITORIES) -> None:
    """Empty the graph, then load the territories (and those above them) and the curated
    dataset as `make run` does."""
    empty_graph(driver, database)
    subset = write_reference_subset(tmp_dir / "territories.jsonl.gz", territories)
    report = load_territories(driver, tmp_dir / "territories.jsonl.gz", database=database)
    assert report.nodes == len(subset)
    curated = load_curated(driver, database=database)
    assert curated.ok, [e.message for e in curated.errors]
