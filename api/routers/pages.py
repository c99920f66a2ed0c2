"""The web pages: server-side rendered with Jinja2, in French, no front-end build.

- ``GET /``               accueil: what Alliance Graph is, the figures, a search box
- ``GET /catalyseurs``    a catalyst's questions: partners near a commune, programmes covering
                          it, needs without a programme, the picture
- ``GET /analystes``      an analyst's questions: connectors of a programme in a territory,
                          gaps, brokers, communities, the picture of the connectors
- ``GET /fiche/{id}``     one element or territory: properties, sources, neighbourhood
- ``GET /recherche``      full-text search over names
- ``GET /pages-api/communes?q=``  suggestions of the territory boxes (the candidates of
                          ``GET /territories/suggest``, shaped for pages.js)
- ``GET /pages-static/{file}``    the stylesheet and the small script

Every page handler calls the ``queries`` wrappers (no Cypher here) and renders a template.
Templates are autoescaped and never mark data ``|safe``; pages carry a strict
Content-Security-Policy (scripts, styles and frames from this origin only), so a name like
``<img src=x onerror=…>`` is shown as text and can run nothing. Form errors come back as the
form again, with a French message and a 4xx status.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pydantic import BaseModel

from api.deps import DatabaseDep, DriverDep, SettingsDep
from api.routers.territory_suggest import territory_suggestions
from graph.settings import Settings
from graph.territory_reference import TerritoryCandidate, TerritoryReading, parse_territory
from graph.territory_table import get_table, name_key
from graph.vocabulary import FRENCH_NAMES, KIND_FR, PROPERTY_FR, REL_FR
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


def _plural(count: Any, singular: str, plural: str) -> str:
    """``3 | plural("besoin", "besoins")`` → "3 besoins"; 0 and 1 take the singular, as in
    French."""
    n = int(count or 0)
    return f"{_num(n)} {singular if n < 2 else plural}"


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
        plural=_plural,
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


def _suggestion_option(c: TerritoryCandidate) -> dict[str, str]:
    """One suggestion as the page script shows it: ``value`` goes into the box (text the
    parser reads back as exactly this territory), ``label`` and ``hint`` are shown."""
    return {"id": c.id, "value": form_value(c), "label": c.label, "hint": _population(c)}


@router.get("/pages-api/communes")
def commune_suggestions(q: str = "", limit: int = 8) -> JSONResponse:
    """The suggestions of the territory boxes: the candidates of ``GET
    /territories/suggest`` (same function, same order), as ``[{id, value, label, hint}]``."""
    found = territory_suggestions(q, max(1, min(limit, 20)))
    return JSONResponse([_suggestion_option(c) for c in found])


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


# --- territory boxes ---------------------------------------------------------------------
#
# Every territory box reads what was typed with graph.territory_reference.parse_territory
# and follows its rule: a "found" reading is answered (its notice, if any, shown above the
# answer); a "default" reading is asked back (the pages ask, the API takes the default);
# "ambiguous" offers the candidates, "unknown" the nearest names, "uncovered" says why.
# Each choice is a link that sends the form again with the candidate's id, which the
# parser reads as exactly that territory.

_COUNT_FR = {2: "deux", 3: "trois", 4: "quatre", 5: "cinq", 6: "six", 7: "sept", 8: "huit",
             9: "neuf", 10: "dix"}
_LEVEL_IS_FR = {"country": "la France entière", "region": "une région",
                "departement": "un département", "epci": "une intercommunalité"}
#: communes offered when the catalyst page is given a larger territory
LARGEST_COMMUNES = 6


def _count_fr(n: int) -> str:
    return _COUNT_FR.get(n, str(n))


def _population(c: TerritoryCandidate) -> str:
    return f"{_num(c.population)} hab." if c.population else ""


def place_label(c: TerritoryCandidate) -> str:
    """A territory as people tell it apart: "Saint-Denis (Seine-Saint-Denis, 93)",
    "Nord (département, 59)", "Hauts-de-France (région)", "France"."""
    table = get_table()
    if c.level in ("commune", "epci") and len(c.departements) == 1:
        dep = c.departements[0]
        return f"{c.name} ({table.departement_name(dep)}, {dep})"
    if c.level in ("commune", "epci") and c.departements:
        return f"{c.name} (départements {', '.join(c.departements)})"
    if c.level == "departement":
        return f"{c.name} (département, {c.code})"
    if c.level == "region":
        return f"{c.name} (région)"
    return c.name


def form_value(c: TerritoryCandidate) -> str:
    """What to put back in a territory box for ``c``: the most natural text the parser
    reads as exactly ``c`` ("Roubaix (59)", "Nord"), else its id."""
    tries = [c.name]
    if c.level == "commune" and len(c.departements) == 1:
        tries.insert(0, f"{c.name} ({c.departements[0]})")
    elif c.level == "departement":
        tries.append(c.code)
    elif c.level == "country":
        tries = ["France"]
    for text in tries:
        reading = parse_territory(text)
        if reading.status == "found" and reading.taken and reading.taken.id == c.id:
            return text
    return c.id


@functools.lru_cache(maxsize=256)
def largest_communes(level: str, code: str, n: int = LARGEST_COMMUNES
                     ) -> tuple[TerritoryCandidate, ...]:
    """The ``n`` most populous communes of a département or a région (from the reference
    table: no database)."""
    table = get_table()
    if level == "departement":
        inside = [t for t in table.by_id.values() if t.level == "commune"
                  and code in t.departements]
    elif level == "region":
        inside = [t for t in table.by_id.values() if t.level == "commune" and code in t.regions]
    else:
        return ()
    inside.sort(key=lambda t: (-t.population, t.id))
    return tuple(parse_territory(t.id).taken for t in inside[:n])


class TerritoryChoice(BaseModel):
    """One choice offered back: what it says and the link that answers with it."""

    id: str
    label: str
    hint: str = ""
    href: str


class TerritoryAsk(BaseModel):
    """What a page says instead of answering: a sentence, the choices (inline as a
    question "A ou B ?", or as a list), a closing hint; ``tone`` error or question."""

    lead: str
    choices: list[TerritoryChoice] = []
    inline: bool = False
    tail: str = ""
    tone: Literal["question", "error"] = "question"


def read_territory(text: str, href: Callable[[str], str], *, commune: bool = False
                   ) -> tuple[TerritoryCandidate, str]:
    """The one territory a box names, and its notice ("" if none).

    ``href(id)`` is the page's own URL with the box set to ``id``. ``commune``: the page
    needs a commune (the catalyst page): a larger territory is asked back with its most
    populous communes. Anything but one reading raises :class:`FormError` with a
    :class:`TerritoryAsk`.
    """
    reading = parse_territory(text)

    def choice(c: TerritoryCandidate, label: str | None = None) -> TerritoryChoice:
        return TerritoryChoice(id=c.id, label=label or place_label(c), hint=_population(c),
                               href=href(c.id))

    shown = f"« {reading.text} »"
    if reading.status == "found" and reading.taken is not None:
        taken = reading.taken
        if commune and taken.level != "commune":
            raise FormError(_not_a_commune(reading), 422, _larger_territory(reading, choice))
        return taken, reading.message_fr
    if reading.status == "default":
        cands = list(reading.candidates)
        compact = re.sub(r"\s", "", reading.text)
        if re.fullmatch(r"\d{5}", compact):  # people type postal codes in pages
            cands.sort(key=lambda c: c.via != "postal_code")
        elif commune:
            cands.sort(key=lambda c: c.level != "commune")
        ask = TerritoryAsk(lead=f"{shown} peut désigner {_count_fr(len(cands))} territoires :",
                           choices=[choice(c, c.label) for c in cands], inline=True)
        raise FormError(reading.message_fr, 400, ask)
    if reading.status == "ambiguous":
        cands = reading.candidates
        postal = all(c.via == "postal_code" for c in cands)
        what = "communes" if all(c.level == "commune" for c in cands) else "territoires"
        if postal:
            lead = (f"Le code postal {reading.text.strip()} dessert {_count_fr(len(cands))} "
                    "communes. Vouliez-vous dire :")
        elif all(c.via in ("name", "nickname", "former_name", "arrondissement")
                 for c in cands):
            lead = f"{shown} désigne {_count_fr(len(cands))} {what}. Vouliez-vous dire :"
        else:
            lead = reading.message_fr
        tail = ""
        if what == "communes" and not postal:
            tail = ("Vous pouvez aussi préciser le département entre parenthèses, p. ex. « "
                    f"{cands[0].name} ({cands[0].departements[0]}) ».")
        raise FormError(reading.message_fr, 400,
                        TerritoryAsk(lead=lead, choices=[choice(c) for c in cands],
                                     tail=tail))
    if reading.status == "unknown" and reading.suggestions:
        ask = TerritoryAsk(
            lead=f"Aucun territoire ne s'appelle {shown}. Vouliez-vous dire",
            choices=[choice(c, c.label) for c in reading.suggestions], inline=True,
            tone="error")
        raise FormError(reading.message_fr, 404, ask)
    if reading.status == "empty":
        raise FormError(reading.message_fr, 422, TerritoryAsk(lead=reading.message_fr,
                                                              tone="error"))
    # unknown without a near name, uncovered
    raise FormError(reading.message_fr, 404, TerritoryAsk(lead=reading.message_fr,
                                                          tone="error"))


def _not_a_commune(reading: TerritoryReading) -> str:
    taken = reading.taken
    assert taken is not None
    if taken.level == "country":
        return (f"« {reading.text} » désigne la France entière : cette page cherche autour "
                "d'une commune. Tapez le nom ou le code postal de la vôtre.")
    detail = taken.name if name_key(taken.name) != name_key(reading.text) else ""
    if taken.level == "departement":
        detail = f"{detail}, {taken.code}" if detail else taken.code
    where = f" ({detail})" if detail else ""
    return (f"« {reading.text} » est {_LEVEL_IS_FR[taken.level]}{where} : cette page cherche "
            "autour d'une commune.")


def _larger_territory(reading: TerritoryReading, choice) -> TerritoryAsk:
    taken = reading.taken
    assert taken is not None
    communes = largest_communes(taken.level, taken.code)
    lead = _not_a_commune(reading)
    if communes:
        lead += " Choisissez-en une, par exemple parmi les plus peuplées :"
    elif taken.level != "country":
        lead += " Tapez le nom ou le code postal de l'une de ses communes."
    return TerritoryAsk(lead=lead, choices=[choice(c) for c in communes], tone="question")


def _not_in_graph(c: TerritoryCandidate) -> str:
    return (f"{place_label(c)} est bien dans le référentiel des territoires, mais pas encore "
            "dans le graphe : les territoires n'y ont sans doute pas été chargés. Prévenez "
            "la personne qui administre Alliance Graph.")


def _departement_of(c: TerritoryCandidate) -> str:
    """"Nord, 59" for a commune of the Nord; "" when it has no single département."""
    if len(c.departements) != 1:
        return ""
    dep = c.departements[0]
    return f"{get_table().departement_name(dep)}, {dep}"


def _answer_value(text: str, taken: TerritoryCandidate) -> str:
    """The box after an answer: what the user typed, unless it was an id (a choice link),
    which is shown as the territory's natural text."""
    return form_value(taken) if taken.via == "id" else text


