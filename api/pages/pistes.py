"""``GET /pistes``: the « Pistes d'alliance », hypotheses of who could work together.

Two questions, one page:

- ``?organisation=`` (id, name or alias) and ``rayon``: its suggestions, best first
  (``GET /organisations/{id}/suggestions``), each with its reasons in French, distance,
  worlds, who can introduce them and the paths that prove it, and the picture of one pair
  (``/viz/suggestion/{a}/{b}``, chosen with ``avec``);
- ``?territoire=`` with ``besoin=`` or ``programme=`` (each an id or a name, read by the
  API's parsers) and ``rayon``: the coalitions (``GET /territories/{ref}/alliances``).

Stewards signed in (api/pages/steward_session.py) mark a suggestion « déjà en contact » or
« pas pertinent » (``POST /pistes/marquer``, CSRF token, then back to the page) and undo a
mark (``POST /pistes/annuler``). When nothing is suggested the page says what the data
lacks, never an empty list.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.deps import DatabaseDep, DriverDep
from api.pages.forms import FormError, parse_radius
from api.pages.paths import BoxAsk, Choice, chain
from api.pages.rendering import render, segment
from api.pages.steward_forms import posted
from api.pages.steward_session import StewardSession, current_session
from api.pages.territory_box import departement_of, not_in_graph, read_territory
from graph.element_names import ElementReading
from graph.french import kind_fr, of_place, plural
from queries.element_names import NEED, ORGANISATION, PROGRAMME, resolve_element
from queries.errors import NotFoundError

router = APIRouter(include_in_schema=False)

#: suggestions and coalitions shown at most
SHOWN = 20
#: how the page calls each world (queries.suggestion_score.world)
WORLD_WORDS = {"associatif": "monde associatif", "economique": "monde économique",
               "public": "monde public", "intermediaire": "intermédiaire"}


def pistes_href(**params: Any) -> str:
    """The page's address for these parameters (empty ones left out)."""
    kept = {k: v for k, v in params.items() if v not in (None, "")}
    return "/pistes?" + urlencode(kept)


def organisation_href(organisation_id: str, radius: float | None = None) -> str:
    """The suggestions of one organisation (the fiche's and the catalyst page's link)."""
    return pistes_href(organisation=organisation_id,
                       rayon=f"{radius:g}" if radius is not None else None)


def _element(driver, text: str, labels, database: str, what: str,
             href) -> tuple[str | None, BoxAsk | None]:
    """An id, name or alias read as the API reads it (queries.element_names): the id, or
    what to ask back in French (each choice a link with its id)."""
    reading: ElementReading = resolve_element(driver, text, labels=labels, database=database)
    if reading.status == "found" and reading.taken is not None:
        return reading.taken.id, None
    choices = reading.candidates if reading.status == "ambiguous" else reading.suggestions
    lead = reading.message_fr
    if reading.status != "ambiguous":
        nobody = {"organisation": "Aucune organisation", "besoin": "Aucun besoin",
                  "programme": "Aucun programme"}[what]
        lead = f"{nobody} ne s'appelle « {text} »." + (" Vouliez-vous dire :" if choices
                                                       else " Vérifiez l'orthographe.")
    # namesakes are told apart by their id; a near miss by its kind
    return None, BoxAsk(lead, [
        Choice(c.name or c.id, href(c.id),
               c.id if reading.status == "ambiguous" else kind_fr(c.kind) if c.kind else "")
        for c in choices])


def _where(driver, organisation_id: str, database: str) -> str:
    """Where an organisation is, in words, for the reasons of an empty answer."""
    from queries.places import element_places

    places = {p.relation: p for p in element_places(driver, organisation_id,
                                                    database=database)}
    for relation, words in (("LOCATED_IN", "située à"), ("ACTIVE_IN", "active sur")):
        place = places.get(relation)
        if place and place.chains:
            first = place.chains[0].territory
            return f"{words} {first.name or first.id}"
    return ""


def organisation_answer(driver, database: str, organisation_id: str, radius: float,
                        avec: str) -> dict[str, Any]:
    """The suggestions of one organisation, as the template shows them."""
    from queries.suggestions import suggestions

    page = suggestions(driver, organisation_id, radius_km=radius, limit=SHOWN,
                       database=database)
    items = [{"s": s, "chains": [chain(p) for p in s.paths],
              "picture_href": pistes_href(organisation=organisation_id, rayon=f"{radius:g}",
                                          avec=s.organisation.id) + "#image"}
             for s in page.items]
    chosen = next((s for s in page.items if s.organisation.id == avec), None)
    chosen = chosen or (page.items[0] if page.items else None)
    picture = None
    if chosen is not None:
        picture = {"src": f"/viz/suggestion/{segment(organisation_id)}/"
                          f"{segment(chosen.organisation.id)}?radius_km={radius:g}",
                   "other": chosen.organisation}
    return {"page": page, "items": items, "picture": picture,
            "where": _where(driver, organisation_id, database),
            "empty": None if page.items else _no_suggestion(page, radius)}


