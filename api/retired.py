"""Ids that left the inventory never answer a bare 404: a duplicate merged into another
organisation answers **301** to the kept one's URL, an element retired **410** « retired
on … » (in French in the pages and pictures). Shared by the JSON routes
(api/routers/organisations.py, programmes.py), the fiche (api/pages/element.py) and the
pictures (api/routers/viz.py); the element is read by queries/retired.py."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.responses import RedirectResponse
from neo4j import Driver

from api.errors import Gone
from api.openapi import responses
from queries.retired import RetiredElement, retired_element

#: the 301 of a route that takes an element's id, for its ``responses=``
MOVED = {301: {
    "description": "A duplicate merged into another organisation (`alliance-graph "
                   "duplicates merge`): `Location` is the kept organisation's URL.",
    "headers": {"Location": {"description": "The kept organisation's URL.",
                             "schema": {"type": "string"}}},
}}
#: the 410 of such a route
GONE = {410: responses(None, 410)[410]}


def moved(url: str) -> RedirectResponse:
    """301 to ``url`` (the kept organisation)."""
    return RedirectResponse(url, status_code=301)


def gone(element: RetiredElement) -> Gone:
    """The 410 of a retired element, its message in English with the day."""
    return Gone(element.message_en(), detail={"retired_at": element.when_en,
                                               "retired_by": element.retired_by})


def moved_or_gone(driver: Driver, element_id: str, url: Callable[[str], str], *,
                  database: str) -> RedirectResponse | None:
    """For an id the questions did not find: the 301 to the organisation it was merged
    into (``url(kept id)``), else raise the 410 of a retired element; None when no
    element, alive or not, has that id (the caller's 404 stands).

    Raises
    ------
    Gone
        The element was retired.
    """
    element = retired_element(driver, element_id, database=database)
    if element is None:
        return None
    if element.merged_into:
        return moved(url(element.merged_into))
    raise gone(element)


def raise_if_gone(driver: Driver, element_id: str, *, database: str) -> None:
    """For an id the questions did not find, of a kind never merged (a programme…): the
    410 of a retired element; nothing when no element has that id.

    Raises
    ------
    Gone
        The element was retired (or merged).
    """
    element = retired_element(driver, element_id, database=database)
    if element is not None:
        raise gone(element)
