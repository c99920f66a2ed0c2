"""The read-only Cypher console's guard: a tokenizer-based allowlist, pure functions with
no database and no HTTP (the runner is api/console.py, the route api/routers/console.py).

:func:`check_query` strips comments, reads strings and backticked names the way Neo4j
reads them, and refuses (:class:`RefusedQuery`, with the reason):

- anything outside a string literal that is not ASCII (full-width ``ＣＲＥＡＴＥ``,
  zero-width spaces and other look-alikes are refused, naming the character);
- more than one statement, or a first word that is not a read clause;
- any writing, loading, schema, administration or transaction-control keyword as a bare
  word (property keys like ``n.set`` and backticked names are not words);
- ``CALL`` of a procedure outside :data:`PROCEDURES` (a read subquery is allowed);
- a namespaced function outside :data:`ALLOWED_FUNCTION_NAMESPACES` (no ``apoc.*``);
- ``reduce()``, and ``range()`` except over small integer literals (Neo4j cannot stop a
  loop inside one expression at the time limit).

It returns the text to run: the query with its comments replaced by spaces, so Neo4j sees
exactly the tokens that were checked.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

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


class RefusedQuery(Exception):
    """The console refuses a query: ``reason`` says why, in English, for the analyst.

    Raised by the guard (anything outside the allowlist) and by the runner when Neo4j
    itself refuses the text (syntax, semantics; ``detail`` then holds its code). The API's
    error table answers it with 400 ``query_rejected``.
    """

    def __init__(self, reason: str, detail: dict[str, Any] | None = None):
        super().__init__(reason)
        self.reason, self.detail = reason, detail


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
    RefusedQuery
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
                raise RefusedQuery("unterminated /* comment")
            kept.append(" ")
            i = end + 2
        elif c in "'\"":
            j = i + 1
            while j < n and query[j] != c:
                if query[j] == "\\":
                    j += 1  # the escaped character never closes the string
                elif not query[j].isascii() and unicodedata.normalize(
                        "NFKC", query[j]) in _QUOTE_LIKES:
                    raise RefusedQuery(
                        f"quote look-alike {_describe(query[j])} inside a string literal")
                j += 1
            if j >= n:
                raise RefusedQuery("unbalanced quotes: a string literal is not closed")
            tokens.append(Token("string", query[i:j + 1], i))
            kept.append(query[i:j + 1])
            i = j + 1
        elif c == "`":
            end = query.find("`", i + 1)
            if end == -1:
                raise RefusedQuery("unbalanced backticks: a quoted name is not closed")
            if end + 1 < n and query[end + 1] == "`":
                raise RefusedQuery("doubled backticks inside a quoted name are not allowed")
            name = query[i + 1:end]
            bad = next((ch for ch in name if not (ch.isascii() and ch.isprintable())), None)
            if bad is not None or not name:
                raise RefusedQuery(
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
                raise RefusedQuery(
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
                raise RefusedQuery(f"a parameter needs a plain name at character {i}")
            tokens.append(Token("param", match.group(), i))
            kept.append(query[i:match.end()])
            i = match.end()
        elif c == ";":
            raise RefusedQuery("one statement only: ';' is not allowed")
        elif c in _PUNCT:
            op = next((o for o in _OPERATORS if query.startswith(o, i)), c)
            tokens.append(Token("punct", op, i))
            kept.append(op)
            i += len(op)
        elif not c.isascii():
            raise RefusedQuery(
                f"only ASCII outside string literals: found {_describe(c)} at character {i}")
        else:
            raise RefusedQuery(f"unexpected character {_describe(c)} at character {i}")
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
        raise RefusedQuery(
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
        raise RefusedQuery(
            f"range() in the console takes integer literals and gives at most {MAX_RANGE:,} "
            "values: Neo4j cannot stop a long loop inside one expression at the time limit")


def check_tokens(tokens: list[Token]) -> None:
    """Apply the allowlist to the tokens of one query; raise :class:`RefusedQuery`."""
    if not tokens:
        raise RefusedQuery("the query is empty")
    first = tokens[0]
    if first.kind != "word" or first.text.upper() not in START_CLAUSES:
        raise RefusedQuery(
            "a console query starts with MATCH, OPTIONAL MATCH, WITH, UNWIND, RETURN or CALL")
    for i, tok in enumerate(tokens):
        if tok.kind != "word":
            continue
        if _is_property_key(tokens, i):
            continue  # n.start, point.distance: a key or a namespace part, never a clause
        word = tok.text.upper()
        if word in FORBIDDEN_WORDS:
            raise RefusedQuery(f"{word} is not allowed in the read-only console")
        if word in ("REDUCE", "RANGE") and i + 1 < len(tokens) and tokens[i + 1].text == "(":
            _check_looping_function(tokens, i)
        if word == "CALL":
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            if nxt is not None and nxt.text in ("{", "("):
                continue  # a subquery; its own words are checked like the rest
            name, _ = _dotted_name(tokens, i + 1)
            if name.lower() not in ALLOWED_PROCEDURES:
                raise RefusedQuery(
                    f"procedure {name or '(none)'!r} is not allowed; allowed: "
                    + ", ".join(PROCEDURES))
        # A namespaced function call: word . word ... (
        if i + 1 < len(tokens) and tokens[i + 1].text == "." and (
                i == 0 or tokens[i - 1].text.upper() != "CALL"):
            name, j = _dotted_name(tokens, i)
            if j < len(tokens) and tokens[j].text == "(" and "." in name:
                namespace = name.split(".")[0].lower()
                if namespace not in ALLOWED_FUNCTION_NAMESPACES:
                    raise RefusedQuery(f"function {name!r} is not allowed")
    for i, tok in enumerate(tokens):
        # Backticked names in a function position: `apoc`.`do`(...)
        if tok.kind == "quoted" and i + 1 < len(tokens) and tokens[i + 1].text in (".", "("):
            name, j = _dotted_name(tokens, i)
            prev = tokens[i - 1].text.upper() if i > 0 else ""
            if prev != "CALL" and j < len(tokens) and tokens[j].text == "(":
                raise RefusedQuery(f"function {name!r} (a quoted name) is not allowed")


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
    RefusedQuery
        With the reason, for anything outside the allowlist.
    """
    if len(query) > MAX_QUERY_CHARS:
        raise RefusedQuery(f"the query is longer than {MAX_QUERY_CHARS} characters")
    tokens, text = tokenize(query)
    check_tokens(tokens)
    return text.strip()


def check_parameters(parameters: dict[str, Any]) -> dict[str, Any]:
    """Parameter names must be plain names (values are data and go as they are)."""
    for key in parameters:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
            raise RefusedQuery(f"parameter name {key!r} is not a plain name")
    return parameters
