"""The read-only Cypher console's runner: what happens to a query once the guard
(api/console_guard.py, pure) has read it.

A query posted to ``POST /cypher`` passes three independent locks before a row is read:

1. :func:`api.console_guard.check_query`, the allowlist (no database);
2. ``EXPLAIN`` of the query must report query type ``r`` (read only);
3. it runs in a READ-mode explicit transaction with a timeout, is never retried, and at
   most ``max_rows`` rows are fetched (``truncated`` says when more existed); when the
   rows serialised as JSON pass ``max_bytes`` it stops with :class:`ConsoleResultTooLarge`.

Values come back as JSON (:func:`to_json`): nodes, relationships, paths, points,
temporals.
"""

from __future__ import annotations

import base64
import json
import math
from dataclasses import dataclass
from typing import Any

from neo4j import READ_ACCESS, Driver
from neo4j.exceptions import (
    ClientError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
)
from neo4j.graph import Node, Path, Relationship
from neo4j.spatial import CartesianPoint, Point, WGS84Point
from neo4j.time import Date, DateTime, Duration, Time

from api.console_guard import RefusedQuery, check_parameters, check_query
from api.errors import AllianceError, BadRequest, RequestTimeout


class ConsoleWriteRefused(AllianceError):
    """The database says the query would write: 403."""

    status, code = 403, "query_not_read_only"


class ConsoleResultTooLarge(AllianceError):
    """The answer would pass ``max_bytes`` (one huge value, or many big rows): 400."""

    status, code = 400, "result_too_large"


def to_json(value: Any) -> Any:
    """Turn a Neo4j value into JSON: nodes, relationships, paths, points, temporals."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, Node):
        return {"id": value.element_id, "labels": sorted(value.labels),
                "properties": {k: to_json(v) for k, v in value.items()}}
    if isinstance(value, Relationship):
        return {"id": value.element_id, "type": value.type,
                "start": value.start_node.element_id if value.start_node else None,
                "end": value.end_node.element_id if value.end_node else None,
                "properties": {k: to_json(v) for k, v in value.items()}}
    if isinstance(value, Path):
        return {"nodes": [to_json(n) for n in value.nodes],
                "relationships": [to_json(r) for r in value.relationships]}
    if isinstance(value, WGS84Point):
        out = {"srid": value.srid, "longitude": value.longitude, "latitude": value.latitude}
        if len(value) > 2:
            out["height"] = value.height
        return out
    if isinstance(value, (CartesianPoint, Point)):
        return {"srid": value.srid, "coordinates": list(value)}
    if isinstance(value, (Date, DateTime, Time, Duration)):
        return value.iso_format()
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    return str(value)


@dataclass
class ConsoleResult:
    columns: list[str]
    rows: list[dict[str, Any]]
    truncated: bool
    query_type: str


def _is_timeout(exc: Neo4jError) -> bool:
    code = exc.code or ""
    return "TransactionTimedOut" in code or "Transaction.Terminated" in code or (
        "timed out" in (exc.message or "").lower()
    )


def json_size(row: dict[str, Any]) -> int:
    """Bytes of ``row`` (already :func:`to_json`) in the API's compact UTF-8 JSON."""
    return len(json.dumps(row, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def run_console(driver: Driver, query: str, parameters: dict[str, Any], *,
                database: str = "neo4j", timeout: float = 5.0,
                max_rows: int = 1000, max_bytes: int = 5 * 1024 * 1024) -> ConsoleResult:
    """Check, EXPLAIN, then run ``query`` read-only, once, with a timeout, a row cap and a
    size cap (``max_bytes`` of JSON rows: the row cap alone lets one huge row through).

    Raises
    ------
    RefusedQuery
        The guard or Neo4j refused the query (syntax, semantics): 400.
    ConsoleWriteRefused
        EXPLAIN says the query is not read-only: 403.
    RequestTimeout
        The query ran longer than ``timeout`` seconds: 408.
    ConsoleResultTooLarge
        The rows would pass ``max_bytes`` once serialised: 400, nothing returned.
    """
    text = check_query(query)
    params = check_parameters(parameters)
    try:
        # An explicit transaction: never retried, rolled back on leaving the block.
        with driver.session(database=database, default_access_mode=READ_ACCESS) as session, \
                session.begin_transaction(timeout=timeout) as tx:
            summary = tx.run("EXPLAIN " + text, params).consume()
            if summary.query_type != "r":
                raise ConsoleWriteRefused(
                    f"the query is not read-only (query type {summary.query_type!r})")
            result = tx.run(text, params)
            columns = list(result.keys())
            rows: list[dict[str, Any]] = []
            truncated = False
            size = 2  # the brackets of the list
            for record in result:
                if len(rows) >= max_rows:
                    truncated = True
                    break
                row = {k: to_json(v) for k, v in record.items()}
                size += json_size(row) + 1
                if size > max_bytes:
                    raise ConsoleResultTooLarge(
                        f"the answer would be larger than {max_bytes:,} bytes "
                        f"(ALLIANCE_CONSOLE_MAX_BYTES) by row {len(rows) + 1}: return less "
                        "(LIMIT, fewer columns, size() or substring() of big values)",
                        detail={"max_bytes": max_bytes, "rows_read": len(rows) + 1})
                rows.append(row)
            tx.rollback()
    except ClientError as exc:
        if _is_timeout(exc):
            raise RequestTimeout(f"the query ran longer than {timeout:g} s") from exc
        if "AccessMode" in (exc.code or "") or "Forbidden" in (exc.code or ""):
            raise ConsoleWriteRefused(exc.message or "the query would write") from exc
        raise RefusedQuery(exc.message or "Neo4j refused the query",
                              detail={"neo4j_code": exc.code}) from exc
    except Neo4jError as exc:
        if _is_timeout(exc):
            raise RequestTimeout(f"the query ran longer than {timeout:g} s") from exc
        raise BadRequest(exc.message or "the query failed",
                         detail={"neo4j_code": exc.code}) from exc
    except (ServiceUnavailable, SessionExpired):
        raise  # the error table answers 503
    except DriverError as exc:
        # e.g. a transaction the server already terminated: never retried, a clean 400.
        raise BadRequest(f"the query failed: {exc}") from exc
    return ConsoleResult(columns=columns, rows=rows, truncated=truncated,
                         query_type=summary.query_type)
