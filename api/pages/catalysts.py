"""``GET /catalyseurs``: a catalyst's questions around one commune: partners near it,
programmes covering it (by phase), needs without a programme, the picture."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.deps import DatabaseDep, DriverDep
from api.pages.forms import FormError, chosen_in_list, parse_radius
from api.pages.rendering import render, segment
from api.pages.territory_box import answer_value, departement_of, not_in_graph, read_territory
from graph.vocabulary import PROGRAMME_PHASES
from queries.errors import NotFoundError

router = APIRouter(include_in_schema=False)

ROLE_CHOICES: tuple[tuple[str, str], ...] = (
    ("", "Toutes les organisations"),
    ("catalyst", "Catalyseurs territoriaux seulement"),
    ("relay", "Têtes de pont seulement"),
)


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


@router.get("/catalyseurs", response_class=HTMLResponse)
def catalysts_page(request: Request, driver: DriverDep, database: DatabaseDep,
                   commune: str = "", rayon: str = "", besoin: str = "", role: str = "",
                   trous: str = "exprimes") -> HTMLResponse:
    """The catalyst's page: partners, programmes and gaps around one commune."""
    from queries import gaps, partners_near, programmes_of_territory
    from queries.lookups import need_choices

    needs = need_choices(driver, database=database)
    form = {"commune": commune.strip()[:120], "rayon": rayon.strip()[:20] or "30",
            "besoin": besoin.strip(), "role": role.strip(), "trous": trous}
    if form["trous"] != "tous":
        form["trous"] = "exprimes"
    context: dict[str, Any] = {"nav": "catalyseurs", "form": form, "needs": needs,
                               "roles": ROLE_CHOICES, "error": None, "ask": None,
                               "result": None}
    if not form["commune"]:
        return render(request, "catalysts.html", context)
    def href(territory_id: str) -> str:
        return "/catalyseurs?" + urlencode({**form, "commune": territory_id})

    try:
        radius = parse_radius(form["rayon"])
        if form["role"] not in {value for value, _ in ROLE_CHOICES}:
            raise FormError("Ce rôle n'existe pas : choisissez « catalyseurs territoriaux », "
                            "« têtes de pont » ou toutes les organisations.")
        need = chosen_in_list(needs, form["besoin"],
                              "Ce besoin n'est pas dans la liste : choisissez-en un dans la "
                              "liste déroulante, ou laissez « Tous les besoins ».")
        place, notice = read_territory(form["commune"], href, commune=True)
        scope = "all" if trous == "tous" else "expressed"
        try:
            near = partners_near(driver, commune=place.id, radius_km=radius,
                                 need=need.id if need else None, role=form["role"] or None,
                                 limit=50, database=database)
            programmes = programmes_of_territory(driver, place.id, database=database)
            holes = gaps(driver, place.id, scope=scope, database=database)
        except NotFoundError as exc:
            raise FormError(not_in_graph(place), 404) from exc
    except FormError as exc:
        context.update(error=None if exc.ask else exc.message, ask=exc.ask)
        return render(request, "catalysts.html", context, status=exc.status)

    form["commune"] = answer_value(form["commune"], place)
    context["result"] = {
        "place": place,
        "departement": departement_of(place),
        "notice": notice,
        "radius": radius,
        "need": need,
        "near": near,
        "programmes": programmes,
        "programme_groups": _group_programmes(programmes),
        "gaps": holes,
        "need_is_gap": bool(need and any(g.id == need.id for g in holes.gaps)),
        "picture": picture_url(place.id, radius, need.id if need else None,
                               form["role"] or None),
        # the picture draws what the page lists: nothing listed, nothing to draw (its
        # frame says so, and the page does not invite to drag nodes)
        "drawable": bool(near.items or (near.active_on_territory
                                        and near.active_on_territory.items)
                         or programmes.total),
    }
    return render(request, "catalysts.html", context)
