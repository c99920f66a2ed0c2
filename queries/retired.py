"""An element that left the inventory — retired by a new version of its dataset, or
merged into another organisation — found whatever its state, so that its id and URL
never answer a bare 404: the API answers 301 to the kept organisation or 410 « retired
on … », the fiche redirects or says « … a été retiré de l'inventaire le … », a picture
says so in its frame (api/retired.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from neo4j import Driver
from pydantic import BaseModel, Field

from graph.french import date_fr, in_paris
from queries._run import read_one
from queries.models import primary_label

#: what an element is, as a sentence starts with it, and the agreement of its participle
_NOUNS = {"Organisation": ("L'organisation", "e"), "Programme": ("Le programme", ""),
          "Need": ("Le besoin", ""), "DialogueSpace": ("L'espace de dialogue", ""),
          "Deliverable": ("Le livrable", ""), "Study": ("L'étude", "e"),
          "Event": ("L'événement", ""), "Person": ("La personne", "e"),
          "Territory": ("Le territoire", "")}


class RetiredElement(BaseModel):
    """An element no longer in the inventory, and what became of it."""

    id: str
    name: str | None = None
    label: str
    retired_at: dt.datetime | None = None
    retired_by: str | None = Field(None, description="The import (`imp-…`) or merge "
                                                     "(`mrg-…`) that retired it.")
    merged_into: str | None = Field(None, description="The organisation it was merged "
                                                      "into, when it was a duplicate.")
    merged_at: dt.datetime | None = None
    kept_name: str | None = Field(None, description="That organisation's name.")

    @property
    def when_fr(self) -> str:
        """The day it left, in French (« 3 décembre 2026 »)."""
        moment = self.merged_at or self.retired_at
        return date_fr(in_paris(moment).date()) if moment else "?"

    @property
    def when_en(self) -> str:
        moment = self.merged_at or self.retired_at
        return moment.date().isoformat() if moment else "?"

    def message_fr(self) -> str:
        """« L'organisation « Fondation Lille » a été fusionnée dans « Fondation de Lille »
        le 3 décembre 2026. », « Le programme « Plan P » a été retiré de l'inventaire le
        3 décembre 2026. »"""
        noun, e = _NOUNS.get(self.label, ("L'élément", ""))
        name = self.name or self.id
        if self.merged_into:
            return (f"{noun} « {name} » a été fusionné{e} dans "
                    f"« {self.kept_name or self.merged_into} » le {self.when_fr}.")
        return f"{noun} « {name} » a été retiré{e} de l'inventaire le {self.when_fr}."

    def message_en(self) -> str:
        if self.merged_into:
            return f"{self.id!r} was merged into {self.merged_into!r} on {self.when_en}"
        return f"{self.id!r} was retired from the inventory on {self.when_en}"


def _native(value: Any) -> Any:
    return value.to_native() if hasattr(value, "to_native") else value


def retired_element(driver: Driver, element_id: str, *,
                    database: str = "neo4j") -> RetiredElement | None:
    """The element ``element_id`` when it was retired or merged; None when it is alive or
    no element has that id (one indexed read). Asked as of a past instant
    (:func:`graph.as_of.current`), an element retired or merged only after it was alive
    then: None too (the question answers about it as it was)."""
    from graph import as_of

    row = read_one(driver, "retired_element", {"id": element_id}, database=database)
    if not row or (row["retired_at"] is None and row["merged_into"] is None):
        return None
    moment = as_of.current()
    left_at = _native(row["merged_at"]) or _native(row["retired_at"])
    if moment is not None and left_at is not None and left_at > moment:
        return None
    return RetiredElement(id=row["id"], name=row["name"], label=primary_label(row["labels"]),
                          retired_at=_native(row["retired_at"]), retired_by=row["retired_by"],
                          merged_into=row["merged_into"], merged_at=_native(row["merged_at"]),
                          kept_name=row["kept_name"])
