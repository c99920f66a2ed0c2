"""The web pages: server-side rendered with Jinja2, in French, no front-end build.

- ``GET /``               accueil: what Alliance Graph is, the figures, a search box
- ``GET /catalyseurs``    a catalyst's questions: partners near a commune, programmes covering
                          it, needs without a programme, the picture
- ``GET /analystes``      an analyst's questions: connectors of a programme in a territory,
                          gaps, brokers, communities, the picture of the connectors
- ``GET /fiche/{id}``     one element or territory: properties, sources, neighbourhood
- ``GET /recherche``      full-text search over names
- ``GET /pages-api/communes?q=``  commune suggestions for the forms' ``<datalist>``
- ``GET /pages-static/{file}``    the stylesheet and the small script

Every page handler calls the ``queries`` wrappers (no Cypher here) and renders a template.
Templates are autoescaped and never mark data ``|safe``; pages carry a strict
Content-Security-Policy (scripts, styles and frames from this origin only), so a name like
``<img src=x onerror=…>`` is shown as text and can run nothing. Form errors come back as the
form again, with a French message and a 4xx status.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from api.deps import DatabaseDep, DriverDep, SettingsDep
from graph.settings import Settings
from graph.vocabulary import FRENCH_NAMES
from queries.errors import InvalidParameter, NotFoundError

router = APIRouter(include_in_schema=False)

_HERE = Path(__file__).resolve().parents[1]
TEMPLATE_DIR = _HERE / "templates"
STATIC_DIR = _HERE / "static"

#: the only files /pages-static serves, with their media types
STATIC_FILES: dict[str, str] = {
    "pages.css": "text/css; charset=utf-8",
    "pages.js": "text/javascript; charset=utf-8",
}

#: the radius a catalyst may ask for, in km
RADIUS_MIN, RADIUS_MAX, RADIUS_DEFAULT = 1.0, 200.0, 30.0
#: rows per page of the neighbourhood table
NEIGHBOURS_PER_PAGE = 25

# --- French words for the vocabulary ---------------------------------------------------

KIND_FR: dict[str, str] = {
    "association": "Association",
    "entreprise": "Entreprise",
    "collectivite": "Collectivité",
    "etat": "État",
    "fondation": "Fondation",
    "investisseur": "Investisseur",
    "tete_de_reseau": "Tête de réseau",
    "recherche": "Recherche",
    "autre": "Autre",
    "urgence": "Urgence",
    "relance": "Relance",
    "relay": "Tête de pont",
    "catalyst": "Catalyseur",
    "country": "Pays",
    "region": "Région",
    "departement": "Département",
    "epci": "Intercommunalité",
    "commune": "Commune",
    "unknown": "non indiquée",
}

#: relationship types read from their start node (``out``) and from their end node (``in``)
REL_FR: dict[str, tuple[str, str]] = {
    "CARRIES": ("porte", "porté par"),
    "FUNDS": ("finance", "financé par"),
    "OPERATES": ("opère", "opéré par"),
    "RELAYS": ("relaie", "relayé par"),
    "ADDRESSES": ("répond au besoin", "besoin traité par"),
    "EXPRESSES": ("exprime le besoin", "besoin exprimé par"),
    "IDENTIFIES": ("identifie", "identifié par"),
    "PARTICIPATES_IN": ("participe à", "a pour participant"),
    "COPILOTS": ("copilote", "copiloté par"),
    "PRODUCED": ("a produit", "produit par"),
    "MEMBER_OF": ("membre de", "a pour membre"),
    "PARTNERS_WITH": ("partenaire de", "partenaire de"),
    "LEADS": ("dirige", "dirigé par"),
    "SPOKE_AT": ("intervient à", "a pour intervenant"),
    "HELD": ("a tenu", "tenu par"),
    "LOCATED_IN": ("situé à", "siège de"),
    "ACTIVE_IN": ("actif dans", "territoire d'action de"),
    "COVERS": ("couvre", "couvert par"),
    "PART_OF": ("fait partie de", "contient"),
}

PROPERTY_FR: dict[str, str] = {
    "id": "Identifiant",
    "name": "Nom",
    "kind": "Type",
    "phase": "Phase",
    "category": "Catégorie",
    "description": "Description",
    "url": "Site web",
    "tags": "Mots-clés",
    "start": "Début",
    "end": "Fin",
    "count": "Effectif déclaré",
    "siren": "SIREN",
    "rna": "RNA",
    "source": "Source",
    "code": "Code INSEE",
    "level": "Niveau",
    "population": "Population",
    "location": "Position (latitude, longitude)",
    "role": "Rôle",
    "volet": "Volet",
}

#: the order properties are listed in on an element's page (others follow, by name)
PROPERTY_ORDER = ("name", "kind", "phase", "category", "description", "url", "tags", "start",
                  "end", "count", "code", "level", "population", "location", "siren", "rna",
                  "role", "volet", "id")

ROLE_CHOICES: tuple[tuple[str, str], ...] = (
    ("", "Toutes les organisations"),
    ("catalyst", "Catalyseurs territoriaux seulement"),
    ("relay", "Têtes de pont seulement"),
)


# --- template environment ----------------------------------------------------------------


def _segment(value: Any) -> str:
    """An id as one URL path segment (``:`` kept readable, ``/`` and the rest escaped)."""
    return quote(str(value), safe=":")


def _css_token(value: Any) -> str:
    return re.sub(r"[^a-z0-9_-]", "", str(value).lower())


def _num(value: Any) -> str:
    """French thousands: a narrow no-break space (``12 345``)."""
    if value is None:
        return "—"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}".replace(",", "\u202f").replace(".", ",")
    return f"{int(value):,}".replace(",", "\u202f")


def _km(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.1f}".replace(".", ",") + " km"


def _score(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.3f}".replace(".", ",")


def _kind_fr(value: Any) -> str:
    return KIND_FR.get(str(value), str(value).replace("_", " "))


def _label_fr(value: Any) -> str:
    return FRENCH_NAMES.get(str(value), str(value))


def _prop_fr(value: Any) -> str:
    return PROPERTY_FR.get(str(value), str(value).replace("_", " "))


def _web_url(value: Any) -> str | None:
    """The value if it is an http(s) address, to link it; anything else is shown as text."""
    text = str(value or "").strip()
    return text if re.match(r"^https?://[^\s]+$", text, re.IGNORECASE) else None


def _rel_fr(rel_type: str, direction: str = "out") -> str:
    out, inward = REL_FR.get(rel_type, (rel_type.lower().replace("_", " "),) * 2)
    return inward if direction == "in" else out


def _make_env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=select_autoescape(enabled_extensions=("html",), default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        segment=_segment,
        css_token=_css_token,
        num=_num,
        km=_km,
        score=_score,
        kind_fr=_kind_fr,
        label_fr=_label_fr,
        prop_fr=_prop_fr,
        rel_fr=_rel_fr,
        web_url=_web_url,
    )
    return env


ENV = _make_env()


def content_security_policy(settings: Settings) -> str:
    """The pages' CSP: everything from this origin, nothing inline, no plugin, no base."""
    return (
        "default-src 'self'; frame-src 'self'; script-src 'self'; style-src 'self'; "
        "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
        f"frame-ancestors {settings.frame_ancestors}"
    )


