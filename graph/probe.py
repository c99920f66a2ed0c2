"""Is Neo4j there? A Bolt handshake with a short timeout: no driver, no pool, no password.

Three answers:

- ``up``: the server answered Bolt's handshake, or, on this machine, its process kept
  working all through the wait (busy with heavy queries, not hung:
  :mod:`graph.local_process`);
- ``down``: nothing listens (connection refused, unknown host) or the connection was
  closed without an answer (a server shutting down);
- ``not_answering``: the connection was accepted (or its SYN dropped) but nothing came
  back within the timeout: a hung (``kill -STOP``), unreachable or, on another host,
  overloaded server.

The driver cannot tell these apart quickly: a stopped server is retried for
``ALLIANCE_RETRY_SECONDS``, and a hung one is waited for without end on a pooled
connection. The API's breaker (:mod:`graph.breaker`) and ``/health`` ask here instead.
A probe sends nothing but the handshake, so it needs no credential and leaves nothing on
the server; behind TLS (``+s``, ``+ssc``) it wraps the socket first, without checking the
certificate (nothing is exchanged but the handshake).

>>> address("neo4j+s://db.example:7688")
Address(host='db.example', port=7688, tls=True)
>>> address("bolt://127.0.0.1")
Address(host='127.0.0.1', port=7687, tls=False)
"""

from __future__ import annotations

import asyncio
import socket
import ssl
from dataclasses import dataclass
from time import monotonic
from typing import Literal
from urllib.parse import urlsplit

from graph.local_process import Watch

State = Literal["up", "down", "not_answering"]
UP: State = "up"
DOWN: State = "down"
NOT_ANSWERING: State = "not_answering"

#: Bolt's magic preamble, then four version proposals: 5.8 down to 5.0, then 4.4 (any
#: four bytes back, even "none of these", mean a server is alive and speaking Bolt)
HANDSHAKE = b"\x60\x60\xb0\x17" + bytes([0, 8, 8, 5, 0, 0, 4, 4]) + bytes(8)


@dataclass(frozen=True)
class Address:
    """Where a Bolt URI points, and whether it speaks TLS."""

    host: str
    port: int
    tls: bool


def address(uri: str) -> Address:
    """The host, port (7687 when absent) and TLS of a ``bolt://`` or ``neo4j://`` URI."""
    parts = urlsplit(uri)
    tls = parts.scheme.endswith(("+s", "+ssc"))
    return Address(parts.hostname or "localhost", parts.port or 7687, tls)


def _tls_context() -> ssl.SSLContext:
    context = ssl.create_default_context()
    # a liveness check, not a session: nothing but the handshake crosses it
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def probe(uri: str, timeout: float) -> State:
    """Knock at ``uri``'s Bolt port and wait at most about ``timeout`` seconds.

    Parameters
    ----------
    uri
        A ``bolt://`` or ``neo4j://`` URI (with ``+s``/``+ssc`` for TLS).
    timeout
        Seconds for the whole probe (connection, then the server's answer).

    Returns
    -------
    str
        ``up``, ``down`` or ``not_answering`` (see the module).
    """
    where = address(uri)
    deadline = monotonic() + timeout
    watch = Watch(where.host, where.port)
    try:
        sock = socket.create_connection((where.host, where.port), timeout=timeout)
    except TimeoutError:  # SYN unanswered: a full backlog of a hung server, a firewall
        return UP if watch.busy() else NOT_ANSWERING
    except OSError:
        return DOWN
    try:
        sock.settimeout(max(deadline - monotonic(), 0.01))
        if where.tls:
            sock = _tls_context().wrap_socket(sock, server_hostname=where.host)
        sock.sendall(HANDSHAKE)
        answer = b""
        while len(answer) < 4:
            chunk = sock.recv(4 - len(answer))
            if not chunk:
                return DOWN  # closed without a word: shutting down
            answer += chunk
        return UP
    except TimeoutError:
        return UP if watch.busy() else NOT_ANSWERING
    except OSError:
        return DOWN
    finally:
        sock.close()


async def probe_async(uri: str, timeout: float) -> State:
    """:func:`probe` on the event loop (``/health``: no thread, so no pool to wait for)."""
    where = address(uri)
    watch = Watch(where.host, where.port)
    try:
        return await asyncio.wait_for(_knock(where), timeout)
    except TimeoutError:
        return UP if watch.busy() else NOT_ANSWERING


async def _knock(where: Address) -> State:
    try:
        reader, writer = await asyncio.open_connection(
            where.host, where.port, ssl=_tls_context() if where.tls else None,
            server_hostname=where.host if where.tls else None)
    except OSError:
        return DOWN
    try:
        writer.write(HANDSHAKE)
        await writer.drain()
        await reader.readexactly(4)
        return UP
    except (asyncio.IncompleteReadError, OSError):
        return DOWN
    finally:
        writer.close()
