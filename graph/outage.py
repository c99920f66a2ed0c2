"""What a call meets when Neo4j cannot answer it in time: the two exceptions that the API
maps to 503 ``database_unavailable`` and 504 ``deadline_exceeded`` (api/errors.py), each
with a ``Retry-After``; the pages show a French page instead (docs/reliability.md)."""

from __future__ import annotations

from typing import Literal

#: why Neo4j cannot be asked: stopped, hung, too many calls already waiting for it, or a
#: failure the probe could not explain (the server answers Bolt but the call failed)
Why = Literal["down", "not_answering", "busy", "unavailable"]

_MESSAGES: dict[str, str] = {
    "down": "Neo4j is not reachable: nothing answers on its Bolt port (stopped or "
            "restarting)",
    "not_answering": "Neo4j does not answer: it accepted the connection but said nothing "
                     "(hung or overloaded)",
    "busy": "too many requests are waiting for Neo4j already (ALLIANCE_DB_MAX_CALLS)",
    "unavailable": "Neo4j is not reachable",
}


class DatabaseDown(Exception):
    """Neo4j cannot take the call now (API: 503 ``database_unavailable``).

    Parameters
    ----------
    why
        ``down``, ``not_answering``, ``busy`` or ``unavailable``: in the error's
        ``detail.neo4j``.
    cause
        What the driver said, when it said something.
    """

    def __init__(self, why: Why, cause: str | None = None):
        message = _MESSAGES[why] + (f" ({cause})" if cause else "")
        super().__init__(message)
        self.why = why
        self.message = message


class DeadlineExceeded(Exception):
    """Neo4j answered nothing within the request's deadline (API: 504
    ``deadline_exceeded``); the call goes on in its thread, unawaited, until Neo4j
    answers or the server's own transaction timeout ends it."""

    def __init__(self, seconds: float):
        super().__init__(f"Neo4j gave no answer within the deadline of {seconds:g} s "
                         "(ALLIANCE_REQUEST_DEADLINE)")
        self.seconds = seconds