def _no_suggestion(page, radius: float) -> str:
    """Why an organisation has no suggestion, precisely."""
    name = page.organisation.name or page.organisation.id
    reason = (f"Aucune piste d'alliance pour {name} dans un rayon de {radius:g} km : aucune "
              "organisation sans lien avec elle n'est située dans ce rayon, et aucune de "
              "celles qui agissent sur son territoire ne partage avec elle un besoin, un "
              "programme, un espace de dialogue ou un partenaire.")
    if page.marked:
        reason += (f" Les gestionnaires ont écarté "
                   f"{plural(len(page.marked), 'piste', 'pistes')} (liste ci-dessous).")
    return reason


def place_words(place) -> str:
    """The territory after « le territoire »: « de Roubaix », « Nord (département) »
    (a département's or a région's article is not guessed)."""
    name = place.name or place.id
    if place.level == "commune":
        return of_place(name)
    return f"{name} ({kind_fr(place.level).lower()})" if place.level else name


def missing_fr(missing: list[str], where: str, programme: bool) -> str:
    """What the territory lacks for a coalition, seat by seat (``missing``: the seats of
    :data:`queries.coalition_score.SEAT_FR`), in words.

    >>> missing_fr(["une association", "une entreprise ou une fondation"], "de Roubaix",
    ...            False)
    "aucune association, entreprise ou fondation située ou active sur le territoire de \
Roubaix n'exprime ce besoin ni n'agit sur un programme qui y répond"
    """
    association = "une association" in missing
    means = "une entreprise ou une fondation" in missing
    public = any("collectivité" in m for m in missing)
    who = ("aucune association, entreprise ou fondation" if association and means
           else "aucune association" if association
           else "aucune entreprise ni fondation" if means else "")
    sentences = []
    if who:
        what = ("n'exprime un besoin auquel répond ce programme ni n'agit sur lui" if programme
                else "n'exprime ce besoin ni n'agit sur un programme qui y répond")
        sentences.append(f"{who} située ou active sur le territoire {where} {what}")
    if public:
        sentences.append(f"aucune collectivité ni service de l'État n'est situé ou actif sur "
                         f"le territoire {where} ni sur un territoire qui le contient")
    return " ; ".join(sentences)


def territory_answer(driver, database: str, place, need_id: str | None,
                     programme_id: str | None, radius: float) -> dict[str, Any]:
    """The coalitions of a territory around a need or a programme, and what is missing."""
    from queries.alliances import alliances

    page = alliances(driver, place.id, need=need_id, programme=programme_id,
                     radius_km=radius, limit=SHOWN, database=database)
    where = place_words(place)
    asked = ("ce programme" if programme_id else "ce besoin")
    empty = None
    if not page.items:
        if page.missing:
            empty = (f"Aucune coalition possible sur le territoire {where} pour {asked} : "
                     f"{missing_fr(page.missing, where, bool(programme_id))}.")
        else:
            empty = (f"Aucune coalition possible sur le territoire {where} pour {asked} : les "
                     "organisations qui pourraient s'allier sont déjà liées deux à deux, ou "
                     "les gestionnaires ont écarté ces rapprochements.")
        if programme_id and not page.needs:
            # only those acting on the programme itself can take a seat
            empty += (" Ce programme ne répond à aucun besoin enregistré : seules comptent "
                      "les organisations qui le portent, le financent, l'opèrent ou le "
                      "relaient.")
    members = {m.id: m for c in page.items for m in c.members}
    coalitions = []
    for c in page.items:
        coalitions.append({"c": c, "weakest": (members.get(c.weakest.a),
                                               members.get(c.weakest.b))})
    return {"page": page, "coalitions": coalitions, "empty": empty, "where": where,
            "funding": page.funding[0] if page.funding else None}


def _form(**values: str) -> dict[str, str]:
    return {k: (v or "").strip()[:200] for k, v in values.items()}


