"""Small pieces of French for the texts users read (pictures, messages): « de » before a
place name, plurals, distances.

>>> of_place("Roubaix"), of_place("Arras"), of_place("Le Havre"), of_place("Les Andelys")
('de Roubaix', "d'Arras", 'du Havre', 'des Andelys')
>>> plural(0, "organisation", "organisations"), plural(2, "programme", "programmes")
('0 organisation', '2 programmes')
>>> km(30.0), km(12.5), km(10.96, 1)
('30 km', '12,5 km', '11,0 km')
"""

from __future__ import annotations

import unicodedata


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


def plural(count: int, singular: str, many: str) -> str:
    """``0 organisation``, ``1 organisation``, ``2 organisations`` (0 and 1 take the
    singular in French)."""
    return f"{count} {singular if count < 2 else many}"


def km(value: float, digits: int | None = None) -> str:
    """A distance as the pages write it: ``30 km``, ``12,5 km``; with ``digits``, that
    many decimals (``km(9.94, 1)``: ``9,9 km``, as the partners' distances)."""
    text = f"{value:g}" if digits is None else f"{value:.{digits}f}"
    return text.replace(".", ",") + " km"
