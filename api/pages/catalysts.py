"""``GET /catalyseurs``: a catalyst's questions around one commune: partners near it,
programmes covering it (by phase), needs without a programme, the picture; and the
"Télécharger (Excel)" file of each list (``/catalyseurs/partenaires.csv``,
``actifs.csv``, ``programmes.csv``, ``trous.csv``), the same bytes as the API's
``format=csv`` for the same question."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.answer_tables import Table, gaps_table, near_table, programmes_table
from api.deps import DatabaseDep, DriverDep, SettingsDep
from api.downloads import csv_response
from api.pages.forms import FormError, chosen_in_list, parse_radius
from api.pages.pistes import pistes_href
from api.pages.rendering import num, render, segment
from api.pages.territory_box import answer_value, departement_of, not_in_graph, read_territory
from graph.territory_reference import TerritoryCandidate
from graph.vocabulary import PROGRAMME_PHASES
from queries.errors import NotFoundError
from queries.lookups import Choice, RoleCount

router = APIRouter(include_in_schema=False)

#: per role: the filter's words, and the agreement of "déclaré"/"nommé" (une tête de pont)
ROLE_WORDS: dict[str, dict[str, str]] = {
    "catalyst": {"option": "Catalyseurs territoriaux seulement",
                 "group": "catalyseurs territoriaux", "one": "catalyseur territorial",
                 "none": "aucun", "e": ""},
    "relay": {"option": "Têtes de pont seulement", "group": "têtes de pont",
              "one": "tête de pont", "none": "aucune", "e": "e"},
}


def _agreed(n: int, word: str, e: str) -> str:
    """"350 déclarés", "1 nommée": ``word`` agreed in gender (``e``) and number."""
    return f"{num(n)} {word}{e}{'s' if n > 1 else ''}"


def role_filters(counts: dict[str, RoleCount]) -> tuple[list[tuple[str, str]], str]:
    """The role filter's choices and what to say of the roles left out.

    A role is offered only when the graph names some organisation of that role (a group
    node known by its count only can never be matched); its label gives the counts as the
    documents declare them ("Catalyseurs territoriaux seulement (350 déclarés, 2 nommés)").
    A role left out that the documents declare is said so, never as "none": "Les 350
    catalyseurs territoriaux que déclarent les documents ne sont pas nommés un à un…".

    >>> role_filters({"catalyst": RoleCount(role="catalyst", declared=350, named=2),
    ...               "relay": RoleCount(role="relay", declared=30, named=0)})[0][1]
    ('catalyst', 'Catalyseurs territoriaux seulement (350 déclarés, 2 nommés)')
    """
    choices = [("", "Toutes les organisations")]
    hidden = []
    for role, words in ROLE_WORDS.items():
        count = counts.get(role) or RoleCount(role=role)
        if count.named:
            named = _agreed(count.named, "nommé", words["e"])
            counted = (f"{_agreed(count.declared, 'déclaré', words['e'])}, {named}"
                       if count.declared else named)
            choices.append((role, f"{words['option']} ({counted})"))
        elif count.declared:
            hidden.append((count.declared, words))
    if not hidden:
        return choices, ""
    groups = " et ".join(f"les {num(n)} {w['group']}" for n, w in hidden)
    e = "e" if all(w["e"] for _, w in hidden) else ""
    which = "ce rôle" if len(hidden) == 1 else "ces rôles"
    note = (f"{groups[0].upper()}{groups[1:]} que déclarent les documents ne sont pas "
            f"nommé{e}s un{e} à un{e} dans les données : on ne peut pas encore filtrer les "
            f"partenaires sur {which}.")
    return choices, note


def _role_refusal(role: str, counts: dict[str, RoleCount]) -> str:
    """Why a role asked for (an old link) is not offered."""
    words = ROLE_WORDS.get(role)
    if words is None:
        return ("Ce rôle n'existe pas : choisissez un rôle dans la liste déroulante, ou "
                "« Toutes les organisations ».")
    declared = (counts.get(role) or RoleCount(role=role)).declared
    why = f"{words['none']} {words['one']} n'est nommé{words['e']} dans les données"
    if declared:
        why += f" (les documents en déclarent {num(declared)} sans les nommer)"
    return (f"Le filtre « {words['option']} » n'est pas proposé : {why}. Choisissez "
            "« Toutes les organisations ».")


def _group_programmes(result) -> list[dict[str, Any]]:
    """Programmes covering the territory, one group per phase (urgence first), each once."""
    phases: dict[str, dict[str, dict[str, Any]]] = {p: {} for p in (*PROGRAMME_PHASES, "")}
    for group in result.groups:
        for item in group.programmes:
            bucket = phases.setdefault(item.phase or group.phase or "", {})
            entry = bucket.setdefault(item.id, {"item": item, "needs": []})
            if group.need is not None and all(n.id != group.need.id for n in entry["needs"]):
                entry["needs"].append(group.need)
    titles = {"urgence": "Programmes d'urgence", "relance": "Programmes de relance",
              "structurel": "Programmes structurels (fonds durables)",
              "": "Programmes sans phase indiquée"}
    out = []
    for phase, entries in phases.items():
        if entries:
            ordered = sorted(entries.values(), key=lambda e: (e["item"].name or e["item"].id))
            out.append({"phase": phase, "title": titles.get(phase, phase), "items": ordered})
    return out


def picture_url(commune_id: str, radius: float, need: str | None, role: str | None) -> str:
    """The picture of the commune as the page asked it: its radius, need and role."""
    params = {"radius_km": f"{radius:g}"}
    if need:
        params["need"] = need
    if role:
        params["role"] = role
    return f"/viz/territory/{segment(commune_id)}?" + urlencode(params)


def _form(commune: str, rayon: str, besoin: str, role: str, trous: str) -> dict[str, str]:
    form = {"commune": commune.strip()[:120], "rayon": rayon.strip()[:20] or "30",
            "besoin": besoin.strip(), "role": role.strip(), "trous": trous}
    if form["trous"] != "tous":
        form["trous"] = "exprimes"
    return form


@dataclass
class Question:
    """The catalyst's question, read from the form."""

    place: TerritoryCandidate
    notice: str
    radius: float
    need: Choice | None
    role: str | None


