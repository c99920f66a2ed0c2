"""``GET /analystes``: an analyst's questions: connectors of a programme in a territory,
gaps, brokers, communities, the picture of the connectors; and the "Télécharger (Excel)"
file of each list (``/analystes/connecteurs.csv``, ``couvrent.csv``, ``trous.csv``,
``ponts.csv``, ``communautes.csv``), the same bytes as the API's ``format=csv`` for the
same question."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.answer_tables import (
    Table,
    brokers_table,
    communities_table,
    connectors_table,
    gaps_table,
)
from api.deps import DatabaseDep, DriverDep, SettingsDep
from api.downloads import csv_response
from api.pages.forms import FormError, chosen_in_list, page_number
from api.pages.rendering import render
from api.pages.territory_box import answer_value, not_in_graph, read_territory
from graph.territory_reference import TerritoryCandidate
from queries.errors import NotFoundError
from queries.lookups import Choice

router = APIRouter(include_in_schema=False)

#: the brokers the page ranks (and its file lists, zero scores left out)
TOP_BROKERS = 20
#: the members of each community the file gives (the page shows 8)
FILE_MEMBERS = 20


def _form(programme: str, territoire: str) -> dict[str, str]:
    return {"programme": programme.strip(), "territoire": territoire.strip()[:120]}


def _read_form(form: dict[str, str], programmes: list[Choice]
               ) -> tuple[Choice | None, TerritoryCandidate | None, str]:
    """The programme and the territory the form names (either may be absent), and the
    territory's notice; :class:`FormError` for a value the page cannot use."""
    def href(territory_id: str) -> str:
        return "/analystes?" + urlencode({**form, "territoire": territory_id})

    chosen = chosen_in_list(programmes, form["programme"],
                            "Ce programme n'est pas dans la liste : choisissez-en un dans "
                            "la liste déroulante.")
    if chosen and not form["territoire"]:
        raise FormError("Indiquez aussi un territoire (nom ou code : 59 pour le Nord, "
                        "region:32 pour les Hauts-de-France, 59512 pour Roubaix, FR pour "
                        "la France entière).")
    if not form["territoire"]:
        return chosen, None, ""
    territory, notice = read_territory(form["territoire"], href)
    return chosen, territory, notice


def _downloads(chosen: Choice | None, territory: TerritoryCandidate | None) -> dict[str, str]:
    """The "Télécharger (Excel)" link of each list, asking by ids."""
    links = {"brokers": "/analystes/ponts.csv", "communities": "/analystes/communautes.csv"}
    if territory is not None:
        links["gaps"] = "/analystes/trous.csv?" + urlencode({"territoire": territory.id})
    if chosen is not None and territory is not None:
        query = urlencode({"programme": chosen.id, "territoire": territory.id})
        links["connectors"] = f"/analystes/connecteurs.csv?{query}"
        links["covering"] = f"/analystes/couvrent.csv?{query}"
    return links


@router.get("/analystes", response_class=HTMLResponse)
def analysts_page(request: Request, driver: DriverDep, database: DatabaseDep,
                  settings: SettingsDep, programme: str = "", territoire: str = "",
                  page: str = "1") -> HTMLResponse:
    """The analyst's page: connectors, gaps, brokers and communities."""
    from queries import brokers, communities, connectors, gaps
    from queries.lookups import programme_choices
    from queries.places import territory_chain

    programmes = programme_choices(driver, database=database)
    form = _form(programme, territoire)
    number = page_number(page)
    context: dict[str, Any] = {"nav": "analystes", "form": form, "programmes": programmes,
                               "error": None, "ask": None, "territory": None, "notice": "",
                               "connectors": None, "gaps": None, "picture": None, "chain": None,
                               "page": number, "downloads": _downloads(None, None),
                               "download_limit": settings.max_page_size}
    status = 200
    try:
        chosen, territory, notice = _read_form(form, programmes)
        if territory is not None:
            context.update(territory=territory, notice=notice)
            try:
                context["gaps"] = gaps(driver, territory.id, database=database)
                if chosen:
                    page_size = min(50, settings.max_page_size)
                    context["connectors"] = connectors(
                        driver, chosen.id, territory.id, limit=page_size,
                        offset=(number - 1) * page_size, database=database)
                    context["page_size"] = page_size
                    context["picture"] = "/viz/connectors?" + urlencode(
                        {"programme": chosen.id, "territory": territory.id})
            except NotFoundError as exc:
                context.update(territory=None, gaps=None, connectors=None, picture=None)
                raise FormError(not_in_graph(territory), 404) from exc
            form["territoire"] = answer_value(form["territoire"], territory)
            context["chain"] = territory_chain(driver, territory.id, database=database)
            context["chosen"] = chosen
            context["downloads"] = _downloads(chosen, territory)
    except FormError as exc:
        context.update(error=None if exc.ask else exc.message, ask=exc.ask)
        status = exc.status
    ranked = brokers(driver, top=TOP_BROKERS, database=database)
    # a zero score says nothing: hidden, and counted
    context["brokers"] = ranked
    context["broker_items"] = [b for b in ranked.items if b.score > 0]
    context["brokers_hidden"] = ranked.zero_scores
    context.update(_communities(communities(driver, limit=settings.max_page_size,
                                            members_limit=8, database=database)))
    return render(request, "analysts.html", context, status=status)


