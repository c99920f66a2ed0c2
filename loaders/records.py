"""The interchange records: what a user imports, as Python objects, and the ids they get.

What a user imports (README, "Importing your data") becomes :class:`ElementIn` and
:class:`ConnectionIn`; their validators call the cell parsers of :mod:`loaders.cells`, so a
record built from Python (the API, the curated loader) obeys the same rules as a row of a
spreadsheet. The tabular loader keeps a row in :class:`ElementData`, a plain record with
the same fields: 100,000 pydantic models would cost more than writing them.
:func:`element_id` derives the stable id of an element from its label and name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from graph.vocabulary import ID_PREFIXES, RELATIONSHIPS_BY_NAME
from loaders.cells import (
    check_cell,
    check_name,
    parse_date,
    parse_kind,
    parse_list,
    parse_relationship,
    parse_rna,
    parse_roles,
    parse_siren,
    parse_type,
    parse_url,
    token,
)


def slugify(text: str, limit: int = 80) -> str:
    """Lowercase ascii words joined by ``-`` (``"Le RAMEAU"`` → ``"le-rameau"``)."""
    slug = token(text).replace("_", "-")
    return slug[:limit].rstrip("-")


def element_id(label: str, name: str) -> str:
    """The stable id derived from a label and a name: ``org:le-rameau``."""
    return f"{ID_PREFIXES[label]}:{slugify(name)}"


def _text_or_none(value: Any) -> Any:
    if isinstance(value, str):
        value = check_cell(value)
        return value or None
    return value


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @model_validator(mode="before")
    @classmethod
    def _cells(cls, data: Any) -> Any:
        # Every text field goes through check_cell: no formula, no huge text.
        if isinstance(data, dict):
            return {k: _text_or_none(v) for k, v in data.items()}
        return data


class ElementIn(_Model):
    """An element to import: a node of one of the vocabulary's element labels."""

    label: str
    id: str | None = None
    name: str
    kind: str | None = Field(None, description="kind, phase or category, per label")
    roles: list[str] = Field(default_factory=list)
    territory: list[str] = Field(default_factory=list)
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)
    description: str | None = None
    url: str | None = None
    tags: list[str] = Field(default_factory=list)
    start: dt.date | None = None
    end: dt.date | None = None
    source: str | None = None
    siren: str | None = None
    rna: str | None = None
    aliases: list[str] = Field(default_factory=list)
    count: int | None = Field(None, ge=0)
    audience: list[str] = Field(default_factory=list)

    @field_validator("label", mode="before")
    @classmethod
    def _label(cls, v: Any) -> str:
        return parse_type(str(v)).label

    @field_validator("name", mode="before")
    @classmethod
    def _name(cls, v: Any) -> str:
        return check_name(str(v or ""))

    @field_validator("roles", mode="before")
    @classmethod
    def _roles(cls, v: Any) -> list[str]:
        return parse_roles(v) if isinstance(v, str) else parse_roles(";".join(v or []))

    @field_validator("territory", "tags", "aliases", "audience", mode="before")
    @classmethod
    def _lists(cls, v: Any) -> list[str]:
        return parse_list(v) if isinstance(v, str) else [str(x) for x in (v or [])]

    @field_validator("start", "end", mode="before")
    @classmethod
    def _dates(cls, v: Any) -> dt.date | None:
        return parse_date(v)

    @field_validator("url", mode="before")
    @classmethod
    def _url(cls, v: Any) -> str | None:
        return parse_url(v) if v else None

    @field_validator("siren", mode="before")
    @classmethod
    def _siren(cls, v: Any) -> str | None:
        return parse_siren(str(v)) if v else None

    @field_validator("rna", mode="before")
    @classmethod
    def _rna(cls, v: Any) -> str | None:
        return parse_rna(str(v)) if v else None

    @model_validator(mode="after")
    def _consistent(self) -> ElementIn:
        if self.kind is not None:
            parsed = parse_kind(self.label, self.kind)
            self.kind = parsed[1] if parsed else None
        if self.roles and self.label != "Organisation":
            raise ValueError("only organisations take roles (relay, catalyst)")
        if self.start and self.end and self.start > self.end:
            raise ValueError(f"start {self.start} is after end {self.end}")
        if (self.lat is None) != (self.lon is None):
            raise ValueError("give both lat and lon, or neither")
        return self

    def node_id(self) -> str:
        """The given id, or the one derived from label and name."""
        return self.id or element_id(self.label, self.name)


class ConnectionIn(_Model):
    """A connection to import: ``from`` and ``to`` are ids or exact names."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, populate_by_name=True)

    type: str
    from_ref: str = Field(alias="from")
    to_ref: str = Field(alias="to")
    role: str | None = None
    date: dt.date | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    source: str | None = None

    @field_validator("type", mode="before")
    @classmethod
    def _type(cls, v: Any) -> str:
        return parse_relationship(str(v or ""))

    @field_validator("from_ref", "to_ref", mode="before")
    @classmethod
    def _ref(cls, v: Any) -> str:
        if not v:
            raise ValueError("both ends of a connection are required")
        return str(v)

    @field_validator("date", "start", "end", mode="before")
    @classmethod
    def _dates(cls, v: Any) -> dt.date | None:
        return parse_date(v)

    @model_validator(mode="after")
    def _consistent(self) -> ConnectionIn:
        if self.start and self.end and self.start > self.end:
            raise ValueError(f"start {self.start} is after end {self.end}")
        return self

    @property
    def symmetric(self) -> bool:
        """Whether the type is stored once whichever way round (PARTNERS_WITH)."""
        return RELATIONSHIPS_BY_NAME[self.type].symmetric


@dataclass(slots=True)
class ElementData:
    """The fields of :class:`ElementIn`, already validated cell by cell.

    A plain record: building 100,000 pydantic models would cost more than the writes.
    """

    label: str
    id: str | None
    name: str
    kind: str | None
    roles: list[str]
    territory: list[str]
    lat: float | None
    lon: float | None
    description: str | None
    url: str | None
    tags: list[str]
    start: Any
    end: Any
    source: str | None
    siren: str | None
    rna: str | None
    aliases: list[str]
    count: int | None
    audience: list[str]

    def model(self) -> ElementIn:
        """The same element as a (re-validated) pydantic model."""
        return ElementIn.model_validate({f: getattr(self, f) for f in self.__slots__})
