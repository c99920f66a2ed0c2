"""Write plans: what a file will write, and the Cypher that writes it in UNWIND batches.

A :class:`Plan` is what validation decided for one file: its nodes (one row per node,
built by :func:`node_row`) and relationships, grouped by label and type, and its errors.
:func:`write_steps` turns a plan into :class:`WriteStep` objects, one ``MERGE`` query per
label, role set and set of properties, with the rows it runs over; labels, types and
property names come from the vocabulary and the code, never from a file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from neo4j.spatial import WGS84Point

from graph.vocabulary import ROLES, check_label, check_relationship, labels_for
from loaders.cells import token
from loaders.errors import LoadError, RowKey
from loaders.messages import Words
from loaders.records import element_id
from loaders.resolve import default_aliases
from loaders.rows import ElementRow
from loaders.tabular import Table


@dataclass
class Plan:
    """What validation decided for one file."""

    file: str
    tables: list[Table] = field(default_factory=list)
    errors: list[LoadError] = field(default_factory=list)
    #: in French and English
    warnings: list[Words] = field(default_factory=list)
    rows_read: int = 0
    rejected: bool = False
    #: (label, roles) → rows of {"id", "props", "create", "aliases"}
    nodes: dict[tuple[str, tuple[str, ...]], list[dict]] = field(default_factory=dict)
    #: (type, from label, to label) → rows of {"from", "to", "source", "role", "date"…}
    relationships: dict[tuple[str, str, str], list[dict]] = field(default_factory=dict)
    rejected_rows: dict[RowKey, list[LoadError]] = field(default_factory=dict)

    @property
    def element_count(self) -> int:
        return sum(len(rows) for rows in self.nodes.values())

    @property
    def connection_count(self) -> int:
        return sum(len(rows) for rows in self.relationships.values())


def node_row(e: ElementRow) -> dict:
    """The parameters of one node MERGE: always-set props, on-create props, aliases."""
    el = e.element
    props: dict[str, Any] = {}
    create: dict[str, Any] = {}
    naming = props if e.given_id else create
    canonical = e.name
    if e.label == "Organisation":
        canonical = default_aliases().canonical_name(e.name)
    # Spellings to keep for search. The row's own spelling matters when the node may bear
    # another name: an alias-table variant ("CDC"), or a node found by SIREN or in the graph
    # (its id is not the one this name derives). The query drops the node's own name.
    derived = not e.given_id and e.id == element_id(e.label, canonical)
    aliases = [a for a in (e.name, *el.aliases)
               if a != canonical or not (derived or e.given_id)]
    if e.label == "Organisation":  # the alias table's spellings: "CDC" finds the Caisse
        aliases += default_aliases().other_spellings(canonical)
    aliases = list(dict.fromkeys(aliases))
    naming["name"] = canonical
    naming["name_key"] = token(canonical)
    if e.kind_property and el.kind:
        props[e.kind_property] = el.kind
    for key in ("description", "url", "start", "end", "siren", "rna", "count"):
        value = getattr(el, key)
        if value is not None:
            props[key] = value
    if el.tags:
        props["tags"] = el.tags
    if el.audience:
        props["audience"] = el.audience
    if el.lat is not None and el.lon is not None:
        props["location"] = WGS84Point((el.lon, el.lat))
        # an explicit lat/lon wins: drop the mark of a location copied from the commune
        props["location_from"] = None
    if e.label == "Need" and e.territory_ids:
        props["territories"] = e.territory_ids
    if el.source:
        props["source"] = el.source
    else:
        create["source"] = e.key[0]
    return {"label": e.label, "roles": list(el.roles), "id": e.id, "props": props,
            "create": create, "aliases": aliases}


def merge_node(node: dict, other: dict) -> None:
    """Two rows of one file define one node: first non-empty value wins, lists join."""
    for part in ("props", "create"):
        for k, v in other[part].items():
            node[part].setdefault(k, v)
    if "name" in node["props"]:
        node["create"].pop("name", None)
        node["create"].pop("name_key", None)
    node["roles"] = sorted(set(node["roles"]) | set(other["roles"]))
    other_name = other["props"].get("name") or other["create"].get("name")
    own_name = node["props"].get("name") or node["create"].get("name")
    for a in [*other["aliases"], other_name]:
        if a and a != own_name and a not in node["aliases"]:
            node["aliases"].append(a)


@dataclass(frozen=True, slots=True)
class WriteStep:
    """One query of a file's writes and the rows it runs over, ``UNWIND`` batch by batch.

    Rows are lists, not maps: Bolt packs a list of values in a third of the time of the
    same values keyed by name, and the server reads ``row[1]`` as fast as ``row.name``.
    Node and relationship rows end with ``changed`` and ``history`` (the bookkeeping).
    """

    query: str
    rows: list[list[Any]]
    #: what a row counts as in the report: "elements", "connections" or "" (aliases)
    counts: str
    #: parameters the same for every row (the file's name), sent once a batch
    params: dict[str, Any] | None = None


def write_steps(plan: Plan, stamp: dict[str, Any] | None = None) -> list[WriteStep]:
    """Every write of a plan, in order: nodes (and their aliases), then relationships.

    One query per label, role set and set of properties the rows give (a file's rows share
    a few shapes), so each property is set by name from the vocabulary's fixed names.
    ``stamp``: the import's ``at``, ``import_id`` and ``dataset``
    (:meth:`loaders.history.Stamp.params`); None: a new import of the file's dataset.
    Rows marked by :func:`loaders.history.diff_plan` carry ``changed`` and ``history``.
    """
    if stamp is None:
        from loaders.history import Stamp, dataset_of

        stamp = Stamp.new(dataset_of(plan.file)).params()
    steps = []
    for (label, roles), rows in sorted(plan.nodes.items()):
        for (props, create), group in _by_keys(rows):
            steps.append(WriteStep(
                node_query(label, roles, props, create),
                [[r["id"], *(r["props"][k] for k in props), *(r["create"][k] for k in create),
                  r.get("changed", False), r.get("history")]
                 for r in group], "elements", stamp))
        named = [[r["id"], r["aliases"]] for r in rows if r["aliases"]]
        if named:
            steps.append(WriteStep(aliases_query(label), named, ""))
    for (rel, src, dst), rows in sorted(plan.relationships.items()):
        for props, group in _by_rel_props(rows):
            steps.append(WriteStep(
                relationship_query(rel, src, dst, props),
                [[r["from"], r["to"], *(r[p] for p in props), r.get("changed", False),
                  r.get("history")] for r in group],
                "connections", {"origin": plan.file, **stamp}))
    return steps


def bookkeeping_sets(var: str, first: int) -> str:
    """The ``SET`` items of the bookkeeping every write carries (graph/bookkeeping.py):
    last changed now when ``row[first]`` says the diff found a change (a new fact gets
    it on creation), the import and dataset that state it, a history entry ``row[first + 1]`` when
    there is one, and no retirement (a fact stated again is alive). ``first_seen`` is set
    on creation only (:func:`node_query`, :func:`relationship_query`): a fact written
    before history was kept has none, and so always existed for ``as_of``."""
    changed, entry = f"row[{first}]", f"row[{first + 1}]"
    return (
        f"{var}.last_changed = CASE WHEN {changed} THEN $at ELSE {var}.last_changed END, "
        f"{var}.import_id = $import_id, "
        f"{var}.datasets = CASE WHEN $dataset IN coalesce({var}.datasets, []) "
        f"THEN {var}.datasets ELSE coalesce({var}.datasets, []) + $dataset END, "
        f"{var}.history = CASE WHEN {entry} IS NULL THEN {var}.history "
        f"ELSE coalesce({var}.history, []) + {entry} END, "
        f"{var}.retired_at = null, {var}.retired_by = null ")


_PROPERTY_NAME = re.compile(r"^[a-z][a-z_]*$")


def _by_keys(rows: list[dict]) -> list[tuple[tuple[tuple[str, ...], tuple[str, ...]],
                                              list[dict]]]:
    """Rows grouped by the property names they set (a file's rows share a few shapes)."""
    groups: dict[tuple[tuple[str, ...], tuple[str, ...]], list[dict]] = {}
    for row in rows:
        key = (tuple(sorted(row["props"])), tuple(sorted(row["create"])))
        groups.setdefault(key, []).append(row)
    return sorted(groups.items())


def node_query(label: str, roles: tuple[str, ...], props: tuple[str, ...],
               create: tuple[str, ...]) -> str:
    """The MERGE of one label (and role labels) over rows ``[id, *props, *create]``.

    Labels come from the vocabulary only; property names from the code (never from a
    file), each set by name: unlike ``SET n += map`` that spares the planner an eager
    barrier. ``create`` properties are set only on a new node (a name derived by the
    importer must not rename a node found by SIREN).
    """
    extra = [lab for lab in labels_for(check_label(label)) if lab != label]
    extra += [check_label(ROLES[r]) for r in roles]
    set_labels = f"SET n:{':'.join(extra)} " if extra else ""
    for key in (*props, *create):
        if not _PROPERTY_NAME.match(key) or key == "id":
            raise ValueError(f"{key!r} is not a property the importer writes")
    sets = "SET " + "".join(f"n.{k} = row[{i}], " for i, k in enumerate(props, 1)) + \
        bookkeeping_sets("n", 1 + len(props) + len(create))
    on_create = "ON CREATE SET " + "".join(
        f"n.{k} = row[{i}], " for i, k in enumerate(create, 1 + len(props))) + \
        "n.first_seen = $at, n.last_changed = $at "
    return (
        "UNWIND $rows AS row "
        f"MERGE (n:{check_label(label)} {{id: row[0]}}) "
        f"{on_create}{sets}{set_labels}"
    )


def aliases_query(label: str) -> str:
    """Add spellings to ``aliases`` (all but the node's name) and rebuild ``aliases_text``.

    Rows are ``[id, [alias, ...]]``. Separate from :func:`node_query`, so the MERGE of the
    many rows without aliases needs no eager read-after-write.
    """
    return (
        "UNWIND $rows AS row "
        f"MATCH (n:{check_label(label)} {{id: row[0]}}) "
        "WITH n, reduce(acc = coalesce(n.aliases, []), a IN row[1] | "
        "  CASE WHEN a IN acc OR a = n.name THEN acc ELSE acc + a END) AS aliases "
        "WHERE size(aliases) > 0 "
        "SET n.aliases = aliases, "
        "    n.aliases_text = reduce(s = '', a IN aliases | "
        "      s + CASE WHEN s = '' THEN '' ELSE ' ' END + a)"
    )


#: relationship properties the interchange format carries
REL_PROPERTIES = ("source", "role", "date", "start", "end")


def _by_rel_props(rows: list[dict]) -> list[tuple[tuple[str, ...], list[dict]]]:
    """Rows grouped by the relationship properties they carry (most carry one or two)."""
    groups: dict[tuple[str, ...], list[dict]] = {}
    for row in rows:
        key = tuple(p for p in REL_PROPERTIES if row.get(p) is not None)
        groups.setdefault(key, []).append(row)
    return sorted(groups.items())


def relationship_query(rel: str, src: str, dst: str, props: tuple[str, ...]) -> str:
    """The MERGE of one relationship type between two labels, over rows
    ``[from, to, *props]``; labels and type from the vocabulary only.

    ``props`` are the properties the rows carry (from :data:`REL_PROPERTIES` only, never
    empty in a row of the group): those are set, the others keep what a previous load set.
    A new relationship without a ``source`` gets ``$origin``, the name of the file that
    created it.
    """
    if not set(props) <= set(REL_PROPERTIES):
        raise ValueError(f"{props!r}: not relationship properties the importer writes")
    sets = "".join(f"r.{p} = row[{i}], " for i, p in enumerate(props, 2))
    return (
        "UNWIND $rows AS row "
        f"MATCH (a:{check_label(src)} {{id: row[0]}}) "
        f"MATCH (b:{check_label(dst)} {{id: row[1]}}) "
        f"MERGE (a)-[r:{check_relationship(rel)}]->(b) "
        + "ON CREATE SET " + ("" if "source" in props else "r.source = $origin, ")
        + "r.first_seen = $at, r.last_changed = $at "
        + f"SET {sets}" + bookkeeping_sets("r", 2 + len(props))
    )
