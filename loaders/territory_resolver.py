"""Territory cells → Territory node ids, against the Territory nodes in Neo4j.

A territory cell holds one of (README, "Importing your data"):

- an explicit id or prefixed code: ``commune:59512``, ``epci:200093201``,
  ``departement:59`` / ``dep:59`` / ``dept:59``, ``region:32`` / ``reg:32``, ``FR``;
- a bare INSEE code: 5 characters (``59512``, ``2A004``) is a commune, 9 digits an EPCI,
  2 or 3 characters (``59``, ``2A``, ``971``) a **département** — unless no such
  département exists and a région does (``84`` → région Auvergne-Rhône-Alpes). So ``32``
  is the Gers; write ``region:32`` for Hauts-de-France. A 4-digit code is a commune
  whose leading zero a spreadsheet dropped (``1053`` → ``01053``), a 1-digit one a
  département (``1`` → ``01``);
- ``France``, ``national``, ``FR``;
- a name, case and accents ignored (``Roubaix``, ``hauts de france``), which must match
  exactly one territory: ``Saint-Denis`` or ``Paris`` (commune and département) are
  ambiguous and reported as errors listing the candidates; ``Saint-Denis (93)`` picks the
  one in département 93, and a code always works.

All cells of a load are resolved with three queries (ids, codes, name keys).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from neo4j import Driver

from graph.models import token

_PREFIXES = {
    "commune": "commune", "com": "commune", "epci": "epci", "departement": "departement",
    "dep": "departement", "dept": "departement", "department": "departement",
    "region": "region", "reg": "region", "country": "country", "pays": "country",
}
_NATIONAL = {"fr", "france", "national", "nationale", "france_entiere", "pays"}
_QUALIFIED = re.compile(r"^(.*?)\s*\(\s*([0-9]{2,3}|2[ABab])\s*\)$")
_COMMUNE = re.compile(r"^(?:\d{5}|2[ABab]\d{3})$")
_DEPT = re.compile(r"^(?:\d{2,3}|2[ABab])$")


@dataclass(frozen=True)
class TerritoryRef:
    """A resolved territory: its node id and level (``commune``, ``region``…)."""

    id: str
    level: str
    name: str


@dataclass
class _Parsed:
    ids: list[str] = field(default_factory=list)  # candidate ids in order of preference
    key: str | None = None  # a name key to look up
    qualifier: str | None = None  # "(93)": département code that filters name matches


def _parse(cell: str) -> _Parsed:
    text = cell.strip()
    if ":" in text:
        prefix, _, code = text.partition(":")
        level = _PREFIXES.get(token(prefix))
        if level is not None:
            code = code.strip().upper()
            return _Parsed(ids=["FR" if level == "country" else f"{level}:{code}"])
    compact = text.replace(" ", "")
    if token(text) in _NATIONAL:
        return _Parsed(ids=["FR"])
    if compact.isdigit() and len(compact) == 9:
        return _Parsed(ids=[f"epci:{compact}"])
    if compact.isdigit() and len(compact) == 4:
        compact = "0" + compact
    if compact.isdigit() and len(compact) == 1:
        compact = "0" + compact
    if _COMMUNE.match(compact):
        return _Parsed(ids=[f"commune:{compact.upper()}"])
    if _DEPT.match(compact):
        code = compact.upper()
        return _Parsed(ids=[f"departement:{code}", f"region:{code}"])
    if m := _QUALIFIED.match(text):
        return _Parsed(key=token(m[1]), qualifier=m[2].upper())
    return _Parsed(key=token(text))


class TerritoryResolver:
    """Resolve many territory cells at once; :meth:`resolve` then answers from memory."""

    def __init__(self, driver: Driver, database: str = "neo4j"):
        self.driver = driver
        self.database = database
        self._by_id: dict[str, TerritoryRef] = {}
        self._by_key: dict[str, list[TerritoryRef]] = {}
        self._parents: dict[str, set[str]] = {}
        self._parsed: dict[str, _Parsed] = {}

    def prefetch(self, cells: set[str]) -> None:
        """Read every territory these cells may name: one query for ids, one for names."""
        ids: set[str] = set()
        keys: set[str] = set()
        for cell in cells:
            parsed = self._parsed.setdefault(cell, _parse(cell))
            ids.update(parsed.ids)
            if parsed.key:
                keys.add(parsed.key)
        if not ids and not keys:
            return

        def work(tx):
            by_id = tx.run(
                "UNWIND $ids AS i MATCH (t:Territory {id: i}) "
                "RETURN t.id AS id, t.level AS level, t.name AS name", ids=sorted(ids)).data()
            by_key = tx.run(
                "UNWIND $keys AS k MATCH (t:Territory {name_key: k}) "
                "OPTIONAL MATCH (t)-[:PART_OF]->(p:Departement) "
                "RETURN t.id AS id, t.level AS level, t.name AS name, k AS key, "
                "collect(p.code) AS deps", keys=sorted(keys)).data()
            return by_id, by_key

        with self.driver.session(database=self.database) as session:
            by_id, by_key = session.execute_read(work)
        for row in by_id:
            self._by_id[row["id"]] = TerritoryRef(row["id"], row["level"] or "", row["name"])
        for row in sorted(by_key, key=lambda r: r["id"]):
            ref = TerritoryRef(row["id"], row["level"] or "", row["name"])
            self._by_key.setdefault(row["key"], []).append(ref)
            self._parents[ref.id] = set(row["deps"])

    def resolve(self, cell: str) -> TerritoryRef:
        """The territory a cell names; raises ``ValueError`` with a one-line reason."""
        parsed = self._parsed.get(cell) or _parse(cell)
        if parsed.ids:
            for tid in parsed.ids:
                if tid in self._by_id:
                    return self._by_id[tid]
            shown = " or ".join(parsed.ids)
            raise ValueError(f'"{cell}" is not a known territory code (no {shown} in the '
                             "graph; load territories first with `alliance-graph load "
                             "territories`)")
        matches = self._by_key.get(parsed.key or "", [])
        if parsed.qualifier:
            q = parsed.qualifier
            matches = [m for m in matches
                       if q in self._parents.get(m.id, set()) or m.id == f"departement:{q}"
                       or m.id.startswith(f"commune:{q}")]
        if not matches:
            raise ValueError(f'"{cell}" is not a known territory name (use an INSEE code, '
                             "e.g. 59512 for a commune or 59 for a département)")
        if len(matches) > 1:
            shown = ", ".join(f"{m.id} ({m.name})" for m in matches[:6])
            raise ValueError(f'"{cell}" is an ambiguous territory name: it matches '
                             f"{shown}; use the code instead")
        return matches[0]
