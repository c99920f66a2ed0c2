"""Validation of imported tables: every row of every file, before anything is written.

:func:`validate_tables` turns the tables that :mod:`loaders.tabular` read into
:class:`~loaders.write_plan.Plan` objects — per file, the nodes and relationships to write
and the errors found — in three steps:

1. **parse** each row, column by column, with the row parsers of :mod:`loaders.rows` (no
   database): an error names the file, row, column, value and reason;
2. **resolve** names and codes with a few bulk reads: organisations (alias table,
   SIREN/RNA, names already in the graph), territories, and the ``from``/``to`` of
   connections (ids or exact names, in this load or in the graph);
3. **decide** what survives: by default a file with any error is rejected whole; with
   ``skip_invalid`` only its bad rows are. A connection whose end is only defined by a
   rejected row (or file) is itself an error, until nothing changes.

A :class:`Validator` can take its tables in two calls of :meth:`Validator.validate`: the
files that define elements, then the files of connections only. The second call sees every
element of the first, so its answer is the one a single call would give, and the importer
writes the first files while the second call runs.
"""

from __future__ import annotations

from collections import defaultdict

from neo4j import Driver

from graph.vocabulary import (
    ELEMENT_TYPES,
    ID_PREFIXES,
    LABELS_BY_NAME,
    RELATIONSHIPS_BY_NAME,
    check_label,
    relationship_allows,
)
from loaders.cells import token
from loaders.errors import LoadError, LoadErrors, RowKey
from loaders.merged import kept_ids
from loaders.messages import Reason, Words, label_words, labels_words, reason, rel_words
from loaders.records import element_id
from loaders.resolve import OrganisationResolver, default_aliases
from loaders.rows import TERRITORY, ConnRow, ElementRow, Endpoint, Entry, parse_table
from loaders.tabular import CONNECTIONS, ELEMENTS, INVENTAIRE, Table
from loaders.territory_resolver import (
    ResolvedTerritory,
    TerritoryCellError,
    TerritoryNotes,
    TerritoryResolver,
)
from loaders.write_plan import Plan, merge_node, node_row


