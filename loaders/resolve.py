"""Organisation names: normalisation, the alias table, and official identifiers.

Rules (README, "Importing your data"):

1. Case, accents, punctuation and spacing never make a second organisation: names are
   compared by their key, :func:`graph.vocabulary.normalise_token` of the name
   (``"Caisse des dépôts"`` and ``"CAISSE DES DEPOTS"`` share ``caisse_des_depots``).
2. ``data/aliases.csv`` (``canonical,alias``) merges known variants onto one canonical
   name: ``"CDC"`` and ``"Caisse des Dépôts et Consignations"`` become ``"Caisse des
   Dépôts"``. The variant spellings are kept in ``aliases`` / ``aliases_text`` for search.
3. Official identifiers win: an organisation with a SIREN (or RNA number) already known
   — in the graph or earlier in the same load — is that organisation, whatever its name.
   A name match with a *different* SIREN is a different organisation (its id gets the
   SIREN as a suffix).
4. A derived id (``org:<slug>``) that an organisation of another name already holds is
   never reused: the new one gets ``-<SIREN>``, or ``-2``, ``-3``…

The graph is read in one query per load (:func:`OrganisationResolver.prefetch`), never
once per row.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from neo4j import Driver

from loaders.cells import token
from loaders.records import slugify

ALIASES_PATH = Path(__file__).resolve().parents[1] / "data" / "aliases.csv"


def name_key(name: str) -> str:
    """The comparison key of a name: no case, accents, punctuation or extra spaces."""
    return token(name)


@dataclass(frozen=True)
class AliasTable:
    """Known variants of organisation names: key of a variant → canonical name."""

    canonical: dict[str, str]
    #: canonical name → keys of all its spellings
    spellings: dict[str, frozenset[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        groups: dict[str, set[str]] = {}
        for key, canonical in self.canonical.items():
            groups.setdefault(canonical, set()).add(key)
        object.__setattr__(self, "spellings", {c: frozenset(k) for c, k in groups.items()})

    @classmethod
    def from_csv(cls, path: Path) -> AliasTable:
        table: dict[str, str] = {}
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                canonical = (row.get("canonical") or "").strip()
                alias = (row.get("alias") or "").strip()
                if not canonical:
                    continue
                for text in (canonical, alias):
                    if text:
                        key = name_key(text)
                        if table.get(key, canonical) != canonical:
                            raise ValueError(f"{path}: {text!r} is an alias of both "
                                             f"{table[key]!r} and {canonical!r}")
                        table[key] = canonical
        return cls(table)

    def canonical_name(self, name: str) -> str:
        """The canonical spelling of ``name`` (itself when the table does not know it)."""
        return self.canonical.get(name_key(name), name)

    def variant_keys(self, name: str) -> set[str]:
        """Keys of every spelling of the organisation ``name`` names (for graph lookups)."""
        canonical = self.canonical_name(name)
        keys = {name_key(name), name_key(canonical)}
        keys.update(self.spellings.get(canonical, ()))
        return keys


@lru_cache(maxsize=1)
def default_aliases() -> AliasTable:
    """The project's alias table, ``data/aliases.csv`` (empty if the file is missing)."""
    if not ALIASES_PATH.exists():
        return AliasTable({})
    return AliasTable.from_csv(ALIASES_PATH)


@dataclass
class KnownOrganisation:
    id: str
    siren: str | None = None
    rna: str | None = None


