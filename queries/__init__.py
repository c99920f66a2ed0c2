"""The questions users ask, as ``.cypher`` files with typed wrappers (see queries/README.md)."""

from queries.analytics import brokers, communities, community_membership
from queries.errors import (
    AmbiguousTerritory,
    InvalidParameter,
    NotFoundError,
    TerritoryNotLoaded,
    UnknownTerritory,
)
from queries.explore import dialogue_spaces, neighbourhood, paths, search, stats
from queries.questions import connectors, gaps, partners_near, programmes_of_territory
from queries.territory import resolve_territory_param

__all__ = [
    "AmbiguousTerritory",
    "InvalidParameter",
    "NotFoundError",
    "TerritoryNotLoaded",
    "UnknownTerritory",
    "brokers",
    "communities",
    "community_membership",
    "connectors",
    "dialogue_spaces",
    "gaps",
    "neighbourhood",
    "partners_near",
    "paths",
    "programmes_of_territory",
    "resolve_territory_param",
    "search",
    "stats",
]
