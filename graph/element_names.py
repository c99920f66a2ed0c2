"""Elements named as people write them: the name key, the alias table, and the reading.

Shared by the loaders (``from``/``to`` of a connection, organisation names) and by the
questions (an organisation or programme given by id, name or alias in the API and the
CLI). It needs no database: :func:`read_element` decides from the rows a lookup found
(``queries/element_names.py`` reads them with ``queries/element_lookup.cypher``).

The rule follows :mod:`graph.territory_reference`:

- ``status == "found"``: one element; take it. An id (``org:le-rameau``) is looked up as
  an id first and wins over any name.
- ``status == "ambiguous"``: several elements share the name or alias; the caller asks
  back with :attr:`ElementReading.candidates` (API: 409 ``ambiguous_element``, CLI: exit 2).
  Never a silent pick.
- ``status == "unknown"``: nothing of that id, name or alias;
  :attr:`ElementReading.suggestions` holds the nearest names (never taken).
- ``status == "empty"``: nothing was written.

Case, accents, punctuation and spacing are ignored (:func:`name_key`).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from graph.vocabulary import ID_PREFIXES, normalise_token

ALIASES_PATH = Path(__file__).resolve().parents[1] / "data" / "aliases.csv"

Status = Literal["found", "ambiguous", "unknown", "empty"]
#: how a candidate was found
Via = Literal["id", "name", "alias", "suggestion"]

#: how many near misses an unknown text gets
SUGGESTIONS = 3
#: id prefixes of territories (``commune:59512``), looked up as ids too
_TERRITORY_PREFIXES = ("commune", "epci", "departement", "region")


@lru_cache(maxsize=65_536)
def name_key(name: str) -> str:
    """The comparison key of a name: no case, accents, punctuation or extra spaces
    (``"Caisse des dépôts"`` and ``"CAISSE DES DEPOTS"`` → ``caisse_des_depots``)."""
    return normalise_token(name)


@dataclass(frozen=True)
class AliasTable:
    """Known variants of organisation names: key of a variant → canonical name."""

    canonical: dict[str, str]
    #: canonical name → keys of all its spellings
    spellings: dict[str, frozenset[str]] = field(default_factory=dict)
    #: canonical name → its other spellings as the table writes them (``CDC``), which the
    #: loaders keep on the node so that a search finds them
    written: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        groups: dict[str, set[str]] = {}
        for key, canonical in self.canonical.items():
            groups.setdefault(canonical, set()).add(key)
        object.__setattr__(self, "spellings", {c: frozenset(k) for c, k in groups.items()})

    @classmethod
    def from_csv(cls, path: Path) -> AliasTable:
        table: dict[str, str] = {}
        written: dict[str, list[str]] = {}
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                canonical = (row.get("canonical") or "").strip()
                alias = (row.get("alias") or "").strip()
                if not canonical:
                    continue
                if alias and alias != canonical:
                    written.setdefault(canonical, []).append(alias)
                for text in (canonical, alias):
                    if text:
                        key = name_key(text)
                        if table.get(key, canonical) != canonical:
                            raise ValueError(f"{path.name}: {text!r} is an alias of both "
                                             f"{table[key]!r} and {canonical!r}")
                        table[key] = canonical
        return cls(table, written={c: tuple(dict.fromkeys(w)) for c, w in written.items()})

    def canonical_name(self, name: str) -> str:
        """The canonical spelling of ``name`` (itself when the table does not know it)."""
        return self.canonical.get(name_key(name), name)

    def other_spellings(self, name: str) -> tuple[str, ...]:
        """The table's other spellings of the organisation ``name`` names
        (``"Caisse des Dépôts"`` → ``("CDC", "Caisse des Dépôts et Consignations", …)``)."""
        return self.written.get(self.canonical_name(name), ())

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


# ---------------------------------------------------------------- readings


class ElementCandidate(BaseModel):
    """One element a text may name, and how it was found."""

    id: str = Field(examples=["org:le-rameau"])
    name: str | None = Field(default=None, examples=["Le RAMEAU"])
    label: str = Field(examples=["Organisation"])
    kind: str | None = Field(default=None, examples=["association"])
    via: Via = Field(examples=["alias"])


class ElementReading(BaseModel):
    """What a text names: the element taken, or the candidates, or near misses."""

    text: str
    status: Status
    #: the element taken (``found``), else None
    taken: ElementCandidate | None = None
    #: every element the text names (``ambiguous``: the choices)
    candidates: list[ElementCandidate] = Field(default_factory=list)
    #: near misses of an unknown text, nearest first; never taken
    suggestions: list[ElementCandidate] = Field(default_factory=list)
    #: in English, for the API, the CLI and logs
    message: str = ""
    #: the same in French, for the pages
    message_fr: str = ""


def looks_like_id(text: str) -> bool:
    """Whether ``text`` has the shape of an id (``org:…``, ``commune:…``, ``FR``): it is
    looked up as an id before any name."""
    prefix, sep, rest = text.partition(":")
    if text == "FR":
        return True
    return bool(sep and rest) and (prefix in ID_PREFIXES.values()
                                   or prefix in _TERRITORY_PREFIXES)


def lookup_keys(text: str, aliases: AliasTable | None = None) -> list[str]:
    """The name keys a text may match: its own, and those of its canonical name and
    every spelling of it in the alias table (``cdc`` → ``caisse_des_depots``…)."""
    aliases = aliases or default_aliases()
    keys = aliases.variant_keys(text) if text.strip() else set()
    return sorted(k for k in keys if k)


def _what(labels: Iterable[str] | None) -> str:
    names = [label.lower() for label in labels or ()]
    return " or ".join(names) if names else "element"


def _english(c: ElementCandidate) -> str:
    return f"{c.id} ({c.name})" if c.name else c.id


def _french(c: ElementCandidate) -> str:
    return f"{c.name} ({c.id})" if c.name else c.id


def read_element(text: str, rows: Iterable[dict[str, Any]], *,
                 labels: Iterable[str] | None = None,
                 aliases: AliasTable | None = None) -> ElementReading:
    """Decide what ``text`` names from the rows a lookup found (pure).

    ``rows`` are ``{id, name, label, kind, via, aliases}`` with ``via`` ``"id"`` (the
    text is its id), ``"name"`` (its name key is one of :func:`lookup_keys`) or
    ``"spelling"`` (a full-text hit: kept only if its name or one of its ``aliases``
    has the text's key, or a key of the text's spellings in the alias table).
    """
    aliases = aliases or default_aliases()
    text = text.strip()
    what = _what(labels)
    if not text:
        return ElementReading(text=text, status="empty",
                              message=f"no {what} given: give an id, a name or an alias",
                              message_fr="Rien n'a été saisi : indiquez un nom ou un "
                                         "identifiant.")
    rows = list(rows)
    by_id = [r for r in rows if r.get("via") == "id" and r.get("id") == text]
    if by_id:
        c = _candidate(by_id[0], "id")
        return ElementReading(text=text, status="found", taken=c, candidates=[c])
    own = name_key(text)
    keys = set(lookup_keys(text, aliases))
    found: dict[str, ElementCandidate] = {}
    for r in sorted(rows, key=lambda r: r["id"]):
        spellings = {name_key(r.get("name") or "")}
        if r.get("via") == "spelling":
            spellings |= {name_key(a) for a in r.get("aliases") or ()}
        matched = spellings & keys
        if r.get("via") == "id" or not matched:
            continue
        via: Via = "name" if name_key(r.get("name") or "") == own else "alias"
        if r["id"] not in found or via == "name":
            found[r["id"]] = _candidate(r, via)
    candidates = sorted(found.values(),
                        key=lambda c: (c.via != "name", name_key(c.name or ""), c.id))
    if len(candidates) == 1:
        return ElementReading(text=text, status="found", taken=candidates[0],
                              candidates=candidates)
    if candidates:
        listed = ", ".join(_english(c) for c in candidates)
        return ElementReading(
            text=text, status="ambiguous", candidates=candidates,
            message=f"{text!r} names {len(candidates)} elements: {listed}; ask again with "
                    "one of these ids",
            message_fr=f"« {text} » désigne plusieurs éléments : "
                       f"{', '.join(_french(c) for c in candidates)}. Précisez lequel.")
    return ElementReading(text=text, status="unknown")


def _candidate(row: dict[str, Any], via: Via) -> ElementCandidate:
    return ElementCandidate(id=row["id"], name=row.get("name"), label=row["label"],
                            kind=row.get("kind"), via=via)


def near_misses(text: str, rows: Iterable[dict[str, Any]], *,
                limit: int = SUGGESTIONS) -> list[ElementCandidate]:
    """The rows whose name (or one of whose aliases) is nearest to ``text`` (edit
    distance), for "did you mean"; never taken."""
    from rapidfuzz import fuzz

    key = name_key(text)
    if len(key) < 2:
        return []
    scored: dict[str, tuple[float, ElementCandidate]] = {}
    for r in rows:
        spellings = [r.get("name") or "", *(r.get("aliases") or ())]
        score = max(fuzz.ratio(key, name_key(s)) for s in spellings)
        if score < 60:
            continue
        if r["id"] not in scored or scored[r["id"]][0] < score:
            scored[r["id"]] = (score, _candidate(r, "suggestion"))
    ranked = sorted(scored.values(), key=lambda sc: (-round(sc[0]), sc[1].name or "",
                                                     sc[1].id))
    return [c for _, c in ranked[:limit]]


def unknown_reading(text: str, suggestions: list[ElementCandidate], *,
                    labels: Iterable[str] | None = None) -> ElementReading:
    """The reading of a text that names nothing, with its near misses."""
    text = text.strip()
    what = _what(labels)
    message = f"no {what} has the id, name or alias {text!r}"
    message_fr = f"Aucun élément ne s'appelle « {text} »."
    if suggestions:
        message += "; did you mean " + ", ".join(_english(c) for c in suggestions) + "?"
        message_fr += " Vouliez-vous dire : " + ", ".join(
            c.name or c.id for c in suggestions) + " ?"
    return ElementReading(text=text, status="unknown", suggestions=suggestions,
                          message=message, message_fr=message_fr)
