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
5. An organisation merged into another (loaders/merge.py) is that other one: its name,
   SIREN, RNA and id all resolve to the organisation it was merged into.

The graph is read in one query per load (:func:`OrganisationResolver.prefetch`), never
once per row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from neo4j import Driver

# The key and the alias table are shared with the questions (an organisation named in the
# API or the CLI): they live in graph/element_names.py, which needs no loader.
from graph.element_names import ALIASES_PATH, AliasTable, default_aliases, name_key
from loaders.merged import kept_ids
from loaders.records import slugify

__all__ = ["ALIASES_PATH", "AliasTable", "OrganisationResolver", "default_aliases",
           "derived_id", "name_key"]


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
            "o.rna AS rna, o.merged_into AS merged_into"
        )

        def work(tx):
            return tx.run(query, keys=sorted(keys), sirens=sorted(set(sirens)),
                          rnas=sorted(set(rnas)), ids=ids).data()

        with driver.session(database=database) as session:
            rows = session.execute_read(work)
        merged = sorted((r for r in rows if r["merged_into"]), key=lambda r: r["id"])
        for row in sorted(rows, key=lambda r: r["id"]):
            if not row["merged_into"]:
                self.remember(row["id"], row["name"] or "", row["siren"], row["rna"],
                              extra_key=row["key"])
        # a merged organisation's name and identifiers name the one it was merged into
        # (loaders/merge.py); its id stays taken, so no new organisation gets it
        kept = kept_ids(driver, [r["id"] for r in merged], database=database) if merged else {}
        for row in merged:
            known = self.remember(kept.get(row["id"], row["merged_into"]), row["name"] or "",
                                  row["siren"], row["rna"], extra_key=row["key"])
            self.ids.setdefault(row["id"], known)

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
