"""The console's workers: each console query runs in a separate process, so that no query
can hurt the API.

Why processes: the API receives a row whole before it can measure it (a 10⁸-character
string pushed the API to 562 MB before the size cap applied), and the memory a Python
process took is not given back. A worker has an address-space limit
(``ALLIANCE_CONSOLE_WORKER_MEMORY_MB``): a row too big for it is a ``MemoryError`` in the
worker, answered as 400 ``result_too_large``, and the worker is replaced. A worker that
does not answer within the time limit + 1 s is killed and replaced: the API never waits
longer than that.

At most ``ALLIANCE_CONSOLE_CONCURRENCY`` queries run at once (one per worker); one more
is answered at once with 429 ``console_busy`` and a ``Retry-After``. Each client (its IP
address) may start ``ALLIANCE_CONSOLE_RATE`` queries a minute (a token bucket); past it,
429 ``rate_limited``.

Workers are started on first use and stopped with the app (:meth:`ConsolePool.close`).
"""

from __future__ import annotations

import contextlib
import logging
import math
import multiprocessing
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from api.errors import AllianceError, DatabaseUnavailable, RequestTimeout

log = logging.getLogger("alliance.console")


class ConsoleBusy(AllianceError):
    """Every console worker is busy: 429, try again in a second."""

    status, code = 429, "console_busy"


class RateLimited(AllianceError):
    """This client started too many console queries this minute: 429."""

    status, code = 429, "rate_limited"


@dataclass(frozen=True)
class WorkerConfig:
    """What a worker needs to connect and to bound itself (picklable)."""

    uri: str
    user: str
    password: str
    database: str
    memory_bytes: int


# --- in the worker process ------------------------------------------------------------


def _limit_memory(memory_bytes: int) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))


def _worker_main(conn: Connection, config: WorkerConfig) -> None:
    """Serve console queries on ``conn`` until it closes or a query exhausts the memory."""
    from neo4j import GraphDatabase
    from neo4j.exceptions import ServiceUnavailable, SessionExpired

    from api.console import run_console
    from api.console_guard import RefusedQuery

    # the driver first (its imports and buffers), then the limit on what a query may add
    driver = GraphDatabase.driver(config.uri, auth=(config.user, config.password),
                                  connection_timeout=2.0, max_connection_pool_size=1,
                                  notifications_min_severity="OFF")
    _limit_memory(config.memory_bytes)
    conn.send(("ready", None))
    try:
        while True:
            try:
                job = conn.recv()
            except (EOFError, OSError):
                return
            if job is None:
                return
            query, parameters, timeout, max_rows, max_bytes = job
            try:
                result = run_console(driver, query, parameters, database=config.database,
                                     timeout=timeout, max_rows=max_rows, max_bytes=max_bytes)
                conn.send(("ok", (result.columns, result.rows, result.truncated,
                                  result.query_type)))
            except RefusedQuery as exc:
                conn.send(("refused", (exc.reason, exc.detail)))
            except AllianceError as exc:
                conn.send(("error", (exc.status, exc.code, exc.message, exc.detail)))
            except (ServiceUnavailable, SessionExpired) as exc:
                conn.send(("unavailable", str(exc)))
            except MemoryError:
                # the row did not fit: say so, then leave (the driver's state is unknown)
                conn.send(("error", (400, "result_too_large",
                                     "the answer is too large for the console: return less "
                                     "(LIMIT, fewer columns, size() or substring() of big "
                                     "values)", None)))
                return
    finally:
        with contextlib.suppress(Exception):  # leaving anyway
            driver.close()


# --- in the API -----------------------------------------------------------------------


#: how long after the time limit a silent worker is killed (under the 1 s the API allows)
WORKER_GRACE = 0.7
#: how long a new worker may take to start (a Python process importing the driver)
START_TIMEOUT = 20.0


class _Worker:
    def __init__(self, ctx: Any, config: WorkerConfig):
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(child, config), daemon=True,
                                   name="alliance-console")
        self.process.start()
        child.close()
        # ready before its first query: the query's deadline counts the query only
        if not self.conn.poll(START_TIMEOUT) or self.conn.recv()[0] != "ready":
            self.stop(kill=True)
            raise AllianceError("the console's worker did not start")

    def stop(self, *, kill: bool = False) -> None:
        if kill:
            # killed now; reaped in the background, so the answer does not wait for it
            self.process.kill()
            threading.Thread(target=self._reap, daemon=True).start()
            return
        else:
            try:
                self.conn.send(None)
            except (OSError, BrokenPipeError):
                self.process.kill()
        self._reap()

    def _reap(self) -> None:
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(timeout=5)
        self.conn.close()


class _Bucket:
    """A token bucket: ``rate`` a minute, bursts of ``rate``."""

    def __init__(self, rate: int):
        self.rate, self.tokens, self.at = rate, float(rate), time.monotonic()

    def take(self) -> float:
        """0 when a token was taken, else the seconds until one is there."""
        now = time.monotonic()
        self.tokens = min(self.rate, self.tokens + (now - self.at) * self.rate / 60.0)
        self.at = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) * 60.0 / self.rate


