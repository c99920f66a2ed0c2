"""Small look-ups the web pages need: an element's card, pick lists.

Written for ``api/routers/pages.py`` (they are not part of the main question set of
``queries/__init__.py``): one ``.cypher`` file each, ``$parameters`` only, models out.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from neo4j import Driver
from pydantic import BaseModel, Field

from queries._run import read, read_one
from queries.errors import NotFoundError
from queries.history import FactHistory, fact_history, reader_properties
from queries.models import primary_label

# Properties that exist for the indexes, not for readers.
_HIDDEN_PROPERTIES = frozenset({"name_key", "aliases_text"})


class SourceUse(BaseModel):
    """How many relationships of one type and direction cite one source."""

    type: str
    #: "out": the element is the relationship's start (« dirige »); "in": its end (« dirigé par »)
    direction: Literal["out", "in"] = "out"
    source: str | None = None
    uses: int


class ElementCard(BaseModel):
    """One node as a reader sees it: what it is, what the graph says, where that comes from."""

    id: str
    name: str | None = None
    label: str
    labels: list[str]
    #: every property but the index helpers, as display-ready values
    properties: dict[str, str | int | float | bool | list[str] | None]
    #: the node's own ``source`` values (a list property is split)
    sources: list[str] = Field(default_factory=list)
    #: the ``source`` of its relationships, per type
    relationship_sources: list[SourceUse] = Field(default_factory=list)
    degree: int = 0
    #: when it entered the graph, changed, left it (None: written before history was kept)
    history: FactHistory | None = None


class Choice(BaseModel):
    """One entry of a pick list: id, name and a qualifier (need category, programme phase)."""

    id: str
    name: str | None = None
    extra: str | None = None


def _display(value: Any) -> Any:
    """A property value as text or JSON-like data: points, dates and times become strings."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    # Before the list case: a neo4j Point is a tuple.
    if hasattr(value, "latitude") and hasattr(value, "longitude"):
        return f"{value.latitude:.5f}, {value.longitude:.5f}"
    if isinstance(value, (list, tuple)):
        return [str(_display(v)) for v in value]
    if hasattr(value, "iso_format"):
        return value.iso_format()
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def _as_list(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if v not in (None, "")]
    return [str(value)]


def element_card(driver: Driver, element_id: str, *, database: str = "neo4j") -> ElementCard:
    """The card of one element or territory.

    Parameters
    ----------
    driver
        The Neo4j driver.
    element_id
        Any element or territory id (``org:le-rameau``, ``commune:59512``).
    database
        The database to read.

    Returns
    -------
    ElementCard
        Labels, displayable properties, the node's sources and those of its relationships.

    Raises
    ------
    NotFoundError
        When no node has that id.
    """
    row = read_one(driver, "element_card", {"id": element_id}, database=database)
    if not row:
        raise NotFoundError(f"no element with id {element_id!r}: check the id, or search by name")
    props = dict(row["props"])
    labels = list(row["labels"])
    uses = [SourceUse(type=u["type"], direction=u["direction"],
                      source=None if u["source"] is None else str(u["source"]),
                      uses=u["uses"]) for u in row["rel_sources"]]
    uses.sort(key=lambda u: (u.type, u.direction != "out", u.source is None, u.source or ""))
    return ElementCard(
        id=element_id,
        name=props.get("name"),
        label=primary_label(labels),
        labels=sorted(labels),
        properties={k: _display(v) for k, v in sorted(
            reader_properties(props, _HIDDEN_PROPERTIES).items())},
        history=fact_history(props),
        sources=_as_list(props.get("source")),
        relationship_sources=uses,
        degree=row["degree"] or 0,
    )


def _choices(driver: Driver, name: str, limit: int, database: str) -> list[Choice]:
    return [Choice(**row) for row in read(driver, name, {"limit": limit}, database=database)]


def need_choices(driver: Driver, *, limit: int = 2000, database: str = "neo4j") -> list[Choice]:
    """Every need (id, name, category), by name: the need list of the catalyst form."""
    return _choices(driver, "need_choices", limit, database)


def programme_choices(driver: Driver, *, limit: int = 2000,
                      database: str = "neo4j") -> list[Choice]:
    """Every programme (id, name, phase), urgence first, by name: the analyst form's list."""
    return _choices(driver, "programme_choices", limit, database)


class RoleCount(BaseModel):
    """A role (``relay``, ``catalyst``): the members the documents declare by a count only,
    and the organisations the graph names one by one (those a role filter can match)."""

    role: str
    declared: int = 0
    named: int = 0


def role_counts(driver: Driver, *, database: str = "neo4j") -> dict[str, RoleCount]:
    """Per role, how many are declared (a group node's ``count``) and how many are named:
    the catalyst form offers a role filter only when some are named."""
    return {row["role"]: RoleCount(**row)
            for row in read(driver, "role_counts", {}, database=database)}