#: how many communities of two members or more the page lists
SHOWN_COMMUNITIES = 12


def _communities(result) -> dict[str, Any]:
    """The largest communities, and the singletons folded into one "isolés" line."""
    groups = [c for c in result.items if c.size > 1]
    alone = [c for c in result.items if c.size == 1]
    return {"communities": result, "community_groups": groups[:SHOWN_COMMUNITIES],
            "community_groups_total": len(groups) + max(0, result.total - len(result.items)),
            "isolated": alone, "isolated_members": [n for c in alone for n in c.members][:8]}


def _download(request: Request, driver, database: str, settings, programme: str,
              territoire: str, table: Callable[[Choice | None, TerritoryCandidate], Table],
              *, needs_programme: bool) -> Response:
    """One list of the page as a CSV file; a question the page cannot answer gives the
    page itself, with its French message and status."""
    from queries.lookups import programme_choices

    form = _form(programme, territoire)
    if form["territoire"] and (form["programme"] or not needs_programme):
        try:
            chosen, territory, _ = _read_form(form, programme_choices(driver,
                                                                      database=database))
            if territory is not None and (chosen is not None or not needs_programme):
                return csv_response(table(chosen, territory))
        except (FormError, NotFoundError):
            pass
    return analysts_page(request, driver, database, settings, programme=programme,
                         territoire=territoire)


@router.get("/analystes/connecteurs.csv", response_class=Response)
def connectors_file(request: Request, driver: DriverDep, database: DatabaseDep,
                    settings: SettingsDep, programme: str = "",
                    territoire: str = "") -> Response:
    """The organisations connecting the programme to the territory (``GET
    /connectors?format=csv`` with ``limit=ALLIANCE_MAX_PAGE_SIZE``)."""
    from queries import connectors

    return _download(request, driver, database, settings, programme, territoire,
                     lambda p, t: connectors_table(connectors(
                         driver, p.id, t.id, limit=settings.max_page_size,
                         database=database)), needs_programme=True)


@router.get("/analystes/couvrent.csv", response_class=Response)
def covering_file(request: Request, driver: DriverDep, database: DatabaseDep,
                  settings: SettingsDep, programme: str = "",
                  territoire: str = "") -> Response:
    """Those covering the territory from a wider one (``rows=covering``)."""
    from queries import connectors

    return _download(request, driver, database, settings, programme, territoire,
                     lambda p, t: connectors_table(connectors(
                         driver, p.id, t.id, limit=settings.max_page_size,
                         database=database), "covering"), needs_programme=True)


@router.get("/analystes/trous.csv", response_class=Response)
def gaps_file(request: Request, driver: DriverDep, database: DatabaseDep,
              settings: SettingsDep, territoire: str = "") -> Response:
    """The territory's needs without a programme (``GET /territories/{code}/gaps``)."""
    from queries import gaps

    return _download(request, driver, database, settings, "", territoire,
                     lambda _, t: gaps_table(gaps(driver, t.id, database=database)),
                     needs_programme=False)


@router.get("/analystes/ponts.csv", response_class=Response)
def brokers_file(driver: DriverDep, database: DatabaseDep) -> Response:
    """The brokers the page ranks (``GET /analytics/brokers?format=csv``)."""
    from queries import brokers

    return csv_response(brokers_table(brokers(driver, top=TOP_BROKERS, database=database)))


@router.get("/analystes/communautes.csv", response_class=Response)
def communities_file(driver: DriverDep, database: DatabaseDep,
                     settings: SettingsDep) -> Response:
    """The communities (``GET /analytics/communities?format=csv`` with
    ``limit=ALLIANCE_MAX_PAGE_SIZE``)."""
    from queries import communities

    return csv_response(communities_table(communities(
        driver, limit=settings.max_page_size, members_limit=FILE_MEMBERS,
        database=database)))
