"""How French readers see numbers, counts, dates and the vocabulary: one function each,
shared by the pages (as Jinja filters), the command line and the import reports.

Nothing here reads the database: the names come from :mod:`graph.vocabulary`.

>>> of_place("Roubaix"), of_place("Arras"), of_place("Le Havre"), of_place("Les Andelys")
('de Roubaix', "d'Arras", 'du Havre', 'des Andelys')
>>> km(30.0), km(12.5), km(10.96, 1)
('30 km', '12,5 km', '11,0 km')
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from graph.vocabulary import FRENCH_NAMES, KIND_FR, REL_FR

MONTHS_FR = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
             "septembre", "octobre", "novembre", "décembre")

#: French thousands separator: a narrow no-break space (``12 345``)
THOUSANDS = "\u202f"

_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_ISO_MONTH = re.compile(r"(\d{4})-(\d{2})")


def num(value: Any) -> str:
    """A number as French writes it: ``12 345``, ``3,5``; "—" when absent."""
    if value is None:
        return "—"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}".replace(",", THOUSANDS).replace(".", ",")
    return f"{int(value):,}".replace(",", THOUSANDS)


def plural(count: Any, singular: str, plural_form: str, zero: str | None = None) -> str:
    """A count and its noun, as French agrees them: 0 and 1 take the singular.

    Parameters
    ----------
    count
        The number (None counts as 0).
    singular, plural_form
        The noun (and its adjectives) in the singular and the plural.
    zero
        What to say instead of "0 …" (``"aucune erreur"``), if anything.

    Examples
    --------
    >>> plural(1, "ligne rejetée", "lignes rejetées")
    '1 ligne rejetée'
    >>> plural(2, "ligne rejetée", "lignes rejetées")
    '2 lignes rejetées'
    >>> plural(0, "erreur", "erreurs", zero="aucune erreur")
    'aucune erreur'
    """
    n = int(count or 0)
    if n == 0 and zero is not None:
        return zero
    return f"{num(n)} {singular if n < 2 else plural_form}"


def date_fr(value: object) -> str:
    """An ISO date in French ("2020-03-20" → "20 mars 2020", the 1st as "1er"); a month
    ("2020-09") as "septembre 2020"; any other text as it is.

    >>> date_fr("2021-03-01")
    '1er mars 2021'
    >>> date_fr("mai 2020")
    'mai 2020'
    """
    text = value.isoformat() if isinstance(value, dt.date) else str(value or "")
    match = _ISO_DAY.fullmatch(text[:10])
    if match and 1 <= int(match[2]) <= 12:
        day = int(match[3])
        return f"{'1er' if day == 1 else day} {MONTHS_FR[int(match[2]) - 1]} {match[1]}"
    match = _ISO_MONTH.fullmatch(text)
    if match and 1 <= int(match[2]) <= 12:
        return f"{MONTHS_FR[int(match[2]) - 1]} {match[1]}"
    return text


def month_year(value: object) -> str:
    """The month and year of an ISO date or month: "2020-06-24" → "juin 2020"; a year
    alone as it is; anything else as it is."""
    text = str(value or "")
    match = _ISO_MONTH.match(text)
    if match and 1 <= int(match[2]) <= 12:
        return f"{MONTHS_FR[int(match[2]) - 1]} {match[1]}"
    return text


def label_fr(label: Any) -> str:
    """A node label's French name (``Need`` → "Besoin"); anything unknown as it is."""
    return FRENCH_NAMES.get(str(label), str(label))


def kind_fr(value: Any) -> str:
    """An organisation kind, programme phase, role or territory level in French
    (``collectivite`` → "Collectivité"); a free category with spaces for ``_``."""
    return KIND_FR.get(str(value), str(value).replace("_", " "))


def rel_fr(rel_type: str, direction: str = "out") -> str:
    """A relationship type read in French, from its start (``out``: "porte") or its end
    (``in``: "porté par")."""
    out, inward = REL_FR.get(rel_type, (rel_type.lower().replace("_", " "),) * 2)
    return inward if direction == "in" else out


def in_sentence(name: str) -> str:
    """A French name inside a sentence: "Espace de dialogue" → "espace de dialogue";
    proper nouns and acronyms keep their capital ("État", "EPCI")."""
    if not name or name in _PROPER or (len(name) > 1 and name[1].isupper()):
        return name
    return name[0].lower() + name[1:]


#: names that keep their capital inside a sentence
_PROPER = frozenset({"État"})


def quoted(text: Any) -> str:
    """French quotation marks: « text »."""
    return f"« {text} »"


def _starts_with_vowel(name: str) -> bool:
    first = unicodedata.normalize("NFD", name[:1]).casefold()[:1]
    # most French place names in H take the elision (d'Hazebrouck, d'Hyères)
    return first in "aeiouyh"


def of_place(name: str) -> str:
    """« de » before a place name: ``de Roubaix``, ``d'Arras``, ``du Havre``,
    ``des Andelys`` (``de La Rochelle`` keeps its article)."""
    if name.startswith("Le "):
        return "du " + name[3:]
    if name.startswith("Les "):
        return "des " + name[4:]
    if _starts_with_vowel(name):
        return "d'" + name
    return "de " + name


def km(value: float | None, digits: int | None = None) -> str:
    """A distance as the pages write it: ``30 km``, ``12,5 km``; with ``digits``, that
    many decimals (``km(9.94, 1)``: ``9,9 km``, as the partners' distances); "—" when
    absent."""
    if value is None:
        return "—"
    text = f"{value:g}" if digits is None else f"{value:.{digits}f}"
    return text.replace(".", ",") + " km"


def in_paris(value: dt.datetime) -> dt.datetime:
    """A time as read in France (a naive one is taken as already local)."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if value.tzinfo is None:  # a LocalDateTime: already the local time
        return value
    try:
        return value.astimezone(ZoneInfo("Europe/Paris"))
    except ZoneInfoNotFoundError:  # no time zone database: UTC is close enough
        return value.astimezone(dt.UTC)


def when_fr(value: dt.datetime) -> str:
    """A moment in French, as read in France.

    >>> when_fr(dt.datetime(2026, 12, 3, 6, 15, tzinfo=dt.UTC))
    '3 décembre 2026 à 07:15'
    """
    local = in_paris(value)
    return f"{date_fr(local.date())} à {local:%H:%M}"
