"""Reading the pages' form values: :class:`FormError` (shown above the form, with a 4xx
status), the radius and the page number. The territory boxes are read by
:mod:`api.pages.territory_box`."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from graph.element_names import lookup_keys, name_key
from queries.questions import MAX_RADIUS_KM

if TYPE_CHECKING:
    from api.pages.territory_box import TerritoryAsk

T = TypeVar("T")

#: the radius a catalyst may ask for, in km: at most what the question takes (the API and
#: the CLI take the same :data:`queries.questions.MAX_RADIUS_KM`); at least 1 km in the form
RADIUS_MIN, RADIUS_MAX, RADIUS_DEFAULT = 1.0, MAX_RADIUS_KM, 30.0
#: the highest page number a paged table takes
PAGE_MAX = 10_000


class FormError(Exception):
    """A form value the page cannot use: shown above the form, with ``status``; ``ask``
    when the page asks back which territory was meant (:class:`TerritoryAsk`)."""

    def __init__(self, message: str, status: int = 422, ask: TerritoryAsk | None = None):
        super().__init__(message)
        self.message, self.status, self.ask = message, status, ask


def parse_radius(text: str | None) -> float:
    """The radius in km from the form (``30``, ``12,5``), within the allowed range."""
    if text is None or not text.strip():
        return RADIUS_DEFAULT
    try:
        value = float(text.strip().replace(",", ".").removesuffix("km").strip())
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or not RADIUS_MIN <= value <= RADIUS_MAX:
        raise FormError(
            f"Le rayon doit être un nombre de kilomètres entre {RADIUS_MIN:.0f} et "
            f"{RADIUS_MAX:.0f} (par exemple 30). Vous avez saisi « {text} ».")
    return value


def page_number(text: str) -> int:
    """The page asked for (``?page=``), 1 when it is not a number, within 1..PAGE_MAX."""
    try:
        return max(1, min(int(text), PAGE_MAX))
    except ValueError:
        return 1


def chosen_in_list(items: Iterable[T], wanted: str, refusal: str) -> T | None:
    """The item of a drop-down list whose ``id`` is ``wanted``, else whose name or an alias
    is (a link written by hand, ``?programme=France Relance``: read as the API reads it,
    case, accents and punctuation ignored); None when nothing was chosen (``wanted``
    empty). A value not in the list (an old link, a misspelt name) raises
    :class:`FormError` 404 with ``refusal``."""
    items = list(items)
    chosen: Any = next((item for item in items if item.id == wanted), None)
    if chosen is None and wanted:
        keys = set(lookup_keys(wanted))
        named = [item for item in items
                 if getattr(item, "name", None) and name_key(item.name) in keys]
        # a name two entries share is no choice: the list asks to pick one
        chosen = named[0] if len(named) == 1 else None
    if wanted and chosen is None:
        raise FormError(refusal, status=404)
    return chosen
