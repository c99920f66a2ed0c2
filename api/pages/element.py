"""``GET /fiche/{id}``: one element or territory: its properties, sources, neighbourhood
(paged) and the picture of the neighbourhood."""

from __future__ import annotations

import math
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from api.deps import DatabaseDep, DriverDep
from api.pages.forms import page_number
from api.pages.rendering import guarded, rel_fr, render, segment, web_host, web_url
from graph.vocabulary import CODE_FR, PROPERTY_FR

router = APIRouter(include_in_schema=False)

#: rows per page of the neighbourhood table
NEIGHBOURS_PER_PAGE = 25

#: the order properties are listed in on an element's page (others follow, by name)
PROPERTY_ORDER = ("name", "kind", "phase", "category", "description", "url", "tags", "start",
                  "end", "count", "code", "level", "population", "location", "siren", "rna",
                  "role", "volet", "id")


def history_lines(history) -> dict[str, Any] | None:
    """A fact's history in French for the fiche: when it entered the graph and last
    changed, its datasets, then each change (latest first) with the values before."""
    if history is None:
        return None
    from graph.french import kind_fr, when_fr

    def before(key: str, value: Any) -> str:
        name = "territoire" if key == "territory" else PROPERTY_FR.get(key, key).lower()
        if value is None:
            return f"{name} (vide avant)"
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        elif key in ("kind", "phase", "level"):
            value = kind_fr(value)
        return f"{name} (avant : « {value} »)"

    events = {"restored": "de retour dans le graphe",
              "retired": "retiré du jeu de données « {dataset} »",
              "dataset_dropped": "n'est plus dans le jeu de données « {dataset} » (un autre "
                                 "l'atteste encore)",
              "merged": "fusionné dans « {other} » (doublon)",
              "absorbed": "a reçu les liens et les noms de son doublon « {other} »"}
    lines = []
    for e in history.entries:
        what = (("modifié : " + ", ".join(before(k, v) for k, v in sorted(e.before.items())))
                if e.event == "changed"
                else events.get(e.event, e.event).format(dataset=e.dataset or "?",
                                                          other=e.other or "?"))
        lines.append({"when": when_fr(e.at) if e.at else "", "what": what,
                      "import_id": e.import_id})
    return {
        "first_seen": when_fr(history.first_seen) if history.first_seen else None,
        "last_changed": when_fr(history.last_changed) if history.last_changed else None,
        "retired_at": when_fr(history.retired_at) if history.retired_at else None,
        "retired_by": history.retired_by,
        "datasets": history.datasets,
        "lines": lines,
    }


def _neighbour_rows(hood) -> list[dict[str, Any]]:
    """Each neighbour with how it is tied to the centre (for depth 1, the direct relations)."""
    centre = hood.centre.id
    rows = []
    for item in hood.items:
        ties = []
        for edge in hood.edges:
            if edge.source == centre and edge.target == item.node.id:
                ties.append(rel_fr(edge.type, "out"))
            elif edge.target == centre and edge.source == item.node.id:
                ties.append(rel_fr(edge.type, "in"))
        rows.append({"node": item.node, "distance": item.distance,
                     "ties": sorted(set(ties))})
    return rows


def _ordered_properties(props: dict[str, Any]) -> list[tuple[str, Any]]:
    """The properties to show, the usual ones first; ``source`` has its own section."""
    rank = {key: i for i, key in enumerate(PROPERTY_ORDER)}
    keys = sorted((k for k in props if k != "source"),
                  key=lambda k: (rank.get(k, len(rank)), k))
    return [(k, props[k]) for k in keys if props[k] not in (None, "", [])]


#: what each place of an element is, in French (singular, plural)
PLACE_TITLES = {"LOCATED_IN": ("Implantation", "Implantations"),
                "ACTIVE_IN": ("Territoire d'action", "Territoires d'action"),
                "COVERS": ("Territoire couvert", "Territoires couverts")}


