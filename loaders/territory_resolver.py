"""Territory cells → Territory node ids: the parser's reading, then one existence check.

Every cell is read by :func:`graph.territory_reference.parse_territory`, the one parser of
territory references (README, "How a territory reference is read"), and the loaders follow
its rule:

- ``found``: the reading is taken;
- ``default``: the default reading is taken (``59100`` is Bousignies by its INSEE code,
  ``32`` the Gers) and the other readings (Roubaix by its postal code, the région
  Hauts-de-France) are reported in **one summary warning per column** (:class:`TerritoryNotes`);
  so are the notices of a reading that names part of a commune (``75111``,
  ``Annecy-le-Vieux``);
- ``ambiguous`` (``Saint-Denis``), ``unknown`` (``Roubaiz``, with "did you mean") and
  ``uncovered`` (a collectivité d'outre-mer, ``975``): a row error naming the cell and the
  candidates;
- ``empty``: no territory.

The ids taken must then exist in the graph (the territory reference may not be loaded):
:meth:`TerritoryResolver.prefetch` checks all the ids of a load with one query.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from neo4j import Driver

from graph.french import plural
from graph.territory_reference import TerritoryCandidate, TerritoryReading, parse_territory
from graph.territory_table import TerritoryTable, get_table
from loaders.messages import Reason, Words, listed, reason

#: how many candidates, rows and cells an error or a warning shows before "and N more"
SHOWN = 8
SHOWN_ROWS = 5

LOAD_TERRITORIES = "load the territories first with `alliance-graph load territories`"
LOAD_TERRITORIES_FR = "chargez d'abord les territoires avec `alliance-graph load territories`"

_VIA_EN = {"code": "INSEE code", "postal_code": "postal code",
           "former_code": "former INSEE code"}
_VIA_FR = {"code": "code INSEE", "postal_code": "code postal",
           "former_code": "ancien code INSEE"}


@dataclass(frozen=True)
class ResolvedTerritory:
    """A resolved territory: its node id and level (``commune``, ``region``…)."""

    id: str
    level: str
    name: str


class TerritoryCellError(ValueError):
    """A territory cell the loaders refuse: ``reason`` says why in French and English
    (``str()`` is the English sentence)."""

    def __init__(self, why: Reason, reading: TerritoryReading):
        super().__init__(why.en)
        self.reason = why
        self.reading = reading


def describe(c: TerritoryCandidate, table: TerritoryTable | None = None, *,
             how: bool = False, french: bool = False) -> str:
    """A candidate in one phrase a French reader recognises: ``Saint-Denis
    (commune:93066, Seine-Saint-Denis)``; with ``how``, how it was read (``postal code``,
    or ``code postal`` with ``french``)."""
    parts = [c.id]
    if c.level in ("commune", "epci") and c.departements:
        table = table or get_table()
        parts.append(", ".join(table.departement_name(d) or d for d in c.departements[:3])
                     + (" …" if len(c.departements) > 3 else ""))
    via = _VIA_FR if french else _VIA_EN
    if how and c.level == "commune" and c.via in via:
        parts.append(via[c.via])
    return f"{c.name} ({', '.join(parts)})"


def _more(items: list[str], total: int, sep: str = ", ") -> str:
    shown = sep.join(items)
    return shown if total <= len(items) else f"{shown}{sep}and {total - len(items)} more"


def _more_fr(items: list[str], total: int, sep: str = ", ") -> str:
    shown = sep.join(items)
    return shown if total <= len(items) else f"{shown}{sep}et {total - len(items)} autres"


def refusal_reason(cell: str, reading: TerritoryReading,
                   table: TerritoryTable | None = None) -> Reason:
    """Why a cell of this reading is refused (ambiguous, unknown, uncovered), as a
    :class:`~loaders.messages.Reason` in both languages."""
    text = Words(refusal_fr(cell, reading, table), refusal(cell, reading, table))
    if reading.status == "ambiguous":
        return reason("ambiguous_territory", text=text)
    if reading.status == "unknown":
        return reason("unknown_territory", text=text)
    if reading.status == "uncovered":
        return reason("uncovered_territory", text=text)
    return reason("not_a_territory", text=text)


def refusal_fr(cell: str, reading: TerritoryReading,
               table: TerritoryTable | None = None) -> str:
    """Why a cell of this reading is refused, in one French sentence with the fix."""
    table = table or get_table()
    shown = f"« {cell} »"
    if reading.status == "ambiguous":
        cands = reading.candidates
        described = [describe(c, table) for c in cands[:SHOWN]]
        text = f"{shown} désigne plusieurs territoires : {_more_fr(described, len(cands))} ; "
        text += "écrivez l'identifiant de celui que vous voulez"
        text += f" (par exemple {cands[0].id})" if cands else ""
        if cands and all(c.via == "name" and c.departements for c in cands):
            text += (f", ou ajoutez le département entre parenthèses (par exemple "
                     f"« {cands[0].name} ({cands[0].departements[0]}) »)")
        return text + "."
    if reading.status == "unknown":
        if reading.suggestions:
            return (f"{shown} n'est pas un territoire connu. Vouliez-vous dire "
                    + listed([describe(s, table) for s in reading.suggestions], "ou") + " ?")
        return reading.message_fr or f"{shown} n'est pas un territoire connu."
    if reading.status == "uncovered":
        return reading.message_fr
    return f"{shown} n'est pas un territoire : écrivez un nom, un code postal ou un code INSEE."


def refusal(cell: str, reading: TerritoryReading, table: TerritoryTable | None = None) -> str:
    """Why a cell of this reading is refused (ambiguous, unknown, uncovered), in one line."""
    table = table or get_table()
    if reading.status == "ambiguous":
        cands = reading.candidates
        shown = [describe(c, table) for c in cands[:SHOWN]]
        text = f'"{cell}" names several territories: {_more(shown, len(cands))}; write the id'
        text += f" (e.g. {cands[0].id})" if cands else ""
        if cands and all(c.via == "name" and c.departements for c in cands):
            text += (f' or the département in brackets (e.g. "{cands[0].name} '
                     f'({cands[0].departements[0]})")')
        return text
    if reading.status == "unknown":
        if reading.suggestions:
            return (f'"{cell}" is not a known territory; did you mean '
                    + ", ".join(describe(s, table) for s in reading.suggestions) + "?")
        return f'"{cell}" is not a known territory: {reading.message}'
    if reading.status == "uncovered":
        return reading.message.replace(repr(reading.text), f'"{cell}"', 1)
    return f'"{cell}" is not a territory'


class TerritoryResolver:
    """Resolve many territory cells at once; :meth:`resolve` then answers from memory."""

    def __init__(self, driver: Driver | None, database: str = "neo4j",
                 table: TerritoryTable | None = None):
        self.driver = driver
        self.database = database
        self._table = table
        self._readings: dict[str, TerritoryReading] = {}
        self._checked: set[str] = set()  # ids whose existence the graph was asked about
        self._existing: set[str] = set()

    @property
    def table(self) -> TerritoryTable:
        if self._table is None:
            self._table = get_table()
        return self._table

    def reading(self, cell: str) -> TerritoryReading:
        """The parser's reading of a cell (memoised)."""
        reading = self._readings.get(cell)
        if reading is None:
            reading = self._readings[cell] = parse_territory(cell, self.table)
        return reading

    def prefetch(self, cells: set[str]) -> None:
        """Read every cell, then ask the graph in one query which of the ids taken exist."""
        ids = set()
        for cell in cells:
            taken = self.reading(cell).taken
            if taken is not None and taken.id not in self._checked:
                ids.add(taken.id)
        if not ids or self.driver is None:
            return

        def work(tx):
            return [r["id"] for r in tx.run(
                "UNWIND $ids AS i MATCH (t:Territory {id: i}) RETURN t.id AS id",
                ids=sorted(ids))]

        with self.driver.session(database=self.database) as session:
            self._existing.update(session.execute_read(work))
        self._checked |= ids

    def resolve(self, cell: str) -> ResolvedTerritory | None:
        """The territory a cell names (None for an empty cell); raises
        :class:`TerritoryCellError` with a one-line reason."""
        reading = self.reading(cell)
        if reading.status == "empty":
            return None
        taken = reading.taken
        if taken is None:
            raise TerritoryCellError(refusal_reason(cell, reading, self.table), reading)
        if taken.id not in self._checked:
            self.prefetch({cell})
        if self.driver is not None and taken.id not in self._existing:
            described = describe(taken, self.table)
            raise TerritoryCellError(reason("territory_not_loaded", text=Words(
                f"« {cell} » est {described}, qui n'est pas dans le graphe : "
                f"{LOAD_TERRITORIES_FR}.",
                f'"{cell}" is {described}, which is not in the graph: {LOAD_TERRITORIES}')),
                reading)
        return ResolvedTerritory(taken.id, taken.level, taken.name)


