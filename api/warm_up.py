"""The questions of the first pages, asked once in the background when the API starts.

A fresh Neo4j compiles each question the first time it is asked: about a second apiece
for the catalyst page's six, so the first visitor after ``make run`` waited past the 5 s
deadline (« La base de données n'a pas répondu à temps »). A plan is compiled for the
text of a question, whatever its parameters: asking each once, about any commune, is
enough. Nothing here is kept; a question that fails (territories not loaded yet, an
organisation that does not exist) has still been compiled, or will be on first use.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from neo4j import Driver

log = logging.getLogger(__name__)

#: a commune of every territory reference (Paris): only the questions' plans matter
COMMUNE = "commune:75056"


def questions(driver: Driver, database: str) -> dict[str, Callable[[], object]]:
    """The questions warmed: the catalyst page's, a search, an organisation's suggestions
    and the degrees they read."""
    from queries import gaps, partners_near, programmes_of_territory
    from queries.explore import search
    from queries.link_counts import known_degrees
    from queries.lookups import need_choices, role_counts
    from queries.places import territory_chain
    from queries.suggestions import suggestions

    return {
        "need_choices": lambda: need_choices(driver, database=database),
        "role_counts": lambda: role_counts(driver, database=database),
        "partners_near": lambda: partners_near(driver, commune=COMMUNE, radius_km=30.0,
                                               limit=50, database=database),
        "programmes_of_territory": lambda: programmes_of_territory(driver, COMMUNE,
                                                                   database=database),
        "gaps": lambda: gaps(driver, COMMUNE, database=database),
        "territory_chain": lambda: territory_chain(driver, COMMUNE, database=database),
        "search": lambda: search(driver, "association", database=database),
        "degrees": lambda: known_degrees(driver, database=database),
        "suggestions": lambda: suggestions(driver, "org:warm-up", database=database),
    }


def warm_up(driver: Driver, database: str = "neo4j") -> dict[str, bool]:
    """Ask each of :func:`questions` once; whether each answered (a refusal still compiled
    it: an unknown organisation, territories not loaded)."""
    answered = {}
    for name, ask in questions(driver, database).items():
        try:
            ask()
            answered[name] = True
        except Exception as exc:  # noqa: BLE001 - a warm-up never fails the API
            log.debug("warm-up: %s: %s", name, exc)
            answered[name] = False
    return answered


def start_warm_up(driver: Driver, database: str) -> threading.Thread:
    """:func:`warm_up` in a daemon thread (the API serves meanwhile)."""
    thread = threading.Thread(target=warm_up, args=(driver, database), name="warm-up",
                              daemon=True)
    thread.start()
    return thread
