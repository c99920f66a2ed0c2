"""The read-only Cypher console's guard and its runner.

A query posted to ``POST /cypher`` passes three independent locks before a row is read:

1. :func:`check_query`, a tokenizer-based allowlist (pure functions, no database):
   comments are stripped, strings and backticked names are read the way Neo4j reads them,
   anything outside a string literal must be ASCII (full-width ``ＣＲＥＡＴＥ``, zero-width
   spaces and other look-alikes are refused, naming the character), one statement only,
   it starts with a read clause, no writing or administrative keyword appears as a bare
   word, ``CALL`` names an allowlisted read procedure (or opens a read subquery), and a
   namespaced function belongs to an allowlisted namespace (no ``apoc.*``), no
   ``reduce()``, and ``range()`` only over small integer literals (Neo4j cannot stop a loop
   inside one expression at the time limit).
2. ``EXPLAIN`` of the query must report query type ``r`` (read only).
3. It runs in a READ-mode explicit transaction with a timeout, is never retried, and at
   most ``max_rows`` rows are fetched (``truncated`` says when more existed); when the
   rows serialised as JSON pass ``max_bytes`` it stops with :class:`ConsoleResultTooLarge`.

The query that runs is the posted text with its comments replaced by spaces, so Neo4j
sees exactly the tokens that were checked.
"""

from __future__ import annotations

import base64
import json
import math
import re
import unicodedata
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

from api.errors import AllianceError, BadRequest, RequestTimeout

#: the longest query text the console takes
MAX_QUERY_CHARS = 10_000

#: clauses a query may start with
START_CLAUSES = frozenset({"MATCH", "OPTIONAL", "WITH", "UNWIND", "RETURN", "CALL"})

#: words that are never accepted as bare words: every writing, loading, schema,
#: administration or transaction-control clause of Cypher 5 (and query prefixes, which the
#: console adds itself). Property keys (``n.start``) and backticked names are not words.
FORBIDDEN_WORDS = frozenset({
    "CREATE", "MERGE", "DELETE", "DETACH", "NODETACH", "SET", "REMOVE", "INSERT",
    "FOREACH", "LOAD", "USE", "PERIODIC", "COMMIT", "TRANSACTIONS", "FINISH",
    "SHOW", "TERMINATE", "ALTER", "DROP", "GRANT", "DENY", "REVOKE", "RENAME",
    "ENABLE", "DEALLOCATE", "REALLOCATE", "DRYRUN",
    "EXPLAIN", "PROFILE", "CYPHER",
})

#: read-only procedures the console may CALL (compared case-insensitively)
PROCEDURES: tuple[str, ...] = (
    "db.index.fulltext.queryNodes",
    "db.index.fulltext.queryRelationships",
    "db.labels",
    "db.relationshipTypes",
    "db.propertyKeys",
    "db.schema.visualization",
    "db.schema.nodeTypeProperties",
    "db.schema.relTypeProperties",
)
ALLOWED_PROCEDURES = frozenset(name.lower() for name in PROCEDURES)

#: namespaces of built-in functions the console may call (``point.distance(...)``)
ALLOWED_FUNCTION_NAMESPACES = frozenset({
    "point", "date", "datetime", "localdatetime", "localtime", "time", "duration", "vector",
})


class ConsoleRejected(AllianceError):
    """The guard refused the query: 400, the reason in ``message``."""

    status, code = 400, "query_rejected"


class ConsoleWriteRefused(AllianceError):
    """The database says the query would write: 403."""

    status, code = 403, "query_not_read_only"


class ConsoleResultTooLarge(AllianceError):
    """The answer would pass ``max_bytes`` (one huge value, or many big rows): 400."""

    status, code = 400, "result_too_large"


@dataclass(frozen=True)
class Token:
    kind: str  # word | number | string | quoted | param | punct
    text: str
    start: int


_NUMBER = re.compile(
    r"0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|[0-9][0-9_]*(?:\.[0-9][0-9_]*)?(?:[eE][+-]?[0-9]+)?"
)
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_WORD_CHAR = re.compile(r"[A-Za-z0-9_]")
#: multi-character operators, longest first, so `<-`, `->` and `..` stay whole
_OPERATORS = ("<>", "<=", ">=", "=~", "+=", "..", "<-", "->", "::", "||")
_PUNCT = set("()[]{}<>=+-*/%^.,:|!&?$")
_QUOTE_LIKES = {"'", '"', "`", "\\"}


def _describe(char: str) -> str:
    name = unicodedata.name(char, f"U+{ord(char):04X}")
    folded = unicodedata.normalize("NFKC", char)
    hint = f", which looks like {folded!r}" if folded != char and folded.isascii() else ""
    return f"{char!r} ({name}{hint})"


