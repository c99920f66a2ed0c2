"""``GET /espaces`` and ``GET /espaces/{id}``: the dialogue spaces of the démarche — members
declared and named, deliverables, events, relays — and one space in full, with the
"Télécharger (Excel)" file of each of its lists (``/espaces/{id}/membres.csv``,
``livrables.csv``, ``evenements.csv``, ``relais.csv``).

The vocabulary has no space → space link (data/curated/README.md, "Modelling decisions"),
so the graph does not say which spaces belong to the collective démarche: the documents
do (000, footnote 5), and :data:`DEMARCHE` and :data:`DEMARCHE_SPACES` name them here.
Every other dialogue space is listed after them; on another dataset, where these ids are
absent, every space is simply listed.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.answer_tables import SpaceList, space_relation_fr, space_table
from api.deps import DatabaseDep, DriverDep
from api.downloads import csv_response
from api.pages.rendering import ENV, render, segment
from graph.french import date_fr, plural

router = APIRouter(include_in_schema=False)

#: the collective démarche « anticiper la sortie de crise » (a DialogueSpace in the data)
DEMARCHE = "space:demarche-anticipation-sortie-de-crise"
#: its four dialogue spaces, in the order of document 000
DEMARCHE_SPACES = (
    "space:articulation-des-ingenieries-nationales-et-territoriales",
    "space:jouer-collectif-entre-investisseurs-societaux",
    "space:croiser-la-diversite-des-regards-sur-l-apres",
    "space:comparer-les-besoins-et-solutions-aig-et-pme",
)

ENV.filters.setdefault("date_fr", date_fr)


def members_phrase(declared: int | None, named: int) -> str:
    """How many members a space has: "21 déclarés, 3 nommés" when the documents give a
    count, "3 membres nommés" when they do not.

    >>> members_phrase(21, 1)
    '21 déclarés, 1 nommé'
    >>> members_phrase(12, 0)
    '12 déclarés, aucun nommé'
    >>> members_phrase(None, 3)
    '3 membres nommés'
    >>> members_phrase(None, 0)
    'aucun membre nommé'
    """
    if declared is None:
        return plural(named, "membre nommé", "membres nommés", zero="aucun membre nommé")
    named_text = plural(named, "nommé", "nommés", zero="aucun nommé")
    return f"{plural(declared, 'déclaré', 'déclarés')}, {named_text}"


def _card(space) -> dict[str, Any]:
    """What the templates show of a space, beside the model."""
    return {"space": space, "members_text": members_phrase(space.declared_count,
                                                           space.named_count),
            "href": f"/espaces/{segment(space.id)}"}


@router.get("/espaces", response_class=HTMLResponse)
def spaces_page(request: Request, driver: DriverDep, database: DatabaseDep) -> HTMLResponse:
    """The démarche, its four dialogue spaces, then every other dialogue space."""
    from queries.spaces import space_details

    spaces = space_details(driver, database=database)
    by_id = {s.id: s for s in spaces}
    demarche = by_id.get(DEMARCHE)
    own = [by_id[i] for i in DEMARCHE_SPACES if i in by_id] if demarche else []
    taken = {DEMARCHE, *(s.id for s in own)} if demarche else set()
    others = [s for s in spaces if s.id not in taken]
    return render(request, "spaces.html", {
        "nav": "espaces",
        "demarche": _card(demarche) if demarche else None,
        "own": [_card(s) for s in own],
        "others": [_card(s) for s in others],
        "total": len(spaces),
    })


@router.get("/espaces/{space_id}", response_class=HTMLResponse)
def space_page(request: Request, space_id: str, driver: DriverDep,
               database: DatabaseDep) -> HTMLResponse:
    """One dialogue space in full; a French 404 for an id that is no dialogue space."""
    from queries.spaces import space_details

    found = space_details(driver, [space_id], database=database)
    if not found:
        return _no_space(request, space_id)
    space = found[0]
    parent = None
    children: list[dict[str, Any]] = []
    if space.id in DEMARCHE_SPACES:
        parent = next(iter(space_details(driver, [DEMARCHE], database=database)), None)
    elif space.id == DEMARCHE:
        wanted = space_details(driver, list(DEMARCHE_SPACES), database=database)
        order = {i: n for n, i in enumerate(DEMARCHE_SPACES)}
        children = [_card(s) for s in sorted(wanted, key=lambda s: order[s.id])]
    members = [{"member": m, "relation": space_relation_fr(m.relation, m.role)}
               for m in space.members]
    base = f"/espaces/{segment(space.id)}"
    return render(request, "space.html", {
        "nav": "espaces",
        "card": _card(space),
        "space": space,
        "members": members,
        "parent": parent,
        "children": children,
        "picture": f"/viz/space/{segment(space.id)}",
        "downloads": {which: f"{base}/{which}.csv" for which in SPACE_LISTS},
    })


#: the lists of a space page that download as files
SPACE_LISTS: tuple[SpaceList, ...] = ("membres", "livrables", "evenements", "relais")


def _no_space(request: Request, space_id: str) -> HTMLResponse:
    return render(request, "error.html", {
        "nav": "espaces", "title": "Espace de dialogue introuvable",
        "message": f"Aucun espace de dialogue n'a l'identifiant « {space_id} ». "
                   "La liste des espaces de dialogue est à la page Espaces ; vous pouvez "
                   "aussi chercher l'espace par son nom.",
    }, status=404)


@router.get("/espaces/{space_id}/{which}.csv", response_class=Response)
def space_file(request: Request, space_id: str, which: str, driver: DriverDep,
               database: DatabaseDep) -> Response:
    """One list of a space's page as a CSV file; an unknown space or list is the French
    404 page."""
    from queries.spaces import space_details

    found = space_details(driver, [space_id], database=database)
    if not found or which not in SPACE_LISTS:
        return _no_space(request, space_id) if not found else render(
            request, "error.html", {
                "nav": "espaces", "title": "Liste introuvable",
                "message": f"L'espace de dialogue n'a pas de liste « {which} » : on peut "
                           "télécharger ses membres, livrables, événements et relais depuis "
                           "sa page."}, status=404)
    return csv_response(space_table(found[0], which))