@router.get("/pistes", response_class=HTMLResponse)
def pistes_page(request: Request, driver: DriverDep, database: DatabaseDep,
                organisation: str = "", territoire: str = "", besoin: str = "",
                programme: str = "", rayon: str = "", avec: str = "") -> HTMLResponse:
    """The « Pistes d'alliance » of an organisation, or of a territory and a need."""
    from queries.lookups import need_choices, programme_choices
    from queries.places import territory_chain

    form = _form(organisation=organisation, territoire=territoire, besoin=besoin,
                 programme=programme, rayon=rayon or "30", avec=avec)
    session = current_session(request)
    context: dict[str, Any] = {
        "nav": None, "form": form, "error": None, "ask": None, "asks": [],
        "needs": need_choices(driver, database=database),
        "programmes": programme_choices(driver, database=database),
        "org": None, "terr": None, "prompt": None, "session": session,
        "worlds": WORLD_WORDS, "back": request.url.path + (
            f"?{request.url.query}" if request.url.query else "")}
    status = 200
    try:
        radius = parse_radius(form["rayon"])
        if form["organisation"]:
            def org_href(node_id: str) -> str:
                return pistes_href(**{**form, "organisation": node_id})

            org_id, ask = _element(driver, form["organisation"], ORGANISATION, database,
                                   "organisation", org_href)
            if ask is not None:
                context["asks"].append(ask)
                raise FormError("", status=400 if ask.choices else 404)
            context["org"] = organisation_answer(driver, database, org_id, radius,
                                                 form["avec"])
            form["organisation"] = org_id
        elif form["territoire"]:
            def href(territory_id: str) -> str:
                return pistes_href(**{**form, "territoire": territory_id})

            place, notice = read_territory(form["territoire"], href)
            if form["besoin"] and form["programme"]:
                raise FormError("Choisissez un besoin ou un programme, pas les deux : une "
                                "coalition se forme autour de l'un ou de l'autre.", 422)
            if not form["besoin"] and not form["programme"]:
                # from the catalyst page without a need: the question is half asked
                context["prompt"] = place
                return render(request, "pistes.html", context)
            ids: dict[str, str | None] = {"besoin": None, "programme": None}
            for key, labels, what in (("besoin", NEED, "besoin"),
                                      ("programme", PROGRAMME, "programme")):
                if form[key]:
                    def choice_href(node_id: str, key: str = key) -> str:
                        return pistes_href(**{**form, key: node_id})

                    ids[key], ask = _element(driver, form[key], labels, database, what,
                                             choice_href)
                    if ask is not None:
                        context["asks"].append(ask)
                        raise FormError("", status=400 if ask.choices else 404)
                    form[key] = ids[key] or ""
            try:
                answer = territory_answer(driver, database, place, ids["besoin"],
                                          ids["programme"], radius)
            except NotFoundError as exc:
                raise FormError(not_in_graph(place), 404) from exc
            context["terr"] = {**answer, "place": place, "notice": notice,
                               "departement": departement_of(place),
                               "chain": territory_chain(driver, place.id, database=database),
                               "radius": radius}
        else:
            context["org"] = None
    except FormError as exc:
        context.update(error=exc.message or None, ask=exc.ask)
        status = exc.status
    except NotFoundError:
        context["error"] = "Cette organisation n'est pas (ou plus) dans le graphe."
        status = 404
    return render(request, "pistes.html", context, status=status)


def _back(path: str) -> str:
    """Where to go after a mark: this page only, never another site."""
    parts = urlsplit(path or "")
    if parts.scheme or parts.netloc or parts.path != "/pistes":
        return "/pistes"
    return parts.path + (f"?{parts.query}" if parts.query else "")


@router.post("/pistes/marquer")
def pistes_mark(request: Request, driver: DriverDep, database: DatabaseDep,
                csrf: Annotated[str, Form()] = "", a: Annotated[str, Form()] = "",
                b: Annotated[str, Form()] = "", verdict: Annotated[str, Form()] = "",
                retour: Annotated[str, Form()] = "") -> Response:
    """Mark a suggested pair « déjà en contact » or « pas pertinent », then back."""
    from loaders.suggestion_marks import VERDICT_FR, mark_pair

    session = posted(request, csrf)  # the login page, or « Formulaire expiré »
    if not isinstance(session, StewardSession):
        return session
    if verdict not in VERDICT_FR or not a or not b or a == b:
        return render(request, "error.html", {
            "nav": None, "title": "Marque impossible",
            "message": "Ce formulaire ne désigne pas une piste à marquer : rechargez la page "
                       "et recommencez."}, status=422)
    if mark_pair(driver, a, b, verdict, by="page des gestionnaires",
                 database=database) is None:
        return render(request, "error.html", {
            "nav": None, "title": "Piste introuvable",
            "message": "L'une des deux organisations n'est plus dans le graphe."}, status=404)
    return RedirectResponse(_back(retour), status_code=303)


@router.post("/pistes/annuler")
def pistes_unmark(request: Request, driver: DriverDep, database: DatabaseDep,
                  csrf: Annotated[str, Form()] = "", a: Annotated[str, Form()] = "",
                  b: Annotated[str, Form()] = "",
                  retour: Annotated[str, Form()] = "") -> Response:
    """Undo a mark: the pair may be suggested again."""
    from loaders.suggestion_marks import unmark_pair

    session = posted(request, csrf)  # the login page, or « Formulaire expiré »
    if not isinstance(session, StewardSession):
        return session
    if a and b and a != b:
        unmark_pair(driver, a, b, database=database)
    return RedirectResponse(_back(retour), status_code=303)
