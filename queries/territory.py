"""Territory parameters: every question reads them with the one parser of the product,
:func:`graph.territory_reference.parse_territory`, then checks that the territory read is
in the graph (one indexed read by id).

The rule (the same for the API, the CLI and the pictures):

- ``found``: taken.
- ``default``: the default reading taken; the other readings go with the answer
  (:attr:`queries.models.AskedTerritory.also_matches`).
- ``ambiguous``: :class:`queries.errors.AmbiguousTerritory` (API 409), the candidates in it.
- ``unknown`` / ``uncovered``: :class:`queries.errors.UnknownTerritory` (API 404), with the
  near misses.
- ``empty``: :class:`queries.errors.InvalidParameter` (API 400).
"""

from __future__ import annotations

from functools import lru_cache

from neo4j import Driver

from graph import as_of
from graph.cache import ExpiringCache
from graph.territory_reference import TerritoryCandidate, TerritoryReading, parse_territory
from queries._run import read
from queries.errors import (
    AmbiguousTerritory,
    InvalidParameter,
    TerritoryNotLoaded,
    UnknownTerritory,
)
from queries.models import AskedTerritory

# Territories change only when the reference is reloaded (which clears the caches): the
# existence of a territory id in the graph is kept a few minutes, which saves a round trip
# on every territorial question. The parse itself needs no database (memoised per text).
CACHE_SECONDS = 300.0

#: territory id → its node as the graph has it (code, name, level, population), per
#: (database, id, as_of: the instant asked about, None for now); a territory not in the
#: graph is not kept
territories_in_graph: ExpiringCache[dict] = ExpiringCache(
    "territories found in the graph", seconds=CACHE_SECONDS, size=4096)

_VIA_EN = {"code": "INSEE code", "postal_code": "postal code", "former_code": "INSEE code",
           "former_name": "former commune", "arrondissement": "arrondissement",
           "nickname": "usual name"}
_LEVEL_EN = {"region": "région", "departement": "département", "epci": "EPCI",
             "commune": "commune", "country": "country"}


def clear_territory_cache() -> None:
    """Forget which territory ids were found in the graph (every write through the product
    does it: :func:`graph.cache.clear_caches`)."""
    territories_in_graph.clear()


@lru_cache(maxsize=4096)
def parse_cached(text: str) -> TerritoryReading:
    """:func:`graph.territory_reference.parse_territory`, memoised (it is pure)."""
    return parse_territory(text)


def describe(candidate: TerritoryCandidate, text: str | None = None) -> str:
    """A reading in English for messages: ``commune:59512 (Roubaix, postal code 59100)``."""
    parts = [candidate.name]
    via = _VIA_EN.get(candidate.via)
    if candidate.via in ("code", "postal_code", "former_code") and text:
        if candidate.level in ("region", "departement"):
            parts.append(f"{_LEVEL_EN[candidate.level]} {candidate.code}")
        else:
            parts.append(f"{via} {text.strip()}")
    elif candidate.level in ("commune", "epci") and candidate.departements:
        parts.append(f"{_LEVEL_EN[candidate.level]}, {'/'.join(candidate.departements)}")
    elif candidate.level != "country":
        parts.append(_LEVEL_EN.get(candidate.level, candidate.level))
    return f"{candidate.id} ({', '.join(parts)})"


def reading_warning(text: str, taken: TerritoryCandidate | AskedTerritory,
                    others: list[TerritoryCandidate]) -> str | None:
    """One English line when a reference was read by default among others:
    ``'59100' read as commune:59100 (Bousignies); it may also mean commune:59512
    (Roubaix, postal code 59100)``; None when there was nothing else to read."""
    if not others:
        return None
    return (f"{text!r} read as {taken.id} ({taken.name}); it may also mean "
            + ", ".join(describe(c, text) for c in others))