# --- catalysts ---------------------------------------------------------------------------

class FormError(Exception):
    """A form value the page cannot use: shown above the form, with ``status``; ``ask``
    when the page asks back which territory was meant (:class:`TerritoryAsk`)."""

    def __init__(self, message: str, status: int = 422, ask: TerritoryAsk | None = None):
        super().__init__(message)
        self.message, self.status, self.ask = message, status, ask


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
        need = next((n for n in needs if n.id == form["besoin"]), None)
        if form["besoin"] and need is None:
            raise FormError("Ce besoin n'est pas dans la liste : choisissez-en un dans la liste "
                            "déroulante, ou laissez « Tous les besoins ».", status=404)
        place, notice = read_territory(form["commune"], href, commune=True)
        scope = "all" if trous == "tous" else "expressed"
        try:
            near = partners_near(driver, commune=place.id, radius_km=radius,
                                 need=need.id if need else None, role=form["role"] or None,
                                 limit=50, database=database)
            programmes = programmes_of_territory(driver, place.id, database=database)
            holes = gaps(driver, place.id, scope=scope, database=database)
        except NotFoundError as exc:
            raise FormError(_not_in_graph(place), 404) from exc
    except FormError as exc:
        context.update(error=None if exc.ask else exc.message, ask=exc.ask)
        return render(request, "catalysts.html", context, status=exc.status)

    form["commune"] = _answer_value(form["commune"], place)
    context["result"] = {
        "place": place,
        "departement": _departement_of(place),
        "notice": notice,
        "radius": radius,
        "need": need,
        "near": near,
        "programmes": programmes,
        "programme_groups": _group_programmes(programmes),
        "gaps": holes,
        "need_is_gap": bool(need and any(g.id == need.id for g in holes.gaps)),
        "picture": f"/viz/territory/{_segment(place.id)}",
    }
    return render(request, "catalysts.html", context)


# --- analysts ----------------------------------------------------------------------------


@router.get("/analystes", response_class=HTMLResponse)
def analysts_page(request: Request, driver: DriverDep, database: DatabaseDep,
                  settings: SettingsDep, programme: str = "", territoire: str = "",
                  page: str = "1") -> HTMLResponse:
    """The analyst's page: connectors, gaps, brokers and communities."""
    from queries import brokers, communities, connectors, gaps
    from queries.lookups import programme_choices

    programmes = programme_choices(driver, database=database)
    form = {"programme": programme.strip(), "territoire": territoire.strip()[:120]}
    number = _page_number(page)
    context: dict[str, Any] = {"nav": "analystes", "form": form, "programmes": programmes,
                               "error": None, "ask": None, "territory": None, "notice": "",
                               "connectors": None, "gaps": None, "picture": None,
                               "page": number}

    def href(territory_id: str) -> str:
        return "/analystes?" + urlencode({**form, "territoire": territory_id})

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
                raise FormError(_not_in_graph(territory), 404) from exc
            form["territoire"] = _answer_value(form["territoire"], territory)
            context["chosen"] = chosen
    except FormError as exc:
        context.update(error=None if exc.ask else exc.message, ask=exc.ask)
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
