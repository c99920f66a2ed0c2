"""The dialogue spaces in full, and organisations read from a page box: the questions of
the space pages (``/espaces``) and of the path page (``/chemin``).

``space_details`` answers ``space_details.cypher`` (members with their relation and role,
deliverables, events, relays); ``organisations_by_id`` answers
``organisations_by_id.cypher`` (which texts of a box are organisation ids).
"""

from __future__ import annotations

from typing import Any

from neo4j import Driver
from pydantic import BaseModel, Field

from queries._run import node_ref, read
from queries.models import NodeRef, primary_label


class SpaceMemberDetail(BaseModel):
    """Who sits in a space: an organisation or a person, how (``PARTICIPATES_IN`` or
    ``COPILOTS``) and the role the source gives, if any."""

    node: NodeRef
    relation: str
    role: str | None = None


class SpaceOutput(BaseModel):
    """Something a space produced (a deliverable, a study) or held (an event)."""

    node: NodeRef
    date: str | None = None
    role: str | None = None


class SpaceRelay(BaseModel):
    """An organisation that relays something the space produced."""

    organisation: NodeRef
    role: str | None = None
    deliverable: NodeRef


class SpaceDetail(BaseModel):
    """One dialogue space in full."""

    id: str
    name: str | None = None
    description: str | None = None
    start: str | None = None
    end: str | None = None
    tags: list[str] = Field(default_factory=list)
    #: the member count the documents give (``count``), when they give one
    declared_count: int | None = None
    #: where the space comes from, as stored (a seed document's file name)
    source: str | None = None
    members: list[SpaceMemberDetail]
    deliverables: list[SpaceOutput]
    events: list[SpaceOutput]
    relays: list[SpaceRelay]

    @property
    def named_count(self) -> int:
        """Distinct members the graph names (a copilot that also participates counts once)."""
        return len({m.node.id for m in self.members})

    @property
    def copilots(self) -> list[SpaceMemberDetail]:
        return [m for m in self.members if m.relation == "COPILOTS"]


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def space_details(driver: Driver, ids: list[str] | None = None, *,
                  database: str = "neo4j") -> list[SpaceDetail]:
    """The dialogue spaces (all, or those of ``ids``) in full, by name.

    Parameters
    ----------
    ids
        Space ids; None for every dialogue space. An id that is no dialogue space is
        left out (an empty list for one unknown id).

    Returns
    -------
    list[SpaceDetail]
    """
    rows = read(driver, "space_details", {"ids": ids}, database=database)
    spaces = []
    for row in rows:
        s = row["space"]
        tags = s.get("tags")
        spaces.append(SpaceDetail(
            id=s["id"], name=s.get("name"), description=s.get("description"),
            start=_text(s.get("start")), end=_text(s.get("end")),
            tags=list(tags) if isinstance(tags, list) else ([tags] if tags else []),
            declared_count=s.get("count"), source=_text(s.get("source")),
            members=[SpaceMemberDetail(node=node_ref(m), relation=m["relation"],
                                       role=m.get("role")) for m in row["members"]],
            deliverables=[SpaceOutput(node=node_ref(d), date=_text(d.get("date")),
                                      role=d.get("role")) for d in row["deliverables"]],
            events=[SpaceOutput(node=NodeRef(id=e["id"], name=e.get("name"), label="Event",
                                             labels=["Event"]),
                                date=_text(e.get("start")), role=e.get("role"))
                    for e in row["events"]],
            relays=[SpaceRelay(organisation=node_ref(r), role=r.get("role"),
                               deliverable=NodeRef(id=r["deliverable"]["id"],
                                                   name=r["deliverable"].get("name"),
                                                   label="Deliverable"))
                    for r in row["relays"]],
        ))
    return spaces


def organisations_by_id(driver: Driver, ids: list[str], *,
                        database: str = "neo4j") -> dict[str, NodeRef]:
    """Which of ``ids`` are organisations: id → its reference (others left out)."""
    if not ids:
        return {}
    rows = read(driver, "organisations_by_id", {"ids": sorted(set(ids))}, database=database)
    return {row["id"]: NodeRef(id=row["id"], name=row.get("name"), kind=row.get("kind"),
                               labels=row["labels"], label=primary_label(row["labels"]))
            for row in rows}