# --------------------------------------------------------------------------- the report


def _rows(rows: list[int]) -> str:
    rows = sorted(set(rows))
    if len(rows) == 1:
        return f"row {rows[0]}"
    shown = [str(r) for r in rows[:SHOWN_ROWS]]
    if len(rows) <= SHOWN_ROWS:
        return f"rows {', '.join(shown[:-1])} and {shown[-1]}"
    return f"rows {', '.join(shown)} and {len(rows) - SHOWN_ROWS} more"


def _cells(n: int) -> str:
    return "1 cell" if n == 1 else f"{n:,} cells"


def _rows_fr(rows: list[int]) -> str:
    rows = sorted(set(rows))
    if len(rows) == 1:
        return f"ligne {rows[0]}"
    shown = [str(r) for r in rows[:SHOWN_ROWS]]
    if len(rows) <= SHOWN_ROWS:
        return f"lignes {', '.join(shown[:-1])} et {shown[-1]}"
    return f"lignes {', '.join(shown)} et {len(rows) - SHOWN_ROWS} autres"


def _notice_fr(c: TerritoryCandidate) -> str:
    if c.via == "arrondissement":
        return f"un arrondissement de {c.name}, que le référentiel compte comme une seule commune"
    if c.via == "former_code":
        return f"le code INSEE d'une ancienne commune, aujourd'hui rattachée à {c.name}"
    if c.via == "former_name":
        return f"une ancienne commune, aujourd'hui rattachée à {c.name}"
    return "une partie de cette commune"


