"""PUT and DELETE /organisations/{id}/suggestions/{other}/mark: a steward's verdict on a
suggested pair (« déjà en contact », « pas pertinent »), which leaves it out of the
suggestions both ways. Requires the stewards' key (`X-API-Key`)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field

from api.deps import DatabaseDep, DriverDep
from api.errors import NotFound, SameOrganisation
from api.openapi import responses
from api.security import ApiKeyDep
from loaders.suggestion_marks import mark_pair, unmark_pair
from queries.element_names import ORGANISATION, element_param

router = APIRouter(prefix="/organisations", tags=["organisations"])

OrganisationId = Annotated[str, Path(
    max_length=200, examples=["org:le-rameau"],
    description="Id, name or alias (`org:le-rameau`, `Le RAMEAU`, `rameau`).")]
OtherId = Annotated[str, Path(
    max_length=200, examples=["org:mediateur"],
    description="The suggested organisation: id, name or alias.")]


class MarkRequest(BaseModel):
    """A steward's verdict on a suggested pair."""

    verdict: Literal["en_contact", "pas_pertinent"] = Field(
        description="`en_contact` (« déjà en contact ») or `pas_pertinent` (« pas "
                    "pertinent »).")
    by: str | None = Field(None, min_length=1, max_length=200, description="Who marks it.")
    note: str | None = Field(None, max_length=1000, description="Why, in a few words.")


class MarkAnswer(BaseModel):
    """The mark as stored (one per pair; a new one replaces it)."""

    id: str
    verdict: str
    by: str | None = None
    note: str | None = None
    #: when, ISO 8601 (UTC)
    at: str


class UnmarkAnswer(BaseModel):
    """Whether a mark was removed: the pair may be suggested again."""

    removed: bool


MARK_EXAMPLE = {"id": "mark:org:le-rameau|org:mediateur", "verdict": "en_contact",
                "by": "Camille", "note": "rencontrés au forum", "at": "2026-12-03T07:10:00Z"}


def _pair(driver, database: str, organisation_id: str, other_id: str) -> tuple[str, str]:
    a = element_param(driver, organisation_id, labels=ORGANISATION, database=database)
    b = element_param(driver, other_id, labels=ORGANISATION, database=database)
    if a == b:
        raise SameOrganisation(f"{organisation_id!r} and {other_id!r} are one organisation "
                               f"({a}): a pair needs two")
    return a, b


@router.put("/{organisation_id}/suggestions/{other_id}/mark", response_model=MarkAnswer,
            responses=responses(MARK_EXAMPLE, 400, 401, 403, 404, 409))
def mark(_: ApiKeyDep, driver: DriverDep, database: DatabaseDep,
         organisation_id: OrganisationId, other_id: OtherId, body: MarkRequest) -> MarkAnswer:
    """Mark a suggested pair « déjà en contact » or « pas pertinent »: it is no longer
    suggested, either way, and is listed in the suggestions' `marked`. Requires
    `X-API-Key`."""
    a, b = _pair(driver, database, organisation_id, other_id)
    stored = mark_pair(driver, a, b, body.verdict, by=body.by, note=body.note,
                       database=database)
    if stored is None:  # retired between the reading of the ids and the write
        raise NotFound(f"no organisation {a!r} or {b!r}")
    return MarkAnswer(**stored)


@router.delete("/{organisation_id}/suggestions/{other_id}/mark", response_model=UnmarkAnswer,
               responses=responses({"removed": True}, 401, 403, 404, 409))
def unmark(_: ApiKeyDep, driver: DriverDep, database: DatabaseDep,
           organisation_id: OrganisationId, other_id: OtherId) -> UnmarkAnswer:
    """Remove a pair's mark: the pair may be suggested again. Requires `X-API-Key`."""
    a, b = _pair(driver, database, organisation_id, other_id)
    return UnmarkAnswer(removed=unmark_pair(driver, a, b, database=database))
