"""The territory boxes of the pages: what was typed, read with
:func:`graph.territory_reference.parse_territory`, becomes one territory or a question.

Every box follows the parser's rule: a "found" reading is answered (its notice, if any,
shown above the answer); a "default" reading is asked back (the pages ask, the API takes
the default); "ambiguous" offers the candidates, "unknown" the nearest names, "uncovered"
says why. Each choice is a link that sends the form again with the candidate's id, which
the parser reads as exactly that territory.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel

from api.pages.forms import FormError
from api.pages.rendering import num
from graph.territory_reference import TerritoryCandidate, TerritoryReading, parse_territory
from graph.territory_table import get_table, name_key

_COUNT_FR = {2: "deux", 3: "trois", 4: "quatre", 5: "cinq", 6: "six", 7: "sept", 8: "huit",
             9: "neuf", 10: "dix"}
_LEVEL_IS_FR = {"country": "la France entière", "region": "une région",
                "departement": "un département", "epci": "une intercommunalité"}
#: communes offered when the catalyst page is given a larger territory
LARGEST_COMMUNES = 6


def _count_fr(n: int) -> str:
    return _COUNT_FR.get(n, str(n))


def population_hint(c: TerritoryCandidate) -> str:
    return f"{num(c.population)} hab." if c.population else ""


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
        return TerritoryChoice(id=c.id, label=label or place_label(c), hint=population_hint(c),
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


def not_in_graph(c: TerritoryCandidate) -> str:
    return (f"{place_label(c)} est bien dans le référentiel des territoires, mais pas encore "
            "dans le graphe : les territoires n'y ont sans doute pas été chargés. Prévenez "
            "la personne qui administre Alliance Graph.")


def departement_of(c: TerritoryCandidate) -> str:
    """"Nord, 59" for a commune of the Nord; "" when it has no single département."""
    if len(c.departements) != 1:
        return ""
    dep = c.departements[0]
    return f"{get_table().departement_name(dep)}, {dep}"


def answer_value(text: str, taken: TerritoryCandidate) -> str:
    """The box after an answer: what the user typed, unless it was an id (a choice link),
    which is shown as the territory's natural text."""
    return form_value(taken) if taken.via == "id" else text
