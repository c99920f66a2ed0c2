"""GET /territories/suggest: territories for an autocomplete box, from the reference table.

Registered before the territories router, so that ``/territories/{code}`` does not take
``suggest`` for a code. No database is involved: the candidates come from
:func:`graph.territory_reference.suggest`, the reference the parser reads (their ids are
graph node ids once the territories are loaded).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.errors import ErrorBody
from graph.territory_reference import TerritoryCandidate, suggest

router = APIRouter(prefix="/territories", tags=["territories"])

#: most candidates one call returns
SUGGEST_MAX = 50

EXAMPLE = [
    {"id": "commune:59512", "level": "commune", "code": "59512", "name": "Roubaix",
     "departements": ["59"], "population": 98286, "via": "name",
     "label": "Roubaix (Nord, 59)", "notice": None},
    {"id": "commune:11324", "level": "commune", "code": "11324", "name": "Roubia",
     "departements": ["11"], "population": 476, "via": "name",
     "label": "Roubia (Aude, 11)", "notice": None},
]


def territory_suggestions(q: str, limit: int = 10) -> list[TerritoryCandidate]:
    """The candidates of both suggestion routes (this one and the pages' own)."""
    return suggest(q.strip()[:100], limit=max(1, min(limit, SUGGEST_MAX)))


@router.get(
    "/suggest",
    response_model=list[TerritoryCandidate],
    responses={200: {"content": {"application/json": {"example": EXAMPLE}}},
               422: {"model": ErrorBody,
                     "description": "Invalid request parameters (the detail lists them)."}},
)
def territory_suggest(
    q: Annotated[str, Query(max_length=100,
                            description="The start of a name (accents, case, hyphens, "
                                        "St-/Ste-, a leading article ignored; région "
                                        "acronyms such as PACA), of a postal code (591 → "
                                        "communes of postal codes 591xx) or of an INSEE "
                                        "code.",
                            examples=["roub"])] = "",
    limit: Annotated[int, Query(ge=1, le=SUGGEST_MAX,
                                description="Most candidates returned.")] = 10,
) -> list[TerritoryCandidate]:
    """Territories starting with what was typed, exact names first, then the most
    populous; empty ``q`` gives an empty list. ``via`` says how each was found (``name``,
    ``postal_code``, ``code``, ``nickname``, ``former_name``…) and ``label`` is the French
    text to show."""
    return territory_suggestions(q, limit)