class Validator:
    """Validates a set of tables together (a pair of CSVs may reference each other)."""

    def __init__(self, driver: Driver | None, database: str = "neo4j",
                 skip_invalid: bool = False):
        self.driver = driver
        self.database = database
        self.skip_invalid = skip_invalid
        self.errors = LoadErrors()
        self.elements: list[ElementRow] = []
        self.conns: list[ConnRow] = []
        self.entries: dict[str, Entry] = {}
        self.names: dict[str, list[Entry]] = defaultdict(list)
        self.orgs = OrganisationResolver(aliases=default_aliases())
        self.territories = TerritoryResolver(driver, database) if driver else None
        self.territory_notes = TerritoryNotes()
        self.plans: dict[str, Plan] = {}
        # where the current call of validate() starts in the lists above
        self._first_element = 0
        self._first_conn = 0
        self._checked_ids: set[str] = set()
        #: (file, merged id) already said in the file's warnings
        self._merged_noted: set[tuple[str, str]] = set()
        #: merged organisations the connections of this call name → where they live on
        self._kept: dict[str, str] = {}

    def validate(self, tables: list[Table], files: set[str] | None = None) -> dict[str, Plan]:
        """Parse, resolve and decide ``tables``; the plans of their files (and ``files``).

        May be called again with more tables, as long as they define no element an earlier
        call's connections could name (the importer passes connection-only files second):
        the later call resolves its connections against every element defined so far.
        """
        self._first_element, self._first_conn = len(self.elements), len(self.conns)
        files = {t.file for t in tables} | set(files or ())
        for file in files:
            self.plans.setdefault(file, Plan(file))
        self.parse(tables)
        self.resolve()
        self.decide(files)
        return {f: self.plans[f] for f in files}

    # ---- step 1
    def parse(self, tables: list[Table]) -> None:
        # element tables first: connection tables may name their elements
        order = {ELEMENTS: 0, INVENTAIRE: 1, CONNECTIONS: 2}
        for table in sorted(tables, key=lambda t: order[t.kind]):
            plan = self.plans.setdefault(table.file, Plan(table.file))
            plan.tables.append(table)
            plan.warnings.extend(table.warnings)
            plan.rows_read += len(table.rows)
            parse_table(table, self.errors, self.elements, self.conns)

    def file_error(self, file: str, why: Reason, row: int | None = None,
                   column: str | None = None) -> None:
        self.plans.setdefault(file, Plan(file))
        self.errors.add_file(file, why, row, column)

    # ---- step 2
    def resolve(self) -> None:
        self._assign_ids()
        self._check_ids_against_graph()
        self._territories()
        self._endpoints()
        for file, warnings in self.territory_notes.drain().items():
            self.plans.setdefault(file, Plan(file)).warnings.extend(warnings)

    def _new_elements(self) -> list[ElementRow]:
        return self.elements[self._first_element:]

    def _new_conns(self) -> list[ConnRow]:
        return self.conns[self._first_conn:]

    def _assign_ids(self) -> None:
        # rows with an explicit id first: later rows naming them join them, and a load
        # with ids everywhere (a generated one) needs no name lookup in the graph at all
        derived = []
        merged = self._redirect_merged([e for e in self._new_elements()
                                        if e.given_id and e.label == "Organisation"])
        for e in self._new_elements():
            if e.given_id:
                e.id = e.given_id
                if e.id in merged:
                    # the kept organisation's name stays: the row's becomes an alias
                    e.id, e.given_id = merged[e.id], None
                if e.label == "Organisation":
                    self.orgs.remember(e.id, e.name, e.element.siren, e.element.rna)
                self._register(e)
            else:
                derived.append(e)
        if self.driver is not None:
            orgs = [e for e in derived if e.label == "Organisation"]
            refs = [end.text for c in self._new_conns() for end in (c.start, c.end)
                    if end.row is None and not end.territory and end.text not in self.entries]
            if orgs or refs:
                self.orgs.prefetch(self.driver, [e.name for e in orgs] + refs,
                                   [e.element.siren for e in orgs if e.element.siren],
                                   [e.element.rna for e in orgs if e.element.rna],
                                   self.database)
        for e in derived:
            if e.label == "Organisation":
                e.id = self.orgs.resolve(e.name, e.element.siren, e.element.rna)
            else:
                e.id = element_id(e.label, e.name)
            self._register(e)

    def _redirect_merged(self, rows: list[ElementRow]) -> dict[str, str]:
        """The ids given by ``rows`` of organisations merged into another
        (loaders/merge.py) → that other one, where their rows write; the file's report
        says so."""
        if self.driver is None or not rows:
            return {}
        kept = kept_ids(self.driver, [e.given_id for e in rows], database=self.database)
        for e in rows:
            if e.given_id in kept:
                self._note_merged(e.key[0], e.given_id, kept[e.given_id])
        return kept

    def _note_merged(self, file: str, merged: str, target: str) -> None:
        if (file, merged) in self._merged_noted:
            return
        self._merged_noted.add((file, merged))
        self.plans.setdefault(file, Plan(file)).warnings.append(Words(
            f"« {merged} » a été fusionnée dans « {target} » : ses lignes vont à « {target} ».",
            f"{merged!r} was merged into {target!r}: its rows go to {target!r}."))

    def _register(self, e: ElementRow) -> None:
        entry = self.entries.get(e.id)
        if entry is None:
            entry = self.entries[e.id] = Entry(e.id, e.label)
        elif entry.label != e.label:
            first = entry.rows[0].key if entry.rows else None
            where = (Words(f"ligne {first[2]}", f"row {first[2]}")
                     if first and first[0] == e.key[0] else
                     Words(f"{first[0]}, ligne {first[2]}", f"{first[0]} row {first[2]}")
                     if first else Words("une autre ligne", "another row"))
            self.errors.add(e.key, e.id_column, e.id, reason(
                "duplicate_id", id=e.id, first=label_words(entry.label), where=where,
                label=label_words(e.label)))
            return
        entry.rows.append(e)
        same_name = self.names[token(e.name)]
        if entry not in same_name:
            same_name.append(entry)

    def _check_ids_against_graph(self) -> None:
        """An explicit id already used by a node of another label is a conflict."""
        if self.driver is None:
            return
        odd = [e for e in self.entries.values() if e.id not in self._checked_ids
               and not e.id.startswith(ID_PREFIXES[e.label] + ":")]
        self._checked_ids.update(e.id for e in odd)
        if not odd:
            return
        ids = sorted(e.id for e in odd)
        found = self._graph_ids(ids)
        for entry in odd:
            other = found.get(entry.id)
            if other and other != entry.label:
                for e in entry.rows:
                    self.errors.add(e.key, e.id_column, e.id, reason(
                        "id_taken_in_graph", id=e.id, other=label_words(other),
                        label=label_words(entry.label)))

    def _graph_ids(self, ids: list[str]) -> dict[str, str]:
        labels = [*ELEMENT_TYPES, TERRITORY]

        def work(tx):
            out = {}
            for label in labels:
                q = (f"MATCH (n:{check_label(label)}) WHERE n.id IN $ids "
                     "RETURN n.id AS id")
                for rec in tx.run(q, ids=ids):
                    out.setdefault(rec["id"], label)
            return out

        with self.driver.session(database=self.database) as session:
            return session.execute_read(work)

    def _graph_names(self, keys: list[str]) -> dict[str, list[tuple[str, str]]]:
        def work(tx):
            out: dict[str, list[tuple[str, str]]] = defaultdict(list)
            for label in ELEMENT_TYPES:
                q = (f"MATCH (n:{check_label(label)}) WHERE n.name_key IN $keys "
                     "RETURN n.id AS id, n.name_key AS key")
                for rec in tx.run(q, keys=keys):
                    out[rec["key"]].append((rec["id"], label))
            return out

        with self.driver.session(database=self.database) as session:
            return session.execute_read(work)

    def _territories(self) -> None:
        elements, conns = self._new_elements(), self._new_conns()
        cells = {c for e in elements for c in e.element.territory}
        cells |= {c.end.text for c in conns if c.end.territory}
        if self.territories is not None and cells:
            self.territories.prefetch(cells)
        for e in elements:
            for cell in e.element.territory:
                if self.territories is None:
                    continue
                ref = self._territory(e.key, e.territory_column, cell)
                if ref is None:
                    continue
                e.territory_ids.append(ref.id)
                if e.label == "Need":
                    continue  # stored as a property: the model has no need→territory link
                rel = ("COVERS" if e.label == "Programme" else
                       "LOCATED_IN" if ref.level == "commune" else "ACTIVE_IN")
                start = Endpoint(e.name, e.territory_column, id=e.id, label=e.label,
                                 entry=self.entries.get(e.id or ""))
                end = Endpoint(cell, e.territory_column, id=ref.id, label=TERRITORY,
                               territory=True, level=ref.level)
                source = e.element.source
                self.conns.append(ConnRow(e.key, rel, start, end,
                                          {"source": source} if source else {}))

    def _endpoints(self) -> None:
        pending: list[Endpoint] = []
        conns = self._new_conns()  # with the territory links _territories just added
        for c in conns:
            for end in (c.start, c.end):
                if end.id is not None:
                    continue
                row = end.row
                if row is not None and row.id is not None:
                    end.id, end.label, end.entry = row.id, row.label, self.entries.get(row.id)
                elif end.territory:
                    continue
                elif not self._resolve_in_load(c, end):
                    pending.append(end)
        graph_ids: dict[str, str] = {}
        graph_names: dict[str, list[tuple[str, str]]] = {}
        if pending and self.driver is not None:
            texts = sorted({e.text for e in pending})
            graph_ids = self._graph_ids(texts)
            graph_names = self._graph_names(sorted({token(t) for t in texts}))
            # a merged organisation named by id or name: the one it was merged into
            orgs = [i for i, label in graph_ids.items() if label == "Organisation"]
            orgs += [i for found in graph_names.values() for i, label in found
                     if label == "Organisation"]
            self._kept = kept_ids(self.driver, orgs, database=self.database) if orgs else {}
        for c in conns:
            for end in (c.start, c.end):
                if end.id is None and not end.territory:
                    self._resolve_in_graph(c, end, graph_ids, graph_names)
            if c.end.territory and c.end.id is None:
                self._resolve_territory(c)
            if c.start.id is None or c.end.id is None:
                continue
            self._check_labels(c)

    def _resolve_in_load(self, c: ConnRow, end: Endpoint) -> bool:
        entry = self.entries.get(end.text)
        if entry is None:
            candidates = self.names.get(token(end.text), [])
            org_id = self.orgs.lookup(end.text)
            if org_id and org_id in self.entries and self.entries[org_id] not in candidates:
                candidates = [*candidates, self.entries[org_id]]
            if len(candidates) > 1:
                allowed = _allowed(c, end)
                fitting = [x for x in candidates if _label_set(x.label) & allowed]
                candidates = fitting or candidates
            if len(candidates) > 1:
                self.errors.add(c.key, end.column, end.text, _ambiguous(
                    end.text, [(x.id, x.label) for x in candidates[:5]]))
                end.id = ""
                return True
            entry = candidates[0] if candidates else None
        if entry is None:
            return False
        end.id, end.label, end.entry = entry.id, entry.label, entry
        return True

    def _resolve_in_graph(self, c: ConnRow, end: Endpoint, graph_ids: dict[str, str],
                          graph_names: dict[str, list[tuple[str, str]]]) -> None:
        if end.text in graph_ids:
            end.id, end.label = self._kept_id(c, end.text), graph_ids[end.text]
            return
        found = {(self._kept_id(c, i), label) for i, label in graph_names.get(token(end.text), [])}
        org_id = self.orgs.lookup(end.text)
        if org_id:
            found.add((org_id, "Organisation"))
        if len(found) > 1:
            allowed = _allowed(c, end)
            found = {x for x in found if _label_set(x[1]) & allowed} or found
        if len(found) == 1:
            end.id, end.label = next(iter(found))
            return
        if len(found) > 1:
            self.errors.add(c.key, end.column, end.text,
                            _ambiguous(end.text, sorted(found)[:5]))
            return
        self.errors.add(c.key, end.column, end.text, reason("unknown_element", value=end.text))

    def _kept_id(self, c: ConnRow, node_id: str) -> str:
        """``node_id``, or the organisation it was merged into (said in the report)."""
        target = self._kept.get(node_id)
        if target is None:
            return node_id
        self._note_merged(c.key[0], node_id, target)
        return target

    def _territory(self, key: RowKey, column: str, cell: str) -> ResolvedTerritory | None:
        """The territory of a cell, its other readings and notices noted for the report;
        None (and a row error) when the cell is refused."""
        try:
            ref = self.territories.resolve(cell)
        except TerritoryCellError as exc:
            self.errors.add(key, column, cell, exc.reason)
            return None
        if ref is not None:
            file, sheet, row = key
            self.territory_notes.note(file, sheet, row, column, cell,
                                      self.territories.reading(cell))
        return ref

    def _resolve_territory(self, c: ConnRow) -> None:
        if self.territories is None:
            return
        ref = self._territory(c.key, c.end.column, c.end.text)
        if ref is None:
            return
        c.end.id, c.end.label = ref.id, TERRITORY
        c.end.level = ref.level

    def _check_labels(self, c: ConnRow) -> None:
        if not c.start.id or not c.end.id:
            return
        if c.start.id == c.end.id:
            self.errors.add(c.key, c.end.column, c.end.text,
                            reason("self_connection", id=c.start.id))
            c.start.id = None
            return
        src = _label_set(c.start.label)
        dst = _label_set(c.end.label, c.end.level)
        if not relationship_allows(c.type, src, dst):
            spec = RELATIONSHIPS_BY_NAME[c.type]
            sources, targets = labels_words(spec.sources), labels_words(spec.targets)
            self.errors.add(
                c.key, c.start.column, f"{c.start.text} → {c.end.text}", reason(
                    "relationship_not_allowed", rel=rel_words(c.type),
                    start=label_words(c.start.label), end=label_words(c.end.label),
                    allowed=Words(f"{sources.fr} à {targets.fr}",
                                  f"{sources.en} → {targets.en}")))
            c.start.id = None
            return
        if RELATIONSHIPS_BY_NAME[c.type].symmetric and c.start.id > c.end.id:
            c.start, c.end = c.end, c.start  # stored once, in id order

    # ---- step 3
    def decide(self, files: set[str] | None = None) -> dict[str, Plan]:
        """Reject what must be, then group what survives into write batches.

        ``files``: the files to decide (None: all); the rows of this call only.
        """
        conns = self._new_conns()
        # without a single error every row lives: the liveness pass would change nothing
        while any(self.errors.by_file.values()):
            changed = False
            for c in conns:
                if not self._row_alive(c.key):
                    continue
                for end in (c.start, c.end):
                    entry = end.entry
                    if entry is None:
                        continue
                    if not any(self._row_alive(r.key) for r in entry.rows):
                        first = entry.rows[0].key
                        self.errors.add(c.key, end.column, end.text, reason(
                            "end_rejected", value=end.text, file=first[0], row=first[2]))
                        changed = True
                        break
            if not changed:
                break
        for file, plan in self.plans.items():
            if files is not None and file not in files:
                continue
            plan.errors = self.errors.by_file.get(file, [])
            plan.rejected = bool(plan.errors) and (
                not self.skip_invalid or file in self.errors.file_level)
            plan.rejected_rows = {k: v for k, v in self.errors.bad_rows.items() if k[0] == file}
        self._group()
        return self.plans

    def _row_alive(self, key: RowKey) -> bool:
        file = key[0]
        if file in self.errors.file_level:
            return False
        if not self.skip_invalid:
            return not self.errors.by_file.get(file)
        return key not in self.errors.bad_rows

    def _group(self) -> None:
        merged: dict[tuple[str, str], dict] = {}
        clean = not any(self.errors.by_file.values())  # every row lives
        for e in self._new_elements():
            if e.id is None or not (clean or self._row_alive(e.key)):
                continue
            if self.entries.get(e.id) is None or self.entries[e.id].label != e.label:
                continue
            file = e.key[0]
            node = merged.get((file, e.id))
            fresh = node_row(e)
            if node is None:
                merged[(file, e.id)] = fresh
            else:
                merge_node(node, fresh)
        for (file, _), node in merged.items():
            key = (node.pop("label"), tuple(node.pop("roles")))
            self.plans[file].nodes.setdefault(key, []).append(node)
        seen: set[tuple] = set()
        for c in self._new_conns():
            if not c.start.id or not c.end.id or not (clean or self._row_alive(c.key)):
                continue
            file = c.key[0]
            sig = (file, c.type, c.start.id, c.end.id)
            if sig in seen:
                continue
            seen.add(sig)
            start_label = _primary(c.start.label)
            end_label = _primary(c.end.label)
            self.plans[file].relationships.setdefault((c.type, start_label, end_label), []).append(
                {"from": c.start.id, "to": c.end.id, "origin": file, **c.props})


