"""The answers as French tables, for the "Télécharger (Excel)" links of the pages and the
API's ``format=csv``: one builder per list, each giving a :class:`Table` (a file name in
words, French headers, rows of plain cells) that :mod:`api.downloads` writes with the one
CSV writer (:mod:`graph.csv_writer`).

A page link and the API give the same bytes for the same question because both hand the
same answer model to the same builder. Types, kinds, phases, roles and relationships are
shown by their French names from the vocabulary, never as slugs; numbers stay numbers
(the writer gives them a decimal comma); dates are written ``jj/mm/aaaa``, which Excel in
French reads as a date. The last column of each table is the element's ``Identifiant``,
to find it again in the graph or the API.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from graph.csv_writer import Cell, csv_bytes
from graph.vocabulary import (
    FRENCH_NAMES,
    FRENCH_PLURALS,
    KIND_FR,
    PROGRAMME_PHASES,
    REL_FR,
    normalise_token,
)
from queries.models import (
    BrokersResult,
    CommunitiesResult,
    Connector,
    ConnectorsPage,
    GapsResult,
    GraphPath,
    Link,
    NearPage,
    OrganisationRef,
    TerritoryProgrammes,
    TerritoryRef,
)

#: which list of a partners-near answer becomes the rows
NearRows = Literal["items", "active_on_territory"]
#: which list of a connectors answer becomes the rows
ConnectorRows = Literal["items", "covering"]


@dataclass
class Table:
    """A list as a spreadsheet: its file name (ASCII words, ``.csv``), headers and rows."""

    filename: str
    headers: Sequence[str]
    rows: list[list[Cell]] = field(default_factory=list)

    def csv(self) -> bytes:
        """The file's bytes, as Excel opens them in French (:func:`graph.csv_writer.csv_bytes`)."""
        return csv_bytes([list(self.headers), *self.rows])


# --- words ------------------------------------------------------------------------------


def file_name(*parts: object) -> str:
    """A file name in words from ``parts``: accents and case folded, one ``-`` between
    words, at most 120 characters, ``.csv`` added.

    >>> file_name("partenaires", "Roubaix", 30.0, "km")
    'partenaires-roubaix-30-km.csv'
    >>> file_name("connecteurs", "Fonds d'urgence ESS", "Île-de-France", 12.5)
    'connecteurs-fonds-d-urgence-ess-ile-de-france-12-5.csv'
    """
    words = []
    for part in parts:
        if isinstance(part, float) and part.is_integer():
            part = int(part)
        token = normalise_token(str(part)).replace("_", "-")
        if token:
            words.append(token)
    return ("-".join(words)[:120].rstrip("-") or "liste") + ".csv"


def kind_fr(value: str | None) -> str:
    """An organisation kind, programme phase, role or territory level in French."""
    if not value:
        return ""
    return KIND_FR.get(value, value.replace("_", " "))


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def rel_fr(rel_type: str, direction: str = "out") -> str:
    """A relationship read in French from its start (``out``) or its end (``in``)."""
    out, inward = REL_FR.get(rel_type, (rel_type.lower().replace("_", " "),) * 2)
    return inward if direction == "in" else out


def date_cell(value: str | None) -> str:
    """An ISO date as ``jj/mm/aaaa`` (Excel in French reads it as a date); other text as is.

    >>> date_cell("2020-05-12"), date_cell("mai 2020"), date_cell(None)
    ('12/05/2020', 'mai 2020', '')
    """
    text = str(value or "")
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text[:10])
    return f"{match[3]}/{match[2]}/{match[1]}" if match else text


def _joined(items: Iterable[str]) -> str:
    return ", ".join(item for item in items if item)


def _name(node) -> str:
    return node.name or node.id


def _roles(o: OrganisationRef) -> str:
    return _joined(kind_fr(role) for role in o.roles)


def _links(links: list[Link]) -> str:
    return _joined(f"{rel_fr(link.type, link.direction)} {_name(link.node)}" for link in links)


def _territory(t: TerritoryRef) -> str:
    """A territory with its level: "Nord (département)"."""
    level = kind_fr(t.level).lower()
    return f"{_name(t)} ({level})" if level else _name(t)


def _path(path: GraphPath) -> str:
    return " → ".join(_name(n) for n in path.nodes)


def _placed_by(placed_by: str, located: bool) -> str:
    if placed_by == "own":
        return "ses coordonnées"
    if placed_by == "commune":
        return "la commune où elle est située" if located else "la commune où elle agit"
    return "le centre du territoire où elle agit"


# --- partners near -----------------------------------------------------------------------

