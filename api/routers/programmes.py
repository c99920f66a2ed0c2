"""GET /programmes and /programmes/{id}."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from api.deps import DatabaseDep, DriverDep
from api.openapi import PHASE_ENUM, responses
from api.pagination import Page, PageDep
from api.responses import json_response
from api.retired import GONE, raise_if_gone
from queries.element_names import PROGRAMME, element_param
from queries.elements import ElementDetail, ProgrammeRef, list_programmes, programme_detail
from queries.errors import UnknownElement

router = APIRouter(prefix="/programmes", tags=["programmes"])

LIST_EXAMPLE = {
    "total": 1, "limit": 50, "offset": 0,
    "items": [{"id": "programme:numerique", "name": "Plan inclusion numérique",
               "phase": "relance"}],
}
DETAIL_EXAMPLE = {
    "id": "programme:numerique", "name": "Plan inclusion numérique", "label": "Programme",
    "labels": ["Programme"], "kind": "relance", "roles": [],
    "properties": {"source": "003_e88a069546d9509f.txt", "start": "2020-09-01"},
    "source_title": "Fin de la démarche collective d'anticipation de sortie de crise "
                    "(septembre 2020)",
    "commune": None,
    "links": [{"type": "COVERS", "direction": "out",
               "node": {"id": "departement:59", "name": "Nord", "label": "Departement",
                        "labels": ["Departement", "Territory"], "kind": "departement"}}],
    "degree": 4, "links_truncated": False,
}


@router.get("", response_model=Page[ProgrammeRef], responses=responses(LIST_EXAMPLE, 400))
def programmes(
    driver: DriverDep,
    database: DatabaseDep,
    page: PageDep,
    phase: Annotated[str | None, Query(max_length=100, description="urgence or relance "
                                       "(emergency, recovery accepted), or structurel.",
                                       json_schema_extra=PHASE_ENUM,
                                       examples=["relance"])] = None,
    need: Annotated[str | None, Query(max_length=200, description="Only programmes "
                                      "addressing this need id.",
                                      examples=["need:inclusion-numerique"])] = None,
) -> Response:
    """Programmes by name, filtered by phase and need."""
    found = list_programmes(driver, phase=phase, need=need, limit=page.limit,
                            offset=page.offset, database=database)
    return json_response(Page[ProgrammeRef](**found.model_dump()))


@router.get("/{programme_id}", response_model=ElementDetail,
            responses={**responses(DETAIL_EXAMPLE, 404, 409), **GONE})
def programme(
    driver: DriverDep,
    database: DatabaseDep,
    programme_id: Annotated[str, Path(max_length=200, examples=["programme:numerique"],
                                      description="Id, name or alias.")],
) -> Response:
    """One programme: phase, dates, its organisations, needs and territories. A name
    that several programmes share is a 409 `ambiguous_element` listing them; a programme
    retired from the inventory, 410 saying when."""
    try:
        found = element_param(driver, programme_id, labels=PROGRAMME, database=database)
    except UnknownElement:
        raise_if_gone(driver, programme_id.strip(), database=database)
        raise
    return json_response(programme_detail(driver, found, database=database))
