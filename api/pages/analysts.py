"""``GET /analystes``: an analyst's questions: connectors of a programme in a territory,
gaps, brokers, communities, the picture of the connectors."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.deps import DatabaseDep, DriverDep, SettingsDep
from api.pages.forms import FormError, chosen_in_list, page_number
from api.pages.rendering import render
from api.pages.territory_box import answer_value, not_in_graph, read_territory
from queries.errors import NotFoundError

router = APIRouter(include_in_schema=False)


@router.get("/analystes", response_class=HTMLResponse)
def analysts_page(request: Request, driver: DriverDep, database: DatabaseDep,
                  settings: SettingsDep, programme: str = "", territoire: str = "",
                  page: str = "1") -> HTMLResponse:
    """The analyst's page: connectors, gaps, brokers and communities."""
    from queries import brokers, communities, connectors, gaps
    from queries.lookups import programme_choices
    from queries.places import territory_chain

    programmes = programme_choices(driver, database=database)
    form = {"programme": programme.strip(), "territoire": territoire.strip()[:120]}
    number = page_number(page)
    context: dict[str, Any] = {"nav": "analystes", "form": form, "programmes": programmes,
                               "error": None, "ask": None, "territory": None, "notice": "",
                               "connectors": None, "gaps": None, "picture": None, "chain": None,
                               "page": number}

    def href(territory_id: str) -> str:
        return "/analystes?" + urlencode({**form, "territoire": territory_id})

    status = 200
    try:
        chosen = chosen_in_list(programmes, form["programme"],
                                "Ce programme n'est pas dans la liste : choisissez-en un dans "
                                "la liste déroulante.")
        if chosen and not form["territoire"]:
            raise FormError("Indiquez aussi un territoire (nom ou code : 59 pour le Nord, "
                            "region:32 pour les Hauts-de-France, 59512 pour Roubaix, FR pour "
                            "la France entière).")
        if form["territoire"]:
            territory, notice = read_territory(form["territoire"], href)
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
    except FormError as exc:
        context.update(error=None if exc.ask else exc.message, ask=exc.ask)
        status = exc.status
    ranked = brokers(driver, top=20, database=database)
    # a zero score says nothing: hidden, and counted
    context["brokers"] = ranked
    context["broker_items"] = [b for b in ranked.items if b.score > 0]
    context["brokers_hidden"] = len(ranked.items) - len(context["broker_items"])
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