def _notice_en(c: TerritoryCandidate) -> str:
    if c.via == "arrondissement":
        return f"an arrondissement of {c.name}, which the reference counts as one commune"
    if c.via == "former_code":
        return f"the INSEE code of a former commune, now part of {c.name}"
    if c.via == "former_name":
        return f"a former commune, now part of {c.name}"
    return "part of that commune"


@dataclass
class TerritoryNotes:
    """The readings a load takes that people should know about, per column: defaults with
    other readings, and notices; :meth:`warnings` sums each column up in one line."""

    table: TerritoryTable | None = None
    #: (file, sheet, column) → cell → (reading, rows)
    others: dict[tuple, dict[str, tuple[TerritoryReading, list[int]]]] = field(
        default_factory=lambda: defaultdict(dict))
    notices: dict[tuple, dict[str, tuple[TerritoryReading, list[int]]]] = field(
        default_factory=lambda: defaultdict(dict))

    def note(self, file: str, sheet: str | None, row: int, column: str | None, cell: str,
             reading: TerritoryReading) -> None:
        where = (file, sheet, column)
        targets = []
        if reading.status == "default" and reading.others:
            targets.append(self.others[where])
        if reading.taken is not None and reading.taken.notice:
            targets.append(self.notices[where])
        for target in targets:
            target.setdefault(cell, (reading, []))[1].append(row)

    def drain(self) -> dict[str, list[Words]]:
        """The warnings of every column noted so far, by file, in French and English;
        forgets them."""
        table = (self.table or get_table()) if (self.others or self.notices) else None
        out: dict[str, list[Words]] = defaultdict(list)
        for where in sorted({*self.others, *self.notices}, key=lambda w: (w[0], w[1] or "",
                                                                          w[2] or "")):
            file, sheet, column = where
            prefix = f'sheet "{sheet}", ' if sheet else ""
            prefix += f'column "{column}"' if column else "territory cells"
            prefix_fr = f"feuille « {sheet} », " if sheet else ""
            prefix_fr += f"colonne « {column} »" if column else "cellules de territoire"
            if where in self.others:
                cells = self.others[where]
                out[file].append(Words(prefix_fr + " : " + self._others_fr(cells, table),
                                       prefix + ": " + self._others_line(cells, table)))
            if where in self.notices:
                cells = self.notices[where]
                out[file].append(Words(prefix_fr + " : " + self._notices_fr(cells, table),
                                       prefix + ": " + self._notices_line(cells, table)))
        self.others.clear()
        self.notices.clear()
        return dict(out)

    @staticmethod
    def _others_fr(cells: dict[str, tuple[TerritoryReading, list[int]]],
                   table: TerritoryTable) -> str:
        n = sum(len(rows) for _, rows in cells.values())
        items = []
        for cell, (reading, rows) in sorted(cells.items(), key=lambda kv: min(kv[1][1])):
            also = [describe(c, table, how=True, french=True) for c in reading.others[:SHOWN]]
            items.append(f"« {cell} » ({_rows_fr(rows)}) est lu comme "
                         f"{describe(reading.taken, table, how=True, french=True)}, mais peut "
                         "aussi désigner " + _more_fr(also, len(reading.others), " ou "))
        example = next(iter(cells.values()))[0].others[0].id
        return (f"{plural(n, 'cellule a', 'cellules ont')} une autre lecture possible : "
                + _more_fr(items[:SHOWN], len(items), " ; ")
                + ". C'est la première lecture qui est chargée ; pour une autre, écrivez son "
                  f"identifiant (par exemple {example}).")

    @staticmethod
    def _notices_fr(cells: dict[str, tuple[TerritoryReading, list[int]]],
                    table: TerritoryTable) -> str:
        n = sum(len(rows) for _, rows in cells.values())
        items = []
        for cell, (reading, rows) in sorted(cells.items(), key=lambda kv: min(kv[1][1])):
            taken = reading.taken
            items.append(f"« {cell} » ({_rows_fr(rows)}) est lu comme {describe(taken, table)}"
                         f" : {_notice_fr(taken)}")
        return (f"{plural(n, 'cellule nomme', 'cellules nomment')} une partie de commune ou "
                "une ancienne commune, chargée comme la commune : "
                + _more_fr(items[:SHOWN], len(items), " ; ") + ".")

    @staticmethod
    def _others_line(cells: dict[str, tuple[TerritoryReading, list[int]]],
                     table: TerritoryTable) -> str:
        n = sum(len(rows) for _, rows in cells.values())
        items = []
        for cell, (reading, rows) in sorted(cells.items(), key=lambda kv: min(kv[1][1])):
            also = [describe(c, table, how=True) for c in reading.others[:SHOWN]]
            items.append(f'"{cell}" ({_rows(rows)}) read as '
                         f"{describe(reading.taken, table, how=True)}, also "
                         + _more(also, len(reading.others), " or "))
        example = next(iter(cells.values()))[0].others[0].id
        return (f"{_cells(n)} {'has' if n == 1 else 'have'} another reading: "
                + _more(items[:SHOWN], len(items), "; ")
                + "; the first reading is the one loaded; to mean another, write its id "
                  f"(e.g. {example})")

    @staticmethod
    def _notices_line(cells: dict[str, tuple[TerritoryReading, list[int]]],
                      table: TerritoryTable) -> str:
        n = sum(len(rows) for _, rows in cells.values())
        items = []
        for cell, (reading, rows) in sorted(cells.items(), key=lambda kv: min(kv[1][1])):
            taken = reading.taken
            items.append(f'"{cell}" ({_rows(rows)}) read as {describe(taken, table)}: '
                         + _notice_en(taken))
        return (f"{_cells(n)} {'names' if n == 1 else 'name'} part of a commune or a former "
                "commune, read as the commune: " + _more(items[:SHOWN], len(items), "; "))
