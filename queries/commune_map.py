"""What the map of a commune shows: the catalyst page's answer, drawn.

The partners within the radius (placed as :func:`queries.partners_near` places them: own
coordinates, else their commune, else the centre of the territory they act in), those
acting on a territory containing the commune (its EPCI, département, région, France) and
the programmes covering it (:func:`queries.programmes_of_territory`), plus the communes
within the radius for the map's backdrop. The same questions as ``/catalyseurs``, so the
picture shows what the page lists.
"""

from __future__ import annotations

from neo4j import Driver
from pydantic import BaseModel, Field

from graph.french import km, of_place
from queries._run import read
from queries.errors import NotDrawable
from queries.export import GraphEdge, NodeDetails, node_details
from queries.models import NearPage, ProgrammeItem
from queries.questions import partners_near, programmes_of_territory

#: communes are read this far, in radii: the outline of the land they draw then runs past
#: the circle, where the map cuts it (a coast or a border inside the circle stays)
BEYOND = 1.4


class PlacedCommune(BaseModel):
    """A commune around the one drawn."""

    id: str
    name: str | None = None
    population: int | None = None
    lat: float
    lon: float
    #: from the commune drawn
    distance_km: float = 0.0


class CommuneContents(BaseModel):
    """A commune, what is around it within a radius, and what acts on it from above."""

    #: the partners within the radius (``items``, each with where it was placed) and
    #: those acting on a territory containing the commune (``active_on_territory``); its
    #: ``centre`` is the commune (id, name, level, also_matches, notice) and its point
    near: NearPage
    #: the programmes covering the commune or a territory containing it, each once,
    #: ``covers`` nearest territory first
    programmes: list[ProgrammeItem]
    #: the communes within :data:`BEYOND` times the radius, the most populous first (those
    #: past the radius draw the coast or the border that crosses the circle)
    communes: list[PlacedCommune] = Field(default_factory=list)
    edges: list[GraphEdge] = Field(default_factory=list)
    #: kind, source and place of every element shown (for the tooltips)
    details: dict[str, NodeDetails] = Field(default_factory=dict)
    #: the partners' filters, as asked (a need id, a role)
    need: str | None = None
    role: str | None = None


def commune_contents(driver: Driver, commune: str, *, radius_km: float = 30.0,
                     need: str | None = None, role: str | None = None, limit: int = 500,
                     communes_limit: int = 20000, database: str = "neo4j") -> CommuneContents:
    """What the map of a commune shows, as the catalyst page lists it.

    Parameters
    ----------
    commune
        A commune as partners near reads it (name, postal code, INSEE code or id).
    radius_km
        The radius (as :func:`queries.partners_near`).
    need, role
        Keep the partners that answer this need id or hold this role, as the page does.
    limit
        Partners at most within the radius, and at most acting from above.
    communes_limit
        Communes within the radius at most (the most populous).

    Returns
    -------
    CommuneContents

    Raises
    ------
    InvalidParameter, AmbiguousTerritory, NotFoundError
        As :func:`queries.partners_near`.
    NotDrawable
        Nothing to draw: no partner within the radius, nobody acting on a territory
        containing the commune, no programme covering it.
    """
    near = partners_near(driver, commune=commune, radius_km=radius_km, need=need, role=role,
                         limit=limit, database=database)
    place = near.centre.commune
    assert place is not None  # asked by commune
    answer = programmes_of_territory(driver, place.id, database=database)
    programmes: dict[str, ProgrammeItem] = {}
    for group in answer.groups:
        for item in group.programmes:
            programmes.setdefault(item.id, item)
    active = near.active_on_territory.items if near.active_on_territory else []
    if not near.items and not active and not programmes:
        raise NotDrawable(
            f"{place.id} ({place.name}) has nothing to draw yet: nobody within "
            f"{radius_km:g} km or acting on a territory containing it, and no programme "
            "covering it",
            f"Pas d'image autour {of_place(place.name or place.id)} pour l'instant : le "
            f"graphe n'a aucune organisation à moins de {km(radius_km)}, ni active sur son "
            "territoire "
            "(intercommunalité, département, région, France), et aucun programme ne couvre "
            "la commune.")
    rows = read(driver, "communes_around",
                {"id": place.id, "radius_m": BEYOND * radius_km * 1000.0,
                 "limit": communes_limit}, database=database)
    ids = ([place.id] + [p.organisation.id for p in near.items]
           + [p.organisation.id for p in active] + list(programmes))
    edges = read(driver, "view_edges", {"ids": ids}, database=database)
    ordered = sorted(programmes.values(), key=lambda p: ((p.name or p.id).casefold(), p.id))
    return CommuneContents(
        near=near, programmes=ordered,
        communes=[PlacedCommune(**r) for r in rows if r["lat"] is not None],
        edges=[GraphEdge(**e) for e in edges],
        details=node_details(driver, ids, database=database), need=need, role=role)
