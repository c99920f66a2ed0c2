"""The territorial questions: connectors, programmes of a territory, partners near, gaps."""

from __future__ import annotations

import math
from typing import Literal

from neo4j import Driver
from neo4j.spatial import WGS84Point

from graph import as_of
from graph.cache import ExpiringCache
from graph.vocabulary import ROLES, resolve_kind, resolve_role
from queries._run import (
    ROLE_BY_LABEL,
    check_page,
    node_ref,
    organisation_ref,
    read_one,
    rel_ref,
    territory_ref,
)
from queries.errors import SEARCH_HINT, InvalidParameter, NotFoundError
from queries.models import (
    Centre,
    Connector,
    ConnectorsPage,
    CoveringConnectors,
    GapsResult,
    GraphPath,
    NearPage,
    NeedGap,
    PartialCoverage,
    PartialProgramme,
    ProgrammeGroup,
    ProgrammeItem,
    RelRef,
    TerritoryProgrammes,
    primary_label,
)
from queries.territory import (
    CACHE_SECONDS,
    asked_territory,
    read_territory,
    resolve_territory_param,
)

#: largest radius "partners near" accepts: a département or two, not the whole country
MAX_RADIUS_KM = 300.0

#: commune id → its location (latitude, longitude, name...), per (database, id, as_of),
#: kept as long as the territories found in the graph (:mod:`queries.territory`); a
#: commune without a location is not kept
commune_locations: ExpiringCache[dict] = ExpiringCache(
    "commune locations", seconds=CACHE_SECONDS, size=4096)


def clear_location_cache() -> None:
    """Forget cached commune locations (every write through the product does it:
    :func:`graph.cache.clear_caches`)."""
    commune_locations.clear()


def _commune_location(driver: Driver, database: str, commune_id: str) -> dict:
    row, _ = commune_locations.get_or_compute(
        (database, commune_id, as_of.current()),
        lambda: read_one(driver, "commune_location", {"id": commune_id}, database=database),
        keep=lambda row: row.get("latitude") is not None)
    return row


_PHASE_ORDER = {"urgence": 0, "relance": 1}


def connectors(driver: Driver, programme: str, territory: str, *, database: str = "neo4j",
               limit: int = 50, offset: int = 0) -> ConnectorsPage:
    """The organisations that connect a programme to a territory, with the proof.

    An organisation connects them when it carries, funds, operates or relays the
    programme, and is located or active in the territory or in a territory inside it (a
    commune inside the département counts; PART_OF is never followed through an EPCI, so
    an organisation located in Marseille is not in the Var that its EPCI also spans).

    Parameters
    ----------
    driver, database
        Where to ask.
    programme
        The programme id (``programme:…``).
    territory
        A territory id, code or name (see :func:`resolve_territory_param`).
    limit, offset
        The page (organisations ordered by name).

    Returns
    -------
    ConnectorsPage
        ``total`` organisations; each item with its relations to the programme, its anchor
        territories and, per anchor, the path programme ← organisation → anchor → … →
        territory.

    Raises
    ------
    NotFoundError
        Unknown programme or territory.
    """
    check_page(limit, offset)
    terr = resolve_territory_param(driver, territory, database=database)
    row = read_one(driver, "connectors",
                   {"programme": programme, "territory": terr.id, "limit": limit,
                    "offset": offset}, database=database)
    if not row.get("programme"):
        raise NotFoundError(f"no programme {programme!r}; {SEARCH_HINT}")
    prog = node_ref(row["programme"])
    items = [_connector(prog, item) for item in row["items"]]
    covering = [_connector(prog, item) for item in row.get("covering") or []]
    covering_total = row.get("covering_total") or 0
    reason = None
    if not row["total"] and not covering_total:
        reason = "none_in_territory" if row.get("placed") else "programme_not_placed"
    return ConnectorsPage(programme=prog, territory=terr, total=row["total"], limit=limit,
                          offset=offset, items=items,
                          covering=CoveringConnectors(total=covering_total, limit=limit,
                                                      offset=offset, items=covering),
                          reason=reason)


