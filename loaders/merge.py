"""Merging two duplicate organisations into one, and undoing it.

:func:`merge` keeps ``keep`` and folds ``other`` into it, in **one write transaction**
(all or nothing; a hub of a few ten thousand relationships fits the default heap, and a
merge is never half done):

- every relationship of ``other`` is recreated on ``keep`` with its properties, then
  deleted from ``other``. A relationship ``keep`` already has (same type and other end;
  either direction for a symmetric type) is not created twice: the one ``keep`` has stays,
  with the datasets of both, the earliest ``first_seen``, alive if either was, and the
  fact properties it lacked taken from ``other``'s. A relationship between the two
  (which would become a loop) is removed;
- ``other``'s name and aliases join ``keep``'s ``aliases`` (and ``aliases_text``, as
  :func:`loaders.write_plan.aliases_query` keeps it); ``keep``'s name and ``name_key``
  stay; the role labels ``other`` had (relay, catalyst) are added to ``keep``;
- ``other`` stays, marked ``merged_into``, ``merged_at``, ``merged_by`` and retired
  (``retired_at``, ``retired_by`` the merge's id): every question hides it, its URL
  redirects to ``keep`` and a later load naming it (by id, name or SIREN) writes to
  ``keep`` (:func:`loaders.merged.kept_ids`, used by loaders/resolve.py and
  loaders/validate.py);
- a ``(:Merge {id: 'mrg-…'})`` node records who, when, which ids, and what to undo: the
  relationships removed with their properties, those created on ``keep`` and the
  previous properties of those it changed (JSON, loaders/stored_values.py).

:func:`undo_merge` gives back exactly the facts before the merge (the facts' hash,
graph/fact_hash.py, is the same again), provided nothing wrote to the moved
relationships in between: undoing deletes what the merge created on ``keep`` and puts
back the properties it changed. Both are bookkeeping (graph/bookkeeping.py): the Merge
node and the ``merged_*`` properties are outside the facts' hash.

Only organisations are merged: the duplicates stewards find (queries/duplicates.py).
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from dataclasses import dataclass, field
from typing import Any

from neo4j import Driver, ManagedTransaction

from graph.bookkeeping import is_bookkeeping
from graph.french import plural, when_fr
from graph.vocabulary import (
    KEYED_LABELS,
    LABELS,
    RELATIONSHIPS_BY_NAME,
    ROLES,
    check_label,
    check_relationship,
)
from loaders.history import entry, entry_prefix
from loaders.locations import DERIVE_LOCATIONS
from loaders.stored_values import decode, dumps, encode, loads, to_json

#: the keyed labels in the vocabulary's order: a node is matched by the first it carries
_KEYED_ORDER = [spec.name for spec in LABELS if spec.name in KEYED_LABELS]


class MergeError(ValueError):
    """A merge or an undo that cannot be done; ``str()`` in English (the API),
    ``message_fr`` for the command line and the pages."""

    def __init__(self, message: str, message_fr: str):
        super().__init__(message)
        self.message_fr = message_fr


class MergeNotFound(MergeError):
    """No organisation (or no merge) has that id."""


class MergeRefused(MergeError):
    """The elements exist but cannot be merged (the same one, one retired or merged
    already), or the merge cannot be undone (undone already, or its kept element merged
    since)."""


@dataclass
class MergeResult:
    """What a merge did."""

    id: str
    keep: str
    other: str
    keep_name: str | None
    other_name: str | None
    at: dt.datetime
    by: str | None
    #: relationships recreated on ``keep``
    moved: int = 0
    #: relationships ``keep`` had already (one kept, their datasets combined)
    combined: int = 0
    #: relationships between the two, removed
    dropped: int = 0
    aliases_added: list[str] = field(default_factory=list)
    labels_added: list[str] = field(default_factory=list)

    def summary_fr(self) -> str:
        """What the merge did, in French (the command line, the API's ``summary``)."""
        counts = ((self.moved, "lien déplacé", "liens déplacés"),
                  (self.combined, "lien commun fusionné", "liens communs fusionnés"),
                  (self.dropped, "lien entre les deux retiré", "liens entre les deux retirés"))
        parts = [plural(n, one, many) for n, one, many in counts if n] or ["aucun lien"]
        text = (f"« {self.other_name or self.other} » fusionnée dans "
                f"« {self.keep_name or self.keep} » : {', '.join(parts)}")
        if self.aliases_added:
            text += (f" ; {plural(len(self.aliases_added), 'nouvel alias', 'nouveaux alias')}"
                     " : " + ", ".join(f"« {a} »" for a in self.aliases_added))
        return text + "."


@dataclass
class UndoneMerge:
    """What undoing a merge gave back."""

    id: str
    keep: str
    other: str
    #: relationships of ``other`` written back
    relationships: int


def new_merge_id(at: dt.datetime) -> str:
    """``mrg-20261203-061502-3fa9``: sortable by time, unique with its random tail.

    >>> new_merge_id(dt.datetime(2026, 12, 3, 6, 15, 2, tzinfo=dt.UTC))[:20]
    'mrg-20261203-061502-'
    """
    return f"mrg-{at.astimezone(dt.UTC):%Y%m%d-%H%M%S}-{secrets.token_hex(2)}"


def _keyed(labels: list[str]) -> str:
    label = next((lab for lab in _KEYED_ORDER if lab in labels), None)
    if label is None:
        raise MergeRefused(f"a relationship ends on a node without a known label ({labels})",
                           "Un lien mène à un nœud d'un type inconnu : fusion impossible.")
    return label


def _native(value: Any) -> Any:
    return value.to_native() if hasattr(value, "to_native") else value


# --- merge --------------------------------------------------------------------------------


#: a write lock on nodes, held until the transaction ends (nothing stays written)
_LOCK_ORGANISATIONS = ("UNWIND $ids AS id MATCH (n:Organisation {id: id}) "
                       "SET n.merge_lock = true REMOVE n.merge_lock")
_NODES = (
    "UNWIND $ids AS id MATCH (n:Organisation {id: id}) "
    "RETURN n.id AS id, n.name AS name, labels(n) AS labels, n.aliases AS aliases, "
    "n.aliases_text AS aliases_text, n.retired_at AS retired_at, "
    "n.merged_into AS merged_into, n.merged_at AS merged_at, n.location AS location, "
    "n.location_from AS location_from"
)
_OTHER_RELATIONSHIPS = (
    "MATCH (o:Organisation {id: $id})-[r]-(e) "
    "RETURN DISTINCT elementId(r) AS rid, type(r) AS type, startNode(r) = o AS out, "
    "e.id AS end, labels(e) AS end_labels, properties(r) AS props"
)
_KEEP_RELATIONSHIPS = (
    "MATCH (k:Organisation {id: $id})-[r]-(e) WHERE e.id IN $ends "
    "RETURN DISTINCT elementId(r) AS rid, type(r) AS type, startNode(r) = k AS out, "
    "e.id AS end, properties(r) AS props"
)


def merge(driver: Driver, keep_id: str, other_id: str, *, by: str | None = None,
          database: str = "neo4j") -> MergeResult:
    """Fold the organisation ``other_id`` into ``keep_id`` (see the module).

    Parameters
    ----------
    driver, database
        Where to write.
    keep_id, other_id
        The organisation kept and its duplicate.
    by
        Who merges (kept in the record).

    Returns
    -------
    MergeResult
        The merge's id (``mrg-…``, for :func:`undo_merge`) and what it did.

    Raises
    ------
    MergeNotFound
        One of the ids names no organisation.
    MergeRefused
        The same id twice, or one of them retired or merged already.
    """
    if keep_id == other_id:
        raise MergeRefused(f"{keep_id!r} cannot be merged with itself: give two "
                           "organisations",
                           f"Une organisation ne peut pas être fusionnée avec elle-même "
                           f"(« {keep_id} ») : choisissez-en deux différentes.")
    at = dt.datetime.now(dt.UTC)
    merge_id = new_merge_id(at)

    def work(tx: ManagedTransaction) -> MergeResult:
        # both locked first: a merge of the same organisations at the same time waits for
        # this one, then reads them merged and is refused (never a relationship twice)
        tx.run(_LOCK_ORGANISATIONS, ids=[keep_id, other_id]).consume()
        nodes = {r["id"]: r for r in tx.run(_NODES, ids=[keep_id, other_id]).data()}
        for node_id in (keep_id, other_id):
            if node_id not in nodes:
                raise MergeNotFound(
                    f"no organisation {node_id!r}: `alliance-graph duplicates` lists the "
                    "probable duplicates",
                    f"Aucune organisation n'a l'identifiant « {node_id} ».")
            _check_alive(nodes[node_id])
        keep, other = nodes[keep_id], nodes[other_id]
        result = MergeResult(merge_id, keep_id, other_id, keep["name"], other["name"], at, by)
        record = _move_relationships(tx, keep_id, other_id, result)
        _fold_names(tx, keep, other, result, at)
        tx.run("MATCH (o:Organisation {id: $other}) "
               "SET o.merged_into = $keep, o.merged_at = $at, o.merged_by = $by, "
               "o.retired_at = $at, o.retired_by = $merge, "
               "o.history = coalesce(o.history, []) + $entry",
               other=other_id, keep=keep_id, at=at, by=by, merge=merge_id,
               entry=entry(merge_id, at, {"event": "merged", "other": keep_id})).consume()
        # keep's location may now come from a commune it received
        tx.run(DERIVE_LOCATIONS, rows=[{"id": keep_id}]).consume()
        tx.run("CREATE (m:Merge {id: $id, at: $at, by: $by, keep: $keep, other: $other, "
               "keep_name: $keep_name, other_name: $other_name, moved: $moved, "
               "combined: $combined, dropped: $dropped, aliases_added: $aliases_added, "
               "aliases_before: $aliases_before, aliases_text_before: $text_before, "
               "labels_added: $labels_added, location_before: $location, "
               "location_from_before: $location_from, relationships: $relationships})",
               id=merge_id, at=at, by=by, keep=keep_id, other=other_id,
               keep_name=keep["name"], other_name=other["name"], moved=result.moved,
               combined=result.combined, dropped=result.dropped,
               aliases_added=result.aliases_added, aliases_before=keep["aliases"],
               text_before=keep["aliases_text"], labels_added=result.labels_added,
               location=to_json(encode(keep["location"])),
               location_from=keep["location_from"],
               relationships=to_json(record)).consume()
        return result

    with driver.session(database=database) as session:
        result = session.execute_write(work)
    _after_write(driver, database)
    return result


def _check_alive(node: dict[str, Any]) -> None:
    """Refuse an organisation merged or retired already (French and English)."""
    name = node["name"] or node["id"]
    if node["merged_into"] is not None:
        when = when_fr(_native(node["merged_at"])) if node["merged_at"] else "?"
        raise MergeRefused(
            f"{node['id']!r} was merged into {node['merged_into']!r} already: merge with "
            "that one",
            f"L'organisation « {name} » a déjà été fusionnée dans « {node['merged_into']} » "
            f"le {when} : fusionnez plutôt avec celle-ci.")
    if node["retired_at"] is not None:
        when = when_fr(_native(node["retired_at"]))
        raise MergeRefused(
            f"{node['id']!r} was retired from the inventory: only present organisations "
            "are merged",
            f"L'organisation « {name} » a été retirée de l'inventaire le {when} : seules "
            "les organisations présentes se fusionnent (une annulation de chargement peut "
            "la rendre).")


def _ends(row: dict[str, Any], keep_id: str, end_label: str) -> dict[str, str]:
    """Where a relationship of ``other`` goes on ``keep``: its ends and their labels, in
    id order for a symmetric type (stored once, as the importer stores it)."""
    out = row["out"]
    if RELATIONSHIPS_BY_NAME[row["type"]].symmetric:
        out = keep_id < row["end"]
    if out:
        return {"from": keep_id, "from_label": "Organisation", "to": row["end"],
                "to_label": end_label}
    return {"from": row["end"], "from_label": end_label, "to": keep_id,
            "to_label": "Organisation"}


def _move_relationships(tx: ManagedTransaction, keep_id: str, other_id: str,
                        result: MergeResult) -> dict[str, list[dict[str, Any]]]:
    """Recreate ``other``'s relationships on ``keep`` (never a second copy), delete them
    from ``other``; what undoing needs."""
    rows = sorted(tx.run(_OTHER_RELATIONSHIPS, id=other_id).data(),
                  key=lambda r: (r["type"], r["end"], not r["out"]))
    ends = sorted({r["end"] for r in rows})
    # keep's relationships to the same ends: (type, from, to) → [element id, properties]
    current: dict[tuple[str, str, str], list[Any]] = {}
    for r in tx.run(_KEEP_RELATIONSHIPS, id=keep_id, ends=ends).data():
        a, b = (keep_id, r["end"]) if r["out"] else (r["end"], keep_id)
        current[(r["type"], a, b)] = [r["rid"], r["props"]]
    removed, created, changed = [], {}, {}
    for r in rows:
        check_relationship(r["type"])
        end_label = _keyed(r["end_labels"])
        original = ({"from": other_id, "from_label": "Organisation", "to": r["end"],
                     "to_label": end_label} if r["out"] else
                    {"from": r["end"], "from_label": end_label, "to": other_id,
                     "to_label": "Organisation"})
        removed.append({"type": r["type"], **original, "props": dumps(r["props"])})
        if r["end"] in (keep_id, other_id):  # between the two: it would become a loop
            result.dropped += 1
            continue
        target = _ends(r, keep_id, end_label)
        key = (r["type"], target["from"], target["to"])
        flipped = (r["type"], target["to"], target["from"])
        if (RELATIONSHIPS_BY_NAME[r["type"]].symmetric and key not in current
                and key not in created and (flipped in current or flipped in created)):
            key = flipped  # stored the other way round: the same partnership
        if key in created:  # two of other's became one (a symmetric pair)
            created[key]["props"] = combine(created[key]["props"], r["props"])
            result.combined += 1
        elif key in current:
            rid, props = current[key]
            changed.setdefault(key, {"type": r["type"], "rid": rid, "before": props,
                                     **_labelled(key, target)})
            current[key][1] = combine(props, r["props"])
            result.combined += 1
        else:
            created[key] = {"type": r["type"], **target, "props": dict(r["props"])}
            result.moved += 1
    for key, c in changed.items():
        tx.run("MATCH ()-[r]->() WHERE elementId(r) = $rid SET r = $props",
               rid=c["rid"], props=current[key][1]).consume()
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for c in created.values():
        groups.setdefault((c["type"], c["from_label"], c["to_label"]), []).append(c)
    for (rel, src, dst), group in sorted(groups.items()):
        tx.run(f"UNWIND $rows AS row MATCH (a:{check_label(src)} {{id: row.from}}) "
               f"MATCH (b:{check_label(dst)} {{id: row.to}}) "
               f"CREATE (a)-[r:{check_relationship(rel)}]->(b) SET r = row.props",
               rows=group).consume()
    tx.run("UNWIND $rids AS rid MATCH ()-[r]->() WHERE elementId(r) = rid DELETE r",
           rids=sorted({r["rid"] for r in rows})).consume()
    return {
        "removed": removed,
        "created": [{k: c[k] for k in ("type", "from", "from_label", "to", "to_label")}
                    for c in created.values()],
        "changed": [{k: c[k] for k in ("type", "from", "from_label", "to", "to_label")}
                    | {"props": dumps(c["before"])} for c in changed.values()],
    }


def _labelled(key: tuple[str, str, str], target: dict[str, str]) -> dict[str, str]:
    """The ends of keep's relationship ``key`` with their labels (its direction may be the
    other way round from ``target`` for a symmetric type)."""
    _, a, b = key
    if (a, b) == (target["from"], target["to"]):
        return {k: target[k] for k in ("from", "from_label", "to", "to_label")}
    return {"from": a, "from_label": target["to_label"], "to": b,
            "to_label": target["from_label"]}


def combine(kept: dict[str, Any], other: dict[str, Any]) -> dict[str, Any]:
    """The properties of one relationship both organisations had: ``kept``'s, with the
    fact properties it lacks from ``other``, the datasets of both, the earliest
    ``first_seen`` (none: before history was kept, so earliest of all), alive if either
    was.

    >>> combine({"source": "a", "datasets": ["x"]}, {"source": "b", "role": "r",
    ...                                             "datasets": ["y", "x"]})
    {'source': 'a', 'datasets': ['x', 'y'], 'role': 'r'}
    """
    out = dict(kept)
    for key, value in other.items():
        if not is_bookkeeping(key) and out.get(key) is None:
            out[key] = value
    datasets = list(dict.fromkeys([*(kept.get("datasets") or []),
                                   *(other.get("datasets") or [])]))
    if datasets:
        out["datasets"] = datasets
    if "first_seen" in kept or "first_seen" in other:
        seen = [kept.get("first_seen"), other.get("first_seen")]
        out["first_seen"] = (None if None in seen
                             else min(seen, key=lambda v: _native(v)))
    if kept.get("retired_at") is not None and other.get("retired_at") is None:
        out["retired_at"] = out["retired_by"] = None
    return {k: v for k, v in out.items() if v is not None}


def _fold_names(tx: ManagedTransaction, keep: dict[str, Any], other: dict[str, Any],
                result: MergeResult, at: dt.datetime) -> None:
    """``other``'s spellings into ``keep``'s aliases, its role labels onto ``keep``, a
    history entry on ``keep``."""
    before = list(keep["aliases"] or [])
    added = [a for a in dict.fromkeys([other["name"], *(other["aliases"] or [])])
             if a and a != keep["name"] and a not in before]
    result.aliases_added = added
    roles = set(ROLES.values())
    result.labels_added = sorted(lab for lab in other["labels"]
                                 if lab in roles and lab not in keep["labels"])
    sets = ["k.history = coalesce(k.history, []) + $entry"]
    if added:  # as loaders/write_plan.py::aliases_query writes them
        sets.append("k.aliases = $aliases, k.aliases_text = $text")
    sets += [f"k:{check_label(lab)}" for lab in result.labels_added]
    tx.run(f"MATCH (k:Organisation {{id: $keep}}) SET {', '.join(sets)}",
           keep=keep["id"], aliases=before + added, text=" ".join(before + added),
           entry=entry(result.id, at, {"event": "absorbed", "other": other["id"]})).consume()


def _after_write(driver: Driver, database: str) -> None:
    """What every write through the product ends with: the full-text index up to date
    (keep's new aliases found by a search), the questions' caches emptied."""
    from graph.cache import clear_caches
    from graph.schema import refresh_fulltext

    refresh_fulltext(driver, database)
    clear_caches()


# --- undo ---------------------------------------------------------------------------------


def undo_merge(driver: Driver, merge_id: str, *, by: str | None = None,
               database: str = "neo4j") -> UndoneMerge:
    """Give back the facts as they were before merge ``merge_id``: ``other`` alive with its
    relationships and properties, ``keep`` without what it received.

    Raises
    ------
    MergeNotFound
        No merge has this id.
    MergeRefused
        It was undone already, or its kept organisation was merged since (undo that
        merge first).
    """
    at = dt.datetime.now(dt.UTC)

    def work(tx: ManagedTransaction) -> UndoneMerge:
        # the record locked first: the same undo at the same time waits, then is refused
        m = tx.run("MATCH (m:Merge {id: $id}) SET m.undo_lock = true REMOVE m.undo_lock "
                   "RETURN properties(m) AS m", id=merge_id).single()
        if m is None:
            raise MergeNotFound(f"no merge {merge_id!r}",
                                f"Aucune fusion n'a l'identifiant « {merge_id} ».")
        m = m["m"]
        if m.get("undone_at") is not None:
            raise MergeRefused(
                f"merge {merge_id!r} was undone already",
                f"La fusion « {merge_id} » a déjà été annulée le "
                f"{when_fr(_native(m['undone_at']))}.")
        tx.run(_LOCK_ORGANISATIONS, ids=[m["keep"], m["other"]]).consume()
        keep = tx.run("MATCH (k:Organisation {id: $id}) RETURN k.merged_into AS into, "
                      "k.aliases AS aliases", id=m["keep"]).single()
        if keep is not None and keep["into"] is not None:
            later = tx.run("MATCH (l:Merge {other: $keep}) WHERE l.undone_at IS NULL "
                           "RETURN l.id AS id", keep=m["keep"]).single()
            later_id = later["id"] if later else "?"
            raise MergeRefused(
                f"{m['keep']!r} was merged into {keep['into']!r} since ({later_id}): undo "
                "that merge first",
                f"« {m['keep']} » a depuis été fusionnée dans « {keep['into']} » "
                f"({later_id}) : annulez d'abord cette fusion-là.")
        record = json.loads(m["relationships"])
        _restore_relationships(tx, record)
        _restore_names(tx, m, keep["aliases"] if keep else None)
        prefix = entry_prefix(merge_id)
        forget = ("history = CASE WHEN size([h IN coalesce(x.history, []) WHERE NOT h "
                  "STARTS WITH $prefix]) = 0 THEN null ELSE [h IN x.history WHERE NOT h "
                  "STARTS WITH $prefix] END")
        tx.run(f"MATCH (x:Organisation {{id: $keep}}) SET x.{forget}",
               keep=m["keep"], prefix=prefix).consume()
        tx.run("MATCH (x:Organisation {id: $other}) "
               "SET x.merged_into = null, x.merged_at = null, x.merged_by = null, "
               f"x.retired_at = null, x.retired_by = null, x.{forget}",
               other=m["other"], prefix=prefix).consume()
        tx.run("MATCH (m:Merge {id: $id}) SET m.undone_at = $at, m.undone_by = $by",
               id=merge_id, at=at, by=by).consume()
        return UndoneMerge(merge_id, m["keep"], m["other"], len(record["removed"]))

    with driver.session(database=database) as session:
        done = session.execute_write(work)
    _after_write(driver, database)
    return done


def _match(row: dict[str, Any]) -> str:
    return (f"MATCH (a:{check_label(row['from_label'])} {{id: $from}})"
            f"-[r:{check_relationship(row['type'])}]->"
            f"(b:{check_label(row['to_label'])} {{id: $to}}) ")


def _restore_relationships(tx: ManagedTransaction, record: dict[str, Any]) -> None:
    """Delete what the merge created on keep, put back what it changed, write other's
    relationships again."""
    for row in record["created"]:
        tx.run(_match(row) + "DELETE r", {"from": row["from"], "to": row["to"]}).consume()
    for row in record["changed"]:
        tx.run(_match(row) + "SET r = $props",
               {"from": row["from"], "to": row["to"], "props": loads(row["props"])}).consume()
    for row in record["removed"]:
        tx.run(f"MATCH (a:{check_label(row['from_label'])} {{id: $from}}) "
               f"MATCH (b:{check_label(row['to_label'])} {{id: $to}}) "
               f"CREATE (a)-[r:{check_relationship(row['type'])}]->(b) SET r = $props",
               {"from": row["from"], "to": row["to"], "props": loads(row["props"])}).consume()


def _restore_names(tx: ManagedTransaction, m: dict[str, Any], current: list[str] | None) -> None:
    """Keep's aliases without those the merge added (exactly as they were when nothing
    else changed them since), its location as it was, without the role labels it got."""
    added = set(m.get("aliases_added") or [])
    aliases = [a for a in (current or []) if a not in added]
    if aliases == list(m.get("aliases_before") or []):
        aliases, text = m.get("aliases_before"), m.get("aliases_text_before")
    else:
        aliases, text = aliases or None, " ".join(aliases) or None
    sets = ["k.aliases = $aliases, k.aliases_text = $text",
            "k.location = $location, k.location_from = $location_from"]
    location = json.loads(m.get("location_before") or "null")
    remove = "".join(f" REMOVE k:{check_label(lab)}" for lab in m.get("labels_added") or [])
    tx.run(f"MATCH (k:Organisation {{id: $keep}}) SET {', '.join(sets)}{remove}",
           keep=m["keep"], aliases=aliases, text=text,
           location=None if location is None else decode(location),
           location_from=m.get("location_from_before")).consume()
