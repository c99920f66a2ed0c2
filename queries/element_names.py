"""Elements given by id, exact name or alias: the one resolver of the API and the CLI.

The pure part — the name key, the alias table (``data/aliases.csv``, shared with the
loaders) and the decision — is :mod:`graph.element_names`; this module reads what the
graph holds (``element_lookup.cypher``; ``element_suggestions.cypher`` for the near
misses of a text that names nothing) and raises the domain errors. For example, on the
curated dataset, ``resolve_element(driver, "cdc", labels=["Organisation"]).taken.id`` is
``"org:caisse-des-depots"`` (an alias); tests/queries/test_element_names.py checks it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from neo4j import Driver

from graph.element_names import (
    ElementCandidate,
    ElementReading,
    looks_like_id,
    lookup_keys,
    near_misses,
    read_element,
    unknown_reading,
)
from graph.schema import FULLTEXT_INDEX
from graph.vocabulary import NAMED_LABELS
from queries._run import read
from queries.errors import SEARCH_HINT, AmbiguousElement, UnknownElement
from queries.existence import node_labels

#: what /organisations/{id} and the like take
ORGANISATION = ("Organisation",)
PROGRAMME = ("Programme",)
NEED = ("Need",)
#: any element (a neighbourhood's centre): the named labels, and territories by id
ANY = (*NAMED_LABELS, "Territory")
#: full-text hits read at most, for spellings and for near misses
_HITS = 50


def _words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).casefold()
    return [w for w in re.split(r"[^\w]+", folded) if w and w != "_"]


def resolve_element(driver: Driver, text: str, *, labels: Sequence[str] = ORGANISATION,
                    database: str = "neo4j") -> ElementReading:
    """What ``text`` names among the elements of ``labels``: its id first (when it has an
    id's shape, ``org:…``), else its name or an alias (case, accents and punctuation
    ignored); near misses when nothing matches (one more read). On the id fast path the
    candidate has no ``name`` (one read of the id's labels, nothing else)."""
    labels = list(labels)
    text = text.strip()
    if looks_like_id(text):
        # the fast path: an id keeps working as it always did, in one indexed read
        found = node_labels(driver, [text], database=database).get(text) or []
        wanted = [label for label in labels if label in found]
        if wanted:
            taken = ElementCandidate(id=text, label=wanted[0], via="id")
            return ElementReading(text=text, status="found", taken=taken, candidates=[taken])
    words = _words(text)
    keys = lookup_keys(text)
    rows = []
    # territories by id only: by name they are the territory parser's (parse_territory)
    labels = [label for label in labels if label != "Territory"]
    if words and labels:
        # an id-shaped text (``org:…``) is looked up as an id first, and as a name too
        phrase = '"' + " ".join(words) + '"'
        rows = read(driver, "element_lookup",
                    {"id": text, "keys": keys, "labels": labels, "index": FULLTEXT_INDEX,
                     "phrase": phrase, "limit": _HITS}, database=database)
    reading = read_element(text, rows, labels=labels)
    if reading.status != "unknown":
        return reading
    suggestions = []
    fuzzy = " OR ".join(f"{w}~" if len(w) > 3 else w for w in words)
    if fuzzy and labels:
        pool = read(driver, "element_suggestions",
                    {"index": FULLTEXT_INDEX, "fuzzy": fuzzy, "labels": labels,
                     "limit": _HITS}, database=database)
        suggestions = near_misses(text, pool)
    return unknown_reading(text, suggestions, labels=[] if len(labels) > 1 else labels)


def element_param(driver: Driver, text: str, *, labels: Sequence[str] = ORGANISATION,
                  database: str = "neo4j") -> str:
    """The id of the one element ``text`` names (for a route or a command taking an id).

    Raises
    ------
    AmbiguousElement
        Several elements have that name or alias (API 409 ``ambiguous_element``).
    UnknownElement
        None has that id, name or alias (API 404 ``not_found``, with suggestions).
    """
    reading = resolve_element(driver, text, labels=labels, database=database)
    if reading.status == "found" and reading.taken is not None:
        return reading.taken.id
    if reading.status == "ambiguous":
        raise AmbiguousElement(reading)
    what = labels[0].lower() if len(labels) == 1 else "element"
    if reading.status == "empty":
        message = f"no {what} given; {SEARCH_HINT}"
    elif reading.suggestions:
        message = reading.message
    else:
        # an unknown id says what it always said
        message = f"no {what} {reading.text!r}; {SEARCH_HINT}"
    raise UnknownElement(reading, message)