def _connector(prog, item: dict) -> Connector:
    """One connector from the query's map: the proof paths start at the programme."""
    org = organisation_ref(item["organisation"])
    relations = sorted(item["relations"])
    anchors, paths = [], []
    for proof in item["proofs"]:
        anchors.append(territory_ref(proof["anchor"]))
        nodes = [prog] + [node_ref(n) for n in proof["nodes"]]
        rels = [RelRef(type=relations[0], source=org.id, target=prog.id)]
        rels += [rel_ref(r) for r in proof["rels"]]
        paths.append(GraphPath(nodes=nodes, relationships=rels, length=len(rels)))
    return Connector(organisation=org, relations=relations, territories=anchors,
                     paths=paths)


def programmes_of_territory(driver: Driver, territory: str, *,
                            database: str = "neo4j") -> TerritoryProgrammes:
    """The programmes covering a territory or a territory containing it, by phase and need.

    Parameters
    ----------
    territory
        A territory id, code or name; its scope is itself, its EPCI, its own département,
        its région and ``FR`` (following PART_OF, never through an EPCI: a commune is not
        covered by the other départements its EPCI touches).

    Returns
    -------
    TerritoryProgrammes
        Groups ordered by phase (urgence, relance, none) then need name; a programme that
        addresses two needs is in two groups; ``need`` is None for programmes addressing
        none. ``total`` counts distinct programmes. For an EPCI spanning several
        départements or régions, a département or région holding only some of its
        communes is not in the scope: its programmes are in ``partial``, with how many of
        the EPCI's communes it holds.
    """
    terr = resolve_territory_param(driver, territory, database=database)
    row = read_one(driver, "programmes_of_territory", {"territory": terr.id},
                   database=database)
    scope = [territory_ref(s["territory"]) for s in row["scope"]]
    by_id = {t.id: t for t in scope}
    order = {t.id: i for i, t in enumerate(scope)}
    needs = {n["id"]: n for n in row["needs"]}
    # one item per programme, shared by the groups it is in (one per need it addresses)
    groups: dict[tuple, list[ProgrammeItem]] = {}
    for r in row["programmes"]:
        p = r["programme"]
        cov = sorted(r["covers"], key=lambda t: order.get(t, 99))
        item = ProgrammeItem(id=p["id"], name=p.get("name"), phase=p.get("phase"),
                             covers=[by_id[t] for t in cov])
        for need_id in r["needs"] or [None]:
            groups.setdefault((p.get("phase"), need_id), []).append(item)

    def group_key(key: tuple) -> tuple:
        phase, need_id = key
        need = needs.get(need_id) or {}
        return (_PHASE_ORDER.get(phase or "", 2), need_id is None, need.get("name") or "",
                need_id or "")

    out = []
    for key in sorted(groups, key=group_key):
        items = sorted(groups[key], key=lambda i: (i.name or "", i.id))
        need_id = key[1]
        out.append(ProgrammeGroup(phase=key[0],
                                  need=node_ref(needs[need_id]) if need_id else None,
                                  programmes=items))
    partial = [
        PartialProgramme(programme=r["programme"], territory=territory_ref(r["territory"]),
                         communes_covered=r["communes_covered"],
                         communes_total=r["communes_total"],
                         needs=sorted((node_ref(needs[n]) for n in r["needs"]),
                                      key=lambda n: (n.name or "", n.id)))
        for r in row["partial"]
    ]
    partial.sort(key=_partial_order)
    return TerritoryProgrammes(territory=terr, scope=scope, total=len(row["programmes"]),
                               groups=out, partial=partial)


def _partial_order(item: PartialCoverage) -> tuple:
    """Most communes covered first, then by programme name and territory."""
    return (-item.communes_covered, item.programme.name or "", item.programme.id,
            item.territory.id)


