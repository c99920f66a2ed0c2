"""Simple look-ups behind the API's resource routes: lists and details of organisations
and programmes, and a territory's summary.

One ``.cypher`` file each (``queries/elements_*.cypher``), ``$parameters`` only, models
out; written by the API engineer beside the question set of ``queries/questions.py``.
"""

from __future__ import annotations

from typing import Any

from neo4j import Driver
from pydantic import BaseModel, Field

from graph.sources import source_title
from graph.vocabulary import (
    ORGANISATION_KINDS,
    PROGRAMME_PHASES,
    ROLES,
    resolve_kind,
    resolve_phase,
    resolve_role,
)
from queries._run import check_page, organisation_ref, read, territory_ref
from queries.errors import InvalidParameter, NotFoundError
from queries.history import FactHistory, fact_history, reader_properties
from queries.lookups import _display
from queries.models import (
    Link,
    NodeRef,
    OrganisationRef,
    Page,
    ProgrammeRef,
    TerritoryCandidate,
    TerritoryRef,
    primary_label,
)
from queries.territory import resolve_territory_param

#: relationships listed on a detail page at most (the degree says how many there are)
LINKS_LIMIT = 500
#: properties that exist for the indexes, not for readers
_HIDDEN = frozenset({"name_key", "aliases_text"})


class OrganisationsPage(Page):
    items: list[OrganisationRef]


class ProgrammesPage(Page):
    items: list[ProgrammeRef]


class ElementDetail(BaseModel):
    """One organisation or programme: its properties and its relationships."""

    id: str
    name: str | None = None
    label: str
    labels: list[str]
    kind: str | None = Field(None, description="Organisation kind, or programme phase.")
    roles: list[str] = Field(default_factory=list, description="relay, catalyst")
    #: every other property, display-ready (dates as ISO text)
    properties: dict[str, Any]
    history: FactHistory | None = Field(
        None, description="When it entered the graph, last changed or was retired, the "
                          "datasets that state it, and each change with the values before "
                          "(null: written before history was kept).")
    source_title: str | None = Field(
        None, description="How people read `properties.source`: the seed document's title "
                          "and date (« Jouer Collectif » : bilan d'un an de crise (mars "
                          "2021)), or the source as it is.")
    commune: TerritoryRef | None = None
    links: list[Link]
    degree: int
    links_truncated: bool


class ChildCount(BaseModel):
    level: str
    count: int


class TerritoryDetail(BaseModel):
    """A territory, where it sits, what it contains, and how much happens there."""

    id: str
    code: str | None = None
    name: str | None = None
    level: str | None = None
    population: int | None = None
    location: dict[str, float] | None = None
    parents: list[TerritoryRef]
    children: list[ChildCount]
    #: organisations located or active in it or inside it
    organisations: int
    #: programmes covering it or a territory containing it whole
    programmes: int
    #: the other readings of the reference asked (``32``: also the région), with their ids
    also_matches: list[TerritoryCandidate] = Field(default_factory=list)
    #: a French notice when the reference named a former commune or an arrondissement
    notice: str | None = None
    #: for an EPCI spanning several départements or régions: programmes covering only one
    #: of them (see ``partial`` of its programmes)
    programmes_partial: int = 0


def _optional(value: str | None, resolver, what: str, allowed) -> str | None:
    # an empty value is no value of the list (the schema's enum): refused like any other
    if value is None:
        return None
    resolved = resolver(value)
    if resolved is None:
        raise InvalidParameter(f"unknown {what} {value!r}; use one of {', '.join(allowed)}")
    return resolved


def list_organisations(driver: Driver, *, kind: str | None = None, role: str | None = None,
                       territory: str | None = None, limit: int = 50, offset: int = 0,
                       database: str = "neo4j") -> OrganisationsPage:
    """Organisations by name, optionally of a kind, holding a role, in a territory.

    Parameters
    ----------
    kind
        An organisation kind or its alias (``association``, ``collectivité``).
    role
        ``relay`` or ``catalyst`` (or an alias: ``tête de pont``, ``catalyseur``).
    territory
        A territory parameter (see :func:`queries.territory.resolve_territory_param`):
        organisations located or active in it or in a territory inside it (PART_OF never
        followed through an EPCI: Marseille's organisations are not in the Var).

    Raises
    ------
    InvalidParameter
        An unknown kind or role, a negative page.
    NotFoundError
        An unknown territory.
    """
    check_page(limit, offset)
    kind_value = _optional(kind, resolve_kind, "organisation kind", ORGANISATION_KINDS)
    role_value = _optional(role, resolve_role, "role", tuple(ROLES))
    territory_id = (resolve_territory_param(driver, territory, database=database).id
                    if territory else None)
    row = read(driver, "elements_organisations", {
        "kind": kind_value, "role_label": ROLES[role_value] if role_value else None,
        "territory": territory_id, "limit": limit, "offset": offset,
    }, database=database)[0]
    return OrganisationsPage(total=row["total"], limit=limit, offset=offset,
                             items=[organisation_ref(item) for item in row["items"]])