def tokenize(query: str) -> tuple[list[Token], str]:
    """Split ``query`` into tokens the way Neo4j's lexer does; comments are dropped.

    Returns
    -------
    tuple[list[Token], str]
        The tokens, and the query text with every comment replaced by one space (the text
        that runs).

    Raises
    ------
    ConsoleRejected
        Unterminated strings, names or comments; non-ASCII or control characters outside
        string literals; quote look-alikes inside strings; a number glued to a word.
    """
    tokens: list[Token] = []
    kept: list[str] = []
    i, n = 0, len(query)
    while i < n:
        c = query[i]
        if c in " \t\r\n":
            kept.append(c)
            i += 1
        elif query.startswith("//", i):
            end = query.find("\n", i)
            end = n if end == -1 else end
            kept.append(" ")
            i = end
        elif query.startswith("/*", i):
            end = query.find("*/", i + 2)
            if end == -1:
                raise ConsoleRejected("unterminated /* comment")
            kept.append(" ")
            i = end + 2
        elif c in "'\"":
            j = i + 1
            while j < n and query[j] != c:
                if query[j] == "\\":
                    j += 1  # the escaped character never closes the string
                elif not query[j].isascii() and unicodedata.normalize(
                        "NFKC", query[j]) in _QUOTE_LIKES:
                    raise ConsoleRejected(
                        f"quote look-alike {_describe(query[j])} inside a string literal")
                j += 1
            if j >= n:
                raise ConsoleRejected("unbalanced quotes: a string literal is not closed")
            tokens.append(Token("string", query[i:j + 1], i))
            kept.append(query[i:j + 1])
            i = j + 1
        elif c == "`":
            end = query.find("`", i + 1)
            if end == -1:
                raise ConsoleRejected("unbalanced backticks: a quoted name is not closed")
            if end + 1 < n and query[end + 1] == "`":
                raise ConsoleRejected("doubled backticks inside a quoted name are not allowed")
            name = query[i + 1:end]
            bad = next((ch for ch in name if not (ch.isascii() and ch.isprintable())), None)
            if bad is not None or not name:
                raise ConsoleRejected(
                    "a quoted name must be printable ASCII"
                    + (f"; found {_describe(bad)}" if bad else ""))
            tokens.append(Token("quoted", name, i))
            kept.append(query[i:end + 1])
            i = end + 1
        elif c.isdigit():
            match = _NUMBER.match(query, i)
            assert match is not None
            end = match.end()
            if end < n and _WORD_CHAR.match(query[end]):
                raise ConsoleRejected(
                    f"a number glued to a word at character {i}: {query[i:end + 8]!r}")
            tokens.append(Token("number", match.group(), i))
            kept.append(match.group())
            i = end
        elif _WORD.match(c):
            match = _WORD.match(query, i)
            assert match is not None
            tokens.append(Token("word", match.group(), i))
            kept.append(match.group())
            i = match.end()
        elif c == "$":
            match = _WORD.match(query, i + 1) or re.compile(r"[0-9]+").match(query, i + 1)
            if match is None:
                raise ConsoleRejected(f"a parameter needs a plain name at character {i}")
            tokens.append(Token("param", match.group(), i))
            kept.append(query[i:match.end()])
            i = match.end()
        elif c == ";":
            raise ConsoleRejected("one statement only: ';' is not allowed")
        elif c in _PUNCT:
            op = next((o for o in _OPERATORS if query.startswith(o, i)), c)
            tokens.append(Token("punct", op, i))
            kept.append(op)
            i += len(op)
        elif not c.isascii():
            raise ConsoleRejected(
                f"only ASCII outside string literals: found {_describe(c)} at character {i}")
        else:
            raise ConsoleRejected(f"unexpected character {_describe(c)} at character {i}")
    return tokens, "".join(kept)


def _dotted_name(tokens: list[Token], i: int) -> tuple[str, int]:
    """Read ``a.b.c`` (words or backticked names) from ``tokens[i]``; returns (name, next)."""
    parts: list[str] = []
    while i < len(tokens) and tokens[i].kind in ("word", "quoted"):
        parts.append(tokens[i].text)
        if i + 1 < len(tokens) and tokens[i + 1].text == ".":
            i += 2
        else:
            i += 1
            break
    return ".".join(parts), i


def _is_property_key(tokens: list[Token], i: int) -> bool:
    """Whether ``tokens[i]`` follows a ``.`` that follows a name or a bracket (``n.set``),
    not a number (``1. CREATE`` stays a word)."""
    if i < 2 or tokens[i - 1].text != ".":
        return False
    before = tokens[i - 2]
    return before.kind in ("word", "quoted", "param") or before.text in (")", "]", "}")


#: the most values a console ``range()`` may give
MAX_RANGE = 100_000


