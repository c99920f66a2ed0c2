"""The territory reference in memory: what the reference parser reads names and codes from.

Two files of ``data/``, both built by ``scripts/build_territories.py`` from
``@etalab/decoupage-administratif`` (INSEE, DGCL, La Poste):

- ``territories.jsonl.gz``: FR, the régions, départements, EPCI and communes (the same
  file ``alliance-graph load territories`` writes to Neo4j, so a reading's id is a node);
- ``territory_extras.jsonl.gz``: postal codes, arrondissements municipaux, former
  communes (déléguées, associées) and the collectivités d'outre-mer, which have no node;

plus ``territory_nicknames.csv``, kept by hand: région acronyms and usual short names
of EPCI (``PACA``, ``MEL``), each pointing at a node id.

:func:`get_table` reads them once per process (about half a second) and keeps them; no
database is involved, so the loaders, the API, the CLI and the pages read a reference
the same way whatever the graph holds.
"""

from __future__ import annotations

import csv
import gzip
import json
import re
import threading
import unicodedata
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path


def _data_dir() -> Path:
    # In the repository (editable install) data/ sits beside the package; a plain
    # `pip install .` (the Docker image) leaves data/ in the working directory instead.
    beside = Path(__file__).resolve().parents[1] / "data"
    in_cwd = Path.cwd() / "data"
    marker = "territories.jsonl.gz"
    return in_cwd if not (beside / marker).exists() and (in_cwd / marker).exists() else beside


DATA_DIR = _data_dir()
TERRITORIES_FILE = DATA_DIR / "territories.jsonl.gz"
EXTRAS_FILE = DATA_DIR / "territory_extras.jsonl.gz"
NICKNAMES_FILE = DATA_DIR / "territory_nicknames.csv"


# Words that start a name and that people drop or add ("Le Havre" / "Havre").
_ARTICLES = {"le", "la", "les", "l"}
# Abbreviations people write for the saints of place names ("St-Étienne").
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def name_key(text: str) -> str:
    """Fold a place name the way the reference compares names.

    Case, accents, hyphens and apostrophes are ignored, ``St``/``Ste`` read as
    ``Saint``/``Sainte`` and a leading article dropped: ``"St-Étienne"``, ``"saint
    etienne"`` → ``"saint etienne"``; ``"Le Havre"``, ``"Havre"`` → ``"havre"``.
    """
    text = text.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE")
    if not text.isascii():  # drop the accents (and any other non-ASCII mark)
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = _NON_ALNUM.sub(" ", text.casefold()).split()
    words = [_ABBREVIATIONS.get(w, w) for w in words]
    while len(words) > 1 and words[0] in _ARTICLES:
        words = words[1:]
    return " ".join(words)


@dataclass(frozen=True, slots=True)
class Territory:
    """A territory that is a node of the graph (the reference file's row)."""

    id: str
    level: str
    code: str
    name: str
    population: int
    #: codes of the départements it is in (a commune: one; an EPCI: one or several;
    #: a département: its own; a région, FR: none)
    departements: tuple[str, ...] = ()
    #: the région code(s) above it (none for FR)
    regions: tuple[str, ...] = ()
    #: a commune's EPCI id (None for the four island communes without one)
    epci: str | None = None


@dataclass(frozen=True, slots=True)
class NameEntry:
    """One territory a name key stands for, and how."""

    territory_id: str
    #: ``name`` (its own name), ``nickname``, ``former_name`` (a commune déléguée or
    #: associée), ``arrondissement``
    via: str
    #: the name as written in the source (the former commune's, the arrondissement's…)
    written: str


@dataclass
class TerritoryTable:
    """Everything the parser looks up, in dictionaries."""

    by_id: dict[str, Territory] = field(default_factory=dict)
    #: name key → the territories of that name (several for Saint-Denis)
    by_key: dict[str, list[NameEntry]] = field(default_factory=lambda: defaultdict(list))
    #: postal code → INSEE codes of the communes it serves
    postal: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: arrondissement INSEE code → (name, commune INSEE code)
    arrondissements: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: former commune INSEE code → (name, commune INSEE code), when the code is not a
    #: current commune's own
    former_codes: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: collectivité d'outre-mer code → name
    com: dict[str, str] = field(default_factory=dict)
    #: name key of a collectivité d'outre-mer or of one of its communes → (name, com code)
    com_keys: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: commune or postal code of a collectivité d'outre-mer → (name, com code)
    com_codes: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: région code → codes of its départements
    region_departements: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: sorted name keys, for prefix search (autocomplete) and near misses
    keys: list[str] = field(default_factory=list)
    #: sorted postal codes, for prefix search
    postal_codes: list[str] = field(default_factory=list)

    def prefix(self, sorted_list: list[str], start: str) -> list[str]:
        """The entries of a sorted list that start with ``start``."""
        out = []
        for i in range(bisect_left(sorted_list, start), len(sorted_list)):
            if not sorted_list[i].startswith(start):
                break
            out.append(sorted_list[i])
        return out

    def departement_name(self, code: str) -> str:
        dep = self.by_id.get(f"departement:{code}")
        return dep.name if dep else code