def _place_title(relation: str, total: int) -> str:
    singular, plural = PLACE_TITLES.get(relation, (relation, relation))
    return singular if total < 2 else plural


def _left_inventory(request: Request, element_id: str, driver, database: str):
    """The fiche of an element the questions no longer find: a duplicate merged into
    another redirects (301) to that one's fiche; a retired element says since when (410).
    None when no element, alive or not, has that id."""
    from queries.retired import retired_element

    left = retired_element(driver, element_id, database=database)
    if left is None:
        return None
    if left.merged_into:
        return RedirectResponse(f"/fiche/{segment(left.merged_into)}", 301)
    return render(request, "error.html", {
        "nav": None, "title": "Élément retiré de l'inventaire",
        "message": left.message_fr() + " Sa fiche n'est plus tenue à jour.",
    }, status=410)


def _not_yet(request: Request, element_id: str, driver, database: str):
    """Asked as of a time before an element entered the graph: say so, and since when
    (a French page, 404), rather than that no element has the id."""
    from graph import as_of
    from graph.french import when_fr
    from queries.errors import NotFoundError
    from queries.lookups import element_card

    with as_of.scope(None):
        try:
            now = element_card(driver, element_id, database=database)
        except NotFoundError:
            return None
    asked = when_fr(request.state.as_of)
    entered = (f" : il y est entré le {when_fr(now.history.first_seen)}"
               if now.history and now.history.first_seen else "")
    return render(request, "error.html", {
        "nav": None, "title": "Pas encore dans le graphe",
        "message": f"Au {asked}, « {now.name or element_id} » n'était pas encore dans le "
                   f"graphe{entered}. Sa fiche d'aujourd'hui : /fiche/{element_id}.",
    }, status=404)


@router.get("/fiche/{element_id}", response_class=HTMLResponse)
def element_page(request: Request, element_id: str, driver: DriverDep,
                 database: DatabaseDep, page: str = "1") -> HTMLResponse:
    """One element or territory: properties, sources, neighbours (paged), the picture."""
    from queries import neighbourhood
    from queries.lookups import element_card
    from queries.places import element_places, territory_chain

    card, error, status = guarded(lambda: element_card(driver, element_id, database=database))
    if card is None and status == 404:
        left = _left_inventory(request, element_id, driver, database)
        if left is not None:
            return left
    if card is not None and card.history is not None and card.history.merged_into:
        return RedirectResponse(f"/fiche/{segment(card.history.merged_into)}", 301)
    if card is None and getattr(request.state, "as_of", None) is not None:
        later = _not_yet(request, element_id, driver, database)
        if later is not None:
            return later
    if card is None:
        return render(request, "error.html", {
            "nav": None, "title": "Fiche introuvable",
            "message": f"Aucun élément n'a l'identifiant « {element_id} ». Il a peut-être été "
                       "renommé : cherchez-le par son nom.",
        }, status=status)
    number = page_number(page)
    hood = neighbourhood(driver, element_id, depth=1, limit=NEIGHBOURS_PER_PAGE,
                         offset=(number - 1) * NEIGHBOURS_PER_PAGE, database=database)
    pages = max(1, math.ceil(hood.total / NEIGHBOURS_PER_PAGE))
    url = web_url(card.properties.get("url"))
    territory = "Territory" in card.labels
    chain = territory_chain(driver, element_id, database=database) if territory else None
    places = [] if territory else element_places(driver, element_id, database=database)
    return render(request, "element.html", {
        "nav": None,
        "card": card,
        "hood": hood,
        "rows": _neighbour_rows(hood),
        "page": min(number, pages),
        "pages": pages,
        "picture": f"/viz/neighbourhood/{segment(element_id)}",
        "url": url,
        "url_host": web_host(url) if url else None,
        "properties": _ordered_properties(card.properties),
        "code_label": CODE_FR.get(str(card.properties.get("level")), PROPERTY_FR["code"]),
        "chain": chain,
        "places": [(_place_title(p.relation, p.total), p) for p in places],
        "history": history_lines(card.history),
    })