class ConsolePool:
    """At most ``size`` console queries at once, each in a worker process.

    Parameters
    ----------
    config
        How workers connect, and their address-space limit.
    size
        Workers (and so queries at once).
    rate
        Queries a minute one client may start (0: no limit).
    """

    #: clients remembered by the rate limiter before the oldest are forgotten
    MAX_CLIENTS = 10_000

    def __init__(self, config: WorkerConfig, *, size: int = 2, rate: int = 60):
        self.config, self.size, self.rate = config, max(1, size), rate
        self._ctx = multiprocessing.get_context("spawn")
        self._idle: list[_Worker] = []
        self._running = 0
        self._starting = 0
        self._lock = threading.Lock()
        self._buckets: dict[str, _Bucket] = {}
        self._closed = False

    # -- admission --------------------------------------------------------------------
    def _admit(self, client: str) -> None:
        if self.rate > 0:
            with self._lock:
                bucket = self._buckets.get(client)
                if bucket is None:
                    if len(self._buckets) >= self.MAX_CLIENTS:
                        self._buckets.pop(next(iter(self._buckets)))
                    bucket = self._buckets[client] = _Bucket(self.rate)
                wait = bucket.take()
            if wait:
                raise RateLimited(
                    f"at most {self.rate} console queries a minute from one client "
                    "(ALLIANCE_CONSOLE_RATE): try again in a moment",
                    detail={"retry_after": math.ceil(wait)})
        with self._lock:
            if self._closed or self._running >= self.size:
                raise ConsoleBusy(
                    f"the console runs at most {self.size} queries at once "
                    "(ALLIANCE_CONSOLE_CONCURRENCY): try again in a second",
                    detail={"retry_after": 1})
            self._running += 1

    def _release(self, worker: _Worker | None) -> None:
        with self._lock:
            self._running -= 1
            if worker is not None and not self._closed:
                self._idle.append(worker)
                worker = None
        if worker is not None:
            worker.stop()

    def _checkout(self) -> _Worker:
        with self._lock:
            while self._idle:
                worker = self._idle.pop()
                if worker.process.is_alive():
                    return worker
                worker.stop(kill=True)
        return _Worker(self._ctx, self.config)

    def warm(self) -> None:
        """Start workers in the background until ``size`` are idle or running: a query
        after a killed worker does not wait for a new one to start."""
        def spawn() -> None:
            with self._lock:
                missing = self.size - len(self._idle) - self._running - self._starting
                if self._closed or missing <= 0:
                    return
                self._starting += 1
            try:
                worker = _Worker(self._ctx, self.config)
            except AllianceError:
                log.warning("a console worker did not start")
                return
            finally:
                with self._lock:
                    self._starting -= 1
            with self._lock:
                if not self._closed:
                    self._idle.append(worker)
                    worker = None
            if worker is not None:
                worker.stop()
            spawn()

        threading.Thread(target=spawn, daemon=True, name="alliance-console-warm").start()

    # -- running ----------------------------------------------------------------------
    def run(self, client: str, query: str, parameters: dict[str, Any], *, timeout: float,
            max_rows: int, max_bytes: int) -> tuple[list[str], list[dict[str, Any]], bool, str]:
        """Run one console query in a worker; the answer within ``timeout`` + 1 s (plus a
        worker's start-up when none is idle), or 408.

        Raises
        ------
        RateLimited, ConsoleBusy
            429, before anything runs.
        RefusedQuery, AllianceError
            As :func:`api.console.run_console` raises them.
        RequestTimeout
            The worker did not answer in time: it is killed.
        """
        from api.console_guard import RefusedQuery, check_parameters, check_query

        # the guard first, here: a refused query costs no worker and waits for none
        check_query(query)
        check_parameters(parameters)
        self._admit(client)
        worker: _Worker | None = None
        try:
            worker = self._checkout()
            worker.conn.send((query, parameters, timeout, max_rows, max_bytes))
            # Neo4j ends the transaction at ``timeout``; a worker still silent a little
            # later is stuck (a row that cannot stop): killed, so the answer keeps its
            # deadline of timeout + 1 s
            if not worker.conn.poll(timeout + WORKER_GRACE):
                log.warning("console worker %s did not answer in %.1f s: killed",
                            worker.process.pid, timeout + WORKER_GRACE)
                worker.stop(kill=True)
                worker = None
                raise RequestTimeout(f"the query ran longer than {timeout:g} s")
            try:
                kind, payload = worker.conn.recv()
            except (EOFError, OSError):
                # the worker died (its memory limit, a crash): replaced on next use
                worker.stop(kill=True)
                worker = None
                raise AllianceError("the console's worker stopped: the answer is probably "
                                    "too large; return less") from None
            if not worker.process.is_alive() or kind == "error" and payload[1] == (
                    "result_too_large"):
                worker.stop(kill=True)
                worker = None
        except BaseException:
            if worker is not None:
                worker.stop(kill=True)
                worker = None
            self._release(None)
            self.warm()
            raise
        self._release(worker)
        if worker is None:
            self.warm()
        if kind == "ok":
            return payload
        if kind == "refused":
            raise RefusedQuery(payload[0], payload[1])
        if kind == "unavailable":
            raise DatabaseUnavailable(f"Neo4j is not reachable: {payload}")
        status, code, message, detail = payload
        error = AllianceError(message, detail)
        error.status, error.code = status, code
        raise error

    def close(self) -> None:
        """Stop every worker (the app's shutdown)."""
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.stop()
