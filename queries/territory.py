"""Territory parameters: an id (``departement:59``) or a code (``59512``, ``59``) or a name."""

from __future__ import annotations

import re
import threading
import time

from neo4j import Driver

from graph.vocabulary import normalise_token
from queries._run import read, territory_ref
from queries.errors import InvalidParameter, NotFoundError
from queries.models import TerritoryRef

_PREFIXES = ("region", "departement", "epci", "commune")
_LEVEL_PREFERENCE = {"commune": 0, "epci": 1, "departement": 2, "region": 3, "country": 4}

# Territories change only when the reference is reloaded: resolved parameters are kept a
# few minutes, which saves a round trip on every territorial question.
CACHE_SECONDS = 300.0
_CACHE_SIZE = 4096
_cache: dict[tuple, tuple[float, TerritoryRef]] = {}
_cache_lock = threading.Lock()


def clear_territory_cache() -> None:
    """Forget resolved territory parameters (after reloading the territories)."""
    with _cache_lock:
        _cache.clear()


def candidate_ids(text: str) -> tuple[list[str], str | None]:
    """The ids a territory parameter may mean, preferred first, and the bare code.

    ``"departement:59"`` → ``["departement:59"]``; ``"59512"`` → ``["commune:59512"]``;
    ``"200093201"`` → ``["epci:200093201"]``; ``"59"``/``"2A"``/``"971"`` →
    ``["departement:…"]``; ``"fr"`` → ``["FR"]``.
    """
    text = text.strip()
    if text.upper() in ("FR", "FRANCE"):
        return ["FR"], "FR"
    if ":" in text:
        prefix, _, code = text.partition(":")
        prefix = normalise_token(prefix)
        if prefix not in _PREFIXES:
            raise InvalidParameter(
                f"unknown territory prefix {prefix!r} in {text!r}; use one of "
                f"{', '.join(_PREFIXES)} (e.g. departement:59), or a bare INSEE code"
            )
        return [f"{prefix}:{code.strip().upper()}"], code.strip().upper()
    code = text.upper()
    if re.fullmatch(r"\d{9}", code):
        return [f"epci:{code}"], code
    if re.fullmatch(r"[0-9][0-9AB][0-9]{3}", code):
        return [f"commune:{code}"], code
    if re.fullmatch(r"[0-9][0-9AB][0-9]?", code):
        return [f"departement:{code}"], code
    return [], None


def resolve_territory_param(driver: Driver, territory: str, *,
                            database: str = "neo4j") -> TerritoryRef:
    """The territory a user's parameter names.

    Parameters
    ----------
    territory
        An id (``FR``, ``region:32``, ``departement:59``, ``epci:200093201``,
        ``commune:59512``); a bare INSEE code, read as a commune (5 characters), an EPCI
        (9 digits) or a département (2-3 characters) — a région needs its ``region:``
        prefix, its codes clash with départements'; or an exact name, accents and case
        ignored (the smallest level wins: ``Paris`` is the commune).

    Returns
    -------
    TerritoryRef

    Raises
    ------
    InvalidParameter
        Empty text or an unknown prefix.
    NotFoundError
        No territory has that id, code or name.
    """
    if not territory or not territory.strip():
        raise InvalidParameter("territory is empty; give an INSEE code (59512, 59), an id "
                               "(region:32) or a name")
    key = (id(driver), database, territory)
    now = time.monotonic()
    with _cache_lock:
        hit = _cache.get(key)
    if hit is not None and now - hit[0] < CACHE_SECONDS:
        return hit[1]
    ref = _resolve(driver, territory, database)
    with _cache_lock:
        if len(_cache) >= _CACHE_SIZE:
            _cache.clear()
        _cache[key] = (now, ref)
    return ref


def _resolve(driver: Driver, territory: str, database: str) -> TerritoryRef:
    ids, code = candidate_ids(territory)
    rows = read(driver, "territory_resolve",
                {"ids": ids, "code": code, "name_key": normalise_token(territory)},
                database=database)
    if not rows:
        raise NotFoundError(
            f"no territory {territory!r}; give an INSEE code (commune 59512, département 59), "
            "an id (region:32, epci:200093201, FR) or an exact name"
        )

    def preference(row: dict) -> tuple:
        t = row["territory"]
        by_id = ids.index(t["id"]) if t["id"] in ids else len(ids)
        return (row["rank"], by_id, _LEVEL_PREFERENCE.get(t.get("level") or "", 9),
                -(t.get("population") or 0), t["id"])

    return territory_ref(min(rows, key=preference)["territory"])