def _centre(driver: Driver, database: str, commune: str | None, lat: float | None,
            lon: float | None) -> Centre:
    if commune is not None:
        if lat is not None or lon is not None:
            raise InvalidParameter("give a commune or a latitude/longitude, not both")
        terr = resolve_territory_param(driver, commune, database=database, level="commune")
        row = _commune_location(driver, database, terr.id)
        if row.get("latitude") is None:
            raise NotFoundError(f"commune {terr.id} has no location; load the territory "
                                "reference file, or give a latitude/longitude")
        return Centre(latitude=row["latitude"], longitude=row["longitude"], commune=terr)
    if lat is None or lon is None:
        raise InvalidParameter("give a commune (a name, a postal code or an INSEE code such "
                               "as 59512) or both a latitude and a longitude")
    if not (math.isfinite(lat) and -90 <= lat <= 90 and math.isfinite(lon)
            and -180 <= lon <= 180):
        raise InvalidParameter(f"latitude {lat} / longitude {lon} is not a WGS-84 point")
    return Centre(latitude=lat, longitude=lon)


def partners_near(driver: Driver, *, commune: str | None = None, lat: float | None = None,
                  lon: float | None = None, radius_km: float = 30.0, need: str | None = None,
                  kind: str | None = None, role: str | None = None, limit: int = 50,
                  offset: int = 0, links: int = 10, database: str = "neo4j") -> NearPage:
    """Organisations within a radius of a commune or a point, nearest first.

    An organisation is where its own ``location`` says, else at its commune's location
    (LOCATED_IN). Both go through a point index.

    Parameters
    ----------
    commune
        A commune as the territory parser reads it (a name, a postal code, an INSEE code
        or an id; only its commune readings count: ``Vienne`` is the commune here) — its
        location is the centre; or give ``lat`` and ``lon``.
    radius_km
        Greater than 0, at most :data:`MAX_RADIUS_KM`.
    need
        A need id: keep organisations that express it, or that carry, fund, operate or
        relay a programme addressing it.
    kind
        An organisation kind (French aliases accepted: ``collectivité``).
    role
        ``catalyst`` or ``relay`` (``catalyseur``, ``tête de pont`` accepted).
    limit, offset
        The page; ``total`` counts every match.
    links
        How many relationships ("what it connects to", territories left out) per item.

    Returns
    -------
    NearPage

    Raises
    ------
    InvalidParameter
        Bad radius, kind, role or coordinates, both a commune and a point, or a reference
        with no commune reading (``59``).
    AmbiguousTerritory
        A commune reference with several readings (``Saint-Denis``).
    NotFoundError
        Unknown commune (:class:`queries.errors.UnknownTerritory`, with suggestions), one
        not in the graph, or a commune without location.
    """
    check_page(limit, offset)
    if not (0 < radius_km <= MAX_RADIUS_KM):
        raise InvalidParameter(f"radius must be more than 0 and at most {MAX_RADIUS_KM:g} km, "
                               f"not {radius_km:g}")
    kind_value = None
    if kind:
        kind_value = resolve_kind(kind)
        if kind_value is None:
            raise InvalidParameter(f"unknown organisation kind {kind!r}")
    role_value = None
    if role:
        role_value = resolve_role(role)
        if role_value is None or role_value not in ROLES:
            raise InvalidParameter(f"unknown role {role!r}; use catalyst or relay")
    params = {"radius_m": radius_km * 1000.0, "need": need, "kind": kind_value,
              "role": role_value, "limit": limit, "offset": offset, "links": links}
    row: dict = {}
    if commune is not None and lat is None and lon is None:
        # the parser needs no database: the query reads the commune's location itself (one
        # round trip, not three); a miss (not loaded, no location) takes the resolving
        # path and its messages
        taken, others = read_territory(commune, level="commune")
        row = read_one(driver, "partners_near", {**params, "commune_id": taken.id,
                                                 "point": None}, database=database)
    if row:
        centre = Centre(latitude=row["centre"]["latitude"],
                        longitude=row["centre"]["longitude"],
                        commune=asked_territory(taken, others, row["commune"]))
    else:
        centre = _centre(driver, database, commune, lat, lon)
        point = WGS84Point((centre.longitude, centre.latitude))
        row = read_one(driver, "partners_near", {**params, "commune_id": None,
                                                 "point": point}, database=database)
    # the query's lists made plain dicts, validated once by pydantic's core: ~1,000 nested
    # models a page, ten times cheaper than building each in Python
    items = [
        {
            "organisation": _near_organisation(oid, name, kind, labels),
            "distance_km": round(distance_m / 1000.0, 3),
            "commune": None if commune is None else dict(zip(_TERRITORY_KEYS, commune,
                                                             strict=True)),
            "connects_to": _near_links(links),
            "placed_by": placed_by,
            "latitude": at[0],
            "longitude": at[1],
        }
        for oid, name, kind, labels, distance_m, commune, links, placed_by, at in row["items"]
    ]
    active = [
        {"organisation": _near_organisation(oid, name, kind, labels),
         "territory": dict(zip(_TERRITORY_KEYS, territory, strict=True)),
         "connects_to": _near_links(links)}
        for oid, name, kind, labels, territory, links in row.get("active_items") or []
    ]
    return NearPage.model_validate({
        "centre": centre, "radius_km": radius_km, "total": row["total"], "limit": limit,
        "offset": offset, "items": items,
        "active_on_territory": {"total": row.get("active_total") or 0, "limit": limit,
                                "offset": offset, "items": active}})


