"""Domain errors of the questions; the API maps them to 404 and 400."""

from __future__ import annotations


class NotFoundError(ValueError):
    """An id, code or name that is not in the graph (API: 404)."""


class InvalidParameter(ValueError):
    """A parameter value the question cannot take (API: 400)."""


#: how to find an id, said to API and command-line users alike
SEARCH_HINT = "find ids with a search (GET /search?q=…, or `alliance-graph query search`)"