def read_territory(text: str | None, *, level: str | None = None
                   ) -> tuple[TerritoryCandidate, list[TerritoryCandidate]]:
    """What a territory parameter reads as, without the database: the reading taken and
    the other readings (:func:`graph.territory_reference.parse_territory`'s rule).

    Parameters
    ----------
    text
        The parameter as the user wrote it.
    level
        Only readings of this level count (``commune`` for partners near): ``Vienne``
        asked as a commune is the commune, the département reported among the others.

    Raises
    ------
    InvalidParameter
        Nothing written, or no reading of ``level``.
    AmbiguousTerritory
        Several readings and no default.
    UnknownTerritory
        Nothing of that name or code, or a collectivité d'outre-mer.
    """
    reading = parse_cached((text or "").strip())
    if reading.status == "empty":
        raise InvalidParameter("territory is empty; give a name (Roubaix), a postal code "
                               "(59100), an INSEE code (59512, 59) or an id (region:32)")
    if reading.status in ("unknown", "uncovered"):
        raise UnknownTerritory(reading)
    if reading.status == "ambiguous":
        if level is not None:
            of_level = [c for c in reading.candidates if c.level == level]
            if len(of_level) == 1:
                return of_level[0], [c for c in reading.candidates if c.id != of_level[0].id]
            if not of_level:
                raise InvalidParameter(_not_of_level(reading, level))
        raise AmbiguousTerritory(reading)
    taken, others = reading.taken, reading.others
    assert taken is not None
    if level is not None and taken.level != level:
        of_level = [c for c in others if c.level == level]
        if not of_level:
            raise InvalidParameter(_not_of_level(reading, level))
        if len(of_level) > 1:
            reading = reading.model_copy(update={
                "status": "ambiguous", "taken": None, "candidates": of_level,
                "message": (f"{reading.text!r} is ambiguous as a {level}: it may mean "
                            + ", ".join(describe(c, reading.text) for c in of_level))})
            raise AmbiguousTerritory(reading)
        return of_level[0], [taken] + [c for c in others if c.id != of_level[0].id]
    return taken, others


def _not_of_level(reading: TerritoryReading, level: str) -> str:
    what = (describe(reading.taken, reading.text) if reading.taken
            else ", ".join(describe(c, reading.text) for c in reading.candidates))
    return (f"{reading.text!r} is {what}, not a {level}; give a {level}: a name "
            "(Roubaix), a postal code (59100) or an INSEE code (59512)"
            + (", or a latitude/longitude" if level == "commune" else ""))


def asked_territory(taken: TerritoryCandidate, others: list[TerritoryCandidate],
                    node: dict | None = None) -> AskedTerritory:
    """The top-level territory of an answer: the reading taken (as the graph names it when
    ``node`` is given), its other readings and its notice."""
    node = node or {}
    return AskedTerritory(
        id=taken.id, code=node.get("code", taken.code), name=node.get("name", taken.name),
        level=node.get("level", taken.level),
        population=node.get("population", taken.population),
        also_matches=list(others), notice=taken.notice)


def _read_existing(driver: Driver, database: str, territory_id: str) -> dict:
    rows = read(driver, "territory_resolve", {"id": territory_id}, database=database)
    if not rows:
        raise TerritoryNotLoaded(
            f"territory {territory_id} is not in the graph; load the territories with "
            "`alliance-graph load territories`", territory_id)
    return rows[0]["territory"]


def _existing(driver: Driver, database: str, territory_id: str) -> dict:
    node, _ = territories_in_graph.get_or_compute(
        (database, territory_id, as_of.current()),
        lambda: _read_existing(driver, database, territory_id))
    return node


def resolve_territory_param(driver: Driver, territory: str, *, database: str = "neo4j",
                            level: str | None = None) -> AskedTerritory:
    """The territory a user's parameter names, read by the product's parser and checked in
    the graph.

    Parameters
    ----------
    territory
        Anything :func:`graph.territory_reference.parse_territory` reads: an id (``FR``,
        ``region:32``, ``reg:32``, ``dep:59``, ``epci:200093201``, ``commune:59512``), an
        INSEE code (``59512``; 2-3 characters a département, ``32`` also the région), a
        postal code (``59000``), a name (``Roubaix``, ``Saint-Denis (93)``, ``PACA``).
    level
        Only readings of this level (see :func:`read_territory`).

    Returns
    -------
    AskedTerritory
        The reading taken, with ``also_matches`` (other readings) and ``notice``.

    Raises
    ------
    InvalidParameter
        Empty text, or no reading of ``level``.
    AmbiguousTerritory
        Several readings, no default (API 409).
    UnknownTerritory
        Nothing of that name or code, or a collectivité d'outre-mer (API 404).
    TerritoryNotLoaded
        Read, but not in the graph: the territories are not loaded (API 404).
    """
    taken, others = read_territory(territory, level=level)
    return asked_territory(taken, others, _existing(driver, database, taken.id))