def _ambiguous(text: str, candidates: list[tuple[str, str]]) -> Reason:
    """Several elements answer to one name: the reason lists them (id and type)."""
    return reason("ambiguous_element", value=text, candidates=Words(
        ", ".join(f"{i} ({label_words(lab).fr})" for i, lab in candidates),
        ", ".join(f"{i} ({lab})" for i, lab in candidates)))


def _label_set(label: str | None, level: str | None = None) -> set[str]:
    if label is None:
        return set()
    labels = {label}
    spec = LABELS_BY_NAME.get(label)
    if spec:
        labels.update(spec.parents)
    if label == TERRITORY and level:
        labels.add({"country": "Country", "region": "Region", "departement": "Departement",
                    "epci": "Epci", "commune": "Commune"}.get(level, TERRITORY))
    return labels


def _allowed(c: ConnRow, end: Endpoint) -> set[str]:
    """The labels the vocabulary allows at this end of the connection."""
    spec = RELATIONSHIPS_BY_NAME[c.type]
    if spec.symmetric:
        return {*spec.sources, *spec.targets}
    return set(spec.sources if end is c.start else spec.targets)


def _primary(label: str | None) -> str:
    return TERRITORY if label in (None, TERRITORY) else label


def validate_tables(driver: Driver | None, tables: list[Table], *, database: str = "neo4j",
                    skip_invalid: bool = False,
                    file_errors: list[LoadError] | None = None) -> dict[str, Plan]:
    """Validate every row of every table; return one :class:`Plan` per file.

    Parameters
    ----------
    driver
        Used for a few bulk *reads* (organisations, territories, ids and names already in
        the graph); ``None`` validates offline (territories and graph names unresolved).
    file_errors
        Errors met while reading (undecodable bytes, empty file…): their files are rejected.
    """
    v = Validator(driver, database, skip_invalid)
    for err in file_errors or []:
        v.plans.setdefault(err.file, Plan(err.file))
        v.errors.add_error(err)
    return v.validate(tables, set(v.plans))