@dataclass
class OrganisationResolver:
    """Assigns one id per organisation, across the rows of a load and the graph."""

    aliases: AliasTable = field(default_factory=default_aliases)
    by_siren: dict[str, KnownOrganisation] = field(default_factory=dict)
    by_rna: dict[str, KnownOrganisation] = field(default_factory=dict)
    by_key: dict[str, KnownOrganisation] = field(default_factory=dict)
    #: ids taken by some organisation (graph or load), to avoid reusing one by accident
    ids: dict[str, KnownOrganisation] = field(default_factory=dict)

    def prefetch(self, driver: Driver, names: list[str], sirens: list[str], rnas: list[str],
                 database: str = "neo4j") -> None:
        """Read the organisations of the graph these names/identifiers may match (1 query).

        Also those holding the id a name would derive (``org:<slug>``): an organisation
        of another name that holds it must not receive this one's rows.
        """
        keys: set[str] = set()
        for name in set(names):
            keys.update(self.aliases.variant_keys(name))
        ids = sorted({derived_id(self.aliases.canonical_name(n)) for n in set(names)})
        if not (keys or sirens or rnas):
            return
        query = (
            "CALL () { UNWIND $keys AS k MATCH (o:Organisation {name_key: k}) RETURN o "
            "UNION UNWIND $sirens AS s MATCH (o:Organisation {siren: s}) RETURN o "
            "UNION UNWIND $rnas AS r MATCH (o:Organisation {rna: r}) RETURN o "
            "UNION UNWIND $ids AS i MATCH (o:Organisation {id: i}) RETURN o } "
            "RETURN o.id AS id, o.name AS name, o.name_key AS key, o.siren AS siren, "
            "o.rna AS rna"
        )

        def work(tx):
            return tx.run(query, keys=sorted(keys), sirens=sorted(set(sirens)),
                          rnas=sorted(set(rnas)), ids=ids).data()

        with driver.session(database=database) as session:
            rows = session.execute_read(work)
        for row in sorted(rows, key=lambda r: r["id"]):
            self.remember(row["id"], row["name"] or "", row["siren"], row["rna"],
                          extra_key=row["key"])

    def remember(self, org_id: str, name: str, siren: str | None, rna: str | None,
                 extra_key: str | None = None) -> KnownOrganisation:
        """Record an organisation (from the graph or a row), first come first kept."""
        known = self.ids.get(org_id)
        if known is None:
            known = self.ids[org_id] = KnownOrganisation(org_id, siren, rna)
        known.siren = known.siren or siren
        known.rna = known.rna or rna
        if siren:
            self.by_siren.setdefault(siren, known)
        if rna:
            self.by_rna.setdefault(rna, known)
        key = name_key(self.aliases.canonical_name(name))
        if key:
            self.by_key.setdefault(key, known)
        if extra_key:
            self.by_key.setdefault(extra_key, known)
        return known

    def resolve(self, name: str, siren: str | None = None, rna: str | None = None,
                given_id: str | None = None) -> str:
        """The id of the organisation named ``name`` (with optional identifiers)."""
        canonical = self.aliases.canonical_name(name)
        if given_id:
            org_id = given_id
        elif siren and siren in self.by_siren:
            org_id = self.by_siren[siren].id
        elif rna and rna in self.by_rna:
            org_id = self.by_rna[rna].id
        else:
            known = self._by_name(name)
            if known is not None and not _conflicts(known, siren, rna):
                org_id = known.id
            else:
                org_id = derived_id(canonical)
                if known is not None or org_id in self.ids:
                    # same name with another SIREN/RNA, or the id taken by an organisation
                    # of another name: another organisation, another id
                    org_id = self._free_id(org_id, siren or rna)
        self.remember(org_id, name, siren, rna)
        return org_id

    def _free_id(self, base: str, identifier: str | None) -> str:
        """``base-<siren>`` (or RNA) when given, else ``base-2``, ``base-3``… not taken."""
        if identifier:
            candidate = f"{base}-{identifier.lower()}"
            if candidate not in self.ids:
                return candidate
        n = 2
        while f"{base}-{n}" in self.ids:
            n += 1
        return f"{base}-{n}"

    def lookup(self, name: str) -> str | None:
        """The id of a known organisation by name (no creation)."""
        known = self._by_name(name)
        return known.id if known else None

    def _by_name(self, name: str) -> KnownOrganisation | None:
        for key in (name_key(self.aliases.canonical_name(name)), name_key(name)):
            if key in self.by_key:
                return self.by_key[key]
        return None


def derived_id(canonical_name: str) -> str:
    """The id an organisation named ``canonical_name`` gets when nothing else decides."""
    return "org:" + slugify(canonical_name)


def _conflicts(known: KnownOrganisation, siren: str | None, rna: str | None) -> bool:
    return bool((siren and known.siren and siren != known.siren)
                or (rna and known.rna and rna != known.rna))
