"""POST /cypher: the read-only Cypher console for analysts (the allowlist in
api/console_guard.py, the runner in api/console.py; a refused query is a 400
``query_rejected`` by the error table of api/errors.py)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from api.console import run_console
from api.console_guard import MAX_QUERY_CHARS
from api.deps import DatabaseDep, DriverDep, SettingsDep
from api.openapi import responses
from api.security import ConsoleAccessDep
from graph import deadline

router = APIRouter(tags=["console"])


class ConsoleQuery(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{
            "query": "MATCH (o:Organisation)-[:CARRIES]->(p:Programme) "
                     "WHERE p.phase = $phase RETURN o.name AS organisation, "
                     "count(p) AS programmes ORDER BY programmes DESC LIMIT 10",
            "parameters": {"phase": "relance"},
        }]},
    )

    query: str = Field(min_length=1, max_length=MAX_QUERY_CHARS,
                       description="One read-only Cypher statement.")
    parameters: dict[str, Any] = Field(default_factory=dict,
                                       description="Values for the query's $parameters.")


class ConsoleAnswer(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "columns": ["organisation", "programmes"],
        "rows": [{"organisation": "Le RAMEAU", "programmes": 4}],
        "row_count": 1,
        "truncated": False,
        "query_type": "r",
    }]})

    columns: list[str]
    rows: list[dict[str, Any]]
    row_count: int
    truncated: bool = Field(description="True when the query had more rows than the cap.")
    query_type: str = Field(description="Neo4j's query type from EXPLAIN: always 'r'.")


@router.post(
    "/cypher",
    response_model=ConsoleAnswer,
    responses=responses(None, 400, 401, 403, 408, 413),
)
def cypher(body: ConsoleQuery, driver: DriverDep, database: DatabaseDep,
                 settings: SettingsDep, _access: ConsoleAccessDep) -> ConsoleAnswer:
    """Run one **read-only** Cypher query.

    The query must pass an allowlist (read clauses only; `CALL` only for
    `db.index.fulltext.queryNodes`, `db.labels`, `db.relationshipTypes`,
    `db.propertyKeys`, `db.schema.*`; no writes, no `LOAD CSV`, no `apoc.*`; ASCII outside
    string literals; one statement), then `EXPLAIN` must say it only reads; it runs once
    in a read transaction limited to `ALLIANCE_CONSOLE_TIMEOUT` seconds and
    `ALLIANCE_CONSOLE_MAX_ROWS` rows; an answer whose rows would pass
    `ALLIANCE_CONSOLE_MAX_BYTES` bytes of JSON (5 MiB) is a 400 `result_too_large`.
    """
    # one call to Neo4j bounded by the request's deadline (graph/deadline.py), which the
    # console's own time limit lengthens: its 408 comes first, a hung Neo4j a 503 or 504
    with deadline.at_least(settings.console_timeout + 1):
        result = deadline.call(lambda: run_console(
            driver, body.query, body.parameters, database=database,
            timeout=settings.console_timeout, max_rows=settings.console_max_rows,
            max_bytes=settings.console_max_bytes))
    return ConsoleAnswer(columns=result.columns, rows=result.rows,
                         row_count=len(result.rows), truncated=result.truncated,
                         query_type=result.query_type)