NEAR_HEADERS = ("Organisation", "Type", "Rôles", "Distance (km)", "Commune", "Placée par",
                "Reliée à", "Identifiant")
ACTIVE_HEADERS = ("Organisation", "Type", "Rôles", "Active sur (territoire)", "Niveau",
                  "Reliée à", "Identifiant")


def near_table(page: NearPage, rows: NearRows = "items") -> Table:
    """The partners within the radius (``items``), nearest first, or those acting on a
    territory containing the commune beyond it (``active_on_territory``)."""
    commune = page.centre.commune
    where = commune.name if commune else "point"
    if rows == "active_on_territory":
        table = Table(file_name("actifs-sur-le-territoire", where), ACTIVE_HEADERS)
        active = page.active_on_territory
        for p in active.items if active else []:
            table.rows.append([_name(p.organisation), kind_fr(p.organisation.kind),
                               _roles(p.organisation), _name(p.territory),
                               kind_fr(p.territory.level), _links(p.connects_to),
                               p.organisation.id])
        return table
    table = Table(file_name("partenaires", where, page.radius_km, "km"), NEAR_HEADERS)
    for p in page.items:
        table.rows.append([_name(p.organisation), kind_fr(p.organisation.kind),
                           _roles(p.organisation), round(p.distance_km, 2),
                           p.commune.name if p.commune else "",
                           _placed_by(p.placed_by, p.commune is not None),
                           _links(p.connects_to), p.organisation.id])
    return table


# --- connectors -------------------------------------------------------------------------

CONNECTOR_HEADERS = ("Organisation", "Type", "Rôles", "Rôle dans le programme", "Présente à",
                     "Preuve", "Identifiant")
COVERING_HEADERS = ("Organisation", "Type", "Rôles", "Rôle dans le programme",
                    "Couvre depuis", "Preuve", "Identifiant")


def _connector_row(c: Connector, covering: bool) -> list[Cell]:
    places = (_territory(t) if covering else _name(t) for t in c.territories)
    return [_name(c.organisation), kind_fr(c.organisation.kind), _roles(c.organisation),
            _joined(rel_fr(rel) for rel in c.relations), _joined(places),
            " ; ".join(_path(p) for p in c.paths), c.organisation.id]


def connectors_table(page: ConnectorsPage, rows: ConnectorRows = "items") -> Table:
    """The organisations connecting the programme to the territory (``items``), or those
    covering it from a wider territory (``covering``), each with its proof path."""
    programme, territory = _name(page.programme), _name(page.territory)
    if rows == "covering":
        table = Table(file_name("organisations-couvrant", territory, programme),
                      COVERING_HEADERS)
        items = page.covering.items if page.covering else []
    else:
        table = Table(file_name("connecteurs", programme, territory), CONNECTOR_HEADERS)
        items = page.items
    table.rows.extend(_connector_row(c, rows == "covering") for c in items)
    return table


# --- gaps, programmes of a territory ----------------------------------------------------

GAP_HEADERS = ("Besoin", "Catégorie", "Exprimé par (organisations)", "Couvert en partie par",
               "Identifiant")


def gaps_table(result: GapsResult) -> Table:
    """The needs of the territory that no programme covering it addresses."""
    scope = "besoins-exprimes" if result.scope == "expressed" else "tous-les-besoins"
    table = Table(file_name(scope, "sans-programme", _name(result.territory)), GAP_HEADERS)
    for g in result.gaps:
        partial = _joined(f"{_name(q.programme)} ({_name(q.territory)} : {q.communes_covered} "
                          f"commune{'s' if q.communes_covered > 1 else ''} sur "
                          f"{q.communes_total})" for q in g.partial)
        table.rows.append([g.name or g.id, g.category or "", g.expressed_by, partial, g.id])
    return table


PROGRAMME_HEADERS = ("Phase", "Programme", "Répond aux besoins", "Couvre", "Couverture",
                     "Identifiant")


def programmes_table(result: TerritoryProgrammes) -> Table:
    """The programmes covering the territory, one row each (urgence, relance, structurel,
    then without phase; by name), with the needs they address; then those covering only
    part of it (an EPCI across départements)."""
    table = Table(file_name("programmes", _name(result.territory)), PROGRAMME_HEADERS)
    merged: dict[str, dict] = {}
    for group in result.groups:
        for item in group.programmes:
            entry = merged.setdefault(item.id, {"item": item, "needs": []})
            if group.need is not None and group.need not in entry["needs"]:
                entry["needs"].append(group.need)
    order = {phase: n for n, phase in enumerate(PROGRAMME_PHASES)}
    for entry in sorted(merged.values(), key=lambda e: (order.get(e["item"].phase or "", 99),
                                                         e["item"].name or "", e["item"].id)):
        item = entry["item"]
        table.rows.append([kind_fr(item.phase) or "non indiquée", _name(item),
                           _joined(_name(n) for n in entry["needs"]),
                           _joined(_territory(t) for t in item.covers), "entière", item.id])
    for q in result.partial:
        table.rows.append([kind_fr(q.programme.phase) or "non indiquée", _name(q.programme),
                           _joined(_name(n) for n in q.needs), _territory(q.territory),
                           f"partielle : {q.communes_covered} commune"
                           f"{'s' if q.communes_covered > 1 else ''} sur {q.communes_total}",
                           q.programme.id])
    return table


