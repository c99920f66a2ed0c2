"""GET /health: is the API up, and is Neo4j up, down or not answering — within a second,
whatever Neo4j does.

An ``async`` route that takes no thread from the route pool (which hung calls could fill):
a Bolt handshake on the event loop (:func:`graph.probe.probe_async`), then the server's
version through the driver in one of the guard's call threads, awaited without blocking.
What it finds also opens the breaker (graph/breaker.py), so the other routes learn it.
"""

from __future__ import annotations

import asyncio
from time import monotonic
from typing import Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from api.errors import DatabaseUnavailable
from api.openapi import responses
from graph.outage import DatabaseDown
from graph.probe import DOWN, UP, probe_async

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: Literal["ok"]
    neo4j: Literal["up"] = Field(description="Neo4j answered, with its version.")
    version: str | None = None


#: seconds /health gives Neo4j in all (the handshake, then the server's version): under
#: a second with the HTTP round trip around it, even on a loaded machine
HEALTH_SECONDS = 0.8
#: of which the handshake may take most: a server busy with a heavy console query (its
#: garbage collector, two shared cores) held handshakes 0.3–0.4 s in the tests, a hung one
#: never answers. A handshake answered proves Neo4j up, as does, on this machine, a
#: process that spent its CPU all through the wait (graph.local_process); the version is
#: a bonus
PROBE_SHARE = 0.85

EXAMPLE = {"status": "ok", "neo4j": "up", "version": "Neo4j/5.26.30"}

_SAID = {
    "down": "Neo4j is down: nothing answers on its Bolt port (stopped or restarting)",
    "not_answering": "Neo4j does not answer: it accepted the connection but said nothing "
                     "(hung or overloaded)",
}


@router.get("/health", response_model=Health, responses=responses(EXAMPLE, deadline=False))
async def health(request: Request) -> Health:
    """200 with the Neo4j version when the database answers; 503 `database_unavailable`
    otherwise, whose `detail.neo4j` says which: `down` (nothing listens: stopped,
    restarting), `not_answering` (hung; on another host, overloaded too) or
    `unavailable` (it answers Bolt but not a query: authentication, a database still
    starting). Answers within about
    0.8 s, however Neo4j behaves."""
    guard = request.app.state.guard
    started = monotonic()
    state = await probe_async(guard.uri, HEALTH_SECONDS * PROBE_SHARE)
    if state != UP:
        if state == DOWN:  # certain: the other routes answer 503 at once from now on
            guard.breaker.trip(state)
        raise DatabaseUnavailable(f"{_SAID[state]}; retry in a moment",
                                  detail={"neo4j": state})
    try:
        future = guard.start(request.app.state.driver.get_server_info)
        left = max(HEALTH_SECONDS - (monotonic() - started), 0.05)
        info = await asyncio.wait_for(asyncio.wrap_future(future), left)
    except TimeoutError:  # it answered the handshake just now: up, too busy to say more
        return Health(status="ok", neo4j="up", version=None)
    except DatabaseDown as exc:
        raise DatabaseUnavailable(exc.message, detail={"neo4j": exc.why}) from exc
    except Exception as exc:  # noqa: BLE001 - any other failure: answers Bolt, not a query
        raise DatabaseUnavailable(f"Neo4j is not reachable: {exc}",
                                  detail={"neo4j": "unavailable"}) from exc
    return Health(status="ok", neo4j="up", version=info.agent)