def _check_looping_function(tokens: list[Token], i: int) -> None:
    """``reduce()`` refused; ``range()`` only over literal integers, at most MAX_RANGE values.

    Neo4j checks the time limit between rows, not while one expression loops: a
    ``reduce()`` that grows a string (quadratic), or a comprehension over
    ``range(1, 10^12)``, runs on long after the transaction is marked terminated (measured:
    more than 150 s of server CPU). Rows (``UNWIND``, ``MATCH``) stop at the time limit.
    """
    word = tokens[i].text.lower()
    if word == "reduce":
        raise ConsoleRejected(
            "reduce() is not allowed in the console: Neo4j cannot stop it at the time "
            "limit; aggregate rows instead (UNWIND … RETURN sum(…), collect(…))")
    # range(a, b[, step]) with integer literals only
    args: list[int] = []
    j = i + 2
    while j < len(tokens) and tokens[j].text != ")":
        sign = 1
        if tokens[j].text == "-":
            sign, j = -1, j + 1
        if j >= len(tokens) or tokens[j].kind != "number" or not tokens[j].text.isdigit():
            args = []
            break
        args.append(sign * int(tokens[j].text))
        j += 1
        if j < len(tokens) and tokens[j].text == ",":
            j += 1
    start, end, step = (args + [1])[:3] if len(args) in (2, 3) else (0, -1, 0)
    size = (end - start) // step + 1 if step else -1
    if len(args) not in (2, 3) or step == 0 or size > MAX_RANGE:
        raise ConsoleRejected(
            f"range() in the console takes integer literals and gives at most {MAX_RANGE:,} "
            "values: Neo4j cannot stop a long loop inside one expression at the time limit")


def check_tokens(tokens: list[Token]) -> None:
    """Apply the allowlist to the tokens of one query; raise :class:`ConsoleRejected`."""
    if not tokens:
        raise ConsoleRejected("the query is empty")
    first = tokens[0]
    if first.kind != "word" or first.text.upper() not in START_CLAUSES:
        raise ConsoleRejected(
            "a console query starts with MATCH, OPTIONAL MATCH, WITH, UNWIND, RETURN or CALL")
    for i, tok in enumerate(tokens):
        if tok.kind != "word":
            continue
        if _is_property_key(tokens, i):
            continue  # n.start, point.distance: a key or a namespace part, never a clause
        word = tok.text.upper()
        if word in FORBIDDEN_WORDS:
            raise ConsoleRejected(f"{word} is not allowed in the read-only console")
        if word in ("REDUCE", "RANGE") and i + 1 < len(tokens) and tokens[i + 1].text == "(":
            _check_looping_function(tokens, i)
        if word == "CALL":
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            if nxt is not None and nxt.text in ("{", "("):
                continue  # a subquery; its own words are checked like the rest
            name, _ = _dotted_name(tokens, i + 1)
            if name.lower() not in ALLOWED_PROCEDURES:
                raise ConsoleRejected(
                    f"procedure {name or '(none)'!r} is not allowed; allowed: "
                    + ", ".join(PROCEDURES))
        # A namespaced function call: word . word ... (
        if i + 1 < len(tokens) and tokens[i + 1].text == "." and (
                i == 0 or tokens[i - 1].text.upper() != "CALL"):
            name, j = _dotted_name(tokens, i)
            if j < len(tokens) and tokens[j].text == "(" and "." in name:
                namespace = name.split(".")[0].lower()
                if namespace not in ALLOWED_FUNCTION_NAMESPACES:
                    raise ConsoleRejected(f"function {name!r} is not allowed")
    for i, tok in enumerate(tokens):
        # Backticked names in a function position: `apoc`.`do`(...)
        if tok.kind == "quoted" and i + 1 < len(tokens) and tokens[i + 1].text in (".", "("):
            name, j = _dotted_name(tokens, i)
            prev = tokens[i - 1].text.upper() if i > 0 else ""
            if prev != "CALL" and j < len(tokens) and tokens[j].text == "(":
                raise ConsoleRejected(f"function {name!r} (a quoted name) is not allowed")


def check_query(query: str) -> str:
    """Check ``query`` against the console's allowlist.

    Parameters
    ----------
    query
        The posted Cypher text.

    Returns
    -------
    str
        The text to run: ``query`` with its comments replaced by spaces.

    Raises
    ------
    ConsoleRejected
        With the reason, for anything outside the allowlist.
    """
    if len(query) > MAX_QUERY_CHARS:
        raise ConsoleRejected(f"the query is longer than {MAX_QUERY_CHARS} characters")
    tokens, text = tokenize(query)
    check_tokens(tokens)
    return text.strip()


def check_parameters(parameters: dict[str, Any]) -> dict[str, Any]:
    """Parameter names must be plain names (values are data and go as they are)."""
    for key in parameters:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
            raise ConsoleRejected(f"parameter name {key!r} is not a plain name")
    return parameters


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
    ConsoleRejected
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
        raise ConsoleRejected(exc.message or "Neo4j refused the query",
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