# --- analytics --------------------------------------------------------------------------


def brokers_table(result: BrokersResult) -> Table:
    """The brokers with a score above zero, by rank: a zero score says nothing (the pages
    hide them too)."""
    organisations = all(b.label == "Organisation" for b in result.items)
    table = Table(file_name("organisations-qui-font-le-pont"),
                  ("Rang", "Organisation" if organisations else "Élément", "Type",
                   "Score (intermédiarité)", "Identifiant"))
    for b in result.items:
        if b.score > 0:
            kind = kind_fr(b.kind) if b.label == "Organisation" else FRENCH_NAMES.get(
                b.label, b.label)
            table.rows.append([b.rank, b.name or b.id, kind, round(b.score, 6), b.id])
    return table


def _composition(labels: dict[str, int]) -> str:
    """``{"Organisation": 3, "Programme": 1}`` → "3 organisations, 1 programme"."""
    parts = []
    for label, n in sorted(labels.items(), key=lambda kv: (-kv[1], kv[0])):
        word = FRENCH_NAMES.get(label, label) if n < 2 else FRENCH_PLURALS.get(label, label)
        parts.append(f"{n} {_lower_first(word)}")
    return _joined(parts)


def communities_table(result: CommunitiesResult) -> Table:
    """The communities of two elements or more, largest first, with their best-connected
    members; the elements alone in their community folded into one last "Isolés" row."""
    table = Table(file_name("communautes"),
                  ("Communauté", "Taille", "Composition", "Principaux membres"))
    alone = [c for c in result.items if c.size == 1]
    for c in result.items:
        if c.size > 1:
            table.rows.append([c.index + 1, c.size, _composition(c.labels),
                               _joined(_name(m) for m in c.members)])
    if alone:
        labels: dict[str, int] = {}
        for c in alone:
            for label, n in c.labels.items():
                labels[label] = labels.get(label, 0) + n
        table.rows.append([f"Isolés ({len(alone)} élément{'s' if len(alone) > 1 else ''} "
                           f"seul{'s' if len(alone) > 1 else ''} dans "
                           f"{'leur' if len(alone) > 1 else 'sa'} communauté)", 1,
                           _composition(labels),
                           _joined(_name(m) for c in alone for m in c.members)])
    return table


# --- a dialogue space ------------------------------------------------------------------


def space_relation_fr(relation: str, role: str | None) -> str:
    """How a member sits in a space: "participe", "copilote", "participe (rapporteur)"."""
    base = "copilote" if relation == "COPILOTS" else "participe"
    return f"{base} ({role})" if role and role not in ("co-pilote", "copilote") else base


SpaceList = Literal["membres", "livrables", "evenements", "relais"]


def space_table(space, which: SpaceList) -> Table:
    """One list of a dialogue space's page (:class:`queries.spaces.SpaceDetail`): its named
    members, deliverables, events or relays."""
    name = file_name(which, _name(space))
    if which == "membres":
        table = Table(name, ("Membre", "Type", "Catégorie", "À quel titre", "Identifiant"))
        for m in space.members:
            table.rows.append([_name(m.node), FRENCH_NAMES.get(m.node.label, m.node.label),
                               kind_fr(m.node.kind), space_relation_fr(m.relation, m.role),
                               m.node.id])
    elif which == "livrables":
        table = Table(name, ("Livrable", "Type", "Date", "Identifiant"))
        for d in space.deliverables:
            table.rows.append([_name(d.node), FRENCH_NAMES.get(d.node.label, d.node.label),
                               date_cell(d.date), d.node.id])
    elif which == "evenements":
        table = Table(name, ("Événement", "Date", "Précision", "Identifiant"))
        for e in space.events:
            table.rows.append([_name(e.node), date_cell(e.date), e.role or "", e.node.id])
    else:
        table = Table(name, ("Organisation", "Relaie", "Précision", "Identifiant"))
        for r in space.relays:
            table.rows.append([_name(r.organisation), _name(r.deliverable), r.role or "",
                               r.organisation.id])
    return table
