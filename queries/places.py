"""Where territories and elements sit: a territory's chain of containing territories
(commune ⊂ EPCI ⊂ département ⊂ région ⊂ France) and the territories an element is
located in, active in or covers, each with its chain. For the pages (the fiche, the
territory line of the catalyst and analyst pages)."""

from __future__ import annotations

from neo4j import Driver
from pydantic import BaseModel, Field

from queries._run import read, territory_ref
from queries.models import TerritoryRef

#: territories shown per relationship type on a fiche (an organisation may act in many)
PLACES_PER_RELATION = 10


class TerritoryChain(BaseModel):
    """A territory and those containing it, smallest first: ``steps[0]`` is the territory
    itself, then its EPCI, its département(s), its région(s), France — each step one level,
    absent levels skipped (an EPCI may span several départements: one step holds them)."""

    territory: TerritoryRef
    steps: list[list[TerritoryRef]]


class ElementPlace(BaseModel):
    """The territories an element is tied to by one relationship type."""

    relation: str = Field(examples=["LOCATED_IN"])
    total: int
    chains: list[TerritoryChain]


def territory_chains(driver: Driver, ids: list[str], *,
                     database: str = "neo4j") -> dict[str, TerritoryChain]:
    """The chain of each territory of ``ids`` found in the graph, by id."""
    if not ids:
        return {}
    out = {}
    for row in read(driver, "territory_chains", {"ids": list(dict.fromkeys(ids))},
                    database=database):
        levels = [[row["territory"]], row["epcis"], row["departements"], row["regions"],
                  row["countries"]]
        out[row["id"]] = TerritoryChain(
            territory=territory_ref(row["territory"]),
            steps=[[territory_ref(t) for t in step] for step in levels if step])
    return out


def territory_chain(driver: Driver, territory_id: str, *,
                    database: str = "neo4j") -> TerritoryChain | None:
    """The chain of one territory; None when the graph does not have it."""
    return territory_chains(driver, [territory_id], database=database).get(territory_id)


def element_places(driver: Driver, element_id: str, *, limit: int = PLACES_PER_RELATION,
                   database: str = "neo4j") -> list[ElementPlace]:
    """Where an organisation is located and active, or what a programme covers: one entry
    per relationship type (``LOCATED_IN``, ``ACTIVE_IN``, ``COVERS``), at most ``limit``
    territories each, smallest first, each with its chain."""
    rows = read(driver, "element_places", {"id": element_id, "limit": limit},
                database=database)
    chains = territory_chains(driver, [i for row in rows for i in row["ids"]],
                              database=database)
    return [ElementPlace(relation=row["relation"], total=row["total"],
                         chains=[chains[i] for i in row["ids"] if i in chains])
            for row in rows]
