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
from queries.suggestion_models import SuggestionsPage
from queries.suggestions import DEFAULT_RADIUS_KM, MAX_RADIUS_KM, suggestions

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


SUGGESTIONS_EXAMPLE = {
    "organisation": {"id": "org:fondation-lille", "name": "Fondation de Lille",
                     "kind": "fondation", "roles": ["relay"]},
    "radius_km": 30.0, "total": 1, "limit": 50, "offset": 0,
    "items": [{
        "organisation": {"id": "org:nord", "name": "Département du Nord",
                         "kind": "collectivite", "roles": []},
        "score": 4.344718,
        "parts": {"base": 0.3, "shared": 2.596813, "introduction": 0.0, "proximity": 1.0,
                  "complementarity": 1.5, "popularity": 1.0},
        "distance_km": None, "acts_here": True, "worlds": ["associatif", "public"],
        "shared": [{"id": "programme:fonds-regional", "name": "Fonds régional d'urgence",
                    "label": "Programme", "labels": ["Programme"], "kind": "urgence"}],
        "introducers": [],
        "explanation": "sont liés au programme « Fonds régional d'urgence » ; agit sur le "
                       "territoire (pas de pénalité de distance) ; fondation + collectivité "
                       "(mondes associatif et public)",
        "paths": [{"length": 2,
                   "nodes": [{"id": "org:fondation-lille", "name": "Fondation de Lille",
                              "label": "Organisation", "labels": ["Organisation", "Relay"],
                              "kind": "fondation"},
                             {"id": "programme:fonds-regional",
                              "name": "Fonds régional d'urgence", "label": "Programme",
                              "labels": ["Programme"], "kind": "urgence"},
                             {"id": "org:nord", "name": "Département du Nord",
                              "label": "Organisation", "labels": ["Organisation"],
                              "kind": "collectivite"}],
                   "relationships": [
                       {"type": "FUNDS", "source": "org:fondation-lille",
                        "target": "programme:fonds-regional"},
                       {"type": "CARRIES", "source": "org:nord",
                        "target": "programme:fonds-regional"}]}],
    }],
}


@router.get("/{organisation_id}/suggestions", response_model=SuggestionsPage,
            responses=responses(SUGGESTIONS_EXAMPLE, 400, 404, 409))
def organisation_suggestions(
    driver: DriverDep,
    database: DatabaseDep,
    page: PageDep,
    organisation_id: Annotated[str, Path(
        max_length=200, examples=["org:le-rameau"],
        description="Id, name or alias (`org:le-rameau`, `Le RAMEAU`, `rameau`).")],
    radius_km: Annotated[float, Query(
        gt=0, le=MAX_RADIUS_KM, examples=[30], description=(
            "How far near reaches: the proximity falls to a quarter at this distance; "
            "farther organisations are suggested only when they act on a territory "
            "holding this one and share something with it."))] = DEFAULT_RADIUS_KM,
) -> Response:
    """Pistes d'alliance: organisations this one has no relationship with yet, best first,
    each with its score, the score's parts, the reasons in French and the paths that prove
    them. Hypotheses, not facts; a person is never suggested."""
    organisation_id = element_param(driver, organisation_id, labels=ORGANISATION,
                                    database=database)
    return json_response(suggestions(driver, organisation_id, radius_km=radius_km,
                                     limit=page.limit, offset=page.offset,
                                     database=database))
