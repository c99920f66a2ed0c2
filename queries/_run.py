"""How every question runs: one managed read transaction, rows out as plain dicts, and
the converters from Cypher maps to the shared models."""

from __future__ import annotations

from typing import Any

from neo4j import Driver, Result, RoutingControl, Session

from graph.vocabulary import ROLES
from queries.errors import InvalidParameter
from queries.library import load_query
from queries.models import NodeRef, OrganisationRef, RelRef, TerritoryRef, primary_label

#: role label → role name (``Catalyst`` → ``catalyst``)
ROLE_BY_LABEL = {label: role for role, label in ROLES.items()}


def _as_dicts(result: Result) -> list[dict[str, Any]]:
    # The questions return maps, lists and scalars only, never nodes: no need for
    # Record.data(), whose recursive conversion was most of a call's Python time.
    keys = result.keys()
    return [dict(zip(keys, values, strict=True)) for values in result.values()]


def session(driver: Driver, database: str) -> Session:
    """A session for questions: no server notifications (a relationship type that the
    graph does not hold yet is normal here, not worth a warning on every call)."""
    return driver.session(database=database, notifications_min_severity="OFF")


def read(driver: Driver, name: str, params: dict[str, Any] | None = None, *,
         database: str = "neo4j", bounds: dict[str, int] | None = None) -> list[dict[str, Any]]:
    """Run the question ``name`` in a managed read transaction; its rows as dicts.

    ``execute_query`` is a managed transaction too (retried on transient errors, routed
    to a reader), and it sends BEGIN with the query in one round trip where
    ``execute_read`` waits for BEGIN first (0.1 ms a question). No bookmark manager: a
    question needs no causal chain with the previous one.
    """
    query = load_query(name, **(bounds or {}))
    return driver.execute_query(query, params or {}, routing_=RoutingControl.READ,
                                database_=database, bookmark_manager_=None,
                                result_transformer_=_as_dicts)


def read_one(driver: Driver, name: str, params: dict[str, Any] | None = None, *,
             database: str = "neo4j", bounds: dict[str, int] | None = None) -> dict[str, Any]:
    """Like :func:`read` for a question that returns exactly one row."""
    rows = read(driver, name, params, database=database, bounds=bounds)
    return rows[0] if rows else {}


def check_page(limit: int, offset: int) -> None:
    """Refuse a negative page; the caller caps ``limit`` (settings.max_page_size)."""
    if limit < 0:
        raise InvalidParameter(f"limit must be 0 or more, not {limit}")
    if offset < 0:
        raise InvalidParameter(f"offset must be 0 or more, not {offset}")


def node_ref(data: dict[str, Any]) -> NodeRef:
    labels = list(data.get("labels") or [])
    return NodeRef(id=data["id"], name=data.get("name"), label=primary_label(labels),
                   labels=labels, kind=data.get("kind"))


def organisation_ref(data: dict[str, Any]) -> OrganisationRef:
    labels = data.get("labels") or []
    roles = sorted(ROLE_BY_LABEL[label] for label in labels if label in ROLE_BY_LABEL)
    return OrganisationRef(id=data["id"], name=data.get("name"), kind=data.get("kind"),
                           roles=roles)


def territory_ref(data: dict[str, Any]) -> TerritoryRef:
    return TerritoryRef(id=data["id"], code=data.get("code"), name=data.get("name"),
                        level=data.get("level"))


def rel_ref(data: dict[str, Any]) -> RelRef:
    return RelRef(type=data["type"], source=data["source"], target=data["target"])
