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
  loop inside one expression at the time limit);
- the cost of one row (:func:`check_costs`): brackets and ``CASE`` nested deeper than
  :data:`MAX_NESTING` (Neo4j's parser recurses and never answers past a few hundred
  levels), an iteration (list comprehension, ``any``/``all``/``none``/``single``, pattern
  comprehension, ``COUNT``/``EXISTS``/``COLLECT`` subquery) inside another unless both run
  over literal ranges of at most :data:`MAX_ROW_COST` steps together, ``replace()``
  inside another ``replace()`` or an iteration, or with a replacement longer than
  :data:`MAX_REPLACEMENT`, a string joined with ``+`` inside an iteration, an unbounded or
  too long variable-length relationship (``-[*]-``, past :data:`MAX_HOPS`).

It returns the text to run: the query with its comments replaced by spaces, so Neo4j sees
exactly the tokens that were checked.
"""

from __future__ import annotations

import json
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
#: the deepest nesting of brackets and CASE: Neo4j's parser overflows its stack on a few
#: hundred levels (measured: 400 on a cold server) and then never answers
MAX_NESTING = 32
#: the most steps nested iterations may take in one row (the product of their sizes),
#: which Neo4j cannot interrupt at the time limit: 10**6 steps are well under a second
MAX_ROW_COST = 1_000_000
#: the longest replacement a ``replace()`` may insert: one call may then grow a string
#: by at most this factor (nested calls, or calls repeated by an iteration, are refused)
MAX_REPLACEMENT = 100
#: the most steps of an iteration that joins strings with ``+`` (a stored list, such as
#: ``n.tags``, may always be iterated: it is as long as what was loaded)
MAX_JOINS = 10_000
#: the longest variable-length relationship (``-[*1..6]-``): paths multiply with each hop,
#: and Neo4j was measured not to stop ``-[*1..10]-`` on a 25-node graph at the time limit
MAX_HOPS = 6


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


_QUANTIFIERS = frozenset({"ANY", "ALL", "NONE", "SINGLE"})
_SUBQUERY_EXPRESSIONS = frozenset({"COUNT", "EXISTS", "COLLECT"})
_OPENERS = {"(": ")", "[": "]", "{": "}"}


@dataclass
class _Scope:
    """One open bracket (or CASE) while :func:`check_costs` reads the tokens."""

    closer: str
    #: an iteration: its number of steps when known (a literal range), else None
    iterates: bool = False
    steps: int | None = None
    #: this bracket holds the arguments of replace()
    replace: bool = False
    #: an iteration over a stored property (``x IN n.tags``): as long as what was loaded
    stored: bool = False


def _literal_range_steps(tokens: list[Token], i: int) -> int | None:
    """The number of values of ``range(<int>, <int>[, <int>])`` starting at ``tokens[i]``
    (the word ``range``), or None when it is not such a call."""
    if not (tokens[i].kind == "word" and tokens[i].text.lower() == "range"
            and i + 1 < len(tokens) and tokens[i + 1].text == "("):
        return None
    args: list[int] = []
    j = i + 2
    while j < len(tokens) and tokens[j].text != ")":
        sign = 1
        if tokens[j].text == "-":
            sign, j = -1, j + 1
        if j >= len(tokens) or tokens[j].kind != "number" or not tokens[j].text.isdigit():
            return None
        args.append(sign * int(tokens[j].text))
        j += 1
        if j < len(tokens) and tokens[j].text == ",":
            j += 1
    if len(args) not in (2, 3):
        return None
    start, end, step = (args + [1])[:3]
    return max(0, (end - start) // step + 1) if step else None


def _iteration_steps(tokens: list[Token], i: int) -> tuple[bool, int | None]:
    """Whether the bracket at ``tokens[i]`` opens an iteration, and its steps when known.

    ``[x IN list …]`` and ``any(x IN list …)`` iterate over ``list`` (known when it is a
    literal range); ``[(a)-->(b) | …]``, ``[p = (a)-->() | …]`` and ``COUNT {…}``,
    ``EXISTS {…}``, ``COLLECT {…}`` iterate over matches (unknown).
    """
    tok = tokens[i]
    prev = tokens[i - 1] if i > 0 else None
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    after = tokens[i + 2] if i + 2 < len(tokens) else None
    if tok.text == "{" and prev is not None and prev.kind == "word" \
            and prev.text.upper() in _SUBQUERY_EXPRESSIONS:
        return True, None
    comprehension = tok.text == "[" or (
        tok.text == "(" and prev is not None and prev.kind == "word"
        and prev.text.upper() in _QUANTIFIERS and not _is_property_key(tokens, i - 1))
    if not comprehension or nxt is None:
        return False, None
    if nxt.kind in ("word", "quoted") and after is not None and after.kind == "word" \
            and after.text.upper() == "IN":
        return True, _literal_range_steps(tokens, i + 3) if i + 3 < len(tokens) else None
    if tok.text == "[" and (nxt.text == "(" or (
            nxt.kind in ("word", "quoted") and after is not None and after.text == "=")):
        return True, None  # a pattern comprehension
    return False, None


def _over_stored_property(tokens: list[Token], i: int) -> bool:
    """Whether the iteration opened at ``tokens[i]`` runs over ``n.key`` and nothing else
    (``[t IN n.tags | …]``): a list as long as what was loaded, never built by the query."""
    j = i + 3  # past "[ x IN"
    return (j + 3 < len(tokens) and tokens[j].kind in ("word", "quoted")
            and tokens[j + 1].text == "." and tokens[j + 2].kind in ("word", "quoted")
            and (tokens[j + 3].text in ("|", "]", ")")
                 or tokens[j + 3].text.upper() == "WHERE"))


def check_costs(tokens: list[Token]) -> None:
    """Refuse what one row could not stop doing: see the module's docstring.

    Neo4j checks the time limit between rows; inside one expression it runs on to the
    end, and its parser recurses on nesting. So the guard bounds, on the tokens alone,
    the nesting depth and the work and growth one expression can do.

    >>> check_costs(tokenize("RETURN [a IN range(1, 100) | [b IN range(1, 100) | a * b]]")[0])
    >>> check_costs(tokenize("RETURN [a IN range(1, 40000) WHERE "  # doctest: +ELLIPSIS
    ...                      "size([b IN range(1, 40000) WHERE b = a]) > 0]")[0])
    Traceback (most recent call last):
    ...
    api.console_guard.RefusedQuery: an iteration inside another one would take ...
    """
    stack: list[_Scope] = []
    for i, tok in enumerate(tokens):
        text = tok.text
        if tok.kind == "punct" and text in _OPENERS:
            iterates, steps = _iteration_steps(tokens, i)
            replace = (text == "(" and i > 0 and tokens[i - 1].kind == "word"
                       and tokens[i - 1].text.lower() == "replace"
                       and not _is_property_key(tokens, i - 1))
            scope = _Scope(_OPENERS[text], iterates, steps, replace,
                           stored=iterates and _over_stored_property(tokens, i))
            if iterates:
                _check_nested_iteration(stack, scope)
            if replace:
                _check_replace(stack, tokens, i)
            stack.append(scope)
        elif tok.kind == "word" and text.upper() == "CASE" and not _is_property_key(tokens, i):
            stack.append(_Scope("END"))
        elif stack and ((tok.kind == "punct" and text == stack[-1].closer) or (
                tok.kind == "word" and text.upper() == "END" == stack[-1].closer
                and not _is_property_key(tokens, i))):
            stack.pop()
        elif tok.kind == "punct" and text == "+" and any(
                s.iterates and not s.stored and (s.steps is None or s.steps > MAX_JOINS)
                for s in stack):
            before = tokens[i - 1] if i > 0 else None
            after = tokens[i + 1] if i + 1 < len(tokens) else None
            if any(t is not None and t.kind in ("string", "param") for t in (before, after)):
                raise RefusedQuery(
                    "a string joined with + inside a list comprehension or a quantifier: "
                    "the strings it builds could fill the server's memory in one row; "
                    "build them row by row (UNWIND … RETURN a + b)")
        elif tok.kind == "punct" and text == "*" and _after_relationship_open(tokens, i):
            _check_hops(tokens, i)
        if len(stack) > MAX_NESTING:
            raise RefusedQuery(
                f"brackets and CASE nested more than {MAX_NESTING} levels deep at character "
                f"{tok.start}: Neo4j's parser cannot take it; split the expression with WITH")


def _check_nested_iteration(stack: list[_Scope], scope: _Scope) -> None:
    outer = [s for s in stack if s.iterates]
    if not outer:
        return
    sizes = [s.steps for s in outer] + [scope.steps]
    if any(size is None for size in sizes):
        raise RefusedQuery(
            "an iteration inside another one over a list whose size is not known before "
            "it runs (a collected list, a property, a pattern, a subquery): Neo4j cannot "
            "stop it at the time limit; iterate over rows instead (UNWIND … AS a, then the "
            "inner list)")
    steps = 1
    for size in sizes:
        steps *= max(1, size or 0)
    if steps > MAX_ROW_COST:
        raise RefusedQuery(
            f"an iteration inside another one would take {steps:,} steps in one row (at "
            f"most {MAX_ROW_COST:,}): Neo4j cannot stop it at the time limit; iterate over "
            "rows instead (UNWIND … AS a, then the inner list)")


def _check_replace(stack: list[_Scope], tokens: list[Token], i: int) -> None:
    if any(s.replace for s in stack):
        raise RefusedQuery(
            "replace() inside another replace(): each call may multiply the string's "
            "length, and the product could fill the server's memory; apply them one per "
            "row (WITH replace(…) AS s RETURN replace(s, …))")
    if any(s.iterates for s in stack):
        raise RefusedQuery(
            "replace() inside a list comprehension or a quantifier: the strings it builds "
            "could fill the server's memory in one row; apply it row by row (UNWIND)")
    # the third argument: a literal of at most MAX_REPLACEMENT characters, at the top level
    # of the call (a parameter's length is not known here)
    depth, commas, j = 0, 0, i + 1
    third: list[Token] = []
    while j < len(tokens):
        t = tokens[j]
        if t.kind == "punct" and t.text in _OPENERS:
            depth += 1
        elif t.kind == "punct" and t.text in (")", "]", "}"):
            if depth == 0:
                break
            depth -= 1
        elif t.text == "," and depth == 0:
            commas += 1
            j += 1
            continue
        if commas == 2:
            third.append(t)
        j += 1
    if len(third) == 1 and third[0].kind == "string":
        if len(third[0].text) - 2 > MAX_REPLACEMENT:
            raise RefusedQuery(
                f"replace() inserts a text longer than {MAX_REPLACEMENT} characters: the "
                "string could grow past what one answer may hold")
    else:
        raise RefusedQuery(
            "replace() takes its replacement as a string literal in the console: a "
            "computed replacement could grow the string without bound")


def _after_relationship_open(tokens: list[Token], i: int) -> bool:
    """Whether the ``*`` at ``tokens[i]`` follows ``[``, ``[r`` or ``:TYPE`` (a
    variable-length relationship), not a product."""
    if i > 0 and tokens[i - 1].text == "[":
        return True
    return i > 1 and tokens[i - 1].kind in ("word", "quoted") and tokens[i - 2].text in (
        "[", ":")


def _check_hops(tokens: list[Token], i: int) -> None:
    """``-[*]-``, ``-[:T*]-``, ``-[r*2..]-`` refused; ``-[*3]-``, ``-[*1..6]-``,
    ``-[*..6]-`` up to :data:`MAX_HOPS` hops."""
    spec: list[str] = []
    j = i + 1
    while j < len(tokens) and (tokens[j].text == ".." or (
            tokens[j].kind == "number" and tokens[j].text.isdigit())):
        spec.append(tokens[j].text)
        j += 1
    # -[*]- or -[*2..]-: no upper bound
    upper = None if not spec or spec[-1] == ".." else int(spec[-1])
    if upper is None or upper > MAX_HOPS:
        raise RefusedQuery(
            f"a variable-length relationship needs an upper bound of at most {MAX_HOPS} "
            f"hops in the console (-[*1..{MAX_HOPS // 2}]-, not -[*]- or -[*2..]-)")


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
    check_costs(tokens)
    return text.strip()


#: the most bytes of JSON the parameters of one query may hold (a list of a thousand ids
#: fits); with MAX_QUERY_CHARS, the bound on what a query brings to the server
MAX_PARAMETER_BYTES = 64 * 1024


def check_parameters(parameters: dict[str, Any]) -> dict[str, Any]:
    """Parameter names must be plain names; the values, as JSON, at most
    :data:`MAX_PARAMETER_BYTES` (values are data and go as they are)."""
    for key in parameters:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
            raise RefusedQuery(f"parameter name {key!r} is not a plain name")
    size = len(json.dumps(parameters, ensure_ascii=False, default=str).encode("utf-8"))
    if size > MAX_PARAMETER_BYTES:
        raise RefusedQuery(
            f"the parameters hold {size:,} bytes of JSON, more than {MAX_PARAMETER_BYTES:,}: "
            "pass fewer or smaller values")
    return parameters
