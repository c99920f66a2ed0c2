"""GET /organisations and /organisations/{id}."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Path, Query, Response

from api.deps import DatabaseDep, DriverDep
from api.openapi import KIND_ENUM, ROLE_ENUM, TERRITORY, responses
from api.pagination import Page, PageDep
from api.responses import json_response
from api.retired import GONE, MOVED, moved, moved_or_gone
from queries.element_names import ORGANISATION, element_param
from queries.elements import ElementDetail, list_organisations, organisation_detail
from queries.errors import UnknownElement
from queries.models import OrganisationRef

router = APIRouter(prefix="/organisations", tags=["organisations"])

LIST_EXAMPLE = {
    "total": 2, "limit": 50, "offset": 0,
    "items": [
        {"id": "org:fondation-roubaix", "name": "Fondation Roubaix", "kind": "fondation",
         "roles": ["catalyst"]},
        {"id": "org:le-rameau", "name": "Le RAMEAU", "kind": "association",
         "roles": ["relay"]},
    ],
}
DETAIL_EXAMPLE = {
    "id": "org:le-rameau", "name": "Le RAMEAU", "label": "Organisation",
    "labels": ["Organisation", "Relay"], "kind": "association", "roles": ["relay"],
    "properties": {"source": "000_c3e58eecd51e89d1.txt", "url": "https://www.lerameau.fr"},
    "source_title": "Bilan de la démarche collective : anticiper la sortie de crise pour les "
                    "actions d'intérêt général (juin 2020)",
    "commune": {"id": "commune:75056", "code": "75056", "name": "Paris",
                "level": "commune"},
    "links": [{"type": "CARRIES", "direction": "out",
               "node": {"id": "programme:numerique", "name": "Plan inclusion numérique",
                        "label": "Programme", "labels": ["Programme"], "kind": "relance"}}],
    "degree": 2, "links_truncated": False,
}


@router.get("", response_model=Page[OrganisationRef], responses=responses(LIST_EXAMPLE, *TERRITORY))
def organisations(
    driver: DriverDep,
    database: DatabaseDep,
    page: PageDep,
    kind: Annotated[str | None, Query(max_length=100, description="Organisation kind "
                                      "(association, entreprise, collectivite…; case and "
                                      "accents ignored).", json_schema_extra=KIND_ENUM,
                                      examples=["association"])] = None,
    role: Annotated[str | None, Query(max_length=100, description="relay or catalyst "
                                      "(French names accepted: catalyseur, tête de pont).",
                                      json_schema_extra=ROLE_ENUM,
                                      examples=["catalyst"])] = None,
    territory: Annotated[str | None, Query(max_length=200, description="Located or active "
                                           "in this territory (INSEE code, id or name).",
                                           examples=["59"])] = None,
) -> Response:
    """Organisations by name, filtered by kind, role and territory."""
    found = list_organisations(driver, kind=kind, role=role, territory=territory,
                               limit=page.limit, offset=page.offset, database=database)
    return json_response(Page[OrganisationRef](**found.model_dump()))


def organisation_url(organisation_id: str) -> str:
    """The URL of one organisation (where a merged duplicate's redirects)."""
    return f"/organisations/{quote(organisation_id, safe=':')}"


@router.get("/{organisation_id}", response_model=ElementDetail,
            responses={**responses(DETAIL_EXAMPLE, 404, 409), **MOVED, **GONE})
def organisation(
    driver: DriverDep,
    database: DatabaseDep,
    organisation_id: Annotated[str, Path(
        max_length=200, examples=["org:le-rameau"],
        description="Id, name or alias (`org:le-rameau`, `Le RAMEAU`, `rameau`).")],
) -> Response:
    """One organisation: kind, roles, commune, and its relationships. A name or alias
    that several organisations share is a 409 `ambiguous_element` listing them. A
    duplicate merged into another answers **301** to that one; an organisation retired
    from the inventory, **410** saying when."""
    try:
        found = element_param(driver, organisation_id, labels=ORGANISATION,
                              database=database)
    except UnknownElement:
        answer = moved_or_gone(driver, organisation_id.strip(), organisation_url,
                               database=database)
        if answer is None:
            raise
        return answer
    detail = organisation_detail(driver, found, database=database)
    if detail.history is not None and detail.history.merged_into:
        return moved(organisation_url(detail.history.merged_into))
    return json_response(detail)