def render(request: Request, template: str, context: dict[str, Any], *,
           status: int = 200) -> HTMLResponse:
    """Render a page with the common context and the security headers."""
    settings: Settings = request.app.state.settings
    html = ENV.get_template(template).render(request=request, **context)
    return HTMLResponse(html, status_code=status, headers={
        "Content-Security-Policy": content_security_policy(settings),
        "Cache-Control": "no-store",
    })


def _guard(call: Callable[[], Any]) -> tuple[Any, str | None, int]:
    """Run one query; a domain error becomes (None, its message, its status)."""
    try:
        return call(), None, 200
    except NotFoundError as exc:
        return None, str(exc), 404
    except InvalidParameter as exc:
        return None, str(exc), 400


# --- static files and suggestions ------------------------------------------------------


@router.get("/pages-static/{name}")
def static_file(name: str) -> Response:
    """The stylesheet and the script; only the files of ``STATIC_FILES``."""
    media = STATIC_FILES.get(name)
    if media is None:
        return JSONResponse({"error": {"status": 404, "code": "not_found",
                                       "message": f"no static file {name!r}", "detail": None}},
                            status_code=404)
    return FileResponse(STATIC_DIR / name, media_type=media,
                        headers={"Cache-Control": "public, max-age=3600"})


def _commune_option(c) -> dict[str, str]:
    extra = []
    if c.departement:
        extra.append(f"{c.departement} ({c.departement_code})" if c.departement_code
                     else c.departement)
    if c.population:
        extra.append(f"{_num(c.population)} hab.")
    return {"value": f"{c.name} ({c.code})", "label": " · ".join(extra), "id": c.id}