def _read_jsonl(path: Path, expected_format: str) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        # one json.loads for the whole file is twice as fast as one a line
        lines = json.loads("[" + ",".join(line for line in fh if line.strip()) + "]")
    if not lines or lines[0].get("format") != expected_format:
        raise ValueError(f"{path}: not a {expected_format} file; rebuild it with "
                         "scripts/build_territories.py")
    return lines[1:]


def _arrondissement_names(name: str) -> list[str]:
    """How people write an arrondissement: ``Paris 11e Arrondissement`` → ``Paris 11``,
    ``Paris 11e``, ``Paris 11ème``, ``Paris XIe``…"""
    m = re.match(r"^(.*?)\s+(\d+)(?:er|e)\s+Arrondissement$", name)
    if not m:
        return [name]
    city, n = m[1], int(m[2])
    suffixes = ["", "e", "eme", "ème"] + (["er", "ere"] if n == 1 else [])
    out = [name]
    for s in suffixes:
        out += [f"{city} {n}{s}", f"{city} {n}{s} arrondissement"]
    return out


def build_table(territories: Path = TERRITORIES_FILE, extras: Path = EXTRAS_FILE,
                nicknames: Path = NICKNAMES_FILE) -> TerritoryTable:
    """Read the three files into a :class:`TerritoryTable`."""
    table = TerritoryTable()
    rows = _read_jsonl(territories, "alliance-graph/territories")
    parents: dict[str, list[str]] = {}
    for row in rows:
        level, code = row["t"], row["code"]
        tid = "FR" if level == "country" else f"{level}:{code}"
        parents[tid] = row.get("up", [])
        deps: tuple[str, ...] = ()
        regions: tuple[str, ...] = ()
        if level == "region":
            pass
        elif level == "departement":
            deps = (code,)
            regions = tuple(p.split(":", 1)[1] for p in row["up"])
        elif level in ("epci", "commune"):
            deps = tuple(p.split(":", 1)[1] for p in row["up"] if p.startswith("departement:"))
            regions = tuple(sorted({r for d in deps
                                    for r in table.by_id[f"departement:{d}"].regions}))
        epci = next((p for p in row.get("up", []) if p.startswith("epci:")), None)
        table.by_id[tid] = Territory(tid, level, code, row["name"], int(row.get("pop", 0)),
                                     deps, regions, epci if level == "commune" else None)
        if level != "country":
            table.by_key[name_key(row["name"])].append(NameEntry(tid, "name", row["name"]))
    for row in _read_jsonl(extras, "alliance-graph/territory-extras"):
        kind = row["t"]
        if kind == "postal":
            table.postal[row["code"]] = tuple(row["communes"])
        elif kind == "arrondissement":
            table.arrondissements[row["code"]] = (row["name"], row["commune"])
            for written in _arrondissement_names(row["name"]):
                key = name_key(written)
                entry = NameEntry(f"commune:{row['commune']}", "arrondissement", row["name"])
                if entry not in table.by_key[key]:
                    table.by_key[key].append(entry)
        elif kind == "former":
            commune_id = f"commune:{row['commune']}"
            if f"commune:{row['code']}" not in table.by_id:
                table.former_codes[row["code"]] = (row["name"], row["commune"])
            entry = NameEntry(commune_id, "former_name", row["name"])
            key = name_key(row["name"])
            if entry not in table.by_key[key] and not any(
                    e.territory_id == commune_id for e in table.by_key[key]):
                table.by_key[key].append(entry)
        elif kind == "com":
            table.com[row["code"]] = row["name"]
            table.com_keys[name_key(row["name"])] = (row["name"], row["code"])
        elif kind == "com_commune":
            table.com_codes[row["code"]] = (row["name"], row["com"])
            for cp in row.get("cp", []):
                table.com_codes.setdefault(cp, (row["name"], row["com"]))
            table.com_keys.setdefault(name_key(row["name"]), (row["name"], row["com"]))
    if nicknames.exists():
        with open(nicknames, encoding="utf-8", newline="") as fh:
            for number, rec in enumerate(csv.DictReader(fh), start=2):
                tid = rec["territory"].strip()
                if tid not in table.by_id:
                    raise ValueError(f"{nicknames}: line {number}: {tid!r} is not a "
                                     "territory of the reference")
                entry = NameEntry(tid, "nickname", rec["nickname"].strip())
                key = name_key(rec["nickname"])
                if not any(e.territory_id == tid for e in table.by_key[key]):
                    table.by_key[key].append(entry)
    region_deps: dict[str, list[str]] = defaultdict(list)
    for t in table.by_id.values():
        if t.level == "departement":
            for r in t.regions:
                region_deps[r].append(t.code)
    table.region_departements = {r: tuple(sorted(d)) for r, d in region_deps.items()}
    table.by_key = dict(table.by_key)
    table.keys = sorted(table.by_key)
    table.postal_codes = sorted(table.postal)
    return table


_table: TerritoryTable | None = None
_lock = threading.Lock()


def get_table() -> TerritoryTable:
    """The process's table, read on first use."""
    global _table
    if _table is None:
        with _lock:
            if _table is None:
                _table = build_table()
    return _table
