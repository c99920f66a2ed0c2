"""The titles of the pictures, in words: one function a view, shared by the builders (the
picture's heading), the ``/viz/…/embed`` snippets (the iframe's ``title``) and the pages
(the frame and its « Intégrer » panel), so all three say the same thing and never show an
id. File names of the downloads are made from them (:func:`file_stem`).
"""

from __future__ import annotations

from graph.french import km, of_place
from graph.vocabulary import normalise_token

#: what a neighbourhood of each depth holds, under its title
DEPTH_WORDS = {
    1: "Ses liens directs (profondeur 1).",
    2: "Ses liens directs et ceux de ses voisins (profondeur 2).",
    3: "Jusqu'à trois liens de distance (profondeur 3).",
}


def neighbourhood_title(name: str) -> str:
    """« Réseau autour de Le RAMEAU »."""
    return f"Réseau autour de {name}"


def connectors_title(programme: str, territory: str) -> str:
    """« France Relance · Nord : les organisations qui les relient »."""
    return f"{programme} · {territory} : les organisations qui les relient"


def space_title(name: str) -> str:
    """« Espace de dialogue : Ingénieries territoriales »."""
    return f"Espace de dialogue : {name}"


def territory_title(name: str) -> str:
    """« Territoire : Nord »."""
    return f"Territoire : {name}"


def commune_title(name: str, radius_km: float) -> str:
    """« Autour de Roubaix (30 km) »: a commune's picture, with the radius drawn."""
    return f"Autour {of_place(name)} ({km(radius_km)})"


def suggestion_title(name: str, other: str) -> str:
    """« Piste d'alliance : Le RAMEAU et Fondation de Lille »."""
    return f"Piste d'alliance : {name} et {other}"


def file_stem(title: str) -> str:
    """A file name in words from a title (no extension): accents and case folded, ``-``
    between words, at most 100 characters.

    >>> file_stem("Réseau autour de Le RAMEAU")
    'reseau-autour-de-le-rameau'
    """
    stem = normalise_token(title).replace("_", "-")[:100].rstrip("-")
    return stem or "reseau"