@router.get("/pages-api/communes")
def commune_suggestions(driver: DriverDep, database: DatabaseDep, q: str = "") -> JSONResponse:
    """Communes whose name or code starts with ``q``: ``[{value, label, id}]``, largest first."""
    from queries.lookups import communes_matching

    q = q.strip()[:80]
    if len(q) < 2:
        return JSONResponse([])
    found = communes_matching(driver, q, limit=12, database=database)
    return JSONResponse([_commune_option(c) for c in found])


# --- home and search ---------------------------------------------------------------------


@router.get("/", response_class=HTMLResponse)
def home(request: Request, driver: DriverDep, database: DatabaseDep) -> HTMLResponse:
    """Accueil: what the tool answers, the two pages, a search box, the figures."""
    from queries import stats

    figures = stats(driver, database=database)
    return render(request, "home.html", {"nav": "accueil", "stats": figures})


@router.get("/recherche", response_class=HTMLResponse)
def search_page(request: Request, driver: DriverDep, database: DatabaseDep,
                q: str = "", page: str = "1") -> HTMLResponse:
    """Full-text search over names, 20 a page."""
    from queries import search

    q = q.strip()[:200]
    number = _page_number(page)
    context: dict[str, Any] = {"nav": "recherche", "q": q, "result": None, "error": None,
                               "page": number}
    if not q:
        return render(request, "search.html", context)
    result, error, status = _guard(
        lambda: search(driver, q, limit=20, offset=(number - 1) * 20, database=database))
    if error is not None:  # the only refusal: text with no word in it
        error = ("Tapez au moins un mot (des lettres ou des chiffres) : les signes seuls "
                 "comme * ou ? ne suffisent pas.")
    context.update(result=result, error=error)
    if result is not None:
        context["pages"] = max(1, math.ceil(result.total / 20))
    return render(request, "search.html", context, status=status)


def _page_number(text: str) -> int:
    try:
        return max(1, min(int(text), 10_000))
    except ValueError:
        return 1


# --- catalysts ---------------------------------------------------------------------------

_CODE_IN_PARENS = re.compile(r"\(\s*((?:\d{2}|2[AB])\d{3})\s*\)\s*$", re.IGNORECASE)
_COMMUNE_CODE = re.compile(r"^(?:\d{2}|2[AB])\d{3}$", re.IGNORECASE)


class FormError(Exception):
    """A form value the page cannot use: shown above the form, with ``status``."""

    def __init__(self, message: str, status: int = 422, choices: list | None = None):
        super().__init__(message)
        self.message, self.status, self.choices = message, status, choices or []


def parse_radius(text: str | None) -> float:
    """The radius in km from the form (``30``, ``12,5``), within the allowed range."""
    if text is None or not text.strip():
        return RADIUS_DEFAULT
    try:
        value = float(text.strip().replace(",", ".").removesuffix("km").strip())
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or not RADIUS_MIN <= value <= RADIUS_MAX:
        raise FormError(
            f"Le rayon doit être un nombre de kilomètres entre {RADIUS_MIN:.0f} et "
            f"{RADIUS_MAX:.0f} (par exemple 30). Vous avez saisi « {text} ».")
    return value


def resolve_commune(driver, text: str, database: str):
    """The one commune meant by ``text`` (name, INSEE code, or ``Nom (code)``)."""
    from queries.lookups import communes_matching

    text = text.strip()
    match = _CODE_IN_PARENS.search(text)
    key = match.group(1).upper() if match else text
    if _COMMUNE_CODE.match(key):
        found = communes_matching(driver, key.upper(), exact=True, limit=2, database=database)
        if found:
            return found[0]
        raise FormError(
            f"Aucune commune n'a le code INSEE « {key} ». Le code INSEE d'une commune a "
            "5 caractères (59512 pour Roubaix, 2A004 pour Ajaccio) ; ce n'est pas le code "
            "postal.", status=404)
    found = communes_matching(driver, key, exact=True, limit=30, database=database)
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        raise FormError(
            f"Plusieurs communes s'appellent « {key} » ({len(found)}). Choisissez la vôtre "
            "ci-dessous, ou tapez son code INSEE.", status=400, choices=found)
    near = communes_matching(driver, key, limit=8, database=database)
    message = (f"Aucune commune ne s'appelle « {key} ». Vérifiez l'orthographe, choisissez une "
               "suggestion de la liste, ou tapez le code INSEE à 5 chiffres (59512 pour Roubaix).")
    raise FormError(message, status=404, choices=near)