def _read_form(form: dict[str, str], needs: list[Choice], counts: dict[str, RoleCount],
               roles: list[tuple[str, str]]) -> Question:
    """The question the form asks; :class:`FormError` for a value the page cannot use."""
    def href(territory_id: str) -> str:
        return "/catalyseurs?" + urlencode({**form, "commune": territory_id})

    radius = parse_radius(form["rayon"])
    if form["role"] not in {value for value, _ in roles}:
        raise FormError(_role_refusal(form["role"], counts))
    need = chosen_in_list(needs, form["besoin"],
                          "Ce besoin n'est pas dans la liste : choisissez-en un dans la "
                          "liste déroulante, ou laissez « Tous les besoins ».")
    if need is not None:
        # a link naming the need shows it chosen in the list, as by its id
        form["besoin"] = need.id
    place, notice = read_territory(form["commune"], href, commune=True)
    return Question(place=place, notice=notice, radius=radius, need=need,
                    role=form["role"] or None)


def _near(driver, database: str, q: Question, limit: int):
    from queries import partners_near

    return partners_near(driver, commune=q.place.id, radius_km=q.radius,
                         need=q.need.id if q.need else None, role=q.role, limit=limit,
                         database=database)


def _downloads(q: Question, trous: str) -> dict[str, str]:
    """The "Télécharger (Excel)" link of each list, asking by the commune's id."""
    asked = {"commune": q.place.id, "rayon": f"{q.radius:.10g}", "besoin": q.need.id if q.need
             else "", "role": q.role or ""}
    query = urlencode({k: v for k, v in asked.items() if v})
    return {"partners": f"/catalyseurs/partenaires.csv?{query}",
            "active": f"/catalyseurs/actifs.csv?{query}",
            "programmes": "/catalyseurs/programmes.csv?" + urlencode({"commune": q.place.id}),
            "gaps": "/catalyseurs/trous.csv?" + urlencode({"commune": q.place.id,
                                                          "trous": trous})}