def _near_organisation(oid: str, name: str | None, kind: str | None,
                       labels: list[str]) -> dict:
    return {"id": oid, "name": name, "kind": kind,
            "roles": sorted(ROLE_BY_LABEL[lab] for lab in labels if lab in ROLE_BY_LABEL)}


def _near_links(links: list) -> list[dict]:
    return [{"type": rel, "direction": "out" if out else "in",
             "node": {"id": xid, "name": xname, "label": primary_label(xlabels),
                      "labels": xlabels, "kind": xkind}}
            for rel, out, xid, xname, xkind, xlabels in links]


_TERRITORY_KEYS = ("id", "code", "name", "level")


def gaps(driver: Driver, territory: str, *, scope: Literal["expressed", "all"] = "expressed",
         database: str = "neo4j") -> GapsResult:
    """The needs of a territory that no programme covering it addresses.

    Parameters
    ----------
    territory
        A territory id, code or name.
    scope
        ``expressed``: the needs that organisations located or active in the territory
        (or inside it) express; ``all``: every need of the graph.

    Returns
    -------
    GapsResult
        ``gaps`` ordered by how many organisations of the territory express them, then name.
        A programme covers the territory when it COVERS it or a territory containing it
        (PART_OF never followed through an EPCI: Marseille is not in the Var). For an EPCI
        spanning several départements or régions, a programme on one of them covers only
        part of it: the need stays a gap, and the programme is in its ``partial``.
    """
    if scope not in ("expressed", "all"):
        raise InvalidParameter(f"scope must be 'expressed' or 'all', not {scope!r}")
    terr = resolve_territory_param(driver, territory, database=database)
    row = read_one(driver, "gaps", {"territory": terr.id, "scope": scope}, database=database)
    needs = row["needs"]
    open_needs = [
        NeedGap(id=n["need"]["id"], name=n["need"].get("name"),
                category=n["need"].get("category"), expressed_by=n["expressed_by"],
                partial=sorted((PartialCoverage(programme=q["programme"],
                                                territory=territory_ref(q["territory"]),
                                                communes_covered=q["communes_covered"],
                                                communes_total=q["communes_total"])
                                for q in n["partial"]), key=_partial_order))
        for n in needs if not n["covered"]
    ]
    open_needs.sort(key=lambda g: (-g.expressed_by, g.name or "", g.id))
    return GapsResult(territory=terr, scope=scope, needs_considered=len(needs),
                      covered=sum(1 for n in needs if n["covered"]), gaps=open_needs)