def _group_programmes(result) -> list[dict[str, Any]]:
    """Programmes covering the territory, one group per phase (urgence first), each once."""
    phases: dict[str, dict[str, dict[str, Any]]] = {"urgence": {}, "relance": {}, "": {}}
    for group in result.groups:
        for item in group.programmes:
            bucket = phases.setdefault(item.phase or group.phase or "", {})
            entry = bucket.setdefault(item.id, {"item": item, "needs": []})
            if group.need is not None and all(n.id != group.need.id for n in entry["needs"]):
                entry["needs"].append(group.need)
    titles = {"urgence": "Programmes d'urgence", "relance": "Programmes de relance",
              "": "Programmes sans phase indiquée"}
    out = []
    for phase, entries in phases.items():
        if entries:
            ordered = sorted(entries.values(), key=lambda e: (e["item"].name or e["item"].id))
            out.append({"phase": phase, "title": titles.get(phase, phase), "items": ordered})
    return out


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
    context: dict[str, Any] = {"nav": "catalyseurs", "form": form, "needs": needs,
                               "roles": ROLE_CHOICES, "error": None, "choices": [],
                               "result": None}
    if not form["commune"]:
        return render(request, "catalysts.html", context)
    try:
        radius = parse_radius(form["rayon"])
        if form["role"] not in {value for value, _ in ROLE_CHOICES}:
            raise FormError("Ce rôle n'existe pas : choisissez « catalyseurs territoriaux », "
                            "« têtes de pont » ou toutes les organisations.")
        need = next((n for n in needs if n.id == form["besoin"]), None)
        if form["besoin"] and need is None:
            raise FormError("Ce besoin n'est pas dans la liste : choisissez-en un dans la liste "
                            "déroulante, ou laissez « Tous les besoins ».", status=404)
        place = resolve_commune(driver, form["commune"], database)
    except FormError as exc:
        context.update(error=exc.message, choices=[_commune_option(c) for c in exc.choices])
        return render(request, "catalysts.html", context, status=exc.status)

    scope = "all" if trous == "tous" else "expressed"
    near = partners_near(driver, commune=place.id, radius_km=radius,
                         need=need.id if need else None, role=form["role"] or None,
                         limit=50, database=database)
    programmes = programmes_of_territory(driver, place.id, database=database)
    holes = gaps(driver, place.id, scope=scope, database=database)
    form["commune"] = f"{place.name} ({place.code})"
    context["result"] = {
        "place": place,
        "radius": radius,
        "need": need,
        "near": near,
        "programmes": programmes,
        "programme_groups": _group_programmes(programmes),
        "gaps": holes,
        "need_is_gap": bool(need and any(g.id == need.id for g in holes.gaps)),
        "picture": f"/viz/territory/{_segment(place.code)}",
    }
    return render(request, "catalysts.html", context)


# --- analysts ----------------------------------------------------------------------------