@router.get("/catalyseurs", response_class=HTMLResponse)
def catalysts_page(request: Request, driver: DriverDep, database: DatabaseDep,
                   settings: SettingsDep, commune: str = "", rayon: str = "",
                   besoin: str = "", role: str = "", trous: str = "exprimes") -> HTMLResponse:
    """The catalyst's page: partners, programmes and gaps around one commune."""
    from queries import gaps, programmes_of_territory
    from queries.lookups import need_choices, role_counts
    from queries.places import territory_chain

    needs = need_choices(driver, database=database)
    counts = role_counts(driver, database=database)
    roles, roles_note = role_filters(counts)
    form = _form(commune, rayon, besoin, role, trous)
    context: dict[str, Any] = {"nav": "catalyseurs", "form": form, "needs": needs,
                               "roles": roles, "roles_note": roles_note, "error": None,
                               "ask": None, "result": None,
                               "download_limit": settings.max_page_size}
    if not form["commune"]:
        return render(request, "catalysts.html", context)
    try:
        q = _read_form(form, needs, counts, roles)
        scope = "all" if form["trous"] == "tous" else "expressed"
        try:
            near = _near(driver, database, q, 50)
            programmes = programmes_of_territory(driver, q.place.id, database=database)
            holes = gaps(driver, q.place.id, scope=scope, database=database)
        except NotFoundError as exc:
            raise FormError(not_in_graph(q.place), 404) from exc
    except FormError as exc:
        context.update(error=None if exc.ask else exc.message, ask=exc.ask)
        return render(request, "catalysts.html", context, status=exc.status)

    form["commune"] = answer_value(form["commune"], q.place)
    context["result"] = {
        "place": q.place,
        "departement": departement_of(q.place),
        "chain": territory_chain(driver, q.place.id, database=database),
        "notice": q.notice,
        "radius": q.radius,
        "need": q.need,
        "near": near,
        "programmes": programmes,
        "programme_groups": _group_programmes(programmes),
        "gaps": holes,
        "need_is_gap": bool(q.need and any(g.id == q.need.id for g in holes.gaps)),
        "picture": picture_url(q.place.id, q.radius, q.need.id if q.need else None, q.role),
        # the picture draws what the page lists: nothing listed, nothing to draw (its
        # frame says so, and the page does not invite to drag nodes)
        "drawable": bool(near.items or (near.active_on_territory
                                        and near.active_on_territory.items)
                         or programmes.total),
        "downloads": _downloads(q, form["trous"]),
        "pistes": pistes_href(territoire=q.place.id, rayon=f"{q.radius:g}",
                              besoin=q.need.id if q.need else None),
    }
    return render(request, "catalysts.html", context)


def _download(request: Request, driver, database: str, settings, params: dict[str, str],
              table: Callable[[Question], Table]) -> Response:
    """One list of the page as a CSV file; a question the page cannot answer gives the
    page itself, with its French message and status."""
    from queries.lookups import need_choices, role_counts

    form = _form(**params)
    if form["commune"]:
        needs = need_choices(driver, database=database)
        counts = role_counts(driver, database=database)
        try:
            q = _read_form(form, needs, counts, role_filters(counts)[0])
            return csv_response(table(q))
        except (FormError, NotFoundError):
            pass
    return catalysts_page(request, driver, database, settings, **params)


@router.get("/catalyseurs/partenaires.csv", response_class=Response)
def partners_file(request: Request, driver: DriverDep, database: DatabaseDep,
                  settings: SettingsDep, commune: str = "", rayon: str = "",
                  besoin: str = "", role: str = "") -> Response:
    """The partners within the radius (``GET /partners/near?format=csv`` with the page's
    limit, ``ALLIANCE_MAX_PAGE_SIZE``)."""
    return _download(request, driver, database, settings,
                     {"commune": commune, "rayon": rayon, "besoin": besoin, "role": role,
                      "trous": "exprimes"},
                     lambda q: near_table(_near(driver, database, q, settings.max_page_size)))


@router.get("/catalyseurs/actifs.csv", response_class=Response)
def active_file(request: Request, driver: DriverDep, database: DatabaseDep,
                settings: SettingsDep, commune: str = "", rayon: str = "",
                besoin: str = "", role: str = "") -> Response:
    """The organisations acting on the commune's territory beyond the radius
    (``rows=active_on_territory``)."""
    return _download(request, driver, database, settings,
                     {"commune": commune, "rayon": rayon, "besoin": besoin, "role": role,
                      "trous": "exprimes"},
                     lambda q: near_table(_near(driver, database, q, settings.max_page_size),
                                          "active_on_territory"))


@router.get("/catalyseurs/programmes.csv", response_class=Response)
def programmes_file(request: Request, driver: DriverDep, database: DatabaseDep,
                    settings: SettingsDep, commune: str = "") -> Response:
    """The programmes covering the commune (``GET /territories/{code}/programmes``)."""
    from queries import programmes_of_territory

    return _download(request, driver, database, settings,
                     {"commune": commune, "rayon": "", "besoin": "", "role": "",
                      "trous": "exprimes"},
                     lambda q: programmes_table(programmes_of_territory(
                         driver, q.place.id, database=database)))


@router.get("/catalyseurs/trous.csv", response_class=Response)
def gaps_file(request: Request, driver: DriverDep, database: DatabaseDep,
              settings: SettingsDep, commune: str = "", trous: str = "exprimes") -> Response:
    """The needs without a programme (``GET /territories/{code}/gaps``; ``trous=tous`` is
    ``scope=all``)."""
    from queries import gaps

    scope = "all" if trous == "tous" else "expressed"
    return _download(request, driver, database, settings,
                     {"commune": commune, "rayon": "", "besoin": "", "role": "",
                      "trous": trous},
                     lambda q: gaps_table(gaps(driver, q.place.id, scope=scope,
                                               database=database)))
