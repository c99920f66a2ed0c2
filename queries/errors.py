"""Domain errors of the questions; the API maps them to HTTP statuses (api/errors.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from graph.element_names import ElementReading
    from graph.territory_reference import TerritoryReading


class NotFoundError(ValueError):
    """An id, code or name that is not in the graph (API: 404)."""


class InvalidParameter(ValueError):
    """A parameter value the question cannot take (API: 400)."""


class _ReadingDetail:
    """Mixin: the error's ``detail`` is the reading it carries (text, status, candidates,
    suggestions and the French message), for territories and elements alike."""

    reading: TerritoryReading | ElementReading

    @property
    def detail(self) -> dict[str, Any]:
        r = self.reading
        return {
            "text": r.text,
            "status": r.status,
            "candidates": [c.model_dump(mode="json") for c in r.candidates],
            "suggestions": [c.model_dump(mode="json") for c in r.suggestions],
            "message_fr": r.message_fr,
        }


class _TerritoryReadingError(_ReadingDetail):
    """Mixin: an error about how a territory reference was read; it carries the reading."""

    reading: TerritoryReading

    def _init_reading(self, reading: TerritoryReading) -> None:
        self.reading = reading


class AmbiguousTerritory(_TerritoryReadingError, InvalidParameter):
    """A territory reference with several readings and no default (``Saint-Denis``, a
    postal code serving several communes): the caller must choose (API: 409
    ``ambiguous_territory``, the candidates in the detail)."""

    def __init__(self, reading: TerritoryReading, message: str | None = None):
        super().__init__(message or reading.message)
        self._init_reading(reading)


class UnknownTerritory(_TerritoryReadingError, NotFoundError):
    """A territory reference that names nothing of the reference (``Roubaiz``: its near
    misses are in ``reading.suggestions``) or a collectivité d'outre-mer it does not cover
    (API: 404 ``unknown_territory`` / ``uncovered_territory``)."""

    def __init__(self, reading: TerritoryReading, message: str | None = None):
        super().__init__(message or reading.message)
        self._init_reading(reading)

    @property
    def uncovered(self) -> bool:
        return self.reading.status == "uncovered"


class TerritoryNotLoaded(NotFoundError):
    """The reference was read, but that territory is not in the graph: the territories
    were not loaded (API: 404 ``territory_not_loaded``)."""

    def __init__(self, message: str, territory_id: str):
        super().__init__(message)
        self.territory_id = territory_id

    @property
    def detail(self) -> dict[str, Any]:
        return {"id": self.territory_id}


class NotDrawable(InvalidParameter):
    """A view that exists but cannot be drawn yet (API: 422 ``not_drawable``); the pictures
    show ``message_fr`` in its place."""

    def __init__(self, message: str, message_fr: str):
        super().__init__(message)
        self.message_fr = message_fr


class NotSuggested(NotFoundError):
    """Two organisations that make no suggestion: the same one, linked already, marked by a
    steward, or out of reach within the radius (API: 404 ``not_found``: no such
    suggestion); the pictures show ``message_fr`` in its place."""

    def __init__(self, message: str, message_fr: str):
        super().__init__(message)
        self.message_fr = message_fr


class _ElementReadingError(_ReadingDetail):
    """Mixin: an error about what an element reference (id, name or alias) names."""

    reading: ElementReading


class AmbiguousElement(_ElementReadingError, InvalidParameter):
    """A name or alias that several elements share: the caller must choose (API: 409
    ``ambiguous_element``, the candidates with id, name, label and kind in the detail;
    CLI: numbered candidates, exit 2)."""

    def __init__(self, reading: ElementReading):
        super().__init__(reading.message)
        self.reading = reading


class UnknownElement(_ElementReadingError, NotFoundError):
    """An id, name or alias that names no element (API: 404 ``not_found``, as an unknown
    id always was, with the near misses in ``detail.suggestions``)."""

    def __init__(self, reading: ElementReading, message: str | None = None):
        super().__init__(message or reading.message)
        self.reading = reading


#: how to find an id, said to API and command-line users alike
SEARCH_HINT = "find ids with a search (GET /search?q=…, or `alliance-graph query search`)"


class UnknownImport(NotFoundError):
    """An ``as_of`` naming an import id that no ``(:Import)`` has, or one without a time
    (API: 404 ``not_found``, the id in the detail; a page shows ``message_fr``)."""

    def __init__(self, import_id: str):
        super().__init__(f"as_of names no import {import_id!r}: give the id of a recorded "
                         "import (imp-…), or a date")
        self.import_id = import_id
        self.message_fr = (f"Aucun import n'a l'identifiant « {import_id} » : donnez une date, "
                           "ou l'identifiant d'un import enregistré.")

    @property
    def detail(self) -> dict[str, Any]:
        return {"as_of": self.import_id, "message_fr": self.message_fr}