@router.get("/analystes", response_class=HTMLResponse)
def analysts_page(request: Request, driver: DriverDep, database: DatabaseDep,
                  settings: SettingsDep, programme: str = "", territoire: str = "",
                  page: str = "1") -> HTMLResponse:
    """The analyst's page: connectors, gaps, brokers and communities."""
    from queries import brokers, communities, connectors, gaps, resolve_territory_param
    from queries.lookups import programme_choices

    programmes = programme_choices(driver, database=database)
    form = {"programme": programme.strip(), "territoire": territoire.strip()[:120]}
    number = _page_number(page)
    context: dict[str, Any] = {"nav": "analystes", "form": form, "programmes": programmes,
                               "error": None, "territory": None, "connectors": None,
                               "gaps": None, "picture": None, "page": number}
    status = 200
    try:
        chosen = next((p for p in programmes if p.id == form["programme"]), None)
        if form["programme"] and chosen is None:
            raise FormError("Ce programme n'est pas dans la liste : choisissez-en un dans la "
                            "liste déroulante.", status=404)
        if chosen and not form["territoire"]:
            raise FormError("Indiquez aussi un territoire (nom ou code : 59 pour le Nord, "
                            "region:32 pour les Hauts-de-France, 59512 pour Roubaix, FR pour "
                            "la France entière).")
        if form["territoire"]:
            text = form["territoire"]
            match = _CODE_IN_PARENS.search(text)
            territory, _, code = _guard(
                lambda: resolve_territory_param(driver, match.group(1) if match else text,
                                                database=database))
            if territory is None:
                raise FormError(
                    f"Territoire introuvable : « {text} ». Tapez un nom exact ou un code "
                    "(59 pour le Nord, region:32 pour les Hauts-de-France, 59512 pour "
                    "Roubaix, FR pour la France).", status=code)
            context["territory"] = territory
            context["gaps"] = gaps(driver, territory.id, database=database)
            if chosen:
                page_size = min(50, settings.max_page_size)
                context["connectors"] = connectors(
                    driver, chosen.id, territory.id, limit=page_size,
                    offset=(number - 1) * page_size, database=database)
                context["page_size"] = page_size
                context["picture"] = "/viz/connectors?" + urlencode(
                    {"programme": chosen.id, "territory": territory.id})
            context["chosen"] = chosen
    except FormError as exc:
        context["error"] = exc.message
        status = exc.status
    context["brokers"] = brokers(driver, top=20, database=database)
    context["communities"] = communities(driver, limit=12, members_limit=8, database=database)
    return render(request, "analysts.html", context, status=status)


# --- one element -------------------------------------------------------------------------


def _neighbour_rows(hood) -> list[dict[str, Any]]:
    """Each neighbour with how it is tied to the centre (for depth 1, the direct relations)."""
    centre = hood.centre.id
    rows = []
    for item in hood.items:
        ties = []
        for edge in hood.edges:
            if edge.source == centre and edge.target == item.node.id:
                ties.append(_rel_fr(edge.type, "out"))
            elif edge.target == centre and edge.source == item.node.id:
                ties.append(_rel_fr(edge.type, "in"))
        rows.append({"node": item.node, "distance": item.distance,
                     "ties": sorted(set(ties))})
    return rows


def _ordered_properties(props: dict[str, Any]) -> list[tuple[str, Any]]:
    """The properties to show, the usual ones first; ``source`` has its own section."""
    rank = {key: i for i, key in enumerate(PROPERTY_ORDER)}
    keys = sorted((k for k in props if k != "source"),
                  key=lambda k: (rank.get(k, len(rank)), k))
    return [(k, props[k]) for k in keys if props[k] not in (None, "", [])]


@router.get("/fiche/{element_id}", response_class=HTMLResponse)
def element_page(request: Request, element_id: str, driver: DriverDep,
                 database: DatabaseDep, page: str = "1") -> HTMLResponse:
    """One element or territory: properties, sources, neighbours (paged), the picture."""
    from queries import neighbourhood
    from queries.lookups import element_card

    card, error, status = _guard(lambda: element_card(driver, element_id, database=database))
    if card is None:
        return render(request, "error.html", {
            "nav": None, "title": "Fiche introuvable",
            "message": f"Aucun élément n'a l'identifiant « {element_id} ». Il a peut-être été "
                       "renommé : cherchez-le par son nom.",
        }, status=status)
    number = _page_number(page)
    hood = neighbourhood(driver, element_id, depth=1, limit=NEIGHBOURS_PER_PAGE,
                         offset=(number - 1) * NEIGHBOURS_PER_PAGE, database=database)
    pages = max(1, math.ceil(hood.total / NEIGHBOURS_PER_PAGE))
    return render(request, "element.html", {
        "nav": None,
        "card": card,
        "hood": hood,
        "rows": _neighbour_rows(hood),
        "page": min(number, pages),
        "pages": pages,
        "picture": f"/viz/neighbourhood/{_segment(element_id)}",
        "url": _web_url(card.properties.get("url")),
        "properties": _ordered_properties(card.properties),
    })