def list_programmes(driver: Driver, *, phase: str | None = None, need: str | None = None,
                    limit: int = 50, offset: int = 0,
                    database: str = "neo4j") -> ProgrammesPage:
    """Programmes by name, optionally of a phase (``urgence``, ``relance``) or for a need id.

    Raises
    ------
    InvalidParameter
        An unknown phase, a negative page.
    """
    check_page(limit, offset)
    phase_value = _optional(phase, resolve_phase, "phase", PROGRAMME_PHASES)
    row = read(driver, "elements_programmes", {
        "phase": phase_value, "need": need or None, "limit": limit, "offset": offset,
    }, database=database)[0]
    return ProgrammesPage(total=row["total"], limit=limit, offset=offset,
                          items=[ProgrammeRef(id=i["id"], name=i.get("name"),
                                              phase=i.get("phase")) for i in row["items"]])


def _detail(row: dict[str, Any], kind_property: str) -> ElementDetail:
    props = dict(row["props"])
    labels = list(row["labels"])
    links = [
        Link(type=link["type"], direction=link["direction"],
             node=NodeRef(id=link["id"], name=link.get("name"),
                          label=primary_label(link.get("labels") or []),
                          labels=list(link.get("labels") or []), kind=link.get("kind")))
        for link in row["links"] if link.get("id") is not None
    ]
    commune = territory_ref(row["commune"]) if row.get("commune") else None
    roles = sorted(role for role, label in ROLES.items() if label in labels)
    return ElementDetail(
        id=props["id"], name=props.get("name"), label=primary_label(labels),
        labels=sorted(labels), kind=props.get(kind_property), roles=roles,
        properties={k: _display(v) for k, v in sorted(reader_properties(props, _HIDDEN).items())
                    if k not in ("id", "name", kind_property)},
        history=fact_history(props),
        source_title=source_title(props.get("source")), commune=commune, links=links,
        degree=row["degree"],
        links_truncated=row["degree"] > len(links) + (1 if commune else 0),
    )


def _element_detail(driver: Driver, question: str, element_id: str, kind_property: str,
                    what: str, database: str) -> ElementDetail:
    rows = read(driver, question, {"id": element_id, "links_limit": LINKS_LIMIT},
                database=database)
    if not rows:
        raise NotFoundError(f"no {what} with id {element_id!r}: search by name with /search?q=…")
    return _detail(rows[0], kind_property)


def organisation_detail(driver: Driver, organisation_id: str, *,
                        database: str = "neo4j") -> ElementDetail:
    """One organisation: properties, roles, commune, relationships (at most 500).

    Raises
    ------
    NotFoundError
        No organisation has that id.
    """
    return _element_detail(driver, "elements_organisation", organisation_id, "kind",
                           "organisation", database)


def programme_detail(driver: Driver, programme_id: str, *,
                     database: str = "neo4j") -> ElementDetail:
    """One programme: properties, phase, its organisations, needs and territories.

    Raises
    ------
    NotFoundError
        No programme has that id.
    """
    return _element_detail(driver, "elements_programme", programme_id, "phase", "programme",
                           database)


def territory_detail(driver: Driver, territory: str, *,
                     database: str = "neo4j") -> TerritoryDetail:
    """A territory as the territory parser reads it (id, INSEE or postal code, name), with
    its parents and counts, and the other readings of the reference.

    Raises
    ------
    InvalidParameter, AmbiguousTerritory, NotFoundError
        As :func:`queries.territory.resolve_territory_param`.
    """
    ref = resolve_territory_param(driver, territory, database=database)
    rows = read(driver, "elements_territory", {"id": ref.id}, database=database)
    if not rows:
        raise NotFoundError(f"no territory {territory!r}")
    row = rows[0]
    props = row["props"]
    location = props.get("location")
    return TerritoryDetail(
        id=ref.id, code=props.get("code"), name=props.get("name"), level=props.get("level"),
        population=props.get("population"),
        location=({"latitude": location.latitude, "longitude": location.longitude}
                  if location is not None else None),
        parents=[territory_ref(p) for p in row["parents"]],
        children=[ChildCount(**c) for c in row["children"]],
        organisations=row["organisations"], programmes=row["programmes"],
        also_matches=ref.also_matches, notice=ref.notice,
        programmes_partial=row["programmes_partial"],
    )
