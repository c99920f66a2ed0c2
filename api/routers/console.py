"""POST /cypher: the read-only Cypher console for analysts (the allowlist in
api/console_guard.py, the runner in api/console.py; a refused query is a 400
``query_rejected`` by the error table of api/errors.py)."""

from __future__ import annotations

import threading
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from api.console_guard import MAX_QUERY_CHARS
from api.console_pool import ConsolePool, WorkerConfig
from api.deps import SettingsDep
from api.openapi import responses
from api.security import ConsoleAccessDep
from graph import deadline
from graph.driver import driver_info

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
    responses=responses(None, 400, 401, 403, 408, 413, 429),
)
def cypher(request: Request, body: ConsoleQuery, settings: SettingsDep,
           _access: ConsoleAccessDep) -> ConsoleAnswer:
    """Run one **read-only** Cypher query.

    The query must pass an allowlist (read clauses only; `CALL` only for
    `db.index.fulltext.queryNodes`, `db.labels`, `db.relationshipTypes`,
    `db.propertyKeys`, `db.schema.*`; no writes, no `LOAD CSV`, no `apoc.*`; ASCII outside
    string literals; one statement), then `EXPLAIN` must say it only reads; it runs once
    in a read transaction limited to `ALLIANCE_CONSOLE_TIMEOUT` seconds and
    `ALLIANCE_CONSOLE_MAX_ROWS` rows; an answer whose rows would pass
    `ALLIANCE_CONSOLE_MAX_BYTES` bytes of JSON (5 MiB) is a 400 `result_too_large`.

    What one row may cost is bounded too, since Neo4j checks the time limit only between
    rows: nesting depth, iterations inside iterations, string growth (`replace()`, `+` in
    comprehensions), variable-length relationships (at most 6 hops), parameters (64 KiB).
    Each query runs in a worker process with a memory limit; at most
    `ALLIANCE_CONSOLE_CONCURRENCY` at once and `ALLIANCE_CONSOLE_RATE` a minute per client,
    past which the answer is 429 with a `Retry-After`.
    """
    client = request.client.host if request.client else "unknown"
    pool = console_pool(request)
    # the worker's wait bounded by the request's deadline (graph/deadline.py), which the
    # console's own time limit lengthens: its 408 comes first, a stopped Neo4j a 503 at once
    with deadline.at_least(settings.console_timeout + 2):
        columns, rows, truncated, query_type = deadline.call(lambda: pool.run(
            client, body.query, body.parameters, timeout=settings.console_timeout,
            max_rows=settings.console_max_rows, max_bytes=settings.console_max_bytes))
    return ConsoleAnswer(columns=columns, rows=rows, row_count=len(rows),
                         truncated=truncated, query_type=query_type)


_pool_lock = threading.Lock()


def console_pool(request: Request) -> ConsolePool:
    """The app's console workers, started on first use (closed with the app)."""
    state = request.app.state
    with _pool_lock:
        pool = getattr(state, "console_pool", None)
        if pool is None:
            settings = state.settings
            info = driver_info(settings)
            config = WorkerConfig(uri=info.uri, user=info.user, password=info.password or "",
                                  database=getattr(state, "database", None) or info.database,
                                  memory_bytes=settings.console_worker_memory_mb * 1024 * 1024)
            pool = state.console_pool = ConsolePool(
                config, size=settings.console_concurrency, rate=settings.console_rate)
            pool.warm()
        return pool
