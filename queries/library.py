"""The question library: one ``.cypher`` file per question, loaded by name.

Each file starts with a header of ``//`` comment lines::

    // question: which organisations connect a programme to a territory
    // parameters: $programme (id), $territory (id), $limit, $offset
    // returns: one row per organisation ...

Cypher cannot take a variable-length bound (``[*..4]``) as a parameter, so a file may hold
``{{name}}`` placeholders that :func:`load_query` fills with *validated integers only*;
every value stays a ``$parameter``.

The rule of when a fact exists (:data:`graph.bookkeeping.ALIVE_RULE`) is written once, in
:mod:`graph.as_of`, and a file asks for it by name: ``{{alive x}}`` is "the node or
relationship ``x`` is alive as of ``$as_of``" (:func:`graph.as_of.alive_cypher`),
``{{alive_path p}}`` the same for every node and relationship of the path ``p``. Fixed
text around a variable of the file: no value reaches the query this way either.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from pydantic import BaseModel

from graph.as_of import alive_cypher, alive_path_cypher

QUERY_DIR = Path(__file__).resolve().parent
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_PLACEHOLDER = re.compile(r"\{\{([a-z_]+)\}\}")
_ALIVE = re.compile(r"\{\{(alive|alive_path) ([A-Za-z_][A-Za-z0-9_]*)\}\}")
_MACROS = {"alive": alive_cypher, "alive_path": alive_path_cypher}
_HEADER = re.compile(r"^//\s*(question|parameters|returns):\s*(.*)$")


class QueryHeader(BaseModel):
    """What a question file says about itself."""

    name: str
    question: str
    parameters: str
    returns: str


@cache
def _source(name: str) -> str:
    if not _NAME.match(name):
        raise ValueError(f"{name!r} is not a query name")
    path = QUERY_DIR / f"{name}.cypher"
    if not path.is_file():
        raise ValueError(f"no query named {name!r} in {QUERY_DIR}")
    return path.read_text(encoding="utf-8")


@cache
def _read(name: str) -> str:
    # the rule of when a fact exists, written out where the file names it
    return _ALIVE.sub(lambda m: _MACROS[m.group(1)](m.group(2)), _source(name))


def load_query(name: str, **bounds: int) -> str:
    """The Cypher text of ``queries/<name>.cypher``.

    Parameters
    ----------
    name
        The file name without ``.cypher``.
    **bounds
        Integers for the file's ``{{placeholders}}`` (variable-length bounds); anything
        that is not an ``int`` is refused, so no text can reach the query.

    Returns
    -------
    str
        The query text.
    """
    text = _read(name)

    def fill(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in bounds:
            raise ValueError(f"query {name!r} needs the bound {key!r}")
        value = bounds[key]
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError(f"bound {key!r} must be an int, not {type(value).__name__}")
        return str(value)

    return _PLACEHOLDER.sub(fill, text)


def query_header(name: str) -> QueryHeader:
    """Parse the ``// question:``, ``// parameters:``, ``// returns:`` header of a file."""
    fields: dict[str, list[str]] = {"question": [], "parameters": [], "returns": []}
    current: str | None = None
    for line in _source(name).splitlines():
        if not line.startswith("//"):
            break
        match = _HEADER.match(line)
        if match:
            current = match.group(1)
            fields[current].append(match.group(2).strip())
        elif current is not None:
            fields[current].append(line[2:].strip())
    return QueryHeader(name=name, **{k: " ".join(v).strip() for k, v in fields.items()})


def list_queries() -> list[str]:
    """Names of every question file, sorted."""
    return sorted(p.stem for p in QUERY_DIR.glob("*.cypher"))
